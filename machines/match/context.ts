/**
 * What a match journey remembers: counts and dates, never notes about people. Every deadline is
 * computed from these facts and the policy (schedule.ts), so a restored snapshot needs nothing else.
 */
import type { JourneyContextBase } from '../journey';
import type { SchemePolicy } from '../policy';
import type {
  CheckInParty,
  DeclineReason,
  WithdrawalReason,
  EndingMethod,
  EndingReason,
  IntroductionFormat,
  MatchInput,
  ReviewOutcome,
} from './events';

export interface MatchContext extends JourneyContextBase {
  youngPersonId: string;
  volunteerId: string;
  peer: boolean;
  policy: SchemePolicy;
  introductions: { count: number; lastAt?: string; lastFormat?: IntroductionFormat };
  /** When the young person accepted: the match started. */
  acceptedAt?: string;
  /** Why the match never started. */
  notStarted?: {
    at: string;
    by: 'youngPerson' | 'volunteerExited' | 'safeguarding' | 'coordinator';
    reason: DeclineReason | WithdrawalReason | 'mentorWithdrew' | 'safeguarding';
  };
  goals: { agreedAt?: string; times: number; gettingToKnowEachOtherFirst: boolean };
  /** `lastOn` is the latest meeting's `on` as logged: a date, or a date and time. */
  meetings: { count: number; lastOn?: string };
  /**
   * How the meeting-gap clock reads a meeting's `on` (schedule.ts). Absent in journeys begun on
   * match version 1, which count from the meeting's day whatever the policy.
   */
  meetingClock?: MeetingClock;
  /**
   * A check-in counts once the co-ordinator has spoken with both mentor and mentee, together or
   * in separate conversations: `partiesThisRound` holds who has been seen towards the next one.
   */
  checkIns: { completed: number; lastCompletedAt?: string; partiesThisRound: CheckInParty[]; conversations: number };
  /** When the meeting and check-in clocks last (re)started: the match start, or a resume after a pause. */
  contactClockFrom?: string;
  pauses: number;
  /** `nextIndex` is the scheduled review the next one held counts for (0 = the first in policy). */
  reviews: { held: number; nextIndex: number; lastHeldAt?: string; lastOutcome?: ReviewOutcome };
  concerns: { raised: number; complaints: number; safeguarding: number; safeguardingOpenSince?: string };
  /** When this journey learned that the mentor's safeguarding check had expired; unset once renewed. */
  volunteerCheckExpiredSince?: string;
  ending?: {
    decidedAt: string;
    decidedThrough: 'decision' | 'review' | 'safeguarding' | 'volunteerExited';
    /** Unknown until the formal record when the ending came out of a review. */
    reason?: EndingReason;
    planned: boolean;
    rematch: boolean;
  };
  formalEnding?: {
    recordedAt: string;
    method: EndingMethod;
    reason: EndingReason;
    planned: boolean;
    rematch: boolean;
    outcomes: string[];
  };
}

/**
 * `day`: from the start of the meeting's day (match version 1). `policyScale`: from the meeting's
 * moment when the policy's meeting-gap durations are shorter than a day, else from its day.
 */
export type MeetingClock = 'day' | 'policyScale';

export function initialMatchContext(input: MatchInput & { policy: SchemePolicy }, meetingClock: MeetingClock = 'policyScale'): MatchContext {
  return {
    // Left out on version 1, so that its contexts stay as they were recorded.
    ...(meetingClock === 'day' ? {} : { meetingClock }),
    journeyId: input.journeyId,
    coordinatorId: input.coordinatorId,
    startedAt: input.startedAt,
    youngPersonId: input.youngPersonId,
    volunteerId: input.volunteerId,
    peer: input.peer,
    policy: input.policy,
    introductions: { count: 0 },
    goals: { times: 0, gettingToKnowEachOtherFirst: false },
    meetings: { count: 0 },
    checkIns: { completed: 0, partiesThisRound: [], conversations: 0 },
    pauses: 0,
    reviews: { held: 0, nextIndex: 0 },
    concerns: { raised: 0, complaints: 0, safeguarding: 0 },
  };
}
