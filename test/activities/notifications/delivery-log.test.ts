/** The delivery log: durable, append-only, safe for concurrent use, readable by a second process. */
import { appendFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DELIVERY_LOG_FILE, openDeliveryLog, type DeliveryRecord } from '../../../activities/notifications/delivery-log';
import { tempDir } from './fixtures';

const record = (deliveryKey: string, messageId = `<${deliveryKey}@x>`): DeliveryRecord => ({
  deliveryKey,
  messageId,
  deliveredTo: 'smtp',
  deliveredAt: '2025-06-05T08:00:00.000Z',
  kind: 'nudge',
  recipientRole: 'coordinator',
  journey: { kind: 'youngPerson', id: 'yp-1' },
});

describe('the delivery log', () => {
  it('finds what was recorded, after the log is closed and opened again', async () => {
    const dir = await tempDir('log');
    const log = await openDeliveryLog(dir);
    expect(await log.find('wf/effect-1')).toBeUndefined();
    await log.record(record('wf/effect-1'));
    expect(await log.find('wf/effect-1')).toEqual(record('wf/effect-1'));
    await log.close();

    const reopened = await openDeliveryLog(dir);
    expect(await reopened.find('wf/effect-1')).toEqual(record('wf/effect-1'));
    expect(await reopened.find('wf/effect-2')).toBeUndefined();
    await reopened.close();
  });

  it('never takes an attempt note for a delivery, in this process or after reopening', async () => {
    const dir = await tempDir('log');
    const log = await openDeliveryLog(dir);
    await log.note({ deliveryKey: 'wf/effect-1', messageId: '<wf/effect-1@x>', attempt: 'started', at: '2025-06-05T08:00:00.000Z' });
    await log.note({ deliveryKey: 'wf/effect-1', messageId: '<wf/effect-1@x>', attempt: 'failed', at: '2025-06-05T08:00:01.000Z', error: 'ECONNECTION' });
    expect(await log.find('wf/effect-1')).toBeUndefined();
    await log.record(record('wf/effect-1'));
    await log.close();
    const reopened = await openDeliveryLog(dir);
    expect(await reopened.find('wf/effect-1')).toEqual(record('wf/effect-1'));
    await reopened.close();
  });

  it('keeps every one of many concurrent records, one JSON line each', async () => {
    const dir = await tempDir('log');
    const log = await openDeliveryLog(dir);
    const keys = Array.from({ length: 200 }, (_, i) => `wf/effect-${i}`);
    await Promise.all(keys.map((key) => log.record(record(key))));
    const lines = (await readFile(path.join(dir, DELIVERY_LOG_FILE), 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(200);
    expect(new Set(lines.map((l) => (JSON.parse(l) as DeliveryRecord).deliveryKey))).toEqual(new Set(keys));
    await log.close();
  });

  it('sees what another process appended to the same folder', async () => {
    const dir = await tempDir('log');
    const first = await openDeliveryLog(dir);
    const second = await openDeliveryLog(dir);
    expect(await second.find('wf/effect-9')).toBeUndefined();
    await first.record(record('wf/effect-9'));
    expect(await second.find('wf/effect-9')).toEqual(record('wf/effect-9'));
    await Promise.all([first.close(), second.close()]);
  });

  it('keeps the first delivery of a key', async () => {
    const dir = await tempDir('log');
    const log = await openDeliveryLog(dir);
    await log.record(record('wf/effect-1', '<first@x>'));
    await log.record(record('wf/effect-1', '<second@x>'));
    await log.close();
    const reopened = await openDeliveryLog(dir);
    expect((await reopened.find('wf/effect-1'))?.messageId).toBe('<first@x>');
    await reopened.close();
  });

  it('recovers from a line cut off by a crash', async () => {
    const dir = await tempDir('log');
    const log = await openDeliveryLog(dir);
    await log.record(record('wf/effect-1'));
    await log.close();
    await appendFile(path.join(dir, DELIVERY_LOG_FILE), '{"deliveryKey":"wf/effect-2","messa');

    const reopened = await openDeliveryLog(dir);
    expect(await reopened.find('wf/effect-1')).toBeDefined();
    expect(await reopened.find('wf/effect-2')).toBeUndefined();
    await reopened.record(record('wf/effect-3'));
    await reopened.close();

    const again = await openDeliveryLog(dir);
    expect(await again.find('wf/effect-3')).toEqual(record('wf/effect-3'));
    expect(await again.find('wf/effect-2')).toBeUndefined();
    await again.close();
  });
});
