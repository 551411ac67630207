/**
 * The three journeys together on Temporal's time-skipping server: a volunteer taken through to
 * ready, a young person referred, a match proposed (refused until every gate is met), then seven
 * simulated months of a relationship ending with a recorded formal ending.
 */
import { describe, expect, it } from 'vitest';
import { JourneyRefusedError } from '../../client/journeys';
import { addDuration, parseDuration } from '../../machines/duration';
import { simulatedClock, useTimeSkippingEnvironment } from '../helpers/temporal-env';
import { withJourneyWorker } from '../helpers/journey-worker';
import {
  coordinator,
  dateOf,
  eventually,
  notificationsSent,
  recordAll,
  referralStart,
  volunteerContact,
  volunteerPathway,
  volunteerStart,
  youngPersonToWaiting,
} from '../helpers/scenario';

const env = useTimeSkippingEnvironment();

const { nowIso, advance } = simulatedClock(env);

/**
 * History events are stamped when the workflow task that scheduled them completed: within moments
 * of the timer's due time (which `openNudges[].since` gives to the millisecond).
 */
function expectAtAbout(actual: string, expected: string): void {
  expect(Math.abs(Date.parse(actual) - Date.parse(expected))).toBeLessThan(1_000);
}

describe('a match proposal at the door', () => {
  it('is refused before vetting, training and suitability, naming each missing gate, and leaves no trace', async () => {
    await withJourneyWorker(env(), {}, async ({ journeys, client }) => {
      const today = await nowIso();
      await journeys.start('volunteer', volunteerStart('vol-1', today), { contact: volunteerContact });
      await journeys.start('youngPerson', referralStart('yp-1', today));
      await recordAll(journeys, 'youngPerson', 'yp-1', youngPersonToWaiting);
      const path = volunteerPathway(dateOf(today));
      await recordAll(journeys, 'volunteer', 'vol-1', path.toVetting);
      // Training may start while vetting is under way: 12 hours, four topics so far.
      await journeys.record('volunteer', 'vol-1', path.training[0] as never);

      const historyBefore = (await client.workflow.getHandle('volunteer-vol-1').fetchHistory()).events!.length;
      const refusal = await journeys
        .proposeMatch({ youngPersonId: 'yp-1', volunteerId: 'vol-1', by: coordinator, matchId: 'm-early' })
        .catch((e: unknown) => e);

      expect(refusal).toBeInstanceOf(JourneyRefusedError);
      const { message, reasons, code } = refusal as JourneyRefusedError;
      expect(code).toBe('GATE.UNMET');
      expect(message).toMatch(/^cannot propose a match: /);
      expect(reasons.join('\n')).toMatch(/vetting|check/i);
      expect(reasons.join('\n')).toMatch(/reference/i);
      expect(reasons).toContain('training 12 of 20 hours');
      expect(reasons).toContain("topic 'endings' not covered");
      expect(reasons).not.toContain("topic 'safeguarding' not covered");
      expect(reasons.join('\n')).toMatch(/suitability/i);

      const history = (await client.workflow.getHandle('volunteer-vol-1').fetchHistory()).events!;
      expect(history.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toHaveLength(path.toVetting.length + 1);
      expect(history.some((e) => e.startChildWorkflowExecutionInitiatedEventAttributes)).toBe(false);
      expect(history.length).toBeLessThanOrEqual(historyBefore + 3);
      await expect(client.workflow.getHandle('match-m-early').describe()).rejects.toThrow();
      expect((await journeys.status('youngPerson', 'yp-1')).stage).toBe('waitingForMatch');
    });
  });
});

describe('a scheme over seven months', () => {
  it('takes a volunteer and a young person from the start to a recorded formal ending, every nudge on time', async () => {
    // This scheme records supervision attendance in its fortnightly admin session.
    const policy = { volunteer: { supervisionAttendanceGrace: '15 days' } };
    await withJourneyWorker(env(), { policy }, async ({ journeys, client }) => {
      const t0 = await nowIso();
      // The volunteer: enquiry, vetting, training, suitability: available.
      await journeys.start('volunteer', volunteerStart('vol-1', t0), { contact: volunteerContact });
      const path = volunteerPathway(dateOf(t0));
      await recordAll(journeys, 'volunteer', 'vol-1', [...path.toVetting, ...path.vetting, ...path.training]);
      const available = await recordAll(journeys, 'volunteer', 'vol-1', path.suitability);
      expect(available.stage).toBe('available');

      // The young person: referral, first contact, consent and goals, ready, preferences.
      await journeys.start('youngPerson', referralStart('yp-1', t0));
      const waiting = await recordAll(journeys, 'youngPerson', 'yp-1', youngPersonToWaiting);
      expect(waiting.stage).toBe('waitingForMatch');

      // The match: proposed through the volunteer's gates; the young person hears of it.
      const { matchId } = await journeys.proposeMatch({ youngPersonId: 'yp-1', volunteerId: 'vol-1', by: coordinator, matchId: 'm-1' });
      await eventually(journeys, 'youngPerson', 'yp-1', (s) => s.stage === 'matchProposed', 'hears of the proposal');
      await journeys.record('match', matchId, { type: 'introduction.held', by: coordinator, format: 'personalMeeting' });
      const active = await journeys.record('match', matchId, { type: 'youngPerson.accepted', by: { role: 'youngPerson', id: 'yp-1' } });
      expect(active.stage).toBe('active');
      const matchStart = active.facts.matchStartedAt as string;
      await eventually(journeys, 'youngPerson', 'yp-1', (s) => s.stage === 'inMatch', 'in the match');
      await eventually(journeys, 'volunteer', 'vol-1', (s) => s.stage === 'matched', 'matched');

      // Supervision: attendance recorded once each session has begun (this scheme's grace is 15 days).
      const attendSupervisionIfHeld = async () => {
        const next = (await journeys.status('volunteer', 'vol-1')).facts.nextSupervision as { sessionId: string; startsAt: string } | null;
        if (next && next.startsAt <= (await nowIso())) {
          await journeys.record('volunteer', 'vol-1', { type: 'supervision.attended', by: coordinator, sessionId: next.sessionId });
        }
      };

      // Month one: goals, check-ins and meetings, all on time: no nudge at all.
      await advance('1 week');
      await journeys.record('match', matchId, { type: 'goals.agreed', by: coordinator });
      await journeys.record('match', matchId, { type: 'checkIn.recorded', by: coordinator, with: ['mentor', 'mentee'] });
      await journeys.record('match', matchId, { type: 'meeting.logged', by: coordinator, on: dateOf(await nowIso()) });
      await advance('2 weeks');
      await journeys.record('match', matchId, { type: 'checkIn.recorded', by: coordinator, with: ['mentor', 'mentee'] });
      await journeys.record('match', matchId, { type: 'meeting.logged', by: coordinator, on: dateOf(await nowIso()) });
      expect((await journeys.status('match', matchId)).openNudges).toEqual([]);

      // The mentor and mentee then go quiet: the meeting-gap nudge fires when it falls due.
      const beforeGap = await journeys.status('match', matchId);
      const meetingDue = beforeGap.due.find((d) => d.what.includes('meeting'))!;
      await advance('22 days');
      await attendSupervisionIfHeld();
      const gap = await journeys.status('match', matchId);
      const gapNudge = gap.openNudges.find((n) => n.about === 'meetingGap')!;
      expect(gapNudge.since).toBe(meetingDue.dueAt);
      // A meeting closes it before the escalation at 42 days.
      await journeys.record('match', matchId, { type: 'meeting.logged', by: coordinator, on: dateOf(await nowIso()) });
      await journeys.record('match', matchId, { type: 'checkIn.recorded', by: coordinator, with: ['mentor', 'mentee'] });
      expect((await journeys.status('match', matchId)).openNudges.map((n) => n.about)).not.toContain('meetingGap');

      // Months two to seven: meet fortnightly, check in monthly, hold each review when nudged.
      const reviewsHeld: string[] = [];
      for (let fortnight = 0; fortnight < 12; fortnight++) {
        await advance('2 weeks');
        await journeys.record('match', matchId, { type: 'meeting.logged', by: coordinator, on: dateOf(await nowIso()) });
        if (fortnight % 2 === 1) {
          await journeys.record('match', matchId, { type: 'checkIn.recorded', by: coordinator, with: ['mentor', 'mentee'] });
        }
        const status = await journeys.status('match', matchId);
        if (status.openNudges.some((n) => n.about === 'reviewDue')) {
          const since = status.openNudges.find((n) => n.about === 'reviewDue')!.since;
          const held = await journeys.record('match', matchId, { type: 'review.held', by: coordinator, outcome: 'continue' });
          expect(held.openNudges.map((n) => n.about)).not.toContain('reviewDue');
          reviewsHeld.push(since);
        }
        expect((await journeys.status('volunteer', 'vol-1')).openNudges).toEqual([]);
        await attendSupervisionIfHeld();
      }
      // Reviews fell due at 6 weeks, 3 months and 6 months after the match started.
      expect(reviewsHeld).toHaveLength(3);
      expect(reviewsHeld).toEqual(['6 weeks', '3 months', '6 months'].map((d) => addDuration(matchStart, parseDuration(d)!)));

      // The ending: decided, and recorded formally after a nudge 14 days on.
      await journeys.record('match', matchId, { type: 'ending.decided', by: coordinator, reason: 'goalsMet', planned: true, rematch: false });
      const decided = await journeys.status('match', matchId);
      const formalDue = decided.due.find((d) => d.what.includes('formal ending'))!;
      await advance('15 days');
      const overdue = await journeys.status('match', matchId);
      expect(overdue.openNudges.find((n) => n.about === 'formalEndingOverdue')?.since).toBe(formalDue.dueAt);
      const closed = await journeys.record('match', matchId, {
        type: 'ending.recorded',
        by: coordinator,
        method: 'closingMeeting',
        reason: 'goalsMet',
        planned: true,
        outcomes: ['goals-met', 'college-place'],
      });
      expect(closed.ended).toBe(true);
      expect(closed.stage).toBe('closed');
      const mentored = await eventually(journeys, 'youngPerson', 'yp-1', (s) => s.ended, 'the journey ends');
      expect(mentored.stage).toBe('mentored');
      await eventually(journeys, 'volunteer', 'vol-1', (s) => s.stage === 'available', 'available again');

      // The audit trail: every notification the match asked for, when, and nothing after its cause.
      const sent = await notificationsSent(client, 'match-m-1');
      const abouts = sent.map((s) => s.about);
      expect(abouts.filter((a) => a === 'meetingGap')).toHaveLength(1);
      expect(abouts).not.toContain('meetingGapEscalated');
      const reviewNudges = sent.filter((s) => s.about === 'reviewDue' && s.kind === 'nudge');
      expect(reviewNudges).toHaveLength(3);
      reviewNudges.forEach((n, i) => expectAtAbout(n.at, reviewsHeld[i]!));
      // A review held more than a week after its nudge was escalated to the lead, a week on.
      for (const escalation of sent.filter((s) => s.about === 'reviewDue' && s.kind === 'escalation')) {
        const nudge = reviewNudges.filter((n) => n.at < escalation.at).at(-1)!;
        expectAtAbout(escalation.at, addDuration(nudge.at, parseDuration('7 days')!));
      }
      expect(abouts.filter((a) => a === 'formalEndingOverdue')).toHaveLength(1);
      expectAtAbout(sent.find((s) => s.about === 'meetingGap')!.at, meetingDue.dueAt);
      expectAtAbout(sent.find((s) => s.about === 'formalEndingOverdue')!.at, formalDue.dueAt);
      const ym = await notificationsSent(client, 'young-person-yp-1');
      expect(ym).toEqual([]); // contact, consent and preferences were all on time
      const vol = await notificationsSent(client, 'volunteer-vol-1');
      expect(vol.filter((s) => s.activity === 'sendSupervisionInvitation').length).toBeGreaterThanOrEqual(6);
    });
  });
});
