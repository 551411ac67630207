import type { AnyMachineSnapshot } from 'xstate';
import { wholeYearsBetween } from '../duration';
import type { JourneyDefinition } from '../journey';
import { youngPersonInputSchema, youngPersonLinkedEvents, youngPersonRecordedEvents } from './events';
import { consentWithoutGoals, referralIncomplete } from './gates';
import { youngPersonMachine, type YoungPersonContext } from './machine';

export * from './events';
export { eligibilityProblems } from './gates';
export { youngPersonMachine, type YoungPersonContext } from './machine';

const stages = [
  'referral',
  'readiness',
  'preferences',
  'waitingForMatch',
  'matchProposed',
  'inMatch',
  'mentored',
  'closed',
  'notEligible',
] as const;

function stageOf(snapshot: AnyMachineSnapshot): string {
  const found = stages.find((stage) => snapshot.matches(stage as never));
  if (found === 'readiness' && snapshot.matches({ readiness: 'informalSupport' } as never)) return 'informalSupport';
  return found ?? 'checkingEligibility';
}

export const youngPersonJourney: JourneyDefinition = {
  kind: 'youngPerson',
  machine: youngPersonMachine,
  recordedEvents: youngPersonRecordedEvents,
  linkedEvents: youngPersonLinkedEvents,
  input: youngPersonInputSchema,
  eventLabels: {
    'contact.recorded': 'record first contact',
    'consent.recorded': "record the young person's consent",
    'readiness.assessed': 'record the readiness conversation',
    'informalTask.recorded': 'record an informal support task',
    'groupActivity.attended': 'record a group activity',
    'preferences.recorded': "record the young person's preferences",
    'journey.withdrawn': 'record that the young person has withdrawn',
    'match.proposed': 'note a match proposal',
    'match.started': 'note that the match started',
    'match.declined': 'note that the match was declined',
    'match.ended': 'note that the match ended',
  },
  dueLabels: {
    firstContactWithin: 'first contact',
    readinessRecheckAfter: 'readiness re-check',
    matchWaitNudgeAfter: 'match proposal (waiting too long)',
    nudgeUnactedFor: 'escalation of an unanswered nudge',
  },
  decisionEvents: ['consent.recorded', 'readiness.assessed', 'preferences.recorded', 'journey.withdrawn', 'match.ended'],
  unmetGates(snapshot, event) {
    const context = snapshot.context as YoungPersonContext;
    const stage = stageOf(snapshot);
    switch (event.type) {
      case 'consent.recorded':
        return consentWithoutGoals(event as unknown as { consent: string; ownGoals: string[] });
      case 'readiness.assessed':
        return stage === 'referral' ? referralIncomplete(context) : [];
      case 'preferences.recorded':
        return ['referral', 'readiness', 'informalSupport'].includes(stage)
          ? ['the young person has not been assessed as ready for formal mentoring']
          : [];
      case 'journey.withdrawn': {
        const matchId = context.currentMatchId ?? context.proposedMatchId;
        return matchId ? [`the young person is in match ${matchId}: record the ending on that match first`] : [];
      }
      default:
        return [];
    }
  },
  stage: stageOf,
  personalFields: {
    input: ['referral.dateOfBirth', 'referral.ownGoals', 'referral.referrerNotes', 'referral.details'],
    events: { 'consent.recorded': ['ownGoals'] },
  },
  deriveBeforeSealing(input) {
    const referral = input.referral as { dateOfBirth?: unknown } | undefined;
    if (typeof referral?.dateOfBirth !== 'string' || typeof input.startedAt !== 'string') return input;
    return { ...input, referral: { ...referral, ageAtReferral: wholeYearsBetween(referral.dateOfBirth, input.startedAt) } };
  },
  personal(snapshot) {
    const c = snapshot.context as YoungPersonContext;
    return {
      details: c.details ?? null,
      dateOfBirth: c.dateOfBirth,
      ownGoals: c.ownGoals,
      referrerNotes: c.referrerNotes ?? null,
    };
  },
  matchingProfile(snapshot) {
    const c = snapshot.context as YoungPersonContext;
    return {
      dateOfBirth: c.dateOfBirth,
      waitingForMatch: stageOf(snapshot) === 'waitingForMatch',
      preferredMentorType: c.preferences?.mentorType ?? 'either',
      /** What matching scores on (docs/matching.md); null before preferences are recorded. */
      preferences: c.preferences ?? null,
      waitingSince: c.waitingSince ?? null,
      /** Matches that ended or were declined: matching reads them to keep those volunteers apart. */
      pastMatchIds: c.pastMatchIds,
      declinedMatchIds: c.declinedMatchIds ?? [],
    };
  },
  summary(snapshot) {
    const c = snapshot.context as YoungPersonContext;
    return {
      referredAt: c.startedAt,
      /** Who referred (an opaque id): a referrer may follow the referrals they made, and only those. */
      referredBy: c.referredBy,
      selfReferral: c.selfReferral,
      firstContactAt: c.firstContactAt ?? null,
      consent: c.consent ?? null,
      ownGoalsRecorded: c.ownGoals.length,
      readinessConversations: c.readinessConversations,
      informalTasks: c.informalTasks,
      groupActivities: c.groupActivities,
      preferredMentorType: c.preferences?.mentorType ?? null,
      readySince: c.readySince ?? null,
      proposedMatchId: c.proposedMatchId ?? null,
      currentMatchId: c.currentMatchId ?? null,
      pastMatchIds: c.pastMatchIds,
      closure: c.closure ?? null,
    };
  },
};
