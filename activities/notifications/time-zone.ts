/**
 * Wall-clock time in a scheme's time zone, from the IANA rules Node ships with (Intl), so no time
 * zone table has to be kept here. Used for the times people read in a message and for the
 * VTIMEZONE of a calendar invitation.
 */

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const partFormatters = new Map<string, Intl.DateTimeFormat>();

function partFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = partFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock time in `timeZone` at the instant `utcMs`. */
export function localDateTime(utcMs: number, timeZone: string): LocalDateTime {
  const parts: Record<string, number> = {};
  for (const part of partFormatter(timeZone).formatToParts(new Date(utcMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** Minutes to add to UTC to get the wall clock in `timeZone` at `utcMs` (London in summer: 60). */
export function offsetMinutes(utcMs: number, timeZone: string): number {
  const l = localDateTime(utcMs, timeZone);
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

/** A change of UTC offset, e.g. the clocks going forward. */
export interface OffsetTransition {
  /** The first instant with the new offset (UTC milliseconds). */
  atUtc: number;
  fromMinutes: number;
  toMinutes: number;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * Every change of offset in a calendar year (UTC), found to the minute: a daily scan, then a
 * binary search inside the day where the offset changed.
 */
export function offsetTransitions(timeZone: string, year: number): OffsetTransition[] {
  const transitions: OffsetTransition[] = [];
  const end = Date.UTC(year + 1, 0, 1);
  let previous = offsetMinutes(Date.UTC(year, 0, 1), timeZone);
  for (let day = Date.UTC(year, 0, 1); day < end; day += DAY) {
    const next = offsetMinutes(day + DAY, timeZone);
    if (next === previous) continue;
    let lo = day;
    let hi = day + DAY;
    while (hi - lo > MINUTE) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
      if (offsetMinutes(mid, timeZone) === previous) lo = mid;
      else hi = mid;
    }
    transitions.push({ atUtc: hi, fromMinutes: previous, toMinutes: next });
    previous = next;
  }
  return transitions;
}

const readableFormatters = new Map<string, Intl.DateTimeFormat>();

/** "Tuesday 3 June 2025 at 10:00", in the scheme's time zone, as people in the UK write it. */
export function formatForPeople(iso: string, timeZone: string): string {
  let formatter = readableFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'full', timeStyle: 'short' });
    readableFormatters.set(timeZone, formatter);
  }
  return formatter.format(new Date(iso));
}

/** "10:00", the time of day only. */
export function formatTimeOfDay(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, timeStyle: 'short' }).format(new Date(iso));
}

/** "3 Jun 2025, 10:00": short enough for a subject line. */
export function formatShort(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}
