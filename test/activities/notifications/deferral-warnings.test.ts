/** While email is held up, the worker's log gets one line a minute, counting the attempts, not one per attempt. */
import { describe, expect, it } from 'vitest';
import { deferralWarnings } from '../../../activities/notifications/deferral-warnings';

describe('warnings while email is held up', () => {
  it('says the first at once, then at most one a minute with the attempts since', () => {
    const lines: string[] = [];
    let now = 0;
    const warnings = deferralWarnings({ warn: (l) => lines.push(l), now: () => now });
    warnings.deferred('the mail server could not be reached (ECONNREFUSED); it will be retried');
    for (let i = 0; i < 5; i++) {
      now += 10_000;
      warnings.deferred('the mail server could not be reached (ECONNREFUSED); it will be retried');
    }
    expect(lines).toHaveLength(1);
    now += 10_000; // 60 s after the first
    warnings.deferred('the mail server deferred the message (451 4.3.0); it will be retried');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('could not be reached (ECONNREFUSED)');
    expect(lines[0]).toContain('(1 attempt since');
    expect(lines[1]).toContain('deferred the message (451 4.3.0)');
    expect(lines[1]).toContain('(6 attempts since');
  });
});
