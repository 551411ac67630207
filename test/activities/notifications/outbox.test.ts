/** With no SMTP server configured, every message is an .eml file in the outbox folder. */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createNotificationActivities, EMAIL_DELIVERY_DEFERRED } from '../../../activities/notifications';
import { openDeliveryLog, type DeliveryLog } from '../../../activities/notifications/delivery-log';
import { createMailer, safeFileStem } from '../../../activities/notifications/mailer';
import { loadTemplates } from '../../../activities/notifications/templates';
import { leaves, parseIcs, parseMime, partText } from '../../helpers/smtp';
import { directory, nudge, now, supervision, tempDir, volunteerEmail, youngPersonFirstName } from './fixtures';

const opened: DeliveryLog[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((log) => log.close()));
});

async function outboxActivities(outboxDir: string) {
  const deliveryLog = await openDeliveryLog(await tempDir('deliveries'));
  opened.push(deliveryLog);
  const mailer = createMailer({ outboxDir });
  return { mailer, activities: createNotificationActivities({ mailer, directory, templates: await loadTemplates(), deliveryLog, now }) };
}

describe('the outbox', () => {
  it('writes each message as an RFC 5322 .eml file named by time and Message-ID', async () => {
    const outboxDir = path.join(await tempDir('outbox'), 'outbox');
    const { activities } = await outboxActivities(outboxDir);
    const receipt = await activities.sendSupervisionInvitation(supervision());
    expect(receipt.deliveredTo).toBe('outbox');

    const files = await readdir(outboxDir);
    expect(files).toHaveLength(1);
    const [file] = files as [string];
    expect(file).toMatch(/^\d{8}T\d{9}Z-mf\.[0-9a-f]{64}_riverside\.example\.org\.eml$/);
    expect(file).toContain(safeFileStem(receipt.messageId));

    const raw = await readFile(path.join(outboxDir, file));
    const text = raw.toString('latin1');
    // CRLF line ends only, no line over the 998 characters RFC 5322 allows.
    expect(text).not.toMatch(/[^\r]\n/);
    for (const line of text.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);

    const message = parseMime(raw);
    for (const header of ['from', 'to', 'subject', 'date', 'message-id', 'mime-version']) {
      expect(message.header(header), header).toBeDefined();
    }
    expect(message.header('message-id')).toBe(receipt.messageId);
    expect(message.header('to')).toBe(`Sam <${volunteerEmail}>`);
    expect(Number.isNaN(Date.parse(message.header('date')!))).toBe(false);
    expect(leaves(message).map((p) => p.contentType).sort()).toEqual(['application/ics', 'text/calendar', 'text/html', 'text/plain']);
    expect(partText(message, 'text/plain')).toContain('Priya Shah has booked your next supervision session.');
    const event = parseIcs(partText(message, 'text/calendar')!).component('VEVENT')!;
    expect(event.prop('DTSTART')?.value).toBe('20250603T100000');
  });

  it('writes a message once, even when the delivery log lost the record', async () => {
    const outboxDir = await tempDir('outbox');
    const req = nudge();
    const first = await (await outboxActivities(outboxDir)).activities.sendNotification(req);
    expect(first.alreadyDelivered).toBe(false);

    // A new delivery log (as if the worker died between writing the file and recording it).
    const second = await (await outboxActivities(outboxDir)).activities.sendNotification(req);
    expect(second).toEqual({ ...first, alreadyDelivered: true });
    expect(await readdir(outboxDir)).toHaveLength(1);
  });

  it('keeps personal data out of the file name', async () => {
    const outboxDir = await tempDir('outbox');
    const { activities } = await outboxActivities(outboxDir);
    await activities.sendNotification(nudge());
    const [file] = (await readdir(outboxDir)) as [string];
    expect(file).not.toMatch(new RegExp(`${youngPersonFirstName}|alex|okafor`, 'i'));
  });

  it('fails an attempt it can retry when the folder cannot be written, recording nothing', async () => {
    const notAFolder = path.join(await tempDir('outbox'), 'file');
    await writeFile(notAFolder, '');
    const { activities } = await outboxActivities(notAFolder);
    const req = nudge();
    const error = await activities.sendNotification(req).catch((e: unknown) => e);
    expect(error).toMatchObject({ type: EMAIL_DELIVERY_DEFERRED, nonRetryable: false });
    expect((error as Error).message).toMatch(/^the outbox folder could not be written \(E[A-Z]+\); it will be retried$/);
    expect(await opened.at(-1)!.find(req.deliveryKey)).toBeUndefined();
  });
});
