/**
 * iCalendar (RFC 5545) invitations for supervision sessions, as iTIP (RFC 5546) REQUEST and CANCEL.
 *
 * Times are written in the scheme's time zone (DTSTART;TZID=Europe/London) with a VTIMEZONE, so a
 * session at 10:00 stays at 10:00 across a change of the clocks, whatever the attendee's calendar
 * is set to. The VTIMEZONE is derived from the IANA rules Node ships with (Intl), not from a table
 * kept here, so it is right for any zone a scheme names: a yearly RRULE when the zone's changes
 * follow one ("last Sunday of March"), otherwise the actual changes around the event. Google and
 * Apple calendars read the IANA TZID; Outlook needs the VTIMEZONE.
 *
 * The same session always has the same UID; SEQUENCE rises with each reschedule so calendars
 * update the entry instead of adding another.
 */
import { localDateTime, offsetMinutes, offsetTransitions, type OffsetTransition } from './time-zone';

export interface CalendarPerson {
  name?: string;
  email: string;
}

export interface SupervisionCalendarEvent {
  method: 'REQUEST' | 'CANCEL';
  sessionId: string;
  sequence: number;
  /** ISO 8601 instant. */
  startsAt: string;
  durationMinutes: number;
  /** IANA time zone of the scheme. */
  timeZone: string;
  organizer: CalendarPerson;
  attendee: CalendarPerson;
  summary: string;
  description?: string;
  /** When this calendar object was made (DTSTAMP). */
  stamp: Date;
}

/** Stable per session: a reschedule or a cancellation refers to the same calendar entry. */
export function supervisionUid(sessionId: string): string {
  return `${sessionId}@mentorflow`;
}

export function supervisionCalendar(event: SupervisionCalendarEvent): string {
  const start = Date.parse(event.startsAt);
  const end = start + event.durationMinutes * 60_000;
  const cancelled = event.method === 'CANCEL';
  const lines = [
    'BEGIN:VCALENDAR',
    'PRODID:-//mentorflow//supervision//EN',
    'VERSION:2.0',
    'CALSCALE:GREGORIAN',
    `METHOD:${event.method}`,
    ...vtimezone(event.timeZone, start),
    'BEGIN:VEVENT',
    `UID:${supervisionUid(event.sessionId)}`,
    `SEQUENCE:${event.sequence}`,
    `DTSTAMP:${utcDateTime(event.stamp.getTime())}`,
    `DTSTART;TZID=${event.timeZone}:${localDateTimeText(start, event.timeZone)}`,
    `DTEND;TZID=${event.timeZone}:${localDateTimeText(end, event.timeZone)}`,
    `SUMMARY:${escapeText(cancelled ? `Cancelled: ${event.summary}` : event.summary)}`,
    ...(event.description ? [`DESCRIPTION:${escapeText(event.description)}`] : []),
    `ORGANIZER${cn(event.organizer)}:mailto:${event.organizer.email}`,
    `ATTENDEE${cn(event.attendee)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=${cancelled ? 'FALSE' : 'TRUE'}:mailto:${event.attendee.email}`,
    `STATUS:${cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

// ---------------------------------------------------------------------------------------------
// VTIMEZONE

interface Observance {
  kind: 'STANDARD' | 'DAYLIGHT';
  /** Local time in the offset before the change (RFC 5545 3.6.5). */
  start: string;
  from: number;
  to: number;
  name?: string;
  rrule?: string;
}

// Finding the changes costs tens of milliseconds (a daily scan of three years through Intl).
const vtimezoneCache = new Map<string, string[]>();

/** The observances around `aroundUtc`: the year before, the year itself and the year after. */
export function vtimezone(timeZone: string, aroundUtc: number): string[] {
  const year = localDateTime(aroundUtc, timeZone).year;
  const key = `${timeZone} ${year}`;
  let lines = vtimezoneCache.get(key);
  if (!lines) {
    lines = buildVtimezone(timeZone, year, aroundUtc);
    vtimezoneCache.set(key, lines);
  }
  return [...lines];
}

function buildVtimezone(timeZone: string, year: number, aroundUtc: number): string[] {
  const years = [year - 1, year, year + 1].map((y) => offsetTransitions(timeZone, y));
  let observances: Observance[];
  if (years.every((t) => t.length === 0)) {
    const offset = offsetMinutes(aroundUtc, timeZone);
    observances = [{ kind: 'STANDARD', start: '19700101T000000', from: offset, to: offset, name: zoneName(timeZone, aroundUtc) }];
  } else {
    observances = yearlyRules(timeZone, years) ?? explicitChanges(timeZone, years.flat());
  }
  return [
    'BEGIN:VTIMEZONE',
    `TZID:${timeZone}`,
    ...observances.flatMap((o) => [
      `BEGIN:${o.kind}`,
      `DTSTART:${o.start}`,
      `TZOFFSETFROM:${offsetText(o.from)}`,
      `TZOFFSETTO:${offsetText(o.to)}`,
      ...(o.rrule ? [`RRULE:${o.rrule}`] : []),
      ...(o.name ? [`TZNAME:${o.name}`] : []),
      `END:${o.kind}`,
    ]),
    'END:VTIMEZONE',
  ];
}

interface Rule {
  month: number;
  /** 1-4 for the nth weekday of the month, -1 for the last. */
  ordinal: number;
  weekday: number;
  time: string;
  from: number;
  to: number;
}

const weekdays = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

function ruleOf(t: OffsetTransition): Rule {
  // The wall clock just before the change, as RFC 5545 wants the onset written.
  const local = new Date(t.atUtc + t.fromMinutes * 60_000);
  const day = local.getUTCDate();
  const daysInMonth = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 0)).getUTCDate();
  return {
    month: local.getUTCMonth() + 1,
    ordinal: day + 7 > daysInMonth ? -1 : Math.ceil(day / 7),
    weekday: local.getUTCDay(),
    time: local.toISOString().slice(11, 19),
    from: t.fromMinutes,
    to: t.toMinutes,
  };
}

const sameRule = (a: Rule, b: Rule) =>
  a.month === b.month && a.ordinal === b.ordinal && a.weekday === b.weekday && a.time === b.time && a.from === b.from && a.to === b.to;

/** One observance per change with a yearly RRULE, when all three years follow the same rules. */
function yearlyRules(timeZone: string, years: OffsetTransition[][]): Observance[] | undefined {
  const [first, ...rest] = years;
  if (!first || first.length === 0) return undefined;
  const rules = first.map(ruleOf);
  const consistent = rest.every((y) => y.length === rules.length && y.map(ruleOf).every((r, i) => sameRule(r, rules[i]!)));
  if (!consistent) return undefined;
  return first.map((t, i) => {
    const rule = rules[i]!;
    return {
      kind: t.toMinutes > t.fromMinutes ? 'DAYLIGHT' : 'STANDARD',
      start: icalLocal(t.atUtc + t.fromMinutes * 60_000),
      from: t.fromMinutes,
      to: t.toMinutes,
      name: zoneName(timeZone, t.atUtc),
      rrule: `FREQ=YEARLY;BYMONTH=${rule.month};BYDAY=${rule.ordinal}${weekdays[rule.weekday]}`,
    };
  });
}

/** The changes themselves, with the offset in force before the first. */
function explicitChanges(timeZone: string, transitions: OffsetTransition[]): Observance[] {
  const first = transitions[0]!;
  return [
    { kind: 'STANDARD', start: '19700101T000000', from: first.fromMinutes, to: first.fromMinutes },
    ...transitions.map(
      (t): Observance => ({
        kind: t.toMinutes > t.fromMinutes ? 'DAYLIGHT' : 'STANDARD',
        start: icalLocal(t.atUtc + t.fromMinutes * 60_000),
        from: t.fromMinutes,
        to: t.toMinutes,
        name: zoneName(timeZone, t.atUtc),
      }),
    ),
  ];
}

/** "BST", "EST": only when the platform knows a real abbreviation (TZNAME is optional). */
function zoneName(timeZone: string, utcMs: number): string | undefined {
  for (const locale of ['en-GB', 'en-US']) {
    const name = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' })
      .formatToParts(new Date(utcMs))
      .find((p) => p.type === 'timeZoneName')?.value;
    if (name && /^[A-Z]{3,5}$/.test(name)) return name;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Values and content lines

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** A "floating" iCalendar date-time from a UTC-based millisecond count that already holds wall time. */
function icalLocal(wallMs: number): string {
  return new Date(wallMs).toISOString().slice(0, 19).replace(/[-:]/g, '');
}

function localDateTimeText(utcMs: number, timeZone: string): string {
  const l = localDateTime(utcMs, timeZone);
  return `${pad(l.year, 4)}${pad(l.month)}${pad(l.day)}T${pad(l.hour)}${pad(l.minute)}${pad(l.second)}`;
}

function utcDateTime(utcMs: number): string {
  return `${icalLocal(Math.floor(utcMs / 1000) * 1000)}Z`;
}

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

/** TEXT values (RFC 5545 3.3.11). */
export function escapeText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** A CN parameter: always quoted; a quoted-string may not hold DQUOTE or control characters. */
function cn(person: CalendarPerson): string {
  if (!person.name) return '';
  // eslint-disable-next-line no-control-regex
  const name = person.name.replace(/["\u0000-\u001f\u007f]/g, '').trim();
  return name ? `;CN="${name}"` : '';
}

/**
 * Fold a content line at 75 octets (RFC 5545 3.1): continuation lines start with one space, which
 * counts towards their 75. A UTF-8 character is never split across lines.
 */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    if (octets + size > limit) {
      out.push(current);
      current = '';
      octets = 0;
      limit = 74;
    }
    current += char;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}
