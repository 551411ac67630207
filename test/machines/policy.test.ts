import { describe, expect, it } from 'vitest';
import { isDeepStrictEqual } from 'node:util';
import path from 'node:path';
import { addDuration, parseDuration, subtractDuration } from '../../machines/duration';
import { defaultPolicy, parsePolicy, PolicyError } from '../../machines/policy';
import { loadPolicyFile } from '../../config/policy-file';

const d = (text: string) => parseDuration(text)!;

describe('scheme policy', () => {
  it('builds in the DOMAIN.md defaults', () => {
    expect(defaultPolicy.youngPerson.firstContactWithin.text).toBe('5 working days');
    expect(defaultPolicy.volunteer.minimumTrainingHours).toBe(20);
    expect(defaultPolicy.volunteer.referencesRequired).toBe(2);
    expect(defaultPolicy.volunteer.checkRenewalRemindersBefore.map((x) => x.text)).toEqual(['60 days', '30 days', '7 days']);
    expect(defaultPolicy.volunteer.requiredTrainingTopics).toContain('safeguarding');
    expect(defaultPolicy.match.reviewsAfter.map((x) => x.text)).toEqual(['6 weeks', '3 months', '6 months']);
    expect(defaultPolicy.match.peerMinAgeGapYears).toBe(3);
    expect(defaultPolicy.volunteer.peerSupervisionEvery.text).toBe('2 weeks');
  });

  it('ships an example policy file that states exactly the defaults', () => {
    const example = loadPolicyFile(path.join(__dirname, '../../config/policy.example.yaml'));
    expect(isDeepStrictEqual(example, defaultPolicy)).toBe(true);
  });

  it('lets a scheme override any value, down to seconds for a demo', () => {
    const policy = parsePolicy({ youngPerson: { firstContactWithin: '30 seconds' }, volunteer: { minimumTrainingHours: 6 } });
    expect(policy.youngPerson.firstContactWithin).toEqual({ amount: 30, unit: 'second', text: '30 seconds' });
    expect(policy.volunteer.minimumTrainingHours).toBe(6);
    expect(policy.volunteer.referencesRequired).toBe(2);
  });

  it('names the field and the reason of every error', () => {
    let error: unknown;
    try {
      parsePolicy({ youngPerson: { firstContactWithin: 'soon' }, match: { peerMinAgeGapYears: -1 }, colour: 'blue' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicyError);
    const problems = (error as PolicyError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^youngPerson\.firstContactWithin: "soon" is not a duration/),
        expect.stringMatching(/^match\.peerMinAgeGapYears: /),
        expect.stringMatching(/colour/),
      ]),
    );
  });
});

describe('durations', () => {
  it('counts working days over a weekend', () => {
    // Friday 9 January 2026 + 5 working days = Friday 16 January.
    expect(addDuration('2026-01-09T10:00:00.000Z', d('5 working days'))).toBe('2026-01-16T10:00:00.000Z');
    // Saturday + 1 working day = Monday.
    expect(addDuration('2026-01-10T10:00:00.000Z', d('1 working day'))).toBe('2026-01-12T10:00:00.000Z');
  });

  it('adds calendar months, keeping to the end of a short month', () => {
    expect(addDuration('2026-01-31T09:00:00.000Z', d('1 month'))).toBe('2026-02-28T09:00:00.000Z');
    expect(addDuration('2026-01-31T09:00:00.000Z', d('3 months'))).toBe('2026-04-30T09:00:00.000Z');
    expect(addDuration('2024-02-29T09:00:00.000Z', d('1 year'))).toBe('2025-02-28T09:00:00.000Z');
  });

  it('subtracts for reminders before an expiry', () => {
    expect(subtractDuration('2031-03-01T00:00:00.000Z', d('60 days'))).toBe('2030-12-31T00:00:00.000Z');
  });

  it('refuses what is not a duration', () => {
    expect(parseDuration('6')).toBeUndefined();
    expect(parseDuration('six weeks')).toBeUndefined();
    expect(parseDuration('2 fortnights')).toBeUndefined();
  });
});
