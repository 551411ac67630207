/**
 * What the digest workflow asks of the digest activities, and what they answer. The schemas are
 * the single source of the shapes: `sendDigest` validates its input with them, the workflow imports
 * the types.
 *
 * A digest carries opaque ids, stage names and dates only (it is kept in the workflow history, in
 * plain text): never a name or a date of birth.
 */
import { z } from 'zod';
import { isoDateTimeSchema, opaqueIdSchema } from '../../machines/journey';
import { journeyRefSchema } from '../notifications/requests';

export const collectDigestInputSchema = z
  .object({
    coordinatorId: opaqueIdSchema,
    /** The moment the digest is as of: the workflow's clock, so a retried attempt sees the same day. */
    asOf: isoDateTimeSchema,
  })
  .strict();
export type CollectDigestInput = z.infer<typeof collectDigestInputSchema>;

export const digestItemSchema = z
  .object({
    journey: journeyRefSchema,
    stage: z.string().min(1).max(100),
    /** The matter in a co-ordinator's words: "first contact", "first contact overdue". */
    what: z.string().min(1).max(200),
    /** Overdue: since when (an open nudge) or when it fell due. Due: when it falls due. */
    at: isoDateTimeSchema,
    overdue: z.boolean(),
  })
  .strict();
export type DigestItem = z.infer<typeof digestItemSchema>;

export const digestSchema = z
  .object({
    coordinatorId: opaqueIdSchema,
    asOf: isoDateTimeSchema,
    /** How far ahead "due" looks, in days. */
    horizonDays: z.number().int().min(1).max(60),
    /** Longest overdue first. */
    overdue: z.array(digestItemSchema),
    /** Soonest first. */
    due: z.array(digestItemSchema),
    /** Journeys on the caseload whose status could not be read just now (workflow ids). */
    unreadable: z.array(z.string().min(1).max(300)),
  })
  .strict();
export type Digest = z.infer<typeof digestSchema>;

export interface DigestReceipt {
  /** `digest-<coordinatorId>-<local date>`: one digest per co-ordinator per day. */
  deliveryKey: string;
  messageId: string;
  deliveredTo: 'smtp' | 'outbox';
  /** True when today's digest had already gone out, and nothing was sent this time. */
  alreadyDelivered: boolean;
}
