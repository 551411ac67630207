/**
 * The match journey as the durable interpreter sees it: its events, labels, gates, stage and
 * status summary.
 */
import type { AnyMachineSnapshot } from 'xstate';
import type { JourneyDefinition } from '../journey';
import type { MatchContext } from './context';
import { matchInputSchema, matchLinkedEvents, matchRecordedEvents } from './events';
import { acceptanceUnmet, meetingDateUnmet } from './gates';
import { matchMachine, matchMachineV1 } from './machine';
import { checkInDueAt, formalEndingDueAt, initialGoalsDueAt, nextReviewDueAt } from './schedule';

export * from './events';
export { acceptanceUnmet, meetingDateUnmet } from './gates';
export { createMatchMachine, matchMachine, matchMachineV1, type MatchMachine } from './machine';
export type { MatchContext } from './context';

export const matchStages = ['proposed', 'introduced', 'active', 'paused', 'endingDecided', 'closed', 'declined'] as const;
export type MatchStage = (typeof matchStages)[number];

function stageOf(snapshot: AnyMachineSnapshot): MatchStage {
  const is = (value: unknown) => snapshot.matches(value as never);
  if (is('declined')) return 'declined';
  if (is('closed')) return 'closed';
  if (is('endingDecided')) return 'endingDecided';
  if (is({ active: { contact: 'paused' } }) || is({ proposal: 'onHold' })) return 'paused';
  if (is('active')) return 'active';
  if (is({ proposal: 'introduced' })) return 'introduced';
  return 'proposed';
}

export const matchJourney: JourneyDefinition = {
  kind: 'match',
  machine: matchMachine,
  recordedEvents: matchRecordedEvents,
  linkedEvents: matchLinkedEvents,
  input: matchInputSchema,
  eventLabels: {
    'introduction.held': 'record the introduction',
    'youngPerson.accepted': 'accept the match',
    'youngPerson.declined': 'decline the match',
    'proposal.withdrawn': 'withdraw the proposal',
    'goals.agreed': 'record the initial goals',
    'checkIn.recorded': 'record a check-in',
    'meeting.logged': 'log a meeting',
    'review.held': 'record a review',
    'concern.raised': 'raise a concern or complaint',
    'concern.resolved': 'record the outcome of a safeguarding concern',
    'ending.decided': 'decide to end the match',
    'ending.recorded': 'record the formal ending',
    'volunteer.checkExpired': "note that the mentor's safeguarding check expired",
    'volunteer.checkRenewed': "note that the mentor's safeguarding check was renewed",
    'volunteer.checkNotClear': "note that the mentor's renewed safeguarding check is not clear",
    'volunteer.exited': 'note that the mentor stepped down',
  },
  dueLabels: {
    initialGoalsWithin: 'initial goals',
    checkInDue: 'check-in',
    meetingGapNudgeAfter: 'meeting',
    meetingGapEscalateAfter: 'meeting (escalation to the lead co-ordinator)',
    reviewDue: 'review',
    formalEndingNudgeAfter: 'formal ending record',
    nudgeUnactedFor: 'escalation of an unanswered nudge',
  },
  // A match's events carry no personal data: dates, decisions and opaque ids only.
  personalFields: { input: [], events: {} },
  decisionEvents: ['youngPerson.accepted', 'youngPerson.declined', 'proposal.withdrawn', 'review.held', 'concern.resolved', 'ending.decided'],
  unmetGates(snapshot, event) {
    const context = snapshot.context as MatchContext;
    switch (event.type) {
      case 'youngPerson.accepted':
        return acceptanceUnmet(context);
      case 'meeting.logged':
        return meetingDateUnmet(context, event as { on?: unknown; at?: unknown });
      default:
        return [];
    }
  },
  stage: stageOf,
  summary(snapshot) {
    const c = snapshot.context as MatchContext;
    const stage = stageOf(snapshot);
    const running = stage === 'active';
    const active = running || (stage === 'paused' && c.acceptedAt !== undefined);
    const ending = c.formalEnding ?? c.ending;
    return {
      youngPersonId: c.youngPersonId,
      volunteerId: c.volunteerId,
      peer: c.peer,
      proposedAt: c.startedAt,
      introductions: c.introductions.count,
      lastIntroductionFormat: c.introductions.lastFormat ?? null,
      matchStartedAt: c.acceptedAt ?? null,
      notStarted: c.notStarted ?? null,
      goalsAgreedAt: c.goals.agreedAt ?? null,
      initialGoalsDueAt: active && !c.goals.agreedAt ? initialGoalsDueAt(c) : null,
      meetingsLogged: c.meetings.count,
      lastMeetingOn: c.meetings.lastOn ?? null,
      checkInsCompleted: c.checkIns.completed,
      lastCheckInAt: c.checkIns.lastCompletedAt ?? null,
      nextCheckInDueAt: running ? checkInDueAt(c) : null,
      reviewsHeld: c.reviews.held,
      lastReviewOutcome: c.reviews.lastOutcome ?? null,
      nextReviewDueAt: active ? nextReviewDueAt(c) : null,
      concernsRaised: c.concerns.raised,
      safeguardingConcernOpenSince: c.concerns.safeguardingOpenSince ?? null,
      volunteerCheckExpiredSince: c.volunteerCheckExpiredSince ?? null,
      endingDecidedAt: c.ending?.decidedAt ?? null,
      endingReason: ending?.reason ?? null,
      endingPlanned: ending?.planned ?? null,
      rematch: ending?.rematch ?? null,
      formalEndingDueAt: stage === 'endingDecided' ? formalEndingDueAt(c) : null,
      endedAt: c.formalEnding?.recordedAt ?? null,
      endingMethod: c.formalEnding?.method ?? null,
      endingOutcomes: c.formalEnding?.outcomes ?? [],
    };
  },
};

/**
 * Match version 1 (machines/registry.ts): the same journey, but meeting gaps count from the
 * meeting's day whatever the policy. Running journeys begun on it finish on it (docs/versioning.md).
 */
export const matchJourneyV1: JourneyDefinition = { ...matchJourney, machine: matchMachineV1 };
