/**
 * A co-ordinator's daily digest, started by their Temporal Schedule (worker/schedules.ts): what is
 * due and overdue on their caseload, in one email.
 *
 * The digest is as of the workflow's clock, so every retry of its activities sees the same day,
 * and the email's delivery key is that day: a schedule action re-run or triggered again the same
 * day does not send a second digest. A day with nothing due or overdue sends nothing: an email
 * that says "nothing" every morning teaches people to stop reading the one that matters.
 */
import { proxyActivities } from '@temporalio/workflow';
import { emailActivityOptions } from './activity-options';
import type * as digest from '../activities/digest';
import { EMAIL_INVALID_REQUEST, nonRetryableNotificationErrors } from '../contracts/delivery-errors';

export interface CoordinatorDigestInput {
  coordinatorId: string;
}

export interface CoordinatorDigestResult {
  coordinatorId: string;
  asOf: string;
  overdue: number;
  due: number;
  unreadable: number;
  /** False when there was nothing to say. */
  sent: boolean;
  messageId?: string;
  /** Today's digest had already gone out (the schedule ran again, or a retry). */
  alreadyDelivered?: boolean;
}

/** Listing and querying the caseload: quick, retried for an hour, then today's digest is given up. */
const { collectDigest } = proxyActivities<digest.DigestActivities>(
  emailActivityOptions({ attemptTimeout: '5 minutes', giveUpAfter: '1 hour', nonRetryable: [EMAIL_INVALID_REQUEST] }),
);

/** Email may be down for a while; a digest still arriving by the afternoon is worth it, not later. */
const { sendDigest } = proxyActivities<digest.DigestActivities>(
  emailActivityOptions({ giveUpAfter: '6 hours', nonRetryable: nonRetryableNotificationErrors }),
);

export async function coordinatorDigest(input: CoordinatorDigestInput): Promise<CoordinatorDigestResult> {
  const asOf = new Date().toISOString();
  const found = await collectDigest({ coordinatorId: input.coordinatorId, asOf });
  const result: CoordinatorDigestResult = {
    coordinatorId: input.coordinatorId,
    asOf,
    overdue: found.overdue.length,
    due: found.due.length,
    unreadable: found.unreadable.length,
    sent: false,
  };
  if (found.overdue.length + found.due.length + found.unreadable.length === 0) return result;
  const receipt = await sendDigest(found);
  return { ...result, sent: true, messageId: receipt.messageId, alreadyDelivered: receipt.alreadyDelivered };
}
