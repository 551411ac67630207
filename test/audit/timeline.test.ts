/**
 * The timeline of a golden history is what the journey did, event by event: checked against the
 * scenario that produced it (test/golden/scenarios.ts) and against what the history itself says
 * (the stage each Update answered), with nothing personal in any output.
 */
import { describe, expect, it } from 'vitest';
import { addDuration, parseDuration } from '../../machines/duration';
import { journeyTimeline } from '../../audit/timeline';
import { timelineCsv, timelineMarkdown } from '../../audit/format';
import { goldenJourney, goldenJourneys, updateAnswers } from './golden';

describe('the timeline of a golden history', () => {
  it('yp-late: the referral, the overdue first contact and its nudge, the late contact and the way to a match, in order', () => {
    const journey = goldenJourney('young-person-yp-late');
    const timeline = journeyTimeline(journey);
    const referredAt = journey.runs[0]!.input.start.startedAt;
    expect(timeline.issues).toEqual([]);
    expect(timeline.entries.map((e) => [e.kind, e.event ?? '', e.by ? `${e.by.role}:${e.by.id}` : '', `${e.stageBefore ?? '-'} > ${e.stageAfter}`])).toEqual([
      ['journeyStarted', '', 'referrer:sw-1', '- > referral'],
      ['timerSet', 'first contact due', 'system:mentorflow', 'referral > referral'],
      ['timerFired', 'first contact due', 'system:mentorflow', 'referral > referral'],
      ['timerSet', 'escalation of an unanswered nudge due', 'system:mentorflow', 'referral > referral'],
      ['notificationRequested', 'firstContactOverdue', 'system:mentorflow', 'referral > referral'],
      ['notificationDelivered', 'firstContactOverdue', 'system:mentorflow', 'referral > referral'],
      ['recorded', 'contact.recorded', 'coordinator:co-1', 'referral > referral'],
      ['timerCancelled', 'escalation of an unanswered nudge due', 'system:mentorflow', 'referral > referral'],
      ['recorded', 'consent.recorded', 'coordinator:co-1', 'referral > readiness'],
      ['recorded', 'readiness.assessed', 'coordinator:co-1', 'readiness > preferences'],
      ['recorded', 'preferences.recorded', 'coordinator:co-1', 'preferences > waitingForMatch'],
      ['timerSet', 'match proposal (waiting too long) due', 'system:mentorflow', 'waitingForMatch > waitingForMatch'],
      ['linked', 'match.proposed', 'system:match-m-lapse', 'waitingForMatch > matchProposed'],
      ['timerCancelled', 'match proposal (waiting too long) due', 'system:mentorflow', 'matchProposed > matchProposed'],
      ['linked', 'match.started', 'system:match-m-lapse', 'matchProposed > inMatch'],
    ]);
    const [, set, fired, , nudge, delivered, contact] = timeline.entries;
    // The first contact fell due five working days after the referral (the timer counts from the
    // moment the journey began, a moment after the referral's time).
    const due = addDuration(referredAt, parseDuration('5 working days')!);
    expect(Math.abs(Date.parse(set!.details.dueAt as string) - Date.parse(due))).toBeLessThan(5_000);
    expect(fired!.state).toBe('referral.firstContactOverdue');
    expect(fired!.details.nudgesOpened).toEqual(['firstContactOverdue']);
    expect(fired!.ref).toBe(set!.n);
    expect(nudge!.what).toBe('Nudge to co-ordinator co-1: First contact with a referred young person is overdue');
    expect(delivered!.ref).toBe(nudge!.n);
    expect(contact!.details).toEqual({ method: 'phone', nudgesClosed: ['firstContactOverdue'] });
    // Eight days after the referral, as the scenario recorded it.
    expect(contact!.at.slice(0, 10)).toBe(addDuration(referredAt, parseDuration('8 days')!).slice(0, 10));
    expect(timeline.ending).toBe('running');
    expect(timeline.stage).toBe('inMatch');
  });

  it('m-clean: proposed, introduced, active for 98 days of meetings, check-ins and reviews, an ending decided then recorded', () => {
    const timeline = journeyTimeline(goldenJourney('match-m-clean'));
    expect(timeline.issues).toEqual([]);
    const stages = timeline.entries.filter((e) => e.stageBefore !== e.stageAfter).map((e) => e.stageAfter);
    expect(stages).toEqual(['proposed', 'introduced', 'active', 'endingDecided', 'closed']);
    const recorded = timeline.entries.filter((e) => e.kind === 'recorded');
    const count = (type: string) => recorded.filter((e) => e.event === type).length;
    // The scenario: goals on day 3, meetings weekly from day 3 to 94, check-ins on days 7, 21, 48, 75,
    // reviews on days 41 and 88, the ending decided on day 95 and recorded on day 98.
    expect(count('introduction.held')).toBe(1);
    expect(count('youngPerson.accepted')).toBe(1);
    expect(count('goals.agreed')).toBe(1);
    expect(count('meeting.logged')).toBe(14);
    expect(count('checkIn.recorded')).toBe(4);
    expect(count('review.held')).toBe(2);
    expect(count('ending.decided')).toBe(1);
    expect(count('ending.recorded')).toBe(1);
    expect(recorded.find((e) => e.event === 'youngPerson.accepted')!.by).toEqual({ role: 'youngPerson', id: 'yp-clean' });
    // Everything on time: no nudge was ever sent on this match.
    expect(timeline.entries.filter((e) => e.kind === 'notificationRequested')).toEqual([]);
    // It told both journeys when it started and when it ended.
    expect(timeline.entries.filter((e) => e.kind === 'journeyTold').map((e) => `${e.details.to} ${e.event}`)).toEqual([
      'young-person-yp-clean match.proposed',
      'young-person-yp-clean match.started',
      'volunteer-vol-clean match.started',
      'young-person-yp-clean match.ended',
      'volunteer-vol-clean match.ended',
    ]);
    expect(timeline.entries.at(-1)!.kind).toBe('ended');
  });

  it('vol-clean: the match journey it started, and a supervision invitation for each session', () => {
    const timeline = journeyTimeline(goldenJourney('volunteer-vol-clean'));
    const child = timeline.entries.find((e) => e.kind === 'childStarted')!;
    expect(child.what).toBe('Started the match journey match-m-clean');
    expect(child.details).toEqual({ matchId: 'm-clean', youngPersonId: 'yp-clean', volunteerId: 'vol-clean' });
    const invitations = timeline.entries.filter((e) => e.kind === 'notificationRequested' && e.event === 'supervisionInvitation');
    const attended = timeline.entries.filter((e) => e.event === 'supervision.attended');
    expect(invitations.length).toBe(attended.length + 1); // the next session was invited, then called off
    expect(timeline.entries.some((e) => e.event === 'supervisionCancelled')).toBe(true);
  });

  it("every recorded event's stage is the stage the journey answered, in every golden history", () => {
    for (const journey of goldenJourneys()) {
      const answers = updateAnswers(journey);
      const timeline = journeyTimeline(journey);
      expect(timeline.issues, journey.workflowId).toEqual([]);
      const recorded = timeline.entries.filter((e) => e.kind === 'recorded');
      expect(recorded.length, journey.workflowId).toBe(answers.size);
      for (const entry of recorded) {
        const answer = answers.get(`${entry.run}/${entry.eventId}`)?.status;
        expect(entry.stageAfter, `${journey.workflowId} #${entry.n}`).toBe(answer?.stage);
        expect(entry.state, `${journey.workflowId} #${entry.n}`).toBe(answer?.state);
      }
    }
  });

  it('follows a journey across continue-as-new: runs numbered, the stage carried over', () => {
    const journey = goldenJourneys().find((j) => j.runs.length > 2)!;
    const timeline = journeyTimeline(journey);
    expect(timeline.runs).toBe(journey.runs.length);
    const continued = timeline.entries.filter((e) => e.kind === 'journeyContinued');
    expect(continued.map((e) => e.run)).toEqual(journey.runs.slice(1).map((_, i) => i + 2));
    for (const entry of continued) {
      const before = timeline.entries[entry.n - 2]!;
      expect(before.kind).toBe('continuedAsNew');
      expect(entry.stageBefore).toBe(before.stageAfter);
      expect(entry.stageAfter).toBe(before.stageAfter);
    }
  });

  it('shows nothing personal: no address, name, date of birth, goals or preferences in any format', () => {
    const timelines = goldenJourneys().map((j) => journeyTimeline(j));
    const outputs = [timelineCsv(timelines), ...timelines.map(timelineMarkdown), JSON.stringify(timelines)];
    for (const output of outputs) {
      for (const personal of ['volunteer@example.org', 'Robin', '2008-05-01', '2001-03-01', '1980-03-01', '1999-01-15', '2020-09-01', 'find a college course', 'PVG-0002']) {
        expect(output.includes(personal), personal).toBe(false);
      }
    }
  });
});
