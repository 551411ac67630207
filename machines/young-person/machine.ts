/**
 * The young person's journey: referral, first contact, readiness (or informal support until they
 * are ready), preferences, waiting for a match, in a match, and then a rematch or the end.
 * Read top to bottom, it is the journey in DOMAIN.md; every number comes from the scheme policy.
 */
import { and, assign, setup } from 'xstate';
import { addDuration, addDurationMs, type PolicyDuration } from '../duration';
import { effects, eventTime, nudgeTag, unactedEscalation, type Actor, type JourneyContextBase, type NotifyParams } from '../journey';
import type { SchemePolicy } from '../policy';
import type { AvailabilitySlot } from '../matching-profile';
import type { MentorType, YoungPersonEvent, YoungPersonInput } from './events';
import { consentWithoutGoals, eligibilityProblems, referralIncomplete } from './gates';

export interface YoungPersonContext extends JourneyContextBase {
  policy: SchemePolicy;
  referredBy: Actor;
  selfReferral: boolean;
  /** Personal: sealed with the young person's key (plain in histories from before sealing). */
  dateOfBirth: string;
  /** Worked out at the edge before the date of birth was sealed; absent in older histories. */
  ageAtReferral?: number;
  /** Personal, sealed: name and contact details. */
  details?: YoungPersonInput['referral']['details'];
  careExperienced: boolean;
  consent?: 'given' | 'declined';
  /** In the young person's own words, kept apart from the referrer's notes. Personal, sealed. */
  ownGoals: string[];
  /** Personal, sealed. */
  referrerNotes?: string;
  firstContactAt?: string;
  readinessConversations: number;
  informalTasks: number;
  groupActivities: number;
  preferences?: {
    mentorType: MentorType;
    gender: string;
    languages: string[];
    interests: string[];
    area?: string;
    availability?: AvailabilitySlot[];
  };
  readySince?: string;
  /** When informal support began (or was last offered again): the re-check is due from here. */
  informalSupportSince?: string;
  /** When the young person last began waiting for a proposal. */
  waitingSince?: string;
  proposedMatchId?: string;
  currentMatchId?: string;
  pastMatchIds: string[];
  /** Proposals the young person declined: matching does not offer that volunteer again. Absent in older journeys. */
  declinedMatchIds?: string[];
  closure?: { reason: string; at: string };
}

type Args = { context: YoungPersonContext; event: YoungPersonEvent };

const now = ({ context, event }: Args) => eventTime(event, context.startedAt);

/** A named delay of `duration` from the moment the state is entered. */
const after = (pick: (policy: SchemePolicy) => PolicyDuration) => (args: Args) => {
  const from = Date.parse(now(args));
  return addDurationMs(from, pick(args.context.policy)) - from;
};

/**
 * A state in which the matter `about` is overdue: the co-ordinator is nudged on entry and, if the
 * journey is still here after the policy's time, the lead co-ordinator too. Leaving the state
 * closes the nudge and cancels the escalation.
 */
function overdue(about: string, nudge: (args: Args) => Omit<NotifyParams, 'about'>) {
  return {
    tags: [nudgeTag(about)],
    entry: { type: 'nudgeCoordinator' as const, params: (args: Args) => ({ about, ...nudge(args) }) },
    after: {
      nudgeUnactedFor: {
        actions: {
          type: 'escalateToLead' as const,
          params: (args: Args) => unactedEscalation({ about, ...nudge(args) }, args.context.policy.notifications.escalateUnactedNudgeAfter),
        },
      },
    },
  };
}

export const youngPersonMachine = setup({
  types: {
    context: {} as YoungPersonContext,
    events: {} as YoungPersonEvent,
    input: {} as YoungPersonInput & { policy: SchemePolicy },
    tags: {} as string,
  },
  delays: {
    firstContactWithin: ({ context }: Args) =>
      Math.max(
        0,
        Date.parse(addDuration(context.startedAt, context.policy.youngPerson.firstContactWithin)) -
          Date.parse(context.startedAt),
      ),
    readinessRecheckAfter: after((p) => p.youngPerson.readinessRecheckAfter),
    matchWaitNudgeAfter: after((p) => p.youngPerson.matchWaitNudgeAfter),
    nudgeUnactedFor: after((p) => p.notifications.escalateUnactedNudgeAfter),
  },
  guards: {
    eligible: ({ context }) => eligibilityProblems(context, context.startedAt, context.policy).length === 0,
    consentAndGoalsRecorded: ({ context }) =>
      context.consent === 'given' && context.ownGoals.length > 0,
    consentGivenWithGoals: ({ event }) =>
      event.type === 'consent.recorded' && event.consent === 'given' && consentWithoutGoals(event).length === 0,
    consentDeclined: ({ event }) => event.type === 'consent.recorded' && event.consent === 'declined',
    firstContactMade: ({ context }) => context.firstContactAt !== undefined,
    assessedReady: ({ event }) => event.type === 'readiness.assessed' && event.outcome === 'ready',
    assessedNotReady: ({ event }) => event.type === 'readiness.assessed' && event.outcome === 'notReady',
    referralComplete: ({ context }) => referralIncomplete(context).length === 0,
    notInAMatch: ({ context }) => !context.currentMatchId && !context.proposedMatchId,
    journeyOpen: ({ context }) => context.closure === undefined,
    endedWithRematch: ({ event }) => event.type === 'match.ended' && event.outcome === 'rematch',
    isCurrentMatch: ({ context, event }) =>
      'matchId' in event && (event.matchId === context.currentMatchId || event.matchId === context.proposedMatchId),
  },
  actions: {
    ...effects,
    noteFirstContact: assign({ firstContactAt: (args) => now(args) }),
    noteConsent: assign(({ event }) =>
      event.type === 'consent.recorded' ? { consent: event.consent, ownGoals: [...event.ownGoals] } : {},
    ),
    noteReadinessConversation: assign({ readinessConversations: ({ context }) => context.readinessConversations + 1 }),
    noteReady: assign({ readySince: (args) => now(args) }),
    noteInformalSupportBegan: assign({ informalSupportSince: (args) => now(args) }),
    noteWaitingBegan: assign({ waitingSince: (args) => now(args) }),
    noteInformalTask: assign({ informalTasks: ({ context }) => context.informalTasks + 1 }),
    noteGroupActivity: assign({ groupActivities: ({ context }) => context.groupActivities + 1 }),
    notePreferences: assign(({ event }) =>
      event.type === 'preferences.recorded'
        ? {
            preferences: {
              mentorType: event.mentorType,
              gender: event.gender,
              languages: [...event.languages],
              interests: [...event.interests],
              ...(event.area ? { area: event.area } : {}),
              ...(event.availability ? { availability: [...event.availability] } : {}),
            },
          }
        : {},
    ),
    noteProposal: assign(({ event }) => (event.type === 'match.proposed' ? { proposedMatchId: event.matchId } : {})),
    dropProposal: assign(({ context }) => ({
      proposedMatchId: undefined,
      declinedMatchIds: context.proposedMatchId
        ? [...(context.declinedMatchIds ?? []), context.proposedMatchId]
        : context.declinedMatchIds,
    })),
    noteMatchStarted: assign(({ context }) => ({ currentMatchId: context.proposedMatchId, proposedMatchId: undefined })),
    noteMatchEnded: assign(({ context }) => ({
      pastMatchIds: context.currentMatchId ? [...context.pastMatchIds, context.currentMatchId] : context.pastMatchIds,
      currentMatchId: undefined,
    })),
    close: assign((args, params: { reason: string }) => ({ closure: { reason: params.reason, at: now(args) } })),
    closeWithEventReason: assign((args) => ({
      closure: { reason: 'reason' in args.event ? String(args.event.reason) : 'unknown', at: now(args) },
    })),
  },
}).createMachine({
  id: 'youngPerson',
  context: ({ input }) => ({
    journeyId: input.journeyId,
    coordinatorId: input.coordinatorId,
    startedAt: input.startedAt,
    policy: input.policy,
    referredBy: input.referral.referredBy,
    selfReferral: input.referral.referredBy.role === 'youngPerson',
    dateOfBirth: input.referral.dateOfBirth,
    ...(input.referral.ageAtReferral !== undefined ? { ageAtReferral: input.referral.ageAtReferral } : {}),
    ...(input.referral.details ? { details: input.referral.details } : {}),
    careExperienced: input.referral.careExperienced,
    ...(input.referral.consentGiven ? { consent: 'given' as const } : {}),
    ownGoals: [...(input.referral.ownGoals ?? [])],
    ...(input.referral.referrerNotes ? { referrerNotes: input.referral.referrerNotes } : {}),
    readinessConversations: 0,
    informalTasks: 0,
    groupActivities: 0,
    pastMatchIds: [],
  }),
  initial: 'checkingEligibility',
  on: {
    // The young person may step away at any point before a match; a match ends on its own journey.
    // XState's pure transition() still takes a root handler from a final state, so the guard also
    // keeps an ended journey (and its recorded reason) as it was.
    'journey.withdrawn': { guard: and(['journeyOpen', 'notInAMatch']), target: '.closed', actions: 'closeWithEventReason' },
  },
  states: {
    checkingEligibility: {
      always: [
        { guard: 'eligible', target: 'referral' },
        { target: 'notEligible', actions: { type: 'close', params: { reason: 'notEligible' } } },
      ],
    },

    // 1-2. Referral and first contact: within the policy deadline, and consent with the young
    // person's own goals before going any further.
    referral: {
      initial: 'awaitingFirstContact',
      on: {
        'consent.recorded': [
          { guard: 'consentDeclined', target: 'closed', actions: ['noteConsent', { type: 'close', params: { reason: 'consentDeclined' } }] },
          { guard: 'consentGivenWithGoals', actions: 'noteConsent' },
        ],
      },
      states: {
        awaitingFirstContact: {
          after: { firstContactWithin: 'firstContactOverdue' },
          on: { 'contact.recorded': { target: 'contacted', actions: 'noteFirstContact' } },
        },
        firstContactOverdue: {
          ...overdue('firstContactOverdue', ({ context }) => ({
            dueAt: addDuration(context.startedAt, context.policy.youngPerson.firstContactWithin),
          })),
          on: { 'contact.recorded': { target: 'contacted', actions: 'noteFirstContact' } },
        },
        contacted: {
          always: { guard: 'consentAndGoalsRecorded', target: '#youngPerson.readiness' },
          on: {
            'consent.recorded': [
              { guard: 'consentDeclined', target: '#youngPerson.closed', actions: ['noteConsent', { type: 'close', params: { reason: 'consentDeclined' } }] },
              { guard: 'consentGivenWithGoals', target: '#youngPerson.readiness', actions: 'noteConsent' },
            ],
          },
        },
      },
    },

    // 3. Readiness: ready for formal mentoring, not ready yet (informal support), or declined.
    readiness: {
      initial: 'conversation',
      on: {
        'readiness.assessed': [
          { guard: 'assessedReady', target: 'preferences', actions: ['noteReadinessConversation', 'noteReady'] },
          { guard: 'assessedNotReady', target: '.informalSupport', reenter: true, actions: 'noteReadinessConversation' },
          { target: 'closed', actions: ['noteReadinessConversation', { type: 'close', params: { reason: 'declinedMentoring' } }] },
        ],
      },
      states: {
        conversation: {},
        informalSupport: {
          entry: 'noteInformalSupportBegan',
          initial: 'supported',
          on: {
            'informalTask.recorded': { actions: 'noteInformalTask' },
            'groupActivity.attended': { actions: 'noteGroupActivity' },
          },
          states: {
            supported: { after: { readinessRecheckAfter: 'recheckDue' } },
            recheckDue: overdue('readinessRecheckDue', ({ context }) => ({
              dueAt: addDuration(context.informalSupportSince ?? context.startedAt, context.policy.youngPerson.readinessRecheckAfter),
            })),
          },
        },
      },
    },

    // 4. Preferences: peer, traditional or either; the young person is involved in the choice.
    preferences: {
      on: { 'preferences.recorded': { target: 'waitingForMatch', actions: 'notePreferences' } },
    },

    // 5. Matching: proposals come from the volunteer's side; nudge when waiting too long.
    waitingForMatch: {
      entry: 'noteWaitingBegan',
      initial: 'waiting',
      on: {
        'preferences.recorded': { actions: 'notePreferences' },
        'match.proposed': { target: 'matchProposed', actions: 'noteProposal' },
      },
      states: {
        waiting: { after: { matchWaitNudgeAfter: 'waitedTooLong' } },
        waitedTooLong: overdue('matchWaitTooLong', ({ context }) => ({
          dueAt: addDuration(context.waitingSince ?? context.startedAt, context.policy.youngPerson.matchWaitNudgeAfter),
          facts: { waited: context.policy.youngPerson.matchWaitNudgeAfter.text },
        })),
      },
    },
    matchProposed: {
      on: {
        'match.started': { guard: 'isCurrentMatch', target: 'inMatch', actions: 'noteMatchStarted' },
        'match.declined': { guard: 'isCurrentMatch', target: 'waitingForMatch', actions: 'dropProposal' },
      },
    },

    // 6-8. The relationship runs on its own match journey; this journey learns how it ends.
    inMatch: {
      on: {
        // Only the match this young person is in can end it: a late or stray signal from another
        // match journey must not close this one.
        'match.ended': [
          { guard: and(['isCurrentMatch', 'endedWithRematch']), target: 'waitingForMatch', actions: 'noteMatchEnded' },
          { guard: 'isCurrentMatch', target: 'mentored', actions: ['noteMatchEnded', { type: 'close', params: { reason: 'matchEnded' } }] },
        ],
      },
    },

    /** Mentored and ended: the young person may later enquire as a volunteer (a peer mentor). */
    mentored: { type: 'final' },
    closed: { type: 'final' },
    notEligible: { type: 'final' },
  },
});

export type YoungPersonMachine = typeof youngPersonMachine;
