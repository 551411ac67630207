/**
 * Policy durations as a scheme writes them: "5 working days", "6 weeks", "3 months", "30 seconds".
 *
 * Calendar units (days and longer) are added on the calendar, not as fixed milliseconds, so that
 * "3 months" after 31 January is 30 April and a review falls on the date a co-ordinator expects.
 * Working days skip Saturdays and Sundays; bank holidays differ between the UK nations and are not
 * modelled. Seconds and minutes exist so that a demo or a test can run a whole journey in minutes.
 */
import { z } from 'zod';

export const durationUnits = [
  'second',
  'minute',
  'hour',
  'day',
  'working day',
  'week',
  'month',
  'year',
] as const;
export type DurationUnit = (typeof durationUnits)[number];

export interface PolicyDuration {
  readonly amount: number;
  readonly unit: DurationUnit;
  /** The text the scheme wrote, kept for messages and the audit trail. */
  readonly text: string;
}

const durationPattern = /^\s*(\d+)\s+(seconds?|minutes?|hours?|days?|working days?|weeks?|months?|years?)\s*$/i;

export function parseDuration(text: string): PolicyDuration | undefined {
  const match = durationPattern.exec(text);
  if (!match) return undefined;
  const amount = Number(match[1]);
  const unit = match[2]!.toLowerCase().replace(/s$/, '') as DurationUnit;
  return { amount, unit, text: `${amount} ${unit}${amount === 1 ? '' : 's'}` };
}

/** A duration field in the policy file: a string such as "6 weeks". */
export const durationSchema = z.string().transform((text, ctx) => {
  const parsed = parseDuration(text);
  if (!parsed) {
    ctx.addIssue({
      code: 'custom',
      message: `"${text}" is not a duration: write a whole number and a unit, e.g. "5 working days", "6 weeks", "3 months" or "30 seconds"`,
    });
    return z.NEVER;
  }
  return parsed;
});

const MS = { second: 1_000, minute: 60_000, hour: 3_600_000 } as const;
const DAY_MS = 86_400_000;

/** Whether a duration is shorter than a day (a demo's or a test's "2 minutes"); calendar units never are. */
export function isShorterThanADay({ amount, unit }: PolicyDuration): boolean {
  return (unit === 'second' || unit === 'minute' || unit === 'hour') && amount * MS[unit] < DAY_MS;
}

/** The instant `duration` after `from` (both ISO 8601 strings, UTC). */
export function addDuration(from: string, duration: PolicyDuration): string {
  return new Date(addDurationMs(Date.parse(from), duration)).toISOString();
}

export function addDurationMs(fromMs: number, { amount, unit }: PolicyDuration): number {
  switch (unit) {
    case 'second':
    case 'minute':
    case 'hour':
      return fromMs + amount * MS[unit];
    case 'day':
      return fromMs + amount * DAY_MS;
    case 'week':
      return fromMs + amount * 7 * DAY_MS;
    case 'working day':
      return addWorkingDays(fromMs, amount);
    case 'month':
      return addMonths(fromMs, amount);
    case 'year':
      return addMonths(fromMs, amount * 12);
  }
}

/** The instant `duration` before `to`. Used for reminders ahead of an expiry date. */
export function subtractDuration(to: string, { amount, unit, text }: PolicyDuration): string {
  if (unit === 'working day') {
    let ms = Date.parse(to);
    for (let left = amount; left > 0; ) {
      ms -= DAY_MS;
      if (!isWeekend(ms)) left--;
    }
    return new Date(ms).toISOString();
  }
  return addDuration(to, { amount: -amount, unit, text });
}

function isWeekend(ms: number): boolean {
  const day = new Date(ms).getUTCDay();
  return day === 0 || day === 6;
}

function addWorkingDays(fromMs: number, amount: number): number {
  let ms = fromMs;
  for (let left = amount; left > 0; ) {
    ms += DAY_MS;
    if (!isWeekend(ms)) left--;
  }
  return ms;
}

function addMonths(fromMs: number, months: number): number {
  const date = new Date(fromMs);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return date.getTime();
}

/** Milliseconds from `nowIso` until `dueIso`, never negative: a past deadline is due at once. */
export function msUntil(dueIso: string, nowIso: string): number {
  return Math.max(0, Date.parse(dueIso) - Date.parse(nowIso));
}

/** Whole years between two ISO dates (an age, or years since leaving care). */
export function wholeYearsBetween(earlierIso: string, laterIso: string): number {
  const a = new Date(earlierIso);
  const b = new Date(laterIso);
  let years = b.getUTCFullYear() - a.getUTCFullYear();
  const beforeAnniversary =
    b.getUTCMonth() < a.getUTCMonth() ||
    (b.getUTCMonth() === a.getUTCMonth() && b.getUTCDate() < a.getUTCDate());
  if (beforeAnniversary) years--;
  return years;
}

/** Whole calendar months between two instants (time waited). */
export function wholeMonthsBetween(earlierIso: string, laterIso: string): number {
  const a = new Date(earlierIso);
  const b = new Date(laterIso);
  let months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
  if (b.getUTCDate() < a.getUTCDate()) months--;
  return months;
}
