/** iCalendar for supervision: time zones from Intl, folding, escaping, REQUEST and CANCEL. */
import { describe, expect, it } from 'vitest';
import { escapeText, foldLine, supervisionCalendar, vtimezone, type SupervisionCalendarEvent } from '../../../activities/notifications/ical';
import { offsetTransitions } from '../../../activities/notifications/time-zone';
import { icsText, parseIcs } from '../../helpers/smtp';

const base: SupervisionCalendarEvent = {
  method: 'REQUEST',
  sessionId: 'sup-1',
  sequence: 0,
  startsAt: '2025-03-30T09:00:00Z',
  durationMinutes: 60,
  timeZone: 'Europe/London',
  organizer: { name: 'Priya Shah', email: 'priya@riverside.example.org' },
  attendee: { name: 'Sam', email: 'sam@mail.example.net' },
  summary: 'Supervision with Priya Shah',
  stamp: new Date('2025-03-01T12:34:56.789Z'),
};

describe('time zones', () => {
  it('finds the changes of the clocks in London to the minute', () => {
    expect(offsetTransitions('Europe/London', 2025)).toEqual([
      { atUtc: Date.parse('2025-03-30T01:00:00Z'), fromMinutes: 0, toMinutes: 60 },
      { atUtc: Date.parse('2025-10-26T01:00:00Z'), fromMinutes: 60, toMinutes: 0 },
    ]);
  });

  it('writes yearly rules for zones that follow one, northern and southern', () => {
    const ny = parseIcs(['BEGIN:VCALENDAR', ...vtimezone('America/New_York', Date.parse('2025-06-01T00:00:00Z')), 'END:VCALENDAR', ''].join('\r\n'));
    const tz = ny.component('VTIMEZONE')!;
    expect(tz.component('DAYLIGHT')?.prop('RRULE')?.value).toBe('FREQ=YEARLY;BYMONTH=3;BYDAY=2SU');
    expect(tz.component('DAYLIGHT')?.prop('TZOFFSETFROM')?.value).toBe('-0500');
    expect(tz.component('STANDARD')?.prop('RRULE')?.value).toBe('FREQ=YEARLY;BYMONTH=11;BYDAY=1SU');
    expect(tz.component('STANDARD')?.prop('DTSTART')?.value).toBe('20241103T020000');

    const sydney = vtimezone('Australia/Sydney', Date.parse('2025-06-01T00:00:00Z')).join('\n');
    expect(sydney).toContain('TZOFFSETFROM:+1100\nTZOFFSETTO:+1000\nRRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU');
  });

  it('writes one fixed offset for a zone without changes', () => {
    // TZNAME is optional and left out: ICU's English locales have no abbreviation for this zone.
    expect(vtimezone('Asia/Kolkata', Date.parse('2025-06-01T00:00:00Z'))).toEqual([
      'BEGIN:VTIMEZONE',
      'TZID:Asia/Kolkata',
      'BEGIN:STANDARD',
      'DTSTART:19700101T000000',
      'TZOFFSETFROM:+0530',
      'TZOFFSETTO:+0530',
      'END:STANDARD',
      'END:VTIMEZONE',
    ]);
  });

  it('puts a session on the day the clocks change at the right wall-clock time', () => {
    // 09:00Z on 30 March 2025 is 10:00 BST: the clocks went forward at 01:00Z that morning.
    const event = parseIcs(supervisionCalendar(base)).component('VEVENT')!;
    expect(event.prop('DTSTART')?.value).toBe('20250330T100000');
    expect(event.prop('DTEND')?.value).toBe('20250330T110000');
    expect(event.prop('DTSTAMP')?.value).toBe('20250301T123456Z');
  });
});

describe('content lines', () => {
  it('fold at 75 octets without splitting a UTF-8 character, continuation lines starting with a space', () => {
    const line = `DESCRIPTION:${'é'.repeat(100)}`;
    const folded = foldLine(line);
    const physical = folded.split('\r\n');
    expect(physical.length).toBeGreaterThan(1);
    for (const p of physical) expect(Buffer.byteLength(p, 'utf8')).toBeLessThanOrEqual(75);
    for (const p of physical.slice(1)) expect(p.startsWith(' ')).toBe(true);
    expect(folded.replace(/\r\n /g, '')).toBe(line);
    expect(foldLine('SHORT:x')).toBe('SHORT:x');
  });

  it('escape text values', () => {
    expect(escapeText('a, b; c\\d\ne')).toBe('a\\, b\\; c\\\\d\\ne');
    expect(icsText(escapeText('a, b; c\\d\ne'))).toBe('a, b; c\\d\ne');
  });

  it('keep a quote out of a common name', () => {
    const ics = supervisionCalendar({ ...base, organizer: { name: 'Priya "P" Shah', email: 'priya@riverside.example.org' } });
    expect(parseIcs(ics).component('VEVENT')!.prop('ORGANIZER')?.params.CN).toBe('Priya P Shah');
  });
});

describe('invitations', () => {
  it('a cancellation keeps the UID, takes the sequence given and says CANCELLED', () => {
    const cal = parseIcs(supervisionCalendar({ ...base, method: 'CANCEL', sequence: 3 }));
    expect(cal.prop('METHOD')?.value).toBe('CANCEL');
    const event = cal.component('VEVENT')!;
    expect(event.prop('UID')?.value).toBe('sup-1@mentorflow');
    expect(event.prop('SEQUENCE')?.value).toBe('3');
    expect(event.prop('STATUS')?.value).toBe('CANCELLED');
    expect(event.prop('ATTENDEE')?.params.RSVP).toBe('FALSE');
    expect(icsText(event.prop('SUMMARY')!.value)).toBe('Cancelled: Supervision with Priya Shah');
  });

  it('ends with CRLF and has nothing but CRLF line ends', () => {
    const ics = supervisionCalendar(base);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });
});
