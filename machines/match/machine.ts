/**
 * The match: a relationship between a young person and a volunteer mentor, from the proposal to
 * its formal ending. Read top to bottom, it is DOMAIN.md's "Matching", "Active relationship",
 * "Review" and "Ending": the young person is introduced and chooses; an active match has goals,
 * logged meetings, co-ordinator check-ins and reviews running side by side; a concern goes straight
 * to the co-ordinator; every relationship that started ends with a formal record.
 * Every number comes from the scheme policy, mostly `policy.match`.
 */
import { and, assign, setup } from 'xstate';
import { addDurationMs, msUntil } from '../duration';
import { effects, eventTime, nudgeTag, type JourneyKind, type TellJourneyParams } from '../journey';
import type { SchemePolicy } from '../policy';
import { initialMatchContext, type MatchContext, type MeetingClock } from './context';
import type { MatchEvent, MatchInput } from './events';
import { acceptanceUnmet, meetingDateUnmet } from './gates';
import * as notices from './notices';
import {
  checkInDueAt,
  formalEndingDueAt,
  initialGoalsDueAt,
  laterMeeting,
  meetingGapEscalateAt,
  meetingGapFrom,
  meetingGapNudgeAt,
  nextReviewDueAt,
  reviewIndexAfter,
} from './schedule';

export type { MatchContext } from './context';

type Args = { context: MatchContext; event: MatchEvent };
type EventOf<T extends MatchEvent['type']> = Extract<MatchEvent, { type: T }>;

/** The journey's clock: the moment the event being applied was recorded. */
const now = ({ context, event }: Args) => eventTime(event, context.startedAt);

/** A named delay that runs until a deadline computed from the context (see schedule.ts). */
const until = (deadline: (context: MatchContext) => string) => (args: Args) => msUntil(deadline(args.context), now(args));

/** Tell the young person's or the volunteer's journey what happened on this match. */
const tell = (
  context: MatchContext,
  kind: Exclude<JourneyKind, 'match'>,
  event: TellJourneyParams['event'],
): TellJourneyParams => ({
  kind,
  journeyId: kind === 'youngPerson' ? context.youngPersonId : context.volunteerId,
  event,
});

const concernOf = (args: Args) => {
  const event = args.event as EventOf<'concern.raised'>;
  return { category: event.category, raisedBy: event.by.role, at: now(args) };
};

/**
 * Tell the co-ordinator of a concern at once, and the lead too when it is a safeguarding matter.
 * `paused`: whether the match waits on it (the nudge says so).
 */
const alertConcern = (safeguarding: boolean, paused: boolean) => [
  'noteConcern' as const,
  ...(safeguarding && paused ? ['holdForConcern' as const] : []),
  { type: 'nudgeCoordinator' as const, params: (args: Args) => notices.concernRaised(args.context, concernOf(args), paused) },
  ...(safeguarding ? [{ type: 'escalateToLead' as const, params: (args: Args) => notices.concernRaised(args.context, concernOf(args), paused) }] : []),
];

/** A volunteer's check came back not clear: hold the match and tell the co-ordinator and the lead at once. */
const holdForCheckNotClear = [
  'holdForConcern' as const,
  { type: 'nudgeCoordinator' as const, params: (args: Args) => notices.volunteerCheckNotClear(args.context, now(args), true) },
  { type: 'escalateToLead' as const, params: (args: Args) => notices.volunteerCheckNotClear(args.context, now(args), true) },
];

/**
 * The match machine, built for a meeting clock (context.ts, `MeetingClock`): match version 1 counts
 * meeting gaps from the meeting's day; version 2 from its moment under a sub-day policy.
 */
export const createMatchMachine = (meetingClock: MeetingClock) => setup({
  types: {
    context: {} as MatchContext,
    events: {} as MatchEvent,
    input: {} as MatchInput & { policy: SchemePolicy },
    tags: {} as string,
  },
  delays: {
    initialGoalsWithin: until(initialGoalsDueAt),
    checkInDue: until(checkInDueAt),
    meetingGapNudgeAfter: until(meetingGapNudgeAt),
    meetingGapEscalateAfter: until(meetingGapEscalateAt),
    reviewDue: until(nextReviewDueAt),
    formalEndingNudgeAfter: until(formalEndingDueAt),
    /** A nudge not acted on goes to the lead co-ordinator after the policy's time. */
    nudgeUnactedFor: (args: Args) => {
      const from = Date.parse(now(args));
      return addDurationMs(from, args.context.policy.notifications.escalateUnactedNudgeAfter) - from;
    },
  },
  guards: {
    // Gates: each passes when its list of unmet conditions (gates.ts) is empty.
    mayAccept: ({ context }) => acceptanceUnmet(context).length === 0,
    meetingDateAllowed: ({ context, event }) =>
      event.type === 'meeting.logged' && meetingDateUnmet(context, event).length === 0,

    // Which way a fact takes the journey.
    introduced: ({ context }) => context.introductions.count > 0,
    isSafeguarding: ({ event }) => event.type === 'concern.raised' && event.category === 'safeguarding',
    resumes: ({ event }) => event.type === 'concern.resolved' && event.outcome === 'resume',
    safeguardingConcernOpen: ({ context }) => context.concerns.safeguardingOpenSince !== undefined,
    reviewContinues: ({ event }) => event.type === 'review.held' && event.outcome === 'continue',
    volunteerCheckHasExpired: ({ context }) => context.volunteerCheckExpiredSince !== undefined,
    /** The co-ordinator has now spoken with both mentor and mentee since the last check-in. */
    checkInCompleted: ({ context, event }) =>
      event.type === 'checkIn.recorded' &&
      new Set([...context.checkIns.partiesThisRound, ...event.with]).size === 2,
    /** A meeting later than any logged so far (and after the clock started) moves the gap clock. */
    meetingMovesGapClock: ({ context, event }) =>
      event.type === 'meeting.logged' && Date.parse(meetingGapFrom(context, event.on)) > Date.parse(meetingGapFrom(context)),
    meetingGapNudgeReached: (args) => Date.parse(meetingGapNudgeAt(args.context)) <= Date.parse(now(args)),
    meetingGapEscalationReached: (args) => Date.parse(meetingGapEscalateAt(args.context)) <= Date.parse(now(args)),
  },
  actions: {
    ...effects,
    noteIntroduction: assign(({ context, event }) => ({
      introductions: {
        count: context.introductions.count + 1,
        lastAt: now({ context, event }),
        lastFormat: (event as EventOf<'introduction.held'>).format,
      },
    })),
    noteAccepted: assign((args) => ({ acceptedAt: now(args), contactClockFrom: now(args) })),
    noteNotStarted: assign((args, params: Pick<NonNullable<MatchContext['notStarted']>, 'by' | 'reason'>) => ({
      notStarted: { at: now(args), ...params },
    })),
    noteDeclined: assign((args) => ({
      notStarted: { at: now(args), by: 'youngPerson' as const, reason: (args.event as EventOf<'youngPerson.declined'>).reason },
    })),
    noteWithdrawn: assign((args) => ({
      notStarted: { at: now(args), by: 'coordinator' as const, reason: (args.event as EventOf<'proposal.withdrawn'>).reason },
    })),
    noteGoals: assign((args) => ({
      goals: {
        agreedAt: args.context.goals.agreedAt ?? now(args),
        times: args.context.goals.times + 1,
        gettingToKnowEachOtherFirst: (args.event as EventOf<'goals.agreed'>).gettingToKnowEachOtherFirst ?? false,
      },
    })),
    noteCheckIn: assign((args) => {
      const { checkIns } = args.context;
      const seen = new Set([...checkIns.partiesThisRound, ...(args.event as EventOf<'checkIn.recorded'>).with]);
      const completed = seen.size === 2;
      return {
        checkIns: {
          conversations: checkIns.conversations + 1,
          completed: checkIns.completed + (completed ? 1 : 0),
          lastCompletedAt: completed ? now(args) : checkIns.lastCompletedAt,
          partiesThisRound: completed ? [] : [...seen],
        },
      };
    }),
    noteMeeting: assign(({ context, event }) => {
      const on = (event as EventOf<'meeting.logged'>).on;
      return { meetings: { count: context.meetings.count + 1, lastOn: laterMeeting(context.meetings.lastOn, on) } };
    }),
    noteReview: assign((args) => ({
      reviews: {
        held: args.context.reviews.held + 1,
        nextIndex: reviewIndexAfter(args.context, now(args)),
        lastHeldAt: now(args),
        lastOutcome: (args.event as EventOf<'review.held'>).outcome,
      },
    })),
    noteConcern: assign(({ context, event }) => {
      const { category } = event as EventOf<'concern.raised'>;
      return {
        concerns: {
          ...context.concerns,
          raised: context.concerns.raised + 1,
          complaints: context.concerns.complaints + (category === 'complaint' ? 1 : 0),
          safeguarding: context.concerns.safeguarding + (category === 'safeguarding' ? 1 : 0),
        },
      };
    }),
    /** The match (or the proposal) is held from the first safeguarding concern until it is resolved. */
    holdForConcern: assign((args) => ({
      concerns: { ...args.context.concerns, safeguardingOpenSince: args.context.concerns.safeguardingOpenSince ?? now(args) },
      pauses: args.context.pauses + (args.context.concerns.safeguardingOpenSince ? 0 : 1),
    })),
    noteConcernResolved: assign(({ context }) => ({
      concerns: { ...context.concerns, safeguardingOpenSince: undefined },
    })),
    /** After a pause the meeting and check-in clocks start again. */
    restartContactClock: assign((args) => ({ contactClockFrom: now(args) })),
    noteCheckExpired: assign((args) => ({ volunteerCheckExpiredSince: args.context.volunteerCheckExpiredSince ?? now(args) })),
    noteCheckRenewed: assign({ volunteerCheckExpiredSince: undefined }),
    decideEnding: assign((args) => {
      const event = args.event as EventOf<'ending.decided'>;
      return {
        ending: {
          decidedAt: now(args),
          decidedThrough: 'decision' as const,
          reason: event.reason,
          planned: event.planned,
          rematch: event.rematch,
        },
      };
    }),
    decideEndingAtReview: assign((args) => ({
      ending: {
        decidedAt: now(args),
        decidedThrough: 'review' as const,
        planned: true,
        rematch: (args.event as EventOf<'review.held'>).outcome === 'rematch',
      },
    })),
    decideEndingForSafeguarding: assign((args) => ({
      ending: {
        decidedAt: now(args),
        decidedThrough: 'safeguarding' as const,
        reason: 'safeguarding' as const,
        planned: false,
        rematch: (args.event as EventOf<'concern.resolved'>).rematch ?? false,
      },
    })),
    decideEndingAsMentorWithdrew: assign((args) => ({
      ending: {
        decidedAt: now(args),
        decidedThrough: 'volunteerExited' as const,
        reason: 'mentorWithdrew' as const,
        planned: false,
        rematch: false,
      },
    })),
    noteFormalEnding: assign((args) => {
      const event = args.event as EventOf<'ending.recorded'>;
      return {
        formalEnding: {
          recordedAt: now(args),
          method: event.method,
          reason: event.reason,
          planned: event.planned,
          rematch: event.rematch ?? args.context.ending?.rematch ?? false,
          outcomes: [...event.outcomes],
        },
      };
    }),
  },
}).createMachine({
  id: 'match',
  context: ({ input }) => initialMatchContext(input, meetingClock),
  initial: 'proposal',
  states: {
    // 5. Matching: the co-ordinator proposed this volunteer (the volunteer's journey checked its
    // gates); the young person is introduced and chooses.
    proposal: {
      initial: 'proposed',
      entry: {
        type: 'tellJourney',
        params: ({ context }) =>
          tell(context, 'youngPerson', { type: 'match.proposed', matchId: context.journeyId, volunteerId: context.volunteerId }),
      },
      on: {
        'youngPerson.accepted': { guard: 'mayAccept', target: 'active', actions: 'noteAccepted' },
        'youngPerson.declined': { target: 'declined', actions: 'noteDeclined' },
        // Before the young person decides, the co-ordinator may take the proposal back.
        'proposal.withdrawn': { target: 'declined', actions: 'noteWithdrawn' },
        'volunteer.exited': {
          target: 'declined',
          actions: { type: 'noteNotStarted', params: { by: 'volunteerExited', reason: 'mentorWithdrew' } },
        },
        'volunteer.checkExpired': { actions: 'noteCheckExpired' },
        'volunteer.checkRenewed': { actions: 'noteCheckRenewed' },
        'volunteer.checkNotClear': {
          target: '.onHold',
          actions: holdForCheckNotClear,
        },
        'concern.raised': [
          {
            guard: 'isSafeguarding',
            target: '.onHold',
            actions: alertConcern(true, true),
          },
          {
            actions: alertConcern(false, false),
          },
        ],
      },
      states: {
        proposed: {
          on: { 'introduction.held': { target: 'introduced', actions: 'noteIntroduction' } },
        },
        introduced: {
          on: { 'introduction.held': { actions: 'noteIntroduction' } },
        },
        /** A safeguarding matter before the start: nobody can accept until it is resolved. */
        onHold: {
          tags: [nudgeTag('safeguardingConcern')],
          on: {
            'concern.resolved': [
              { guard: 'resumes', target: 'resuming', actions: 'noteConcernResolved' },
              {
                target: '#match.declined',
                actions: ['noteConcernResolved', { type: 'noteNotStarted', params: { by: 'safeguarding', reason: 'safeguarding' } }],
              },
            ],
          },
        },
        resuming: {
          always: [{ guard: 'introduced', target: 'introduced' }, { target: 'proposed' }],
        },
      },
    },

    /** Never started: declined by the young person, or withdrawn before the start. */
    declined: {
      type: 'final',
      entry: [
        { type: 'tellJourney', params: ({ context }) => tell(context, 'youngPerson', { type: 'match.declined', matchId: context.journeyId }) },
        { type: 'tellJourney', params: ({ context }) => tell(context, 'volunteer', { type: 'match.declined', matchId: context.journeyId }) },
      ],
    },

    // 6-7. The active relationship: its duties run side by side until an ending is decided.
    active: {
      type: 'parallel',
      entry: [
        { type: 'tellJourney', params: ({ context }) => tell(context, 'youngPerson', { type: 'match.started', matchId: context.journeyId }) },
        { type: 'tellJourney', params: ({ context }) => tell(context, 'volunteer', { type: 'match.started', matchId: context.journeyId }) },
      ],
      on: {
        'ending.decided': { target: 'endingDecided', actions: 'decideEnding' },
        'volunteer.exited': { target: 'endingDecided', actions: 'decideEndingAsMentorWithdrew' },
      },
      states: {
        /** Initial goals within the policy time; "getting to know each other first" counts. */
        goals: {
          initial: 'awaiting',
          on: { 'goals.agreed': { target: '.agreed', actions: 'noteGoals' } },
          states: {
            awaiting: { after: { initialGoalsWithin: 'overdue' } },
            overdue: {
              tags: [nudgeTag('initialGoalsOverdue')],
              entry: { type: 'nudgeCoordinator', params: ({ context }) => notices.initialGoalsOverdue(context) },
              after: {
                nudgeUnactedFor: {
                  actions: {
                    type: 'escalateToLead',
                    params: ({ context }) => notices.stillUnacted(notices.initialGoalsOverdue(context), context),
                  },
                },
              },
            },
            agreed: {},
          },
        },

        /**
         * Contact between the pair and with the co-ordinator: logged meetings and check-ins.
         * A safeguarding concern pauses both clocks at once; a complaint or other concern goes
         * straight to the co-ordinator, never to the mentor.
         */
        contact: {
          initial: 'running',
          on: {
            'volunteer.checkNotClear': {
              target: '.paused',
              actions: holdForCheckNotClear,
            },
            'concern.raised': [
              {
                guard: 'isSafeguarding',
                target: '.paused',
                actions: alertConcern(true, true),
              },
              {
                actions: alertConcern(false, false),
              },
            ],
          },
          states: {
            running: {
              type: 'parallel',
              states: {
                /**
                 * No meeting for `meetingGapNudgeAfter`: nudge; for `meetingGapEscalateAfter`:
                 * escalate. The nudge and the escalation are sent on the way in (not on entry), so
                 * that a meeting logged late can move the clocks without repeating them.
                 */
                meetings: {
                  initial: 'recent',
                  on: {
                    'meeting.logged': [
                      { guard: and(['meetingDateAllowed', 'meetingMovesGapClock']), target: '.reassessed', actions: 'noteMeeting' },
                      { guard: 'meetingDateAllowed', actions: 'noteMeeting' },
                    ],
                  },
                  states: {
                    /** A later meeting was logged: where does the gap stand now? */
                    reassessed: {
                      always: [
                        // Escalated only once nudged, even under a policy that sets the escalation first.
                        { guard: and(['meetingGapNudgeReached', 'meetingGapEscalationReached']), target: 'gapEscalated' },
                        { guard: 'meetingGapNudgeReached', target: 'gap' },
                        { target: 'recent' },
                      ],
                    },
                    recent: {
                      after: {
                        meetingGapNudgeAfter: {
                          target: 'gap',
                          actions: { type: 'nudgeCoordinator', params: ({ context }) => notices.meetingGap(context) },
                        },
                      },
                    },
                    gap: {
                      tags: [nudgeTag('meetingGap')],
                      after: {
                        meetingGapEscalateAfter: {
                          target: 'gapEscalated',
                          actions: { type: 'escalateToLead', params: ({ context }) => notices.meetingGapEscalated(context) },
                        },
                      },
                    },
                    gapEscalated: {
                      tags: [nudgeTag('meetingGap'), nudgeTag('meetingGapEscalated')],
                    },
                  },
                },
                /** The first check-in soon, a number in the first month, then at least every period. */
                checkIns: {
                  initial: 'upToDate',
                  on: {
                    'checkIn.recorded': [
                      { guard: 'checkInCompleted', target: '.upToDate', actions: 'noteCheckIn' },
                      // Only one of the pair so far: the check-in is still owed by the other.
                      { actions: 'noteCheckIn' },
                    ],
                  },
                  states: {
                    upToDate: { after: { checkInDue: 'overdue' } },
                    overdue: {
                      tags: [nudgeTag('checkInOverdue')],
                      entry: { type: 'nudgeCoordinator', params: ({ context }) => notices.checkInOverdue(context) },
                      after: {
                        nudgeUnactedFor: {
                          actions: {
                            type: 'escalateToLead',
                            params: ({ context }) => notices.stillUnacted(notices.checkInOverdue(context), context),
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
            /** Paused for a safeguarding matter: no meeting or check-in is chased until it is resolved. */
            paused: {
              tags: [nudgeTag('safeguardingConcern')],
              on: {
                // Meetings up to the day of the pause may still be logged, and the co-ordinator
                // keeps talking with both; neither restarts a clock while paused.
                'meeting.logged': { guard: 'meetingDateAllowed', actions: 'noteMeeting' },
                'checkIn.recorded': { actions: 'noteCheckIn' },
                'concern.resolved': [
                  { guard: 'resumes', target: 'running', actions: ['noteConcernResolved', 'restartContactClock'] },
                  { target: '#match.endingDecided', actions: ['noteConcernResolved', 'decideEndingForSafeguarding'] },
                ],
              },
            },
          },
        },

        /** Reviews at each of `reviewsAfter`, then every `reviewEvery`; continue, end or rematch. */
        reviews: {
          initial: 'scheduled',
          on: {
            'review.held': [
              { guard: 'reviewContinues', target: '.scheduled', actions: 'noteReview' },
              { target: '#match.endingDecided', actions: ['noteReview', 'decideEndingAtReview'] },
            ],
          },
          states: {
            scheduled: { after: { reviewDue: 'due' } },
            due: {
              tags: [nudgeTag('reviewDue')],
              entry: { type: 'nudgeCoordinator', params: ({ context }) => notices.reviewDue(context) },
              after: {
                nudgeUnactedFor: {
                  actions: {
                    type: 'escalateToLead',
                    params: ({ context }) => notices.stillUnacted(notices.reviewDue(context), context),
                  },
                },
              },
            },
          },
        },

        /** Told by the volunteer's journey: a mentor in a match whose safeguarding check expired. */
        volunteerCheck: {
          initial: 'valid',
          states: {
            valid: {
              always: { guard: 'volunteerCheckHasExpired', target: 'expired' },
              on: { 'volunteer.checkExpired': { target: 'expired', actions: 'noteCheckExpired' } },
            },
            expired: {
              tags: [nudgeTag('volunteerCheckExpired')],
              entry: {
                type: 'nudgeCoordinator',
                params: ({ context }) => notices.volunteerCheckExpired(context),
              },
              on: {
                'volunteer.checkRenewed': { target: 'valid', actions: 'noteCheckRenewed' },
              },
              after: {
                nudgeUnactedFor: {
                  actions: {
                    type: 'escalateToLead',
                    params: ({ context }) => notices.stillUnacted(notices.volunteerCheckExpired(context), context),
                  },
                },
              },
            },
          },
        },
      },
    },

    // 8. Ending: decided (by a decision, a review, a safeguarding outcome or the mentor leaving),
    // then formally recorded at a closing meeting or by letter.
    endingDecided: {
      initial: 'awaitingRecord',
      on: {
        'ending.recorded': { target: 'closed', actions: 'noteFormalEnding' },
        // A planned ending often has a last meeting before the closing one.
        'meeting.logged': { guard: 'meetingDateAllowed', actions: 'noteMeeting' },
        'concern.raised': [
          {
            guard: 'isSafeguarding',
            actions: alertConcern(true, false),
          },
          {
            actions: alertConcern(false, false),
          },
        ],
        // A concern that paused the match may be closed off while the ending goes ahead.
        'concern.resolved': { guard: 'safeguardingConcernOpen', actions: 'noteConcernResolved' },
        'volunteer.checkExpired': { actions: 'noteCheckExpired' },
        'volunteer.checkRenewed': { actions: 'noteCheckRenewed' },
        'volunteer.checkNotClear': {
          actions: [
            { type: 'nudgeCoordinator', params: (args) => notices.volunteerCheckNotClear(args.context, now(args), false) },
            { type: 'escalateToLead', params: (args) => notices.volunteerCheckNotClear(args.context, now(args), false) },
          ],
        },
      },
      states: {
        awaitingRecord: { after: { formalEndingNudgeAfter: 'recordOverdue' } },
        recordOverdue: {
          tags: [nudgeTag('formalEndingOverdue')],
          entry: { type: 'nudgeCoordinator', params: ({ context }) => notices.formalEndingOverdue(context) },
          after: {
            nudgeUnactedFor: {
              actions: {
                type: 'escalateToLead',
                params: ({ context }) => notices.stillUnacted(notices.formalEndingOverdue(context), context),
              },
            },
          },
        },
      },
    },

    /** Formally ended. The young person's journey learns whether a new mentor is wanted. */
    closed: {
      type: 'final',
      entry: [
        {
          type: 'tellJourney',
          params: ({ context }) =>
            tell(context, 'youngPerson', {
              type: 'match.ended',
              matchId: context.journeyId,
              outcome: context.formalEnding?.rematch ? 'rematch' : 'ended',
            }),
        },
        { type: 'tellJourney', params: ({ context }) => tell(context, 'volunteer', { type: 'match.ended', matchId: context.journeyId }) },
      ],
    },
  },
});

export type MatchMachine = ReturnType<typeof createMatchMachine>;
/** Match version 2, the current one. */
export const matchMachine: MatchMachine = createMatchMachine('policyScale');
/** Match version 1: meeting gaps count from the meeting's day, whatever the policy. */
export const matchMachineV1: MatchMachine = createMatchMachine('day');
