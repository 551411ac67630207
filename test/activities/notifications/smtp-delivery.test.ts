/**
 * The notification activities against a real SMTP server on loopback: what each kind of message
 * says and to whom, and exactly-once delivery when the server is down, defers, or refuses.
 */
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createNotificationActivities,
  EMAIL_DELIVERY_DEFERRED,
  EMAIL_INVALID_REQUEST,
  EMAIL_RECIPIENT_REJECTED,
  EMAIL_UNKNOWN_COORDINATOR,
  messageIdFor,
  type NotificationActivities,
} from '../../../activities/notifications';
import { openDeliveryLog, type DeliveryLog } from '../../../activities/notifications/delivery-log';
import { createMailer, type Mailer } from '../../../activities/notifications/mailer';
import { loadTemplates, type Templates } from '../../../activities/notifications/templates';
import { icsText, parseIcs, partText, startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../../helpers/smtp';
import {
  directory,
  nudge,
  now,
  reminder,
  retryLikeTemporal,
  supervision,
  tempDir,
  volunteerEmail,
  youngPersonFirstName,
} from './fixtures';

let smtp: TestSmtpServer;
let mailer: Mailer;
let templates: Templates;
let dataDir: string;
let deliveryLog: DeliveryLog;
let activities: NotificationActivities;

const commandHint = (journey: { kind: string; id: string }) => `npx mentorflow status ${journey.kind} ${journey.id}`;

beforeAll(async () => {
  smtp = await startSmtpServer();
  mailer = createMailer({ smtp: smtp.smtp });
  templates = await loadTemplates();
});

afterAll(async () => {
  mailer.close();
  await smtp.stop();
});

beforeEach(async () => {
  dataDir = await tempDir('deliveries');
  deliveryLog = await openDeliveryLog(dataDir);
  activities = createNotificationActivities({ mailer, directory, templates, deliveryLog, commandHint, now });
  return () => deliveryLog.close();
});

function receivedWithId(messageId: string): ReceivedMail[] {
  return smtp.received.filter((m) => m.message.header('message-id') === messageId);
}

function only(messageId: string): ReceivedMail {
  const found = receivedWithId(messageId);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('a nudge to a co-ordinator', () => {
  it('goes to the co-ordinator from the scheme, with what is due, since when, what to do and the command', async () => {
    const req = nudge();
    const receipt = await activities.sendNotification(req);

    expect(receipt).toEqual({
      messageId: messageIdFor(req.deliveryKey, 'riverside.example.org'),
      deliveredTo: 'smtp',
      alreadyDelivered: false,
    });
    expect(receipt.messageId).toMatch(/^<mf\.[0-9a-f]{64}@riverside\.example\.org>$/);
    const mail = only(receipt.messageId);
    expect(mail.rcptTo).toEqual(['alex@riverside.example.org']);
    expect(mail.mailFrom).toBe('mentoring@riverside.example.org');
    expect(mail.message.header('from')).toBe('Riverside Mentoring <mentoring@riverside.example.org>');
    expect(mail.message.header('to')).toBe('Alex Okafor <alex@riverside.example.org>');
    expect(mail.message.header('auto-submitted')).toBe('auto-generated');
    expect(mail.message.header('x-mentorflow-kind')).toBe('nudge');

    const subject = mail.message.header('subject')!;
    expect(subject).toBe(`[Riverside Mentoring] Action needed: No meeting logged for 21 days (${req.journey.id})`);
    expect(subject).not.toContain(youngPersonFirstName);

    const text = partText(mail.message, 'text/plain')!;
    expect(text).toContain('Hello Alex Okafor,');
    expect(text).toContain('What is due: No meeting logged for 21 days');
    expect(text).toContain(`Journey: young person's journey ${req.journey.id}`);
    expect(text).toContain('Due since: Monday, 2 June 2025 at 09:00 (3 days ago)');
    expect(text).toContain(`What to do: Record the next meeting: npx mentorflow record ${req.journey.id} meeting.logged`);
    expect(text).toContain(`npx mentorflow status youngPerson ${req.journey.id}`);
    expect(text).toContain('- meetings logged: 4');
    expect(text).not.toMatch(/\{\{|\}\}/);

    const html = partText(mail.message, 'text/html')!;
    expect(html).toContain('<html lang="en-GB">');
    expect(html).toContain('No meeting logged for 21 days');
    expect(html).toContain(`<code>npx mentorflow status youngPerson ${req.journey.id}</code>`);
    expect(html).toContain('<li>meetings logged: 4</li>');
  });

  it('uses the template for its matter when there is one, naming the young person in the body only', async () => {
    const req = nudge({
      params: {
        about: 'firstContactOverdue',
        summary: 'First contact overdue',
        whatToDo: 'Contact the young person and record it',
        dueAt: '2025-06-02T08:00:00Z',
        facts: { youngPersonFirstName },
      },
    });
    const receipt = await activities.sendNotification(req);
    const mail = only(receipt.messageId);
    expect(mail.message.header('subject')).toBe(`[Riverside Mentoring] First contact overdue (${req.journey.id})`);
    const text = partText(mail.message, 'text/plain')!;
    expect(text).toContain('has not been contacted yet');
    expect(text).toContain(`First name: ${youngPersonFirstName}`);
  });

  it('escapes HTML in the values it shows', async () => {
    const req = nudge();
    req.params = { ...req.params, summary: 'Gap > 21 days & <no> meeting' };
    const receipt = await activities.sendNotification(req);
    const mail = only(receipt.messageId);
    expect(partText(mail.message, 'text/html')).toContain('Gap &gt; 21 days &amp; &lt;no&gt; meeting');
    expect(partText(mail.message, 'text/html')).not.toContain('<no>');
    expect(partText(mail.message, 'text/plain')).toContain('Gap > 21 days & <no> meeting');
  });

  it("withholds a young person's name from the subject even if a summary carries it", async () => {
    const req = nudge();
    req.params = { ...req.params, summary: `No meeting with ${youngPersonFirstName} for 21 days` };
    const receipt = await activities.sendNotification(req);
    const subject = only(receipt.messageId).message.header('subject')!;
    expect(subject).not.toContain(youngPersonFirstName);
    expect(subject).toContain('No meeting with [name withheld] for 21 days');
  });
});

describe('an escalation', () => {
  it("goes to the co-ordinator's own lead when the directory names one", async () => {
    const req = nudge({ kind: 'escalation', to: { lead: true, coordinatorId: 'co-2' } });
    const receipt = await activities.sendNotification(req);
    const mail = only(receipt.messageId);
    expect(mail.rcptTo).toEqual(['alex@riverside.example.org']);
    expect(mail.message.header('subject')).toBe(
      `[Riverside Mentoring] Passed to you: No meeting logged for 21 days (${req.journey.id})`,
    );
    expect(partText(mail.message, 'text/plain')).toContain('passed to you as lead co-ordinator');
  });

  it("goes to the scheme's lead co-ordinator otherwise", async () => {
    const receipt = await activities.sendNotification(nudge({ kind: 'escalation', to: { lead: true, coordinatorId: 'co-1' } }));
    expect(only(receipt.messageId).rcptTo).toEqual(['morgan@riverside.example.org']);
    const plain = await activities.sendNotification(nudge({ kind: 'escalation', to: { lead: true } }));
    expect(only(plain.messageId).rcptTo).toEqual(['morgan@riverside.example.org']);
  });
});

describe('a reminder to a volunteer', () => {
  it('greets them by first name, replies go to the scheme, and shows no journey id or young person', async () => {
    const req = reminder();
    req.params = { ...req.params, summary: `Your PVG membership needs renewing before you next see ${youngPersonFirstName}` };
    const receipt = await activities.sendNotification(req);
    const mail = only(receipt.messageId);
    expect(mail.rcptTo).toEqual([volunteerEmail]);
    expect(mail.message.header('to')).toBe(`Sam <${volunteerEmail}>`);
    expect(mail.message.header('reply-to')).toBe('team@riverside.example.org');
    expect(mail.message.header('subject')).toBe(
      '[Riverside Mentoring] Reminder: Your PVG membership needs renewing before you next see [name withheld]',
    );
    const text = partText(mail.message, 'text/plain')!;
    const html = partText(mail.message, 'text/html')!;
    expect(text).toContain('Hello Sam,');
    expect(text).toContain('Date: Saturday, 5 July 2025 at 01:00 (in 30 days)');
    expect(text).toContain('- check expires on: 2025-07-05');
    for (const body of [text, html, mail.message.header('subject')!]) {
      expect(body).not.toContain(youngPersonFirstName);
      expect(body).not.toContain(req.journey.id);
      expect(body).not.toContain(req.journey.workflowId);
      expect(body).not.toContain('npx mentorflow');
    }
  });

  it('refuses a nudge addressed to a volunteer, for good, and sends nothing', async () => {
    const before = smtp.received.length;
    const req = reminder({ kind: 'nudge' });
    const error = await activities.sendNotification(req).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({ type: EMAIL_INVALID_REQUEST, nonRetryable: true });
    expect((error as Error).message).toContain('a volunteer only receives reminders');
    expect((error as Error).message).not.toContain(volunteerEmail);
    expect(smtp.received.length).toBe(before);
  });
});

describe('a request the activity cannot carry out', () => {
  it('names an unknown co-ordinator by id and sends nothing', async () => {
    const before = smtp.received.length;
    const error = await activities.sendNotification(nudge({ to: { coordinatorId: 'co-404' } })).catch((e: unknown) => e);
    expect(error).toMatchObject({ type: EMAIL_UNKNOWN_COORDINATOR });
    expect((error as Error).message).toContain('"co-404" is not in the scheme directory');
    expect(smtp.received.length).toBe(before);
  });

  it('reports invalid fields by name, never by value', async () => {
    const req = reminder({ to: { volunteer: { email: 'not-an-address' } } });
    const error = await activities.sendNotification(req).catch((e: unknown) => e);
    expect(error).toMatchObject({ type: EMAIL_INVALID_REQUEST, nonRetryable: true });
    expect((error as Error).message).toContain('to.volunteer.email');
    expect((error as Error).message).not.toContain('not-an-address');
  });
});

describe('a supervision invitation', () => {
  it('carries a calendar REQUEST in the time zone of the scheme, organised by the co-ordinator', async () => {
    const req = supervision();
    const receipt = await activities.sendSupervisionInvitation(req);
    const mail = only(receipt.messageId);
    expect(mail.rcptTo).toEqual([volunteerEmail]);
    expect(mail.message.header('reply-to')).toBe('Priya Shah <priya@riverside.example.org>');
    expect(mail.message.header('subject')).toBe('[Riverside Mentoring] Supervision with Priya Shah, 3 Jun 2025, 10:00');
    const text = partText(mail.message, 'text/plain')!;
    expect(text).toContain('Priya Shah has booked your next supervision session.');
    expect(text).toContain('When: Tuesday, 3 June 2025 at 10:00 to 11:00 (Europe/London time)');

    const calendarPart = mail.message.parts.flatMap((p) => [p, ...p.parts]).find((p) => p.contentType === 'text/calendar');
    expect(calendarPart?.params.method).toBe('REQUEST');
    const attachment = partText(mail.message, 'application/ics');
    expect(attachment).toBeDefined();
    const ics = partText(mail.message, 'text/calendar')!;
    expect(attachment).toBe(ics);

    // Content lines: CRLF only, none longer than 75 octets.
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);

    const calendar = parseIcs(ics);
    expect(calendar.prop('METHOD')?.value).toBe('REQUEST');
    expect(calendar.prop('VERSION')?.value).toBe('2.0');
    const tz = calendar.component('VTIMEZONE')!;
    expect(tz.prop('TZID')?.value).toBe('Europe/London');
    expect(tz.component('DAYLIGHT')?.prop('TZOFFSETTO')?.value).toBe('+0100');
    expect(tz.component('DAYLIGHT')?.prop('RRULE')?.value).toBe('FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU');
    expect(tz.component('STANDARD')?.prop('TZOFFSETTO')?.value).toBe('+0000');
    expect(tz.component('STANDARD')?.prop('RRULE')?.value).toBe('FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU');

    const event = calendar.component('VEVENT')!;
    expect(event.prop('UID')?.value).toBe(`${req.params.sessionId}@mentorflow`);
    expect(event.prop('SEQUENCE')?.value).toBe('0');
    expect(event.prop('DTSTART')).toEqual({ name: 'DTSTART', params: { TZID: 'Europe/London' }, value: '20250603T100000' });
    expect(event.prop('DTEND')).toEqual({ name: 'DTEND', params: { TZID: 'Europe/London' }, value: '20250603T110000' });
    expect(event.prop('DTSTAMP')?.value).toBe('20250605T080000Z');
    expect(event.prop('STATUS')?.value).toBe('CONFIRMED');
    expect(event.prop('ORGANIZER')).toEqual({ name: 'ORGANIZER', params: { CN: 'Priya Shah' }, value: 'mailto:priya@riverside.example.org' });
    expect(event.prop('ATTENDEE')?.value).toBe(`mailto:${volunteerEmail}`);
    expect(event.prop('ATTENDEE')?.params).toMatchObject({ CN: 'Sam', RSVP: 'TRUE', PARTSTAT: 'NEEDS-ACTION' });
    expect(icsText(event.prop('SUMMARY')!.value)).toBe('Supervision with Priya Shah');
  });

  it('in winter gives the same wall-clock time (GMT)', async () => {
    const req = supervision();
    req.params = { ...req.params, startsAt: '2025-12-02T10:00:00Z', durationMinutes: 90 };
    const receipt = await activities.sendSupervisionInvitation(req);
    const event = parseIcs(partText(only(receipt.messageId).message, 'text/calendar')!).component('VEVENT')!;
    expect(event.prop('DTSTART')?.value).toBe('20251202T100000');
    expect(event.prop('DTEND')?.value).toBe('20251202T113000');
  });

  it('a reschedule updates the same calendar entry: same UID, higher SEQUENCE', async () => {
    const first = supervision();
    const second = supervision({
      journey: first.journey,
      deliveryKey: `${first.journey.workflowId}/effect-2`,
      params: { ...first.params, startsAt: '2025-06-04T13:30:00Z', sequence: 1 },
    });
    const a = parseIcs(partText(only((await activities.sendSupervisionInvitation(first)).messageId).message, 'text/calendar')!);
    const mail = only((await activities.sendSupervisionInvitation(second)).messageId);
    const b = parseIcs(partText(mail.message, 'text/calendar')!);
    const [ea, eb] = [a.component('VEVENT')!, b.component('VEVENT')!];
    expect(eb.prop('UID')?.value).toBe(ea.prop('UID')?.value);
    expect(Number(eb.prop('SEQUENCE')?.value)).toBeGreaterThan(Number(ea.prop('SEQUENCE')?.value));
    expect(eb.prop('DTSTART')?.value).toBe('20250604T143000');
    expect(mail.message.header('subject')).toBe('[Riverside Mentoring] New time: supervision with Priya Shah, 4 Jun 2025, 14:30');
    expect(partText(mail.message, 'text/plain')).toContain('This replaces the earlier invitation.');
  });

  it('a cancellation is a CANCEL of the same entry with STATUS:CANCELLED', async () => {
    const invite = supervision();
    const cancel = supervision({
      journey: invite.journey,
      deliveryKey: `${invite.journey.workflowId}/effect-2`,
      method: 'CANCEL',
      params: invite.params,
    });
    await activities.sendSupervisionInvitation(invite);
    const mail = only((await activities.sendSupervisionInvitation(cancel)).messageId);
    expect(mail.message.header('subject')).toBe('[Riverside Mentoring] Cancelled: supervision with Priya Shah, 3 Jun 2025, 10:00');
    const calendarPart = mail.message.parts.flatMap((p) => [p, ...p.parts]).find((p) => p.contentType === 'text/calendar');
    expect(calendarPart?.params.method).toBe('CANCEL');
    const calendar = parseIcs(calendarPart!.body.toString('utf8'));
    expect(calendar.prop('METHOD')?.value).toBe('CANCEL');
    const event = calendar.component('VEVENT')!;
    expect(event.prop('UID')?.value).toBe(`${invite.params.sessionId}@mentorflow`);
    expect(event.prop('STATUS')?.value).toBe('CANCELLED');
    expect(event.prop('ATTENDEE')?.value).toBe(`mailto:${volunteerEmail}`);
  });
});

describe('exactly once', () => {
  it('delivers once when the server is down for a while, and a retry after success sends nothing', async () => {
    const req = nudge();
    await smtp.down();
    const run = await retryLikeTemporal(() => activities.sendNotification(req), {
      maxAttempts: 10,
      between: async (failed) => {
        if (failed === 3) await smtp.up();
      },
    });
    expect(run.attempts).toBe(4);
    for (const failure of run.failures) {
      expect(failure).toMatchObject({ type: EMAIL_DELIVERY_DEFERRED, nonRetryable: false });
      expect(failure.message).toBe('the mail server could not be reached (ECONNREFUSED); it will be retried');
    }
    expect(run.result.alreadyDelivered).toBe(false);
    expect(receivedWithId(run.result.messageId)).toHaveLength(1);

    // Temporal retries an attempt whose result it lost (e.g. the worker died after sending).
    const again = await activities.sendNotification(req);
    expect(again).toEqual({ ...run.result, alreadyDelivered: true });
    expect(receivedWithId(run.result.messageId)).toHaveLength(1);
  });

  it('delivers once when the server defers (451) before accepting', async () => {
    const req = reminder();
    smtp.deferNext(2);
    const run = await retryLikeTemporal(() => activities.sendNotification(req), { maxAttempts: 5 });
    expect(run.attempts).toBe(3);
    expect(run.failures.map((f) => f.message)).toEqual([
      'the mail server deferred the message (451 4.3.0); it will be retried',
      'the mail server deferred the message (451 4.3.0); it will be retried',
    ]);
    expect(receivedWithId(run.result.messageId)).toHaveLength(1);
  });

  it('survives a worker restart: the delivery log on disk stops a second send', async () => {
    const req = supervision();
    const first = await activities.sendSupervisionInvitation(req);
    await deliveryLog.close();

    deliveryLog = await openDeliveryLog(dataDir);
    const restarted = createNotificationActivities({ mailer, directory, templates, deliveryLog, now });
    const second = await restarted.sendSupervisionInvitation(req);
    expect(second).toEqual({ ...first, alreadyDelivered: true });
    expect(receivedWithId(first.messageId)).toHaveLength(1);
  });

  it('sends once when two attempts for the same key run at the same time', async () => {
    const req = nudge();
    const receipts = await Promise.all([activities.sendNotification(req), activities.sendNotification(req)]);
    expect(receipts.map((r) => r.alreadyDelivered).sort()).toEqual([false, true]);
    expect(receivedWithId(receipts[0].messageId)).toHaveLength(1);
  });

  it('gives each effect of a journey its own message', async () => {
    const a = nudge();
    const b = { ...a, deliveryKey: `${a.journey.workflowId}/effect-2` };
    const [ra, rb] = [await activities.sendNotification(a), await activities.sendNotification(b)];
    expect(ra.messageId).not.toBe(rb.messageId);
    expect(receivedWithId(ra.messageId)).toHaveLength(1);
    expect(receivedWithId(rb.messageId)).toHaveLength(1);
  });
});

describe('a rejected address', () => {
  it('fails for good with a stable type, saying whose address, without the address', async () => {
    const address = 'gone.volunteer@mail.example.net';
    smtp.rejectRecipient(address);
    const req = reminder({ to: { volunteer: { email: address, firstName: 'Robin' } } });
    const before = smtp.received.length;

    const error = await retryLikeTemporal(() => activities.sendNotification(req), { maxAttempts: 5 }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApplicationFailure);
    const failure = error as ApplicationFailure;
    expect(failure.type).toBe(EMAIL_RECIPIENT_REJECTED);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toBe(
      "the volunteer's address was rejected by the mail server (550 5.1.1); check the address held for them",
    );
    const everything = JSON.stringify({ message: failure.message, details: failure.details, stack: failure.stack, cause: failure.cause });
    for (const personal of [address, 'gone.volunteer', 'mail.example.net', 'Robin']) {
      expect(everything).not.toContain(personal);
    }
    expect(failure.details).toEqual([{ role: 'volunteer', responseCode: 550, enhancedStatus: '5.1.1', code: 'EENVELOPE' }]);
    expect(smtp.received.length).toBe(before);
    expect(await deliveryLog.find(req.deliveryKey)).toBeUndefined();
  });

  it("names the co-ordinator's role when it is theirs", async () => {
    const dir = { ...directory, coordinators: [{ id: 'co-9', name: 'Left Scheme', email: 'left@riverside.example.org' }] };
    smtp.rejectRecipient('left@riverside.example.org');
    const acts = createNotificationActivities({ mailer, directory: dir, templates, deliveryLog, now });
    const error = await acts.sendNotification(nudge({ to: { coordinatorId: 'co-9' } })).catch((e: unknown) => e);
    expect(error).toMatchObject({ type: EMAIL_RECIPIENT_REJECTED, nonRetryable: true });
    expect((error as Error).message).toContain("the co-ordinator's address was rejected");
    expect((error as Error).message).not.toContain('left@');
  });
});
