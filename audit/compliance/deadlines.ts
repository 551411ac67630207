/**
 * A duty with a deadline, followed through a journey's steps: after each step, the deadline the
 * journey's facts and policy set (or none, when the duty does not apply at that stage). A deadline
 * that passes before the next step (or the audit date) is missed; it counts once, however many
 * steps pass while it stays missed, and it is met late at the step that moves it on.
 */
import type { JourneyStep } from '../mirror';

export interface Deadline {
  /** When the duty fell due (ISO 8601). */
  dueAt: string;
  /** The step that set it (its facts are the ones at the time). */
  setBy: JourneyStep;
}

export interface DeadlineOutcome extends Deadline {
  /**
   * onTime: it stopped applying (the duty was done, or no longer asked) before it fell due;
   * late: only after it had passed; overdue: it had passed and still applied at the audit date.
   */
  status: 'onTime' | 'late' | 'overdue';
  /** The step at which it stopped applying, if it did. */
  resolvedBy?: JourneyStep;
}

/**
 * Every distinct deadline the journey had for one duty, and what became of it. A deadline still in
 * the future at the audit date and not yet met is left out: it is not due yet.
 */
export function followDeadlines(
  steps: readonly JourneyStep[],
  asOf: string,
  deadlineAfter: (step: JourneyStep) => string | undefined,
): DeadlineOutcome[] {
  const outcomes: DeadlineOutcome[] = [];
  let current: DeadlineOutcome | undefined;
  const settle = (resolvedBy: JourneyStep | undefined) => {
    if (!current) return;
    if (resolvedBy) current.resolvedBy = resolvedBy;
    const doneAt = resolvedBy?.at;
    const passed = Date.parse(current.dueAt) < Date.parse(doneAt ?? asOf);
    current.status = !passed ? 'onTime' : resolvedBy ? 'late' : 'overdue';
    if (resolvedBy || passed) outcomes.push(current);
    current = undefined;
  };
  for (const step of steps) {
    if (Date.parse(step.at) > Date.parse(asOf)) break;
    const dueAt = deadlineAfter(step);
    if (current && current.dueAt !== dueAt) settle(step);
    if (dueAt && !current) current = { dueAt, setBy: step, status: 'overdue' };
  }
  settle(undefined);
  return outcomes;
}

/** Whole days (rounded down) from `from` to `to`. */
export function daysBetween(from: string, to: string): number {
  return Math.floor((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

export function dayOf(iso: string): string {
  return iso.slice(0, 10);
}
