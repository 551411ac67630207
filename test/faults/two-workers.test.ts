/**
 * Fault 4: two workers on one task queue (two machines of one scheme, each with its own data
 * folder and delivery log), one killed with SIGKILL in the middle of a burst and not started
 * again. The other carries on with every journey, the killed one's included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultLoad, auditAfterFault, unexplainedCopies, type Outage } from './journeys-under-fault';
import { cutOffSends, startFaultRig, type FaultRig } from './rig';

let rig: FaultRig;
beforeAll(async () => {
  rig = await startFaultRig({
    label: 'two',
    policy: { youngPerson: { firstContactWithin: '3 seconds' }, notifications: { escalateUnactedNudgeAfter: '1 hour' } },
  });
}, 120_000);
afterAll(async () => rig?.stop());

describe('two workers on one task queue', () => {
  it('one killed mid-burst: the other carries on, nothing lost, every copy explained by a send the kill cut off', async () => {
    rig.smtp.slowReplies(300);
    const [a, b] = await Promise.all([rig.startWorker('a'), rig.startWorker('b')]);
    const load = new FaultLoad(rig, { label: 'two', journeys: 16, everyMs: 250, contactWithinMs: 6_000 });
    const running = load.run();
    // Mid-burst: the first deadlines are falling due and Updates are arriving.
    await new Promise((r) => setTimeout(r, 4_000));
    const from = Date.now();
    await a.kill('SIGKILL');
    const outages: Outage[] = [{ from, to: from }];
    await running;
    const account = await load.account(rig.client, { outages, limitMs: 60_000 });

    expect(await Promise.race([b.exited, new Promise((r) => setTimeout(() => r('running'), 0))])).toBe('running');
    expect(account.missing).toEqual([]);
    expect(account.stageMismatches).toEqual([]);
    expect(account.updatesUnsettled).toEqual([]);
    expect(account.updatesLost).toEqual([]);
    expect(account.updatesTwice).toEqual([]);
    expect(account.nudgesDue).toBeGreaterThanOrEqual(8);
    expect(account.nudgesMissing).toEqual([]);
    expect(account.unexpected).toEqual([]);
    // A send cut off by the kill, or recorded by the killed worker just before Temporal heard of
    // it, is retried on the other worker, whose delivery log cannot know it went: each copy must
    // be one of those, as the killed worker's delivery log shows.
    const killed = [{ worker: a, at: from }];
    expect(unexplainedCopies(account.duplicated, cutOffSends([a, b], killed))).toEqual([]);
    expect(account.duplicates).toBeLessThanOrEqual(cutOffSends([a], killed).length);

    const audit = await auditAfterFault(rig, { journeys: load.list.length, nudged: account.nudged });
    expect(audit.replayFailures).toEqual([]);
    expect(audit.nudgedButNoBreach).toEqual([]);
  }, 240_000);
});
