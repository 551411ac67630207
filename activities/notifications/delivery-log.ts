/**
 * The record of what has been delivered, keyed by delivery key: the activities look here before
 * sending and write here after a successful send, so a retried activity whose earlier attempt
 * went out sends nothing the second time.
 *
 * A JSON-lines file under the data folder, appended to and never rewritten, with an index in
 * memory. Writes in one process are queued, so concurrent activities are safe. A lookup that
 * misses first reads what other processes sharing the folder have appended since, so a retry
 * that lands on another worker still sees the first delivery.
 *
 * Entries hold opaque ids only (delivery key, Message-ID hash, journey id, roles): no address or
 * name, because the file is plain text.
 */
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { RecipientRole } from './errors';

export interface DeliveryRecord {
  deliveryKey: string;
  messageId: string;
  deliveredTo: 'smtp' | 'outbox';
  /** ISO 8601. */
  deliveredAt: string;
  /** The template family: nudge, escalation, reminder, supervision-invitation, supervision-cancellation. */
  kind: string;
  recipientRole: RecipientRole;
  journey: { kind: string; id: string };
}

/**
 * A line about an attempt rather than a delivery: one when a send begins, one when it fails. They
 * let an operator see why a message arrived twice: an attempt that began and failed with the
 * connection lost (or never ended, because the worker died) may still have been delivered, and the
 * retry then sent it again, with the same Message-ID. Never read back as deliveries.
 */
export interface AttemptNote {
  deliveryKey: string;
  messageId: string;
  attempt: 'started' | 'failed';
  /** ISO 8601. */
  at: string;
  /** For a failed attempt: the mail server's reply code or the error code (ECONNECTION, ...), never its text. */
  error?: string;
}

export interface DeliveryLog {
  find(deliveryKey: string): Promise<DeliveryRecord | undefined>;
  record(entry: DeliveryRecord): Promise<void>;
  /** Append an attempt note; not synced to disk (it explains, it does not decide). */
  note(entry: AttemptNote): Promise<void>;
  close(): Promise<void>;
}

export const DELIVERY_LOG_FILE = 'deliveries.jsonl';

/** The delivery log cannot be opened: the worker must not send without it (it could send twice). */
export class DeliveryLogError extends Error {}

export async function openDeliveryLog(dataDir: string): Promise<DeliveryLog> {
  const logFile = path.join(dataDir, DELIVERY_LOG_FILE);
  let file: FileHandle;
  try {
    await mkdir(dataDir, { recursive: true });
    file = await open(logFile, 'a+');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new DeliveryLogError(
      `The delivery log ${logFile} cannot be opened for writing (${code}). It records every email sent, so that none is sent twice, ` +
        'and the worker does not send without it. Make it a writable file (check permissions, free disk space) and start again; ' +
        'journeys wait on the Temporal server meanwhile and nothing is lost (docs/faults.md).',
      { cause: error },
    );
  }
  const index = new Map<string, DeliveryRecord>();
  let readUpTo = 0;
  // One operation at a time: reads of the file and appends to it never interleave.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(op: () => Promise<T>): Promise<T> => {
    const result = queue.then(op);
    queue = result.catch(() => undefined);
    return result;
  };

  /** Index the complete lines appended since the last read, by this process or another. */
  async function catchUp(): Promise<void> {
    const { size } = await file.stat();
    if (size <= readUpTo) return;
    const buffer = Buffer.alloc(size - readUpTo);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, readUpTo);
    const text = buffer.subarray(0, bytesRead);
    // A line without its newline is still being written (or was cut off by a crash): leave it.
    const complete = text.lastIndexOf(0x0a) + 1;
    for (const line of text.subarray(0, complete).toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      let entry: DeliveryRecord & { attempt?: unknown };
      try {
        entry = JSON.parse(line) as DeliveryRecord;
      } catch {
        continue; // the tail of a line cut off by a crash
      }
      if (entry.attempt !== undefined) continue; // an attempt note, not a delivery
      // The first delivery of a key is the one that counts.
      if (typeof entry.deliveryKey === 'string' && !index.has(entry.deliveryKey)) index.set(entry.deliveryKey, entry);
    }
    readUpTo += complete;
  }

  await catchUp();
  {
    // A crash may have left half a line at the end: start the next entry on a line of its own.
    const { size } = await file.stat();
    if (size > readUpTo) {
      await file.write('\n');
      readUpTo = size + 1;
    }
  }

  return {
    find: (deliveryKey) =>
      serially(async () => {
        if (!index.has(deliveryKey)) await catchUp();
        return index.get(deliveryKey);
      }),
    record: (entry) =>
      serially(async () => {
        await file.write(`${JSON.stringify(entry)}\n`);
        // The record is what stops a second send: it must survive a crash of the worker.
        await file.datasync();
        if (!index.has(entry.deliveryKey)) index.set(entry.deliveryKey, entry);
      }),
    note: (entry) =>
      serially(async () => {
        await file.write(`${JSON.stringify(entry)}\n`);
      }),
    close: () => serially(() => file.close()),
  };
}
