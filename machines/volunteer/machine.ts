/**
 * The volunteer's journey: enquiry, information session, application, interview, vetting,
 * training, the suitability review, the peer-mentor criteria, available, matched with supervision,
 * and exit (with a way back). Read top to bottom, it is the volunteer's journey in DOMAIN.md;
 * every number comes from the scheme policy the journey started with.
 *
 * From the interview on, the volunteer is `inScheme`: two regions run side by side, the `pathway`
 * (where the volunteer is) and the `check` (whether their safeguarding check is in force), because
 * a check can expire or be renewed at any stage, including while matched.
 */
import { and, assign, enqueueActions, setup } from 'xstate';
import { addDuration, msUntil } from '../duration';
import { effects, nudgeTag } from '../journey';
import {
  activeMatches,
  checkExpiresAt,
  checkStatus,
  defaultExpiresOn,
  initialContext,
  isPeer,
  type CheckRecord,
  type CheckStatus,
  type VolunteerContext,
} from './context';
import type { SuitabilityOutcome, VolunteerEvent, VolunteerInput } from './events';
import {
  interviewUnmet,
  matchProposalUnmet,
  peerCriteriaUnmet,
  supervisionSessionUnmet,
  trainingUnmet,
  vettingUnmet,
} from './gates';
import {
  checkExpiredNudge,
  checkNotClearNudge,
  checkRenewalNudge,
  checkRenewalReminder,
  escalation,
  supervisionAttendanceNotRecorded,
  supervisionMissed,
  vettingPending,
} from './notices';
import { after, attendanceDueAt, currentSession, nextReminder, nextSessionStart, now, planReminders, supervisionEvery, type Args } from './schedule';

type ReviewGuardParams = { outcome: SuitabilityOutcome; peerCriteriaToConfirm: boolean; noOpenMatches: boolean };

/** The check a `check.recorded` event describes, with the policy's default expiry. */
function recordedCheck(args: Args): CheckRecord | undefined {
  const { context, event } = args;
  if (event.type !== 'check.recorded') return undefined;
  return {
    checkType: event.checkType,
    issuedOn: event.issuedOn,
    referenceNumber: event.referenceNumber,
    decision: event.decision,
    expiresOn: event.expiresOn ?? defaultExpiresOn(event.issuedOn, context.policy),
    recordedAt: now(args),
  };
}

const recordedCheckIs = (status: CheckStatus) => (args: Args) =>
  checkStatus(recordedCheck(args), now(args)) === status;

const checkIs = (status: CheckStatus) => (args: Args) => checkStatus(args.context.check, now(args)) === status;

// ---------------------------------------------------------------------------------------------

export const volunteerMachine = setup({
  types: {
    context: {} as VolunteerContext,
    events: {} as VolunteerEvent,
    input: {} as VolunteerInput,
    tags: {} as string,
  },
  delays: {
    vettingPendingNudgeAfter: after((p) => p.volunteer.vettingPendingNudgeAfter),
    checkRenewalReminder: (args: Args) => {
      const reminder = nextReminder(args.context);
      return reminder ? msUntil(reminder.at, now(args)) : 0;
    },
    checkExpiry: (args: Args) => (args.context.check ? msUntil(checkExpiresAt(args.context.check), now(args)) : 0),
    supervisionAttendanceGrace: (args: Args) => msUntil(attendanceDueAt(args.context), now(args)),
    nudgeUnactedFor: after((p) => p.notifications.escalateUnactedNudgeAfter),
  },
  guards: {
    // Interview
    interviewProceeds: ({ event }) =>
      event.type === 'interview.held' && event.outcome === 'proceed' && interviewUnmet(event).length === 0,
    interviewDidNotProceed: ({ event }) => event.type === 'interview.held' && event.outcome === 'notProceed',
    interviewNotPassed: ({ context }) => context.interviewPassedAt === undefined,

    // Vetting and the check
    vettingCleared: (args) => vettingUnmet(args.context, now(args)).length === 0,
    vettingNotCleared: (args) => vettingUnmet(args.context, now(args)).length > 0,
    checkValid: checkIs('valid'),
    checkExpired: checkIs('expired'),
    checkNotClear: checkIs('notClear'),
    recordedCheckValid: recordedCheckIs('valid'),
    recordedCheckNotClear: recordedCheckIs('notClear'),
    /**
     * A check applied for never displaces a decision on record: a clear check stays in force while
     * its renewal is pending, and a check found not clear stays a safeguarding matter.
     */
    recordedPendingBesideDecision: ({ context, event }) =>
      event.type === 'check.recorded' &&
      event.decision === 'pending' &&
      context.check !== undefined &&
      context.check.decision !== 'pending',
    renewalReminderLeft: ({ context }) => nextReminder(context) !== undefined,

    // Training and the suitability review
    trainingComplete: ({ context }) => trainingUnmet(context).length === 0,
    trainingAlreadyCompleted: ({ context }) => context.training.completedAt !== undefined,
    trainingNotCompleted: ({ context }) => context.training.completedAt === undefined,
    /** A review's outcome; a peer mentor found ready goes on to the peer criteria once. */
    // (params typed loosely: xstate cannot infer parameterised guards beside setup-level enqueueActions)
    reviewed: ({ context, event }, params: unknown) => {
      const { outcome, peerCriteriaToConfirm, noOpenMatches } = params as ReviewGuardParams;
      return (
        event.type === 'suitability.reviewed' &&
        event.outcome === outcome &&
        (!peerCriteriaToConfirm || (isPeer(context) && !context.peerCriteria)) &&
        (!noOpenMatches || context.matches.length === 0)
      );
    },
    peerCriteriaMet: (args) =>
      args.event.type === 'peerCriteria.confirmed' &&
      peerCriteriaUnmet(args.context.volunteer, args.context.policy, now(args), args.event).length === 0,

    // Matching
    matchGatesMet: (args) =>
      args.event.type === 'match.proposed' && matchProposalUnmet(args.context, args.event, now(args)).length === 0,
    isProposedMatch: ({ context, event }) =>
      event.type === 'match.started' && context.matches.some((m) => m.matchId === event.matchId && m.status === 'proposed'),
    isOpenMatch: ({ context, event }) => 'matchId' in event && context.matches.some((m) => m.matchId === event.matchId),
    hasActiveMatch: ({ context }) => activeMatches(context).length > 0,
    noActiveMatches: ({ context }) => activeMatches(context).length === 0,
    noOpenMatches: ({ context }) => context.matches.length === 0,

    // Supervision
    isScheduledSession: ({ context, event }) =>
      'sessionId' in event && supervisionSessionUnmet(context, event.sessionId).length === 0,
  },
  actions: {
    ...effects,

    noteInterviewPassed: assign({ interviewPassedAt: (args) => now(args) }),
    startVetting: assign({ vettingSince: (args) => now(args) }),

    recordCheck: assign(({ context, event }) => {
      const check = recordedCheck({ context, event });
      return check ? { check, pendingCheck: undefined, checksRecorded: context.checksRecorded + 1 } : {};
    }),
    recordPendingCheck: assign(({ context, event }) => {
      const pendingCheck = recordedCheck({ context, event });
      return pendingCheck ? { pendingCheck, checksRecorded: context.checksRecorded + 1 } : {};
    }),
    planRenewalReminders: assign((args) => ({
      renewalReminders: planReminders(args.context, now(args)),
      renewalRemindersSent: 0,
    })),
    noteRenewalReminderSent: assign({ renewalRemindersSent: ({ context }) => context.renewalRemindersSent + 1 }),
    noteReference: assign({
      references: ({ context, event }) =>
        event.type === 'reference.received'
          ? [
              ...context.references.filter((r) => r.refereeRef !== event.refereeRef),
              { refereeRef: event.refereeRef, satisfactory: event.satisfactory },
            ]
          : context.references,
    }),

    noteTrainingSession: assign({
      training: ({ context, event }) =>
        event.type === 'training.sessionLogged'
          ? {
              ...context.training,
              hours: context.training.hours + event.hours,
              sessions: context.training.sessions + 1,
              topics: [...new Set([...context.training.topics, ...event.topics])],
            }
          : context.training,
    }),
    noteTrainingCompleted: assign({ training: (args) => ({ ...args.context.training, completedAt: now(args) }) }),
    noteSuitability: assign({
      suitability: (args) =>
        args.event.type === 'suitability.reviewed'
          ? { outcome: args.event.outcome, reviewedAt: now(args) }
          : args.context.suitability,
    }),
    notePeerCriteria: assign({
      peerCriteria: (args) =>
        args.event.type === 'peerCriteria.confirmed'
          ? { ownSupportInPlace: args.event.ownSupportInPlace, confirmedAt: now(args) }
          : args.context.peerCriteria,
    }),

    noteProposal: assign((args) =>
      args.event.type === 'match.proposed'
        ? {
            matches: [
              ...args.context.matches,
              {
                matchId: args.event.matchId,
                youngPersonId: args.event.youngPersonId,
                status: 'proposed' as const,
                proposedAt: now(args),
              },
            ],
            matchesProposed: args.context.matchesProposed + 1,
          }
        : {},
    ),
    startMatch: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'match.proposed') return;
      enqueue({
        type: 'startMatchJourney',
        params: {
          matchId: event.matchId,
          youngPersonId: event.youngPersonId,
          volunteerId: context.journeyId,
          coordinatorId: context.coordinatorId,
          peer: isPeer(context),
        },
      });
    }),
    noteMatchStarted: assign({
      matches: (args) =>
        args.context.matches.map((m) =>
          'matchId' in args.event && m.matchId === args.event.matchId
            ? { ...m, status: 'active' as const, startedAt: now(args) }
            : m,
        ),
    }),
    dropMatch: assign({
      matches: ({ context, event }) =>
        'matchId' in event ? context.matches.filter((m) => m.matchId !== event.matchId) : context.matches,
      lastMatchClosedAt: (args) => now(args),
    }),
    noteMatchingProfile: assign(({ event }) => {
      if (event.type !== 'matchingProfile.recorded') return {};
      const { type: _type, by: _by, at: _at, ...profile } = event;
      return { matchingProfile: profile };
    }),

    // An expired or not-clear check: every current match is told, and the co-ordinator nudged.
    announceCheckExpired: enqueueActions(({ context, enqueue }) => {
      if (context.matches.length === 0) enqueue({ type: 'nudgeCoordinator', params: checkExpiredNudge(context) });
      for (const match of context.matches) {
        enqueue({
          type: 'tellJourney',
          params: { kind: 'match', journeyId: match.matchId, event: { type: 'volunteer.checkExpired' } },
        });
        enqueue({ type: 'nudgeCoordinator', params: checkExpiredNudge(context, match.matchId) });
      }
    }),
    announceCheckNotClear: enqueueActions(({ context, enqueue }) => {
      if (context.matches.length === 0) enqueue({ type: 'nudgeCoordinator', params: checkNotClearNudge(context) });
      for (const match of context.matches) {
        enqueue({
          type: 'tellJourney',
          params: { kind: 'match', journeyId: match.matchId, event: { type: 'volunteer.checkNotClear' } },
        });
        enqueue({ type: 'nudgeCoordinator', params: checkNotClearNudge(context, match.matchId) });
      }
    }),
    tellMatchesCheckRenewed: enqueueActions(({ context, enqueue }) => {
      for (const match of context.matches) {
        enqueue({
          type: 'tellJourney',
          params: { kind: 'match', journeyId: match.matchId, event: { type: 'volunteer.checkRenewed' } },
        });
      }
    }),
    tellMatchesVolunteerExited: enqueueActions(({ context, enqueue }) => {
      for (const match of context.matches) {
        enqueue({
          type: 'tellJourney',
          params: { kind: 'match', journeyId: match.matchId, event: { type: 'volunteer.exited' } },
        });
      }
    }),

    // Supervision: the machine keeps the calendar, one session at a time.
    scheduleFirstSupervision: assign(({ context, event }) => {
      const n = context.supervision.scheduled + 1;
      const startsAt = addDuration(now({ context, event }), supervisionEvery(context));
      return {
        supervision: {
          ...context.supervision,
          scheduled: n,
          current: { sessionId: `${context.journeyId}-supervision-${n}`, startsAt, sequence: 0 },
        },
      };
    }),
    scheduleNextSupervision: assign(({ context, event }) => {
      const n = context.supervision.scheduled + 1;
      const from = context.supervision.current?.startsAt ?? now({ context, event });
      const startsAt = nextSessionStart(from, supervisionEvery(context), now({ context, event }));
      return {
        supervision: {
          ...context.supervision,
          scheduled: n,
          current: { sessionId: `${context.journeyId}-supervision-${n}`, startsAt, sequence: 0 },
        },
      };
    }),
    rescheduleSupervision: assign({
      supervision: ({ context, event }) =>
        event.type === 'supervision.rescheduled' && context.supervision.current
          ? {
              ...context.supervision,
              current: {
                ...context.supervision.current,
                startsAt: event.startsAt,
                sequence: context.supervision.current.sequence + 1,
              },
            }
          : context.supervision,
    }),
    noteSupervisionAttended: assign({
      supervision: ({ context }) => ({ ...context.supervision, attended: context.supervision.attended + 1 }),
    }),
    noteSupervisionMissed: assign({
      supervision: ({ context }) => ({ ...context.supervision, missed: context.supervision.missed + 1 }),
    }),
    inviteToCurrentSupervision: enqueueActions(({ context, enqueue }) => {
      const session = currentSession(context);
      if (session) enqueue({ type: 'inviteToSupervision', params: session });
    }),
    /** When the volunteer stops being matched, a session still to come is called off. */
    cancelFutureSupervision: enqueueActions(({ context, event, enqueue }) => {
      const session = currentSession(context);
      if (session && session.startsAt > now({ context, event })) {
        enqueue({ type: 'cancelSupervision', params: { ...session, sequence: session.sequence + 1 } });
      }
      enqueue.assign({ supervision: { ...context.supervision, current: undefined } });
    }),

    noteExit: assign({
      exit: (args) =>
        args.event.type === 'exit.recorded'
          ? {
              reason: args.event.reason,
              ...(args.event.referenceGiven === undefined ? {} : { referenceGiven: args.event.referenceGiven }),
              at: now(args),
            }
          : args.context.exit,
    }),
    noteExitAfterReview: assign({ exit: (args) => ({ reason: 'notSuitable' as const, at: now(args) }) }),
    noteNotProceeded: assign({ exit: (args) => ({ reason: 'notProceeded' as const, at: now(args) }) }),
    /** A returning volunteer is reviewed, and a peer mentor's criteria confirmed, afresh. */
    noteReturn: assign({
      returns: ({ context }) => context.returns + 1,
      exit: () => undefined,
      suitability: () => undefined,
      peerCriteria: () => undefined,
    }),
  },
}).createMachine({
  id: 'volunteer',
  context: ({ input }) => initialContext(input),
  initial: 'enquiry',
  on: {
    // Facts from the match journey, whatever the stage: a declined or ended match is no longer open.
    'match.declined': { guard: 'isOpenMatch', actions: 'dropMatch' },
    'match.ended': { guard: 'isOpenMatch', actions: 'dropMatch' },
    // What matching reads, whatever the stage; a later profile replaces the earlier one.
    'matchingProfile.recorded': { actions: 'noteMatchingProfile' },
  },
  states: {
    // 1. Enquiry (local advertising) and the information session.
    enquiry: {
      on: {
        'infoSession.attended': 'application',
        'exit.recorded': { target: 'exited', actions: 'noteExit' },
      },
    },

    // 2. Application and at least one face-to-face interview.
    application: {
      on: {
        'application.received': 'interview',
        'exit.recorded': { target: 'exited', actions: 'noteExit' },
      },
    },
    interview: {
      on: {
        'interview.held': [
          { guard: 'interviewProceeds', target: 'inScheme', actions: 'noteInterviewPassed' },
          { guard: 'interviewDidNotProceed', target: 'exited', actions: 'noteNotProceeded' },
        ],
        'exit.recorded': { target: 'exited', actions: 'noteExit' },
      },
    },

    inScheme: {
      type: 'parallel',
      on: {
        // Training hours count whenever they are done: during vetting, and ongoing training later.
        'training.sessionLogged': { actions: 'noteTrainingSession' },
        // 9. Exit from any stage: open matches are told.
        'exit.recorded': { target: 'exited', actions: ['noteExit', 'tellMatchesVolunteerExited'] },
      },
      states: {
        pathway: {
          initial: 'vetting',
          states: {
            // 3. Vetting (gate): a clear safeguarding check in force and enough references.
            vetting: {
              entry: 'startVetting',
              // References belong to vetting: once cleared, a volunteer's vetting cannot be
              // undone by a late reference while they are matched.
              on: { 'reference.received': { actions: 'noteReference' } },
              always: [
                { guard: and(['vettingCleared', 'trainingAlreadyCompleted']), target: 'suitabilityReview' },
                { guard: 'vettingCleared', target: 'training' },
              ],
              initial: 'pending',
              states: {
                pending: { after: { vettingPendingNudgeAfter: 'overdue' } },
                overdue: {
                  tags: [nudgeTag('vettingPending')],
                  entry: { type: 'nudgeCoordinator', params: vettingPending },
                  after: { nudgeUnactedFor: { actions: { type: 'escalateToLead', params: escalation(vettingPending) } } },
                },
              },
            },

            // 4. Training (gate): the policy's minimum hours and every required topic.
            training: {
              on: {
                'training.completed': {
                  guard: 'trainingComplete',
                  target: 'suitabilityReview',
                  actions: 'noteTrainingCompleted',
                },
              },
            },

            // 5. Suitability review at the end of training. Never matched automatically: a volunteer
            // found ready waits to be proposed; the support group may be reviewed again later.
            suitabilityReview: { on: { 'suitability.reviewed': reviewOutcomes() } },
            supportGroup: { on: { 'suitability.reviewed': reviewOutcomes() } },

            // 6. Peer-mentor criteria (gate): care-experienced, separated from their own care
            // transition, ready, willing and able, with support of their own.
            peerCriteria: {
              on: {
                'peerCriteria.confirmed': { guard: 'peerCriteriaMet', target: 'available', actions: 'notePeerCriteria' },
                'suitability.reviewed': reviewOutcomes(),
              },
            },

            // 7. Available, then matched: a proposal passes every gate, and starts the match journey.
            available: {
              always: { guard: 'hasActiveMatch', target: 'matched' },
              on: {
                'match.proposed': { guard: 'matchGatesMet', actions: ['noteProposal', 'startMatch'] },
                'match.started': { guard: 'isProposedMatch', actions: 'noteMatchStarted' },
                // A volunteer who changes their mind may go back to the support group.
                'suitability.reviewed': reviewOutcomes({ noOpenMatches: true }),
              },
            },

            // 8. Matched, with supervision at the policy's cadence (peer mentors more often).
            matched: {
              always: { guard: 'noActiveMatches', target: 'available' },
              entry: 'scheduleFirstSupervision',
              exit: 'cancelFutureSupervision',
              on: {
                'match.proposed': { guard: 'matchGatesMet', actions: ['noteProposal', 'startMatch'] },
                'match.started': { guard: 'isProposedMatch', actions: 'noteMatchStarted' },
              },
              initial: 'sessionScheduled',
              states: {
                sessionScheduled: {
                  entry: 'inviteToCurrentSupervision',
                  after: { supervisionAttendanceGrace: 'attendanceNotRecorded' },
                  on: supervisionRecorded(),
                },
                attendanceNotRecorded: {
                  tags: [nudgeTag('supervisionAttendanceNotRecorded')],
                  entry: { type: 'nudgeCoordinator', params: supervisionAttendanceNotRecorded },
                  after: {
                    nudgeUnactedFor: {
                      actions: { type: 'escalateToLead', params: escalation(supervisionAttendanceNotRecorded) },
                    },
                  },
                  on: supervisionRecorded(),
                },
              },
            },
          },
        },

        // The safeguarding check, alongside the pathway: reminders before it expires; when it
        // expires (or is found not clear) the matching gate closes and current matches are told.
        check: {
          initial: 'evaluating',
          states: {
            evaluating: {
              always: [
                { guard: 'checkValid', target: 'valid' },
                { guard: 'checkExpired', target: 'expired' },
                { guard: 'checkNotClear', target: 'notClear' },
                { target: 'none' },
              ],
            },
            none: {
              on: { 'check.recorded': { target: 'evaluating', actions: 'recordCheck' } },
            },
            valid: {
              entry: 'planRenewalReminders',
              after: { checkExpiry: 'expired' },
              on: {
                'check.recorded': [
                  { guard: 'recordedPendingBesideDecision', actions: 'recordPendingCheck' },
                  { target: 'evaluating', actions: 'recordCheck' },
                ],
              },
              initial: 'next',
              states: {
                next: {
                  always: [{ guard: 'renewalReminderLeft', target: 'awaitingReminder' }, { target: 'allRemindersSent' }],
                },
                awaitingReminder: {
                  after: {
                    checkRenewalReminder: {
                      target: 'next',
                      actions: [
                        { type: 'remindVolunteer', params: checkRenewalReminder },
                        { type: 'nudgeCoordinator', params: checkRenewalNudge },
                        'noteRenewalReminderSent',
                      ],
                    },
                  },
                },
                allRemindersSent: {},
              },
            },
            expired: {
              tags: [nudgeTag('checkExpired')],
              entry: 'announceCheckExpired',
              after: {
                nudgeUnactedFor: {
                  actions: { type: 'escalateToLead', params: escalation(({ context }) => checkExpiredNudge(context)) },
                },
              },
              on: {
                'check.recorded': [
                  { guard: 'recordedPendingBesideDecision', actions: 'recordPendingCheck' },
                  { guard: 'recordedCheckValid', target: 'valid', actions: ['recordCheck', 'tellMatchesCheckRenewed'] },
                  { guard: 'recordedCheckNotClear', target: 'notClear', actions: 'recordCheck' },
                  { actions: 'recordCheck' },
                ],
              },
            },
            notClear: {
              tags: [nudgeTag('checkNotClear')],
              entry: 'announceCheckNotClear',
              after: {
                nudgeUnactedFor: {
                  actions: { type: 'escalateToLead', params: escalation(({ context }) => checkNotClearNudge(context)) },
                },
              },
              on: {
                'check.recorded': [
                  { guard: 'recordedPendingBesideDecision', actions: 'recordPendingCheck' },
                  { guard: 'recordedCheckValid', target: 'valid', actions: ['recordCheck', 'tellMatchesCheckRenewed'] },
                  { guard: 'recordedCheckNotClear', actions: 'recordCheck' },
                  { target: 'evaluating', actions: 'recordCheck' },
                ],
              },
            },
          },
        },
      },
    },

    /** An alternative role (events, admin): the end of the mentoring pathway. */
    alternativeRole: {
      on: { 'exit.recorded': { target: 'exited', actions: 'noteExit' } },
    },

    /** Stepped down, not suitable, or not taken on at interview. A volunteer may return later. */
    exited: {
      on: {
        'volunteer.returned': [
          { guard: 'interviewNotPassed', target: 'application', actions: 'noteReturn' },
          { guard: 'vettingNotCleared', target: 'inScheme.pathway.vetting', actions: 'noteReturn' },
          { guard: 'trainingNotCompleted', target: 'inScheme.pathway.training', actions: 'noteReturn' },
          { target: 'inScheme.pathway.suitabilityReview', actions: 'noteReturn' },
        ],
      },
    },
  },
});

/** The suitability review's outcomes, from wherever a review may happen. */
function reviewOutcomes(when: { noOpenMatches?: boolean } = {}) {
  const reviewed = (outcome: SuitabilityOutcome, peerCriteriaToConfirm = false) =>
    ({ type: 'reviewed', params: { outcome, peerCriteriaToConfirm, noOpenMatches: when.noOpenMatches ?? false } }) as const;
  return [
    { guard: reviewed('ready', true), target: 'peerCriteria', actions: 'noteSuitability' },
    { guard: reviewed('ready'), target: 'available', actions: 'noteSuitability' },
    { guard: reviewed('peerSupportGroup'), target: 'supportGroup', actions: 'noteSuitability' },
    { guard: reviewed('alternativeRole'), target: '#volunteer.alternativeRole', actions: 'noteSuitability' },
    {
      guard: reviewed('notSuitable'),
      target: '#volunteer.exited',
      actions: ['noteSuitability', 'noteExitAfterReview', 'tellMatchesVolunteerExited'],
    },
  ] as const;
}

/** Attendance or a new time for the scheduled session; attended or missed schedules the next. */
function supervisionRecorded() {
  return {
    'supervision.attended': {
      guard: 'isScheduledSession',
      target: 'sessionScheduled',
      reenter: true,
      actions: ['noteSupervisionAttended', 'scheduleNextSupervision'],
    },
    'supervision.missed': {
      guard: 'isScheduledSession',
      target: 'sessionScheduled',
      reenter: true,
      actions: ['noteSupervisionMissed', { type: 'nudgeCoordinator', params: supervisionMissed }, 'scheduleNextSupervision'],
    },
    'supervision.rescheduled': {
      guard: 'isScheduledSession',
      target: 'sessionScheduled',
      reenter: true,
      actions: 'rescheduleSupervision',
    },
  } as const;
}

export type VolunteerMachine = typeof volunteerMachine;
