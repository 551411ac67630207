/**
 * Issue 18: a meeting's `on` may carry a time. Under a sub-day policy (a demo, a seconds-scale
 * test) the meeting-gap clock counts from that moment, so logging a meeting closes the gap nudge
 * and no escalation follows; under a day-scale policy it still counts from the meeting's day.
 * Match version 1 keeps counting from the day whatever the policy (docs/versioning.md).
 */
import { describe, expect, it } from 'vitest';
import type { JourneyDefinition } from '../../machines/journey';
import { matchInputSchema, matchJourney, matchJourneyV1, matchRecordedEvents } from '../../machines/match';
import { defaultPolicy, parsePolicy, type SchemePolicyInput } from '../../machines/policy';
import { JourneySimulator } from '../helpers/journey-simulator';

const PROPOSED = '2026-01-05T09:00:00.000Z';
const coordinator = { role: 'coordinator', id: 'co-7' } as const;
const youngPerson = { role: 'youngPerson', id: 'yp-42' } as const;
const mentor = { role: 'volunteer', id: 'vol-9' } as const;
const input = { journeyId: 'm-1', youngPersonId: 'yp-42', volunteerId: 'vol-9', coordinatorId: 'co-7', peer: false };

const secondsScale: SchemePolicyInput = {
  match: { meetingGapNudgeAfter: '30 seconds', meetingGapEscalateAfter: '60 seconds' },
};

function activeMatch(policy?: SchemePolicyInput, journey: JourneyDefinition = matchJourney): JourneySimulator {
  const parsed = matchInputSchema.parse({ ...input, startedAt: PROPOSED });
  const sim = new JourneySimulator(journey, { ...parsed, policy: policy ? parsePolicy(policy) : defaultPolicy }, PROPOSED);
  return sim.must({ type: 'introduction.held', by: coordinator, format: 'personalMeeting' }).must({ type: 'youngPerson.accepted', by: youngPerson });
}

const meeting = (on: string) => ({ type: 'meeting.logged', by: mentor, on });
const gapNotices = (sim: JourneySimulator) => sim.notified.filter((about) => about.startsWith('meetingGap'));

describe('a meeting logged with a time, under a seconds-scale policy', () => {
  it('closes the gap nudge at once, and no escalation follows', () => {
    const sim = activeMatch(secondsScale).advance('40 seconds');
    expect(sim.openNudges).toContain('meetingGap');
    sim.must(meeting(sim.now));
    expect(sim.openNudges).not.toContain('meetingGap');
    expect(sim.due.meetingGapNudgeAfter).toBe(new Date(Date.parse(sim.now) + 30_000).toISOString());
    sim.advance('25 seconds'); // past the escalation that counted from the start (60 s)
    expect(gapNotices(sim)).toEqual(['meetingGap']);
    expect(sim.openNudges).not.toContain('meetingGapEscalated');
  });

  it('takes a time with an offset as the moment it names', () => {
    const sim = activeMatch(secondsScale).advance('40 seconds');
    sim.must(meeting('2026-01-05T10:00:30+01:00')); // 09:00:30 UTC
    expect(sim.openNudges).not.toContain('meetingGap');
    expect(sim.due.meetingGapNudgeAfter).toBe('2026-01-05T09:01:00.000Z');
  });

  it('refuses a meeting time later than the moment it is logged', () => {
    const sim = activeMatch(secondsScale).advance('40 seconds');
    const verdict = sim.record(meeting('2026-01-05T09:05:00.000Z'));
    expect(verdict.accepted ? 'accepted' : verdict.message).toBe(
      'cannot log a meeting: the meeting time 2026-01-05T09:05:00.000Z is in the future',
    );
  });

  it('a date without a time still counts from the start of its day', () => {
    const sim = activeMatch(secondsScale).advance('40 seconds').must(meeting('2026-01-05'));
    expect(sim.openNudges).toContain('meetingGap');
  });

  it('on match version 1 (running journeys) the clock still counts from the day', () => {
    const sim = activeMatch(secondsScale, matchJourneyV1).advance('40 seconds');
    sim.must(meeting(sim.now));
    expect(sim.context.meetingClock).toBeUndefined();
    expect(sim.openNudges).toContain('meetingGap');
    sim.advance('25 seconds');
    expect(gapNotices(sim)).toEqual(['meetingGap', 'meetingGapEscalated']);
  });
});

describe('a meeting logged with a time, under a day-scale policy', () => {
  it('counts from the meeting’s day, exactly as a date alone does', () => {
    const withTime = activeMatch().advanceTo('2026-01-14T18:00:00.000Z').must(meeting('2026-01-14T15:30:00.000Z'));
    const dateOnly = activeMatch().advanceTo('2026-01-14T18:00:00.000Z').must(meeting('2026-01-14'));
    expect(withTime.due.meetingGapNudgeAfter).toBe('2026-02-04T00:00:00.000Z');
    expect(withTime.due).toEqual(dateOnly.due);
    withTime.advanceTo('2026-02-26T00:00:00.000Z');
    dateOnly.advanceTo('2026-02-26T00:00:00.000Z');
    expect(withTime.effects.map((e) => [e.at, e.effect.type])).toEqual(dateOnly.effects.map((e) => [e.at, e.effect.type]));
  });

  it('a meeting late in the day by its offset counts from its UTC day', () => {
    const sim = activeMatch().advanceTo('2026-01-15T09:00:00.000Z').must(meeting('2026-01-15T00:30:00+01:00'));
    expect(sim.due.meetingGapNudgeAfter).toBe('2026-02-04T00:00:00.000Z');
  });
});

describe('the meeting date field', () => {
  it('takes a date or a date and time, and says so when given neither', () => {
    const parse = (on: string) => matchRecordedEvents.safeParse(meeting(on));
    expect(parse('2026-01-14').success).toBe(true);
    expect(parse('2026-01-14T15:30:00Z').success).toBe(true);
    const bad = parse('14/01/2026 15:30');
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'on: write a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM:SSZ, or with an offset such as +01:00)',
    ]);
  });
});
