/**
 * The match journey, run purely on a simulated clock: every state, every gate both ways (with the
 * words a co-ordinator sees), a seven-month relationship in which every nudge fires at its exact
 * time and none after its cause was resolved, the safeguarding pause, and policy overrides.
 */
import { describe, expect, it } from 'vitest';
import type { AnyStateNode } from 'xstate';
import { defaultPolicy, parsePolicy, type SchemePolicyInput } from '../../machines/policy';
import { persist, restoreSnapshot } from '../../machines/runtime';
import {
  matchInputSchema,
  matchJourney,
  matchLinkedEvents,
  matchMachine,
  matchRecordedEvents,
  matchStages,
} from '../../machines/match';
import { JourneySimulator } from '../helpers/journey-simulator';

// 5 January 2026 is a Monday. The proposal is made then; the match starts a week later.
const PROPOSED = '2026-01-05T09:00:00.000Z';
const coordinator = { role: 'coordinator', id: 'co-7' } as const;
const lead = { role: 'leadCoordinator', id: 'lead-1' } as const;
const youngPerson = { role: 'youngPerson', id: 'yp-42' } as const;
const mentor = { role: 'volunteer', id: 'vol-9' } as const;

/** 09:00 UTC on a day, the time most things happen in these tests. */
const nine = (day: string) => `${day}T09:00:00.000Z`;
const midnight = (day: string) => `${day}T00:00:00.000Z`;

const input = { journeyId: 'm-1', youngPersonId: 'yp-42', volunteerId: 'vol-9', coordinatorId: 'co-7', peer: false };

function start(policy?: SchemePolicyInput, at = PROPOSED): JourneySimulator {
  const parsed = matchInputSchema.parse({ ...input, startedAt: at });
  return new JourneySimulator(matchJourney, { ...parsed, policy: policy ? parsePolicy(policy) : defaultPolicy }, at);
}

const introduction = (format = 'personalMeeting') => ({ type: 'introduction.held', by: coordinator, format });
const accepted = (by: { role: string; id: string } = youngPerson) => ({ type: 'youngPerson.accepted', by });
const declinedByYoungPerson = { type: 'youngPerson.declined', by: youngPerson, reason: 'mentorNotRight' };
const goals = (gettingToKnowEachOtherFirst?: boolean) => ({
  type: 'goals.agreed',
  by: mentor,
  ...(gettingToKnowEachOtherFirst === undefined ? {} : { gettingToKnowEachOtherFirst }),
});
const checkIn = (...parties: ('mentor' | 'mentee')[]) => ({ type: 'checkIn.recorded', by: coordinator, with: parties });
const meeting = (on: string) => ({ type: 'meeting.logged', by: mentor, on });
const review = (outcome: 'continue' | 'end' | 'rematch') => ({ type: 'review.held', by: coordinator, outcome });
const concern = (category: 'complaint' | 'concern' | 'safeguarding', by: { role: string; id: string } = youngPerson) => ({
  type: 'concern.raised',
  by,
  category,
});
const resolved = (outcome: 'resume' | 'end', rematch?: boolean) => ({
  type: 'concern.resolved',
  by: coordinator,
  outcome,
  ...(rematch === undefined ? {} : { rematch }),
});
const endingDecided = (reason = 'goalsMet', planned = true, rematch = false) => ({
  type: 'ending.decided',
  by: coordinator,
  reason,
  planned,
  rematch,
});
const endingRecorded = (extra: Record<string, unknown> = {}) => ({
  type: 'ending.recorded',
  by: coordinator,
  method: 'closingMeeting',
  reason: 'goalsMet',
  planned: true,
  outcomes: ['confidence-up', 'college-place'],
  ...extra,
});
const checkExpired = { type: 'volunteer.checkExpired' };
const checkRenewed = { type: 'volunteer.checkRenewed' };
const checkNotClear = { type: 'volunteer.checkNotClear' };
const volunteerExited = { type: 'volunteer.exited' };

/** Proposed, introduced, and accepted at 09:00 on `day` (a week after the proposal by default). */
function activeMatch(policy?: SchemePolicyInput, day = '2026-01-12'): JourneySimulator {
  const sim = start(policy);
  sim.advanceTo(nine('2026-01-07')).must(introduction());
  return sim.advanceTo(nine(day)).must(accepted());
}

/** What a refusal says, or 'accepted'. */
function refusal(sim: JourneySimulator, event: { type: string } & Record<string, unknown>): string {
  const verdict = sim.record(event);
  return verdict.accepted ? 'accepted' : `${verdict.code}: ${verdict.message}`;
}

/** Every notification (nudge, escalation, reminder) as `at type about dueAt`. */
function notifications(sim: JourneySimulator): string[] {
  return sim.effects
    .filter((e) => e.effect.type !== 'tellJourney')
    .map((e) => {
      const params = e.effect.params as { about: string; dueAt?: string };
      return `${e.at} ${e.effect.type} ${params.about} due ${params.dueAt ?? '-'}`;
    });
}

function told(sim: JourneySimulator): string[] {
  return sim.effectsOf('tellJourney').map(
    ({ at, params }) => `${at} ${params.kind}:${params.journeyId} ${JSON.stringify(params.event)}`,
  );
}

function timerNames(sim: JourneySimulator): string[] {
  return sim.timers.map((t) => t.delayName).sort();
}

describe('proposal and the young person’s choice', () => {
  it('tells the young person’s journey about the proposal as it starts', () => {
    const sim = start();
    expect(sim.stage).toBe('proposed');
    expect(told(sim)).toEqual([
      `${PROPOSED} youngPerson:yp-42 {"type":"match.proposed","matchId":"m-1","volunteerId":"vol-9"}`,
    ]);
    expect(sim.timers).toEqual([]);
  });

  it('refuses acceptance before the introduction, and accepts after it (the young person is involved in the choice)', () => {
    const sim = start();
    expect(refusal(sim, accepted())).toBe(
      'GATE.UNMET: cannot accept the match: the young person has not been introduced to the mentor yet: record the introduction first',
    );
    sim.advance('2 days').must(introduction('groupEvent'));
    expect(sim.stage).toBe('introduced');
    expect(sim.context.introductions).toMatchObject({ count: 1, lastFormat: 'groupEvent' });
    sim.must(introduction('paperProfile'));
    expect(sim.context.introductions).toMatchObject({ count: 2, lastFormat: 'paperProfile' });
    sim.advance('5 days');
    expect(refusal(sim, accepted(coordinator))).toBe('accepted');
    expect(sim.stage).toBe('active');
    expect(sim.context.acceptedAt).toBe(nine('2026-01-12'));
    expect(told(sim).slice(1)).toEqual([
      `${nine('2026-01-12')} youngPerson:yp-42 {"type":"match.started","matchId":"m-1"}`,
      `${nine('2026-01-12')} volunteer:vol-9 {"type":"match.started","matchId":"m-1"}`,
    ]);
  });

  it('refuses acceptance while the mentor’s safeguarding check has expired, and accepts once it is renewed', () => {
    const sim = start().must(introduction()).tell(checkExpired);
    expect(refusal(sim, accepted())).toBe(
      "GATE.UNMET: cannot accept the match: the volunteer's safeguarding check has expired: it must be renewed before the match starts",
    );
    expect(sim.notified).toEqual([]); // a gate before the start, not a nudge: the volunteer's journey chases the renewal
    sim.tell(checkRenewed);
    expect(refusal(sim, accepted())).toBe('accepted');
  });

  it('lists every unmet condition at once', () => {
    const sim = start().tell(checkExpired).must(concern('safeguarding'));
    expect(matchJourney.unmetGates(sim.snapshot, accepted())).toEqual([
      'the young person has not been introduced to the mentor yet: record the introduction first',
      "the volunteer's safeguarding check has expired: it must be renewed before the match starts",
      'a safeguarding concern about this match is open: resolve it first',
    ]);
  });

  it('declined: closed without starting, and both journeys are told', () => {
    const sim = start().advance('1 day').must(declinedByYoungPerson);
    expect(sim.stage).toBe('declined');
    expect(sim.snapshot.status).toBe('done');
    expect(sim.context.notStarted).toEqual({ at: nine('2026-01-06'), by: 'youngPerson', reason: 'mentorNotRight' });
    expect(told(sim).slice(1)).toEqual([
      `${nine('2026-01-06')} youngPerson:yp-42 {"type":"match.declined","matchId":"m-1"}`,
      `${nine('2026-01-06')} volunteer:vol-9 {"type":"match.declined","matchId":"m-1"}`,
    ]);
    expect(refusal(sim, introduction())).toBe('STAGE.NOT_NOW: cannot record the introduction: this journey has ended');
  });

  it('the young person may decline after the introduction too', () => {
    const sim = start().must(introduction()).must({ ...declinedByYoungPerson, reason: 'notReadyNow' });
    expect(sim.stage).toBe('declined');
  });

  it('a mentor who steps down before the start ends the proposal as not started', () => {
    const sim = start().must(introduction()).tell(volunteerExited);
    expect(sim.stage).toBe('declined');
    expect(sim.context.notStarted).toMatchObject({ by: 'volunteerExited', reason: 'mentorWithdrew' });
    expect(sim.context.formalEnding).toBeUndefined();
  });

  it('a safeguarding concern before the start holds the proposal until it is resolved', () => {
    const sim = start().must(introduction()).advance('1 day').must(concern('safeguarding'));
    expect(sim.stage).toBe('paused');
    expect(sim.openNudges).toEqual(['safeguardingConcern']);
    expect(notifications(sim)).toEqual([
      `${nine('2026-01-06')} nudgeCoordinator safeguardingConcern due ${nine('2026-01-06')}`,
      `${nine('2026-01-06')} escalateToLead safeguardingConcern due ${nine('2026-01-06')}`,
    ]);
    expect(refusal(sim, accepted())).toBe(
      'GATE.UNMET: cannot accept the match: a safeguarding concern about this match is open: resolve it first',
    );
    expect(refusal(sim, introduction())).toMatch(/^STAGE.NOT_NOW: cannot record the introduction: not possible at stage 'paused'/);
    sim.advance('3 days').must(resolved('resume'));
    expect(sim.stage).toBe('introduced');
    expect(sim.openNudges).toEqual([]);
    expect(refusal(sim, accepted())).toBe('accepted');
  });

  it('a safeguarding concern before the start, resolved by ending it: never started, both journeys told', () => {
    const sim = start().must(concern('safeguarding', coordinator)).must(resolved('end'));
    expect(sim.stage).toBe('declined');
    expect(sim.context.notStarted).toMatchObject({ by: 'safeguarding', reason: 'safeguarding' });
    expect(told(sim).map((t) => t.split(' ').slice(1).join(' '))).toEqual([
      'youngPerson:yp-42 {"type":"match.proposed","matchId":"m-1","volunteerId":"vol-9"}',
      'youngPerson:yp-42 {"type":"match.declined","matchId":"m-1"}',
      'volunteer:vol-9 {"type":"match.declined","matchId":"m-1"}',
    ]);
  });

  it('a safeguarding concern raised before any introduction resumes to "proposed"', () => {
    const sim = start().tell(checkNotClear);
    expect(sim.stage).toBe('paused');
    expect(sim.notified).toEqual(['volunteerCheckNotClear', 'volunteerCheckNotClear']);
    sim.must(resolved('resume'));
    expect(sim.stage).toBe('proposed');
  });

  it('nothing of an active match can be recorded before it starts; no ending before the start', () => {
    const sim = start().must(introduction());
    for (const event of [goals(), checkIn('mentor', 'mentee'), meeting('2026-01-05'), review('continue'), endingDecided(), endingRecorded(), resolved('resume')]) {
      expect(refusal(sim, event)).toMatch(/^STAGE.NOT_NOW: .*not possible at stage 'introduced'/);
    }
  });
});

describe('gates, both ways, with a co-ordinator’s words', () => {
  it('a meeting is logged for a day that has happened, not before the match started', () => {
    const sim = activeMatch().advanceTo(nine('2026-01-20'));
    expect(refusal(sim, meeting('2026-01-21'))).toBe('GATE.UNMET: cannot log a meeting: the meeting date 2026-01-21 is in the future');
    expect(refusal(sim, meeting('2026-01-11'))).toBe(
      'GATE.UNMET: cannot log a meeting: the meeting date 2026-01-11 is before the match started on 2026-01-12',
    );
    expect(refusal(sim, meeting('2026-01-12'))).toBe('accepted');
    expect(refusal(sim, meeting('2026-01-20'))).toBe('accepted');
    expect(sim.context.meetings).toEqual({ count: 2, lastOn: '2026-01-20' });
  });

  it('while paused for safeguarding, meetings up to the day of the pause may be logged, none after', () => {
    const sim = activeMatch().advanceTo(nine('2026-01-20')).must(concern('safeguarding')).advance('3 days');
    expect(refusal(sim, meeting('2026-01-21'))).toBe(
      'GATE.UNMET: cannot log a meeting: the match has been paused since 2026-01-20 for a safeguarding concern: no meetings after that day',
    );
    expect(refusal(sim, meeting('2026-01-20'))).toBe('accepted');
  });

  it('the edge refuses a concern passed on by the mentor: the young person’s route is independent', () => {
    const result = matchRecordedEvents.safeParse(concern('complaint', mentor));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(
      'a concern is raised by the young person or recorded by a co-ordinator, never passed on through the mentor',
    );
    expect(matchRecordedEvents.safeParse(concern('complaint', youngPerson)).success).toBe(true);
    expect(matchRecordedEvents.safeParse(concern('safeguarding', lead)).success).toBe(true);
  });

  it('the edge lets only the young person (or a co-ordinator for them) accept or decline', () => {
    expect(matchRecordedEvents.safeParse(accepted(mentor)).success).toBe(false);
    expect(matchRecordedEvents.safeParse({ ...declinedByYoungPerson, by: mentor }).success).toBe(false);
    expect(matchRecordedEvents.safeParse(accepted(youngPerson)).success).toBe(true);
    expect(matchRecordedEvents.safeParse(accepted(coordinator)).success).toBe(true);
  });

  it('the edge checks payloads strictly', () => {
    const bad = [
      { ...checkIn(), with: [] },
      { ...checkIn('mentor', 'mentor') },
      { ...checkIn('mentor'), by: mentor },
      { ...meeting('2026-02-30T10:00') },
      { ...introduction('videoCall') },
      { ...endingRecorded({ outcomes: [] }) },
      { ...endingRecorded({ outcomes: ['Went to Elm Street college'] }) },
      { ...endingDecided(), notes: 'free text about the young person' },
      { ...review('continue'), outcome: 'pause' },
    ];
    for (const event of bad) expect(matchRecordedEvents.safeParse(event).success, JSON.stringify(event)).toBe(false);
    const good = [
      introduction(),
      accepted(),
      declinedByYoungPerson,
      goals(true),
      checkIn('mentee'),
      meeting('2026-02-03'),
      review('rematch'),
      concern('concern'),
      resolved('end', true),
      endingDecided('movedAway', false, true),
      endingRecorded({ method: 'letter', rematch: true }),
    ];
    for (const event of good) expect(matchRecordedEvents.safeParse(event).success, JSON.stringify(event)).toBe(true);
    for (const event of [checkExpired, checkRenewed, checkNotClear, volunteerExited]) {
      expect(matchLinkedEvents.safeParse({ ...event, by: { role: 'system', id: 'mentorflow' } }).success).toBe(true);
    }
  });

  it('the journey input takes opaque ids only', () => {
    expect(matchInputSchema.safeParse({ ...input, startedAt: PROPOSED }).success).toBe(true);
    expect(matchInputSchema.safeParse({ ...input, youngPersonId: 'Jane Smith', startedAt: PROPOSED }).success).toBe(false);
    expect(matchInputSchema.safeParse({ ...input, startedAt: PROPOSED, dateOfBirth: '2009-01-01' }).success).toBe(false);
  });
});

describe('an active match', () => {
  it('starts its duties with deadlines from the policy', () => {
    const sim = activeMatch();
    expect(sim.due).toEqual({
      initialGoalsWithin: nine('2026-02-09'), // 4 weeks
      checkInDue: nine('2026-01-26'), // first check-in within 2 weeks
      meetingGapNudgeAfter: nine('2026-02-02'), // 21 days with no meeting
      reviewDue: nine('2026-02-23'), // 6 weeks
    });
    expect(matchJourney.summary(sim.snapshot)).toMatchObject({
      matchStartedAt: nine('2026-01-12'),
      nextCheckInDueAt: nine('2026-01-26'),
      nextReviewDueAt: nine('2026-02-23'),
      initialGoalsDueAt: nine('2026-02-09'),
    });
  });

  it('initial goals: nudge when not agreed in time, escalate when the nudge is not acted on', () => {
    const sim = activeMatch().advanceTo(nine('2026-02-20'));
    expect(notifications(sim).filter((n) => n.includes('initialGoals'))).toEqual([
      `${nine('2026-02-09')} nudgeCoordinator initialGoalsOverdue due ${nine('2026-02-09')}`,
      `${nine('2026-02-16')} escalateToLead initialGoalsOverdue due ${nine('2026-02-09')}`,
    ]);
    expect(sim.openNudges).toContain('initialGoalsOverdue');
    sim.must(goals());
    expect(sim.openNudges).not.toContain('initialGoalsOverdue');
  });

  it('"getting to know each other first" counts as initial goals; goals may be agreed again later', () => {
    const sim = activeMatch().advance('1 week').must(goals(true));
    expect(sim.context.goals).toEqual({ agreedAt: nine('2026-01-19'), times: 1, gettingToKnowEachOtherFirst: true });
    sim.advance('6 weeks').must(goals(false));
    expect(sim.context.goals).toEqual({ agreedAt: nine('2026-01-19'), times: 2, gettingToKnowEachOtherFirst: false });
    expect(notifications(sim).filter((n) => n.includes('initialGoals'))).toEqual([]);
  });

  it('check-ins: with mentor AND mentee; the first within 2 weeks, two in the first month, then monthly', () => {
    const sim = activeMatch().advanceTo(nine('2026-01-16')).must(checkIn('mentor'));
    expect(sim.context.checkIns).toMatchObject({ completed: 0, partiesThisRound: ['mentor'] });
    expect(sim.due.checkInDue).toBe(nine('2026-01-26'));
    sim.advanceTo(nine('2026-01-19')).must(checkIn('mentee'));
    expect(sim.context.checkIns).toMatchObject({ completed: 1, lastCompletedAt: nine('2026-01-19'), partiesThisRound: [] });
    expect(sim.due.checkInDue).toBe(nine('2026-02-12')); // the second, before the first month is out
    sim.advanceTo(nine('2026-02-02')).must(checkIn('mentor', 'mentee'));
    expect(sim.due.checkInDue).toBe(nine('2026-03-02')); // then a month after the last
    sim.advanceTo(nine('2026-02-27')).must(checkIn('mentee', 'mentor'));
    expect(sim.due.checkInDue).toBe(nine('2026-03-27'));
    expect(notifications(sim).filter((n) => n.includes('checkIn'))).toEqual([]);
  });

  it('check-ins: overdue nudge at the deadline naming who is still owed, closed when recorded', () => {
    const sim = activeMatch().advanceTo(nine('2026-01-20')).must(checkIn('mentor')).advanceTo(nine('2026-01-26'));
    expect(sim.openNudges).toEqual(['checkInOverdue']);
    const [nudge] = sim.effectsOf('nudgeCoordinator');
    expect(nudge).toEqual({
      at: nine('2026-01-26'),
      params: {
        about: 'checkInOverdue',
        summary: 'The first co-ordinator check-in on a match is overdue',
        whatToDo: 'Check in with the mentee, then record it: npx mentorflow match check-in m-1 --with mentee',
        dueAt: nine('2026-01-26'),
        facts: { matchId: 'm-1', volunteerId: 'vol-9', peer: false, checkInsCompleted: 0, outstanding: 'mentee' },
      },
    });
    sim.advance('1 day').must(checkIn('mentee'));
    expect(sim.openNudges).toEqual([]);
    sim.advanceTo(nine('2026-02-11'));
    expect(notifications(sim).filter((n) => n.includes('checkIn'))).toEqual([
      `${nine('2026-01-26')} nudgeCoordinator checkInOverdue due ${nine('2026-01-26')}`,
    ]);
  });

  it('check-ins: a late first check-in does not leave the first-month deadline hanging', () => {
    const sim = activeMatch().advanceTo(nine('2026-02-16')).must(checkIn('mentor', 'mentee'));
    expect(sim.openNudges).not.toContain('checkInOverdue');
    expect(sim.due.checkInDue).toBe(nine('2026-03-16'));
  });

  it('meetings: nudge after 21 days without one, escalate to the lead at 42; each meeting restarts both', () => {
    const sim = activeMatch().advanceTo(nine('2026-01-14')).must(meeting('2026-01-14'));
    expect(sim.due.meetingGapNudgeAfter).toBe(midnight('2026-02-04')); // counted from the day they met
    sim.advanceTo(nine('2026-02-10'));
    expect(sim.openNudges).toContain('meetingGap');
    expect(sim.due.meetingGapEscalateAfter).toBe(midnight('2026-02-25'));
    sim.advanceTo(nine('2026-02-26'));
    expect(sim.openNudges).toEqual(expect.arrayContaining(['meetingGap', 'meetingGapEscalated']));
    expect(notifications(sim).filter((n) => n.includes('meetingGap'))).toEqual([
      `${midnight('2026-02-04')} nudgeCoordinator meetingGap due ${midnight('2026-02-04')}`,
      `${midnight('2026-02-25')} escalateToLead meetingGapEscalated due ${midnight('2026-02-25')}`,
    ]);
    const [escalation] = sim.effectsOf('escalateToLead').filter((e) => e.params.about === 'meetingGapEscalated');
    expect(escalation?.params.summary).toBe('No meeting logged on a match for 42 days');
    sim.must(meeting('2026-02-26'));
    expect(sim.openNudges).not.toContain('meetingGap');
    expect(sim.openNudges).not.toContain('meetingGapEscalated');
    expect(sim.due.meetingGapNudgeAfter).toBe(midnight('2026-03-19'));
    expect(sim.due.meetingGapEscalateAfter).toBeUndefined();
  });

  it('meetings: a meeting logged late that is itself 21 days old does not close the gap', () => {
    const sim = activeMatch().advanceTo(nine('2026-02-03'));
    expect(sim.openNudges).toContain('meetingGap');
    sim.must(meeting('2026-01-12'));
    expect(sim.context.meetings.count).toBe(1);
    expect(sim.openNudges).toContain('meetingGap');
    sim.must(meeting('2026-02-01'));
    expect(sim.openNudges).not.toContain('meetingGap');
    expect(sim.due.meetingGapNudgeAfter).toBe(midnight('2026-02-22'));
    // An older meeting logged later does not move the clock back.
    sim.must(meeting('2026-01-20'));
    expect(sim.context.meetings).toEqual({ count: 3, lastOn: '2026-02-01' });
    expect(sim.due.meetingGapNudgeAfter).toBe(midnight('2026-02-22'));
  });

  it('reviews: at 6 weeks, 3 months and 6 months, then every 6 months after the last scheduled one', () => {
    const sim = activeMatch();
    const dues: string[] = [];
    for (let i = 0; i < 5; i++) {
      dues.push(sim.due.reviewDue!);
      sim.advanceTo(sim.due.reviewDue!).must(review('continue'));
    }
    expect(dues).toEqual([
      nine('2026-02-23'),
      nine('2026-04-12'),
      nine('2026-07-12'),
      nine('2027-01-12'),
      nine('2027-07-12'),
    ]);
    expect(sim.due.reviewDue).toBe(nine('2028-01-12'));
    expect(sim.context.reviews).toMatchObject({ held: 5, nextIndex: 5, lastOutcome: 'continue' });
  });

  it('reviews: overdue until held; an early review counts for the next due one; a late one covers any it passed', () => {
    const sim = activeMatch().advanceTo(nine('2026-02-24'));
    expect(sim.openNudges).toContain('reviewDue');
    sim.must(review('continue'));
    expect(sim.openNudges).not.toContain('reviewDue');
    expect(sim.due.reviewDue).toBe(nine('2026-04-12'));
    // Early: held a month before the 3-month review, it counts for it.
    sim.advanceTo(nine('2026-03-12')).must(review('continue'));
    expect(sim.due.reviewDue).toBe(nine('2026-07-12'));
    // Very late: held after the 6-month and 12-month dates, it covers both.
    sim.advanceTo(nine('2027-02-01'));
    expect(sim.openNudges).toContain('reviewDue');
    sim.must(review('continue'));
    expect(sim.due.reviewDue).toBe(nine('2027-07-12'));
    expect(notifications(sim).filter((n) => n.includes('reviewDue'))).toEqual([
      `${nine('2026-02-23')} nudgeCoordinator reviewDue due ${nine('2026-02-23')}`,
      `${nine('2026-07-12')} nudgeCoordinator reviewDue due ${nine('2026-07-12')}`,
      `${nine('2026-07-19')} escalateToLead reviewDue due ${nine('2026-07-12')}`,
    ]);
  });

  it('a review may end the match or ask for a rematch', () => {
    const ended = activeMatch().advanceTo(nine('2026-02-23')).must(review('end'));
    expect(ended.stage).toBe('endingDecided');
    expect(ended.context.ending).toEqual({ decidedAt: nine('2026-02-23'), decidedThrough: 'review', planned: true, rematch: false });
    const rematch = activeMatch().advanceTo(nine('2026-02-23')).must(review('rematch'));
    expect(rematch.context.ending).toMatchObject({ decidedThrough: 'review', rematch: true });
    expect(rematch.timers.map((t) => t.delayName)).toEqual(['formalEndingNudgeAfter']);
  });

  it('a complaint or concern from the young person reaches the co-ordinator at once, never the mentor', () => {
    const sim = activeMatch().advance('10 days').must(concern('complaint'));
    expect(sim.effects.slice(-1)).toEqual([
      {
        at: nine('2026-01-22'),
        effect: {
          type: 'nudgeCoordinator',
          params: {
            about: 'complaintRaised',
            dueAt: nine('2026-01-22'),
            facts: { matchId: 'm-1', volunteerId: 'vol-9', peer: false, category: 'complaint', raisedBy: 'youngPerson', holdsTheMatch: false },
          },
        },
      },
    ]);
    sim.must(concern('concern', coordinator));
    expect(sim.effectsOf('nudgeCoordinator').at(-2)?.params).toMatchObject({
      summary: 'A complaint was raised by the young person on a match',
      whatToDo: "Contact the young person directly (not through the mentor) and follow the scheme's complaints and concerns procedure",
    });
    expect(sim.notified).toEqual(['complaintRaised', 'concernRaised']);
    expect(sim.stage).toBe('active');
    expect(sim.effectsOf('remindVolunteer')).toEqual([]);
    expect(told(sim).filter((t) => t.includes('volunteer:'))).toEqual([
      `${nine('2026-01-12')} volunteer:vol-9 {"type":"match.started","matchId":"m-1"}`,
    ]);
    expect(sim.context.concerns).toEqual({ raised: 2, complaints: 1, safeguarding: 0 });
  });

  it('the mentor’s expired safeguarding check: an open nudge until it is renewed', () => {
    const sim = activeMatch().advance('20 days').tell(checkExpired);
    expect(sim.openNudges).toContain('volunteerCheckExpired');
    expect(notifications(sim).filter((n) => n.includes('volunteerCheck'))).toEqual([
      `${nine('2026-02-01')} nudgeCoordinator volunteerCheckExpired due ${nine('2026-02-01')}`,
    ]);
    sim.advance('2 days').tell(checkExpired); // told twice: still one open matter
    sim.advance('3 days').tell(checkRenewed);
    expect(sim.openNudges).not.toContain('volunteerCheckExpired');
    sim.advance('2 months');
    expect(notifications(sim).filter((n) => n.includes('volunteerCheck'))).toHaveLength(1);
  });

  it('the mentor’s expired check is escalated when nobody acts on the nudge', () => {
    const sim = activeMatch().advance('20 days').tell(checkExpired).advance('10 days');
    expect(notifications(sim).filter((n) => n.includes('volunteerCheck'))).toEqual([
      `${nine('2026-02-01')} nudgeCoordinator volunteerCheckExpired due ${nine('2026-02-01')}`,
      `${nine('2026-02-08')} escalateToLead volunteerCheckExpired due ${nine('2026-02-01')}`,
    ]);
  });

  it('the mentor stepping down ends the match, unplanned, and needs a formal ending record', () => {
    const sim = activeMatch().advance('2 months').tell(volunteerExited);
    expect(sim.stage).toBe('endingDecided');
    expect(sim.context.ending).toMatchObject({ reason: 'mentorWithdrew', planned: false, decidedThrough: 'volunteerExited' });
    expect(timerNames(sim)).toEqual(['formalEndingNudgeAfter']);
  });

  it('cannot close without a decided ending', () => {
    const sim = activeMatch().advance('1 month');
    expect(refusal(sim, endingRecorded())).toBe("STAGE.NOT_NOW: cannot record the formal ending: not possible at stage 'active'");
  });
});

describe('a safeguarding concern pauses the match at once', () => {
  function pausedMatch() {
    const sim = activeMatch().advanceTo(nine('2026-01-15')).must(meeting('2026-01-15')).must(checkIn('mentor', 'mentee'));
    return sim.advanceTo(nine('2026-01-22')).must(concern('safeguarding'));
  }

  it('tells the co-ordinator and the lead at once, and stops the meeting and check-in clocks', () => {
    const sim = pausedMatch();
    expect(sim.stage).toBe('paused');
    expect(sim.openNudges).toEqual(['safeguardingConcern']);
    expect(sim.effects.slice(-2).map((e) => [e.effect.type, e.at, (e.effect.params as { about: string }).about])).toEqual([
      ['nudgeCoordinator', nine('2026-01-22'), 'safeguardingConcern'],
      ['escalateToLead', nine('2026-01-22'), 'safeguardingConcern'],
    ]);
    const [nudge] = sim.effectsOf('nudgeCoordinator').slice(-1);
    expect(nudge?.params.whatToDo).toBe(
      "Follow the scheme's safeguarding procedure now; the match is on hold until you record the outcome: npx mentorflow match resolve-concern m-1 --outcome <resume|end>",
    );
    expect(timerNames(sim)).toEqual(['initialGoalsWithin', 'reviewDue']);
    expect(sim.context.concerns.safeguardingOpenSince).toBe(nine('2026-01-22'));
    // Two months pass: no meeting-gap or check-in nudge while paused.
    sim.advance('2 months');
    expect(sim.notified.filter((a) => a === 'meetingGap' || a === 'checkInOverdue' || a === 'meetingGapEscalated')).toEqual([]);
    expect(sim.effectsOf('remindVolunteer')).toEqual([]);
  });

  it('a second concern while paused is told at once too and keeps the first pause date', () => {
    const sim = pausedMatch().advance('2 days').must(concern('safeguarding', coordinator));
    expect(sim.notified.slice(-2)).toEqual(['safeguardingConcern', 'safeguardingConcern']);
    expect(sim.context.concerns).toMatchObject({ safeguarding: 2, safeguardingOpenSince: nine('2026-01-22') });
    expect(sim.context.pauses).toBe(1);
  });

  it('check-ins can still be recorded while paused', () => {
    const sim = pausedMatch().advance('1 day').must(checkIn('mentor', 'mentee'));
    expect(sim.context.checkIns.completed).toBe(2);
    expect(timerNames(sim)).toEqual(['initialGoalsWithin', 'reviewDue']);
  });

  it('resumed: the clocks start again from the resume, as at a new start', () => {
    const sim = pausedMatch().advanceTo(nine('2026-02-02')).must(resolved('resume'));
    expect(sim.stage).toBe('active');
    expect(sim.openNudges).toEqual([]);
    expect(sim.due.checkInDue).toBe(nine('2026-02-16')); // first check-in within 2 weeks of the resume
    expect(sim.due.meetingGapNudgeAfter).toBe(nine('2026-02-23')); // 21 days from the resume
    expect(sim.context.contactClockFrom).toBe(nine('2026-02-02'));
  });

  it('ended: ending decided for safeguarding, unplanned, with or without a rematch', () => {
    const sim = pausedMatch().advance('5 days').must(resolved('end', true));
    expect(sim.stage).toBe('endingDecided');
    expect(sim.context.ending).toEqual({
      decidedAt: nine('2026-01-27'),
      decidedThrough: 'safeguarding',
      reason: 'safeguarding',
      planned: false,
      rematch: true,
    });
    expect(sim.openNudges).toEqual([]);
    sim.must(endingRecorded({ method: 'letter', reason: 'safeguarding', planned: false, outcomes: ['none-known'] }));
    expect(told(sim).slice(-2)).toEqual([
      `${nine('2026-01-27')} youngPerson:yp-42 {"type":"match.ended","matchId":"m-1","outcome":"rematch"}`,
      `${nine('2026-01-27')} volunteer:vol-9 {"type":"match.ended","matchId":"m-1"}`,
    ]);
  });

  it('the mentor’s renewed check coming back not clear pauses the match the same way', () => {
    const sim = activeMatch().advance('1 month').tell(checkNotClear);
    expect(sim.stage).toBe('paused');
    expect(sim.notified).toContain('volunteerCheckNotClear');
    expect(sim.effectsOf('escalateToLead').map((e) => e.params.about)).toContain('volunteerCheckNotClear');
  });

  it('an ending may be decided while paused, and the concern closed off before the formal record', () => {
    const sim = pausedMatch().must(endingDecided('safeguarding', false, false));
    expect(sim.stage).toBe('endingDecided');
    expect(sim.context.concerns.safeguardingOpenSince).toBe(nine('2026-01-22'));
    sim.must(resolved('end'));
    expect(sim.context.concerns.safeguardingOpenSince).toBeUndefined();
    expect(refusal(sim, resolved('end'))).toMatch(/^STAGE.NOT_NOW/);
  });
});

describe('ending', () => {
  it('nudges when a decided ending has no formal record after 14 days, escalates a week later, closes on the record', () => {
    const sim = activeMatch().advanceTo(nine('2026-05-01')).must(endingDecided('movedAway', false, false));
    expect(sim.due).toEqual({ formalEndingNudgeAfter: nine('2026-05-15') });
    sim.advanceTo(nine('2026-05-25'));
    expect(notifications(sim).filter((n) => n.includes('formalEnding'))).toEqual([
      `${nine('2026-05-15')} nudgeCoordinator formalEndingOverdue due ${nine('2026-05-15')}`,
      `${nine('2026-05-22')} escalateToLead formalEndingOverdue due ${nine('2026-05-15')}`,
    ]);
    expect(sim.openNudges).toEqual(['formalEndingOverdue']);
    expect(matchJourney.summary(sim.snapshot)).toMatchObject({ formalEndingDueAt: nine('2026-05-15') });
    sim.must(endingRecorded({ method: 'letter', reason: 'movedAway', planned: false, outcomes: ['none-known'] }));
    expect(sim.stage).toBe('closed');
    expect(sim.snapshot.status).toBe('done');
    expect(sim.openNudges).toEqual([]);
    expect(sim.timers).toEqual([]);
    expect(told(sim).slice(-2)).toEqual([
      `${nine('2026-05-25')} youngPerson:yp-42 {"type":"match.ended","matchId":"m-1","outcome":"ended"}`,
      `${nine('2026-05-25')} volunteer:vol-9 {"type":"match.ended","matchId":"m-1"}`,
    ]);
  });

  it('a final meeting may be logged between the decision and the closing meeting', () => {
    const sim = activeMatch().advanceTo(nine('2026-05-01')).must(endingDecided()).advance('3 days').must(meeting('2026-05-04'));
    expect(sim.context.meetings).toEqual({ count: 1, lastOn: '2026-05-04' });
    expect(sim.timers.map((t) => t.delayName)).toEqual(['formalEndingNudgeAfter']);
  });

  it('a concern raised while the ending is under way still reaches the co-ordinator (and the lead if safeguarding)', () => {
    const sim = activeMatch().must(endingDecided()).must(concern('safeguarding'));
    expect(sim.notified.slice(-2)).toEqual(['safeguardingConcern', 'safeguardingConcern']);
    expect(sim.stage).toBe('endingDecided');
    const [nudge] = sim.effectsOf('nudgeCoordinator').slice(-1);
    expect(nudge?.params.whatToDo).toBe("Follow the scheme's safeguarding procedure now");
  });

  it('the formal record may confirm a rematch the decision did not foresee', () => {
    const sim = activeMatch().tell(volunteerExited).must(endingRecorded({ reason: 'mentorWithdrew', planned: false, rematch: true }));
    expect(told(sim).slice(-2)[0]).toContain('"outcome":"rematch"');
    expect(matchJourney.summary(sim.snapshot)).toMatchObject({ endingReason: 'mentorWithdrew', endingPlanned: false, rematch: true });
  });
});

describe('a seven-month relationship', () => {
  it('every check-in, meeting-gap, goals, review, volunteer-check and ending nudge fires at its time, and none after its cause was resolved', () => {
    const sim = activeMatch(); // started Monday 12 January 2026, 09:00
    const on = (day: string) => sim.advanceTo(nine(day));

    on('2026-01-15').must(meeting('2026-01-15'));
    on('2026-01-20').must(checkIn('mentor')); // the mentee is still owed when the first check-in falls due
    on('2026-01-27').must(checkIn('mentee'));
    on('2026-02-06').must(meeting('2026-02-06'));
    on('2026-02-10').must(goals(true));
    on('2026-02-11').must(checkIn('mentor', 'mentee')); // the second within the first month
    on('2026-02-20').must(meeting('2026-02-20'));
    on('2026-02-25').must(review('continue')); // the 6-week review, two days late
    on('2026-03-10').must(checkIn('mentor', 'mentee'));
    on('2026-03-12').must(meeting('2026-03-12'));
    // A quiet spell: no meeting, and the check-in and the 3-month review slip.
    on('2026-04-14').must(review('continue'));
    on('2026-04-16').must(checkIn('mentor', 'mentee'));
    on('2026-04-24').must(meeting('2026-04-24'));
    on('2026-05-01').must(review('continue')); // early: counts for the 6-month review
    on('2026-05-08').must(meeting('2026-05-08'));
    on('2026-05-14').must(checkIn('mentor', 'mentee'));
    on('2026-05-22').must(meeting('2026-05-22'));
    on('2026-06-01').tell(checkExpired);
    on('2026-06-03').tell(checkRenewed);
    on('2026-06-05').must(meeting('2026-06-05'));
    on('2026-06-12').must(checkIn('mentor', 'mentee'));
    on('2026-06-15').must(concern('complaint'));
    on('2026-06-19').must(meeting('2026-06-19'));
    on('2026-07-03').must(meeting('2026-07-03'));
    on('2026-07-10').must(checkIn('mentor', 'mentee'));
    on('2026-07-17').must(meeting('2026-07-17'));
    on('2026-07-31').must(meeting('2026-07-31'));
    on('2026-08-05');
    expect(matchJourney.summary(sim.snapshot)).toMatchObject({
      matchStartedAt: nine('2026-01-12'),
      goalsAgreedAt: nine('2026-02-10'),
      meetingsLogged: 12,
      lastMeetingOn: '2026-07-31',
      checkInsCompleted: 7,
      lastCheckInAt: nine('2026-07-10'),
      nextCheckInDueAt: nine('2026-08-10'),
      reviewsHeld: 3,
      nextReviewDueAt: nine('2027-01-12'), // the 6-month review was held early
      concernsRaised: 1,
      endingReason: null,
    });
    sim.must(endingDecided('goalsMet', true, false));
    on('2026-08-20').must(endingRecorded());
    sim.advance('1 year');

    expect(notifications(sim)).toEqual([
      `${nine('2026-01-26')} nudgeCoordinator checkInOverdue due ${nine('2026-01-26')}`,
      `${midnight('2026-02-05')} nudgeCoordinator meetingGap due ${midnight('2026-02-05')}`,
      `${nine('2026-02-09')} nudgeCoordinator initialGoalsOverdue due ${nine('2026-02-09')}`,
      `${nine('2026-02-23')} nudgeCoordinator reviewDue due ${nine('2026-02-23')}`,
      `${midnight('2026-04-02')} nudgeCoordinator meetingGap due ${midnight('2026-04-02')}`,
      `${nine('2026-04-10')} nudgeCoordinator checkInOverdue due ${nine('2026-04-10')}`,
      `${nine('2026-04-12')} nudgeCoordinator reviewDue due ${nine('2026-04-12')}`,
      `${midnight('2026-04-23')} escalateToLead meetingGapEscalated due ${midnight('2026-04-23')}`,
      `${nine('2026-06-01')} nudgeCoordinator volunteerCheckExpired due ${nine('2026-06-01')}`,
      `${nine('2026-06-15')} nudgeCoordinator complaintRaised due ${nine('2026-06-15')}`,
      `${nine('2026-08-19')} nudgeCoordinator formalEndingOverdue due ${nine('2026-08-19')}`,
    ]);
    // Each nudge was resolved before a week passed, so none was escalated as unanswered, and no
    // timer outlived its cause: the only timers that fired are the ones above.
    expect(sim.firedTimers.map((t) => `${t.at} ${t.delayName}`)).toEqual([
      `${nine('2026-01-26')} checkInDue`,
      `${midnight('2026-02-05')} meetingGapNudgeAfter`,
      `${nine('2026-02-09')} initialGoalsWithin`,
      `${nine('2026-02-23')} reviewDue`,
      `${midnight('2026-04-02')} meetingGapNudgeAfter`,
      `${nine('2026-04-10')} checkInDue`,
      `${nine('2026-04-12')} reviewDue`,
      `${midnight('2026-04-23')} meetingGapEscalateAfter`,
      `${nine('2026-08-19')} formalEndingNudgeAfter`,
    ]);
    expect(told(sim)).toEqual([
      `${PROPOSED} youngPerson:yp-42 {"type":"match.proposed","matchId":"m-1","volunteerId":"vol-9"}`,
      `${nine('2026-01-12')} youngPerson:yp-42 {"type":"match.started","matchId":"m-1"}`,
      `${nine('2026-01-12')} volunteer:vol-9 {"type":"match.started","matchId":"m-1"}`,
      `${nine('2026-08-20')} youngPerson:yp-42 {"type":"match.ended","matchId":"m-1","outcome":"ended"}`,
      `${nine('2026-08-20')} volunteer:vol-9 {"type":"match.ended","matchId":"m-1"}`,
    ]);
    expect(sim.stage).toBe('closed');
    expect(sim.timers).toEqual([]);
    // The status: counts, dates, opaque ids and codes only.
    expect(matchJourney.summary(sim.snapshot)).toEqual({
      youngPersonId: 'yp-42',
      volunteerId: 'vol-9',
      peer: false,
      proposedAt: PROPOSED,
      introductions: 1,
      lastIntroductionFormat: 'personalMeeting',
      matchStartedAt: nine('2026-01-12'),
      notStarted: null,
      goalsAgreedAt: nine('2026-02-10'),
      initialGoalsDueAt: null,
      meetingsLogged: 12,
      lastMeetingOn: '2026-07-31',
      checkInsCompleted: 7,
      lastCheckInAt: nine('2026-07-10'),
      nextCheckInDueAt: null,
      reviewsHeld: 3,
      lastReviewOutcome: 'continue',
      nextReviewDueAt: null,
      concernsRaised: 1,
      safeguardingConcernOpenSince: null,
      volunteerCheckExpiredSince: null,
      endingDecidedAt: nine('2026-08-05'),
      endingReason: 'goalsMet',
      endingPlanned: true,
      rematch: false,
      formalEndingDueAt: null,
      endedAt: nine('2026-08-20'),
      endingMethod: 'closingMeeting',
      endingOutcomes: ['confidence-up', 'college-place'],
    });
  });
});

describe('policy overrides', () => {
  const scheme: SchemePolicyInput = {
    match: {
      initialGoalsWithin: '2 weeks',
      firstCheckInWithin: '1 week',
      checkInsInFirstMonth: 1,
      checkInEvery: '6 weeks',
      meetingGapNudgeAfter: '10 days',
      meetingGapEscalateAfter: '20 days',
      reviewsAfter: ['3 months', '1 month'],
      reviewEvery: '2 months',
      formalEndingNudgeAfter: '3 days',
    },
    notifications: { escalateUnactedNudgeAfter: '2 days' },
  };

  it('every deadline follows the scheme’s own policy', () => {
    const sim = activeMatch(scheme);
    expect(sim.due).toEqual({
      initialGoalsWithin: nine('2026-01-26'),
      checkInDue: nine('2026-01-19'),
      meetingGapNudgeAfter: nine('2026-01-22'),
      reviewDue: nine('2026-02-12'), // the policy's review times are taken in date order
    });
    sim.advanceTo(nine('2026-01-15')).must(checkIn('mentor', 'mentee'));
    expect(sim.due.checkInDue).toBe(nine('2026-02-26')); // one check-in in the first month is enough here
    sim.advanceTo(nine('2026-01-22'));
    expect(sim.due.meetingGapEscalateAfter).toBe(nine('2026-02-01'));
    sim.advanceTo(nine('2026-02-12')).must(review('continue'));
    expect(sim.due.reviewDue).toBe(nine('2026-04-12'));
    sim.advanceTo(nine('2026-04-12')).must(review('continue'));
    expect(sim.due.reviewDue).toBe(nine('2026-06-12'));
    sim.advanceTo(nine('2026-04-13')).must(endingDecided());
    expect(sim.due).toEqual({ formalEndingNudgeAfter: nine('2026-04-16') });
    sim.advanceTo(nine('2026-04-20'));
    expect(notifications(sim)).toEqual([
      `${nine('2026-01-22')} nudgeCoordinator meetingGap due ${nine('2026-01-22')}`,
      `${nine('2026-01-26')} nudgeCoordinator initialGoalsOverdue due ${nine('2026-01-26')}`,
      `${nine('2026-01-28')} escalateToLead initialGoalsOverdue due ${nine('2026-01-26')}`,
      `${nine('2026-02-01')} escalateToLead meetingGapEscalated due ${nine('2026-02-01')}`,
      `${nine('2026-02-12')} nudgeCoordinator reviewDue due ${nine('2026-02-12')}`,
      `${nine('2026-02-26')} nudgeCoordinator checkInOverdue due ${nine('2026-02-26')}`,
      `${nine('2026-02-28')} escalateToLead checkInOverdue due ${nine('2026-02-26')}`,
      `${nine('2026-04-12')} nudgeCoordinator reviewDue due ${nine('2026-04-12')}`,
      `${nine('2026-04-16')} nudgeCoordinator formalEndingOverdue due ${nine('2026-04-16')}`,
      `${nine('2026-04-18')} escalateToLead formalEndingOverdue due ${nine('2026-04-16')}`,
    ]);
    const [gap] = sim.effectsOf('nudgeCoordinator');
    expect(gap?.params.summary).toBe('No meeting logged on a match for 10 days');
  });

  it('a demo policy in minutes runs a whole relationship in under an hour of simulated time', () => {
    const demo: SchemePolicyInput = {
      match: {
        initialGoalsWithin: '4 minutes',
        firstCheckInWithin: '2 minutes',
        checkInsInFirstMonth: 2,
        checkInEvery: '4 minutes',
        meetingGapNudgeAfter: '3 minutes',
        meetingGapEscalateAfter: '6 minutes',
        reviewsAfter: ['6 minutes', '12 minutes'],
        reviewEvery: '24 minutes',
        formalEndingNudgeAfter: '2 minutes',
      },
      notifications: { escalateUnactedNudgeAfter: '1 minute' },
    };
    const sim = start(demo).must(introduction()).must(accepted());
    const t0 = Date.parse(PROPOSED);
    const minutes = (iso: string) => (Date.parse(iso) - t0) / 60_000;
    sim.advance('7 minutes').must(review('continue')).advance('10 minutes').must(endingDecided()).advance('5 minutes');
    sim.must(endingRecorded());
    expect(sim.stage).toBe('closed');
    expect(sim.notified).toContain('formalEndingOverdue');
    expect(sim.effectsOf('nudgeCoordinator').map((n) => [n.params.about, minutes(n.at)])).toEqual([
      ['checkInOverdue', 2],
      ['meetingGap', 3],
      ['initialGoalsOverdue', 4],
      ['reviewDue', 6],
      ['reviewDue', 12],
      ['formalEndingOverdue', 19],
    ]);
  });
});

/** Records the atomic states a journey has rested in after every step. */
class TouringSimulator extends JourneySimulator {
  readonly seen = new Set<string>();
  constructor(...args: ConstructorParameters<typeof JourneySimulator>) {
    super(...args);
    this.look();
  }
  override record(event: { type: string } & Record<string, unknown>) {
    const verdict = super.record(event);
    this.look();
    return verdict;
  }
  override tell(event: { type: string } & Record<string, unknown>) {
    super.tell(event);
    this.look();
    return this;
  }
  /** One timer at a time, so that a state passed through on the way is seen too. */
  override advanceTo(iso: string) {
    for (;;) {
      const next = this.timers.map((t) => t.dueAt).sort()[0];
      if (!next || next > iso) break;
      super.advanceTo(next);
      this.look();
    }
    super.advanceTo(iso);
    this.look();
    return this;
  }
  private look() {
    for (const id of leafIds(this.snapshot.value, 'match')) this.seen.add(id);
  }
}

function leafIds(value: unknown, prefix: string): string[] {
  if (typeof value === 'string') return [`${prefix}.${value}`];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => leafIds(child, `${prefix}.${key}`));
}

function atomicStateIds(node: AnyStateNode): string[] {
  const children = Object.values(node.states);
  if (children.length === 0) return [node.id];
  return children.flatMap(atomicStateIds);
}

describe('every state is reached', () => {
  it('tours the journey through every state it can rest in', () => {
    const seen = new Set<string>();
    const tour = (policy?: SchemePolicyInput) => {
      const sim = new TouringSimulator(
        matchJourney,
        { ...input, startedAt: PROPOSED, policy: policy ? parsePolicy(policy) : defaultPolicy },
        PROPOSED,
      );
      return sim;
    };
    const collect = (sim: TouringSimulator) => sim.seen.forEach((id) => seen.add(id));

    const declined = tour();
    declined.must(concern('safeguarding')).must(resolved('resume')).must(declinedByYoungPerson);
    collect(declined);

    const full = tour();
    full.must(introduction()).must(accepted()).advance('3 months').tell(checkExpired);
    full.must(goals()).must(concern('safeguarding', coordinator)).must(resolved('resume'));
    full.must(review('end')).advance('1 month').must(endingRecorded());
    collect(full);

    // "resuming" and "reassessed" are only passed through, never rested in.
    const transient = ['match.proposal.resuming', 'match.active.contact.running.meetings.reassessed'];
    const expected = atomicStateIds(matchMachine.root).filter((id) => !transient.includes(id));
    expect([...seen].sort()).toEqual(expected.sort());
  });
});

describe('the journey definition', () => {
  it('labels every event and every named delay', () => {
    const eventTypes = [...matchRecordedEvents.options, ...matchLinkedEvents.options].map((o) => o.shape.type.value);
    expect(Object.keys(matchJourney.eventLabels).sort()).toEqual([...eventTypes].sort());
    const delays = Object.keys(matchMachine.implementations.delays);
    expect(Object.keys(matchJourney.dueLabels).sort()).toEqual(delays.sort());
    for (const type of matchJourney.decisionEvents) expect(eventTypes).toContain(type);
  });

  it('every named delay is used by the machine', () => {
    const used = new Set<string>();
    const walk = (node: AnyStateNode) => {
      for (const key of Object.keys(node.config.after ?? {})) used.add(key);
      for (const child of Object.values(node.states)) walk(child);
    };
    walk(matchMachine.root);
    expect([...used].sort()).toEqual(Object.keys(matchMachine.implementations.delays).sort());
  });

  it('stages are the short stable names', () => {
    expect(matchStages).toEqual(['proposed', 'introduced', 'active', 'paused', 'endingDecided', 'closed', 'declined']);
  });

  it('a persisted snapshot restores to the same journey (continue-as-new)', () => {
    const sim = activeMatch().advance('1 month').must(concern('safeguarding'));
    const persisted = JSON.parse(JSON.stringify(persist(matchJourney, sim.snapshot)));
    const restored = restoreSnapshot(matchJourney, persisted);
    expect(restored.value).toEqual(sim.snapshot.value);
    expect(restored.context).toEqual(JSON.parse(JSON.stringify(sim.snapshot.context)));
    expect(matchJourney.stage(restored)).toBe('paused');
    expect([...restored.tags]).toEqual([...sim.snapshot.tags]);
  });
});
