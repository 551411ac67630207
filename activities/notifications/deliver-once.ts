/**
 * Exactly once per delivery key: the one place that checks the delivery log, sends, and records.
 * A concurrent call for the same key (a retry started while the first attempt still runs) waits
 * for the first and does not send again. The Message-ID is derived from the key, so even a send
 * repeated after a crash between sending and recording carries the same Message-ID.
 */
import { createHash } from 'node:crypto';
import type { DeliveryLog, DeliveryRecord } from './delivery-log';
import { deliveryFailure } from './errors';
import { deferralWarnings } from './deferral-warnings';
import { EMAIL_DELIVERY_DEFERRED } from '../../contracts/delivery-errors';
import type { Mailer, OutgoingMessage } from './mailer';
import type { DeliveryReceipt } from './requests';

/** `<mf.<sha256 of the delivery key>@<scheme mail domain>>`: the same on every attempt. */
export function messageIdFor(deliveryKey: string, domain: string): string {
  return `<mf.${createHash('sha256').update(deliveryKey).digest('hex')}@${domain}>`;
}

export type RecordFields = Omit<DeliveryRecord, 'deliveryKey' | 'messageId' | 'deliveredTo' | 'deliveredAt'>;

export type DeliverOnce = (
  deliveryKey: string,
  build: (messageId: string) => { message: OutgoingMessage; record: RecordFields },
) => Promise<DeliveryReceipt>;

export function createDeliverOnce(deps: {
  mailer: Mailer;
  deliveryLog: DeliveryLog;
  domain: string;
  now: () => Date;
  warnings?: ReturnType<typeof deferralWarnings>;
}): DeliverOnce {
  const inFlight = new Map<string, Promise<DeliveryReceipt>>();
  const warnings = deps.warnings ?? deferralWarnings();
  return async function deliverOnce(deliveryKey, build) {
    for (;;) {
      const running = inFlight.get(deliveryKey);
      if (!running) break;
      try {
        const receipt = await running;
        return { ...receipt, alreadyDelivered: true };
      } catch {
        // The other attempt failed: try again here.
      }
    }
    const attempt = (async (): Promise<DeliveryReceipt> => {
      const done = await deps.deliveryLog.find(deliveryKey);
      if (done) return { messageId: done.messageId, deliveredTo: done.deliveredTo, alreadyDelivered: true };
      const messageId = messageIdFor(deliveryKey, deps.domain);
      const { message, record } = build(messageId);
      let duplicate: boolean;
      await deps.deliveryLog.note({ deliveryKey, messageId, attempt: 'started', at: deps.now().toISOString() });
      try {
        ({ duplicate } = await deps.mailer.send(message));
      } catch (err) {
        const e = (err ?? {}) as { responseCode?: unknown; code?: unknown };
        const error = typeof e.responseCode === 'number' ? String(e.responseCode) : typeof e.code === 'string' ? e.code : 'unknown';
        await deps.deliveryLog.note({ deliveryKey, messageId, attempt: 'failed', at: deps.now().toISOString(), error });
        const failure = deliveryFailure(err, record.recipientRole, deps.mailer.deliversTo);
        if (failure.type === EMAIL_DELIVERY_DEFERRED) warnings.deferred(failure.message);
        throw failure;
      }
      await deps.deliveryLog.record({
        deliveryKey,
        messageId,
        deliveredTo: deps.mailer.deliversTo,
        deliveredAt: deps.now().toISOString(),
        ...record,
      });
      return { messageId, deliveredTo: deps.mailer.deliversTo, alreadyDelivered: duplicate };
    })();
    inFlight.set(deliveryKey, attempt);
    try {
      return await attempt;
    } finally {
      inFlight.delete(deliveryKey);
    }
  };
}
