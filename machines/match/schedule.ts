/**
 * When each duty of an active match falls due, computed from what has happened (the context) and
 * the scheme policy. Pure, so the machine's delays, its nudges' `dueAt`, the status and the tests
 * all read the same dates.
 */
import { addDuration, isShorterThanADay, type PolicyDuration } from '../duration';
import type { MatchContext } from './context';

const later = (a: string, b: string) => (Date.parse(a) >= Date.parse(b) ? a : b);
const startOf = (context: MatchContext) => context.acceptedAt ?? context.startedAt;
/** The instant a calendar date begins (UTC), so a meeting "on 3 March" counts from that day. */
const dayStart = (isoDate: string) => new Date(`${isoDate}T00:00:00.000Z`).toISOString();
const isDateOnly = (on: string) => on.length === 10;

/** The UTC day of a meeting's `on` (a date, or a date and time with any offset). */
export function meetingDay(on: string): string {
  return isDateOnly(on) ? on : new Date(on).toISOString().slice(0, 10);
}

/** The moment a meeting's `on` names: its time if it has one, else the start of its day. */
export function meetingInstant(on: string): string {
  return isDateOnly(on) ? dayStart(on) : new Date(on).toISOString();
}

/**
 * Whether the gap clock counts from a meeting's moment rather than its day: only when the policy
 * nudges within a day (a demo, a seconds-scale test), where a meeting logged today would already
 * be older than the gap if it counted from midnight. Day-scale policies keep day granularity, so a
 * real scheme's deadlines fall on the dates a co-ordinator expects.
 */
export function meetingGapCountsTimes(context: MatchContext): boolean {
  const { meetingGapNudgeAfter, meetingGapEscalateAfter } = context.policy.match;
  return context.meetingClock === 'policyScale' && isShorterThanADay(meetingGapNudgeAfter) && isShorterThanADay(meetingGapEscalateAfter);
}

/** Where a meeting's `on` starts the gap clock. */
function meetingCountsFrom(context: MatchContext, on: string): string {
  return meetingGapCountsTimes(context) ? meetingInstant(on) : dayStart(meetingDay(on));
}

/** The later of two meetings' `on`, by the moment each names. */
export function laterMeeting(a: string | undefined, b: string): string {
  return a !== undefined && Date.parse(meetingInstant(a)) > Date.parse(meetingInstant(b)) ? a : b;
}

/** Initial goals are agreed within the policy time of the match starting. */
export function initialGoalsDueAt(context: MatchContext): string {
  return addDuration(startOf(context), context.policy.match.initialGoalsWithin);
}

/** The end of the first month of the match (the first check-in period). */
export function firstMonthEndsAt(context: MatchContext): string {
  return addDuration(startOf(context), context.policy.match.checkInEvery);
}

/**
 * The next co-ordinator check-in with mentor and mentee: the first within `firstCheckInWithin`;
 * `checkInsInFirstMonth` of them before the first month is out; then one every `checkInEvery`
 * after the last. Once the first month has passed, the first-month count no longer applies: a
 * co-ordinator is not nudged for a deadline that can no longer be met.
 * After a pause the clock restarts: the first check-in after it is due as at a new start.
 */
export function checkInDueAt(context: MatchContext): string {
  const policy = context.policy.match;
  const { completed, lastCompletedAt } = context.checkIns;
  let due: string;
  if (completed === 0 || !lastCompletedAt) {
    due = addDuration(startOf(context), policy.firstCheckInWithin);
  } else if (completed < policy.checkInsInFirstMonth && Date.parse(lastCompletedAt) < Date.parse(firstMonthEndsAt(context))) {
    due = firstMonthEndsAt(context);
  } else {
    due = addDuration(lastCompletedAt, policy.checkInEvery);
  }
  const clock = context.contactClockFrom;
  if (clock && context.acceptedAt && Date.parse(clock) > Date.parse(context.acceptedAt)) {
    due = later(due, addDuration(clock, policy.firstCheckInWithin));
  }
  return due;
}

/**
 * Where the meeting-gap clock counts from: the latest meeting (with `meetingOn`, as if it were
 * logged too), by its day or its moment (`meetingGapCountsTimes`), or the (re)start of contact if
 * that is later.
 */
export function meetingGapFrom(context: MatchContext, meetingOn?: string): string {
  let from = context.contactClockFrom ?? startOf(context);
  const meetings = [context.meetings.lastOn, meetingOn].filter((d): d is string => !!d);
  for (const on of meetings) from = later(from, meetingCountsFrom(context, on));
  return from;
}

export function meetingGapNudgeAt(context: MatchContext): string {
  return addDuration(meetingGapFrom(context), context.policy.match.meetingGapNudgeAfter);
}

export function meetingGapEscalateAt(context: MatchContext): string {
  return addDuration(meetingGapFrom(context), context.policy.match.meetingGapEscalateAfter);
}

function times(duration: PolicyDuration, n: number): PolicyDuration {
  return { ...duration, amount: duration.amount * n };
}

/**
 * The scheduled date of review `index` (0-based): the policy's `reviewsAfter` from the match start,
 * in date order, then one every `reviewEvery` after the last of those. Multiples are added in one
 * step so that month-end dates do not drift.
 */
export function reviewDueAt(context: MatchContext, index: number): string {
  const start = startOf(context);
  const { reviewsAfter, reviewEvery } = context.policy.match;
  const fixed = reviewsAfter.map((after) => addDuration(start, after)).sort();
  if (index < fixed.length) return fixed[index]!;
  return addDuration(fixed.at(-1)!, times(reviewEvery, index - fixed.length + 1));
}

export function nextReviewDueAt(context: MatchContext): string {
  return reviewDueAt(context, context.reviews.nextIndex);
}

/**
 * The review a review held at `heldAt` leaves next: it counts for the review now due (early or
 * late), and a late one also covers any other scheduled review whose date has already passed.
 */
export function reviewIndexAfter(context: MatchContext, heldAt: string): number {
  const held = Date.parse(heldAt);
  let next = context.reviews.nextIndex + 1;
  // Bounded: a policy with a zero `reviewEvery` must not loop forever.
  for (let guard = 0; guard < 1000 && Date.parse(reviewDueAt(context, next)) <= held; guard++) next++;
  return next;
}

/** Nudge when an ending has been decided but not formally recorded after this. */
export function formalEndingDueAt(context: MatchContext): string {
  return addDuration(context.ending?.decidedAt ?? startOf(context), context.policy.match.formalEndingNudgeAfter);
}
