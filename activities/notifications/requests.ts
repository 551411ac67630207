/**
 * What the workflow asks the notification activities to do. The schemas are the single source of
 * the input shapes: the activities validate with them at their edge, the workflow imports the
 * types.
 */
import { z } from 'zod';
import {
  isoDateTimeSchema,
  opaqueIdSchema,
  sealedValueSchema,
  type NotifyParams,
  type SupervisionParams,
} from '../../machines/journey';

/**
 * Unique per effect of a journey and stable across retries and replays, e.g.
 * `${workflowId}/effect-17`. It is stored in the delivery log and hashed into the Message-ID, so
 * it must carry no personal data either.
 */
export const deliveryKeySchema = z
  .string()
  .min(1)
  .max(300)
  .regex(/^[A-Za-z0-9:/_.@+=-]+$/, 'a delivery key is made of opaque ids, "/", ":", "-" and "_"');

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;

export const journeyRefSchema = z
  .object({
    kind: z.enum(['youngPerson', 'volunteer', 'match']),
    id: opaqueIdSchema,
    workflowId: z.string().min(1).max(300),
  })
  .strict();
export type JourneyRef = z.infer<typeof journeyRefSchema>;

export const notifyParamsSchema = z
  .object({
    about: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'about is a stable name such as "firstContactOverdue"'),
    /** Only in effects recorded before the words moved to presentation/notices.ts: what was sent then. */
    summary: z.string().min(1).max(500).optional(),
    whatToDo: z.string().min(1).max(1000).optional(),
    dueAt: isoDateTimeSchema.optional(),
    facts: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  })
  .strict();
// Compile-time check: the schema describes exactly what the machines emit.
type _NotifyParamsMatch = Assert<Same<z.infer<typeof notifyParamsSchema>, NotifyParams>>;

export const supervisionParamsSchema = z
  .object({
    sessionId: opaqueIdSchema,
    startsAt: isoDateTimeSchema,
    durationMinutes: z.number().int().min(5).max(24 * 60),
    sequence: z.number().int().min(0),
  })
  .strict();
type _SupervisionParamsMatch = Assert<Same<z.infer<typeof supervisionParamsSchema>, SupervisionParams>>;

export const volunteerAddressSchema = z
  .object({
    email: z.email(),
    /** Used in the greeting only. */
    firstName: z.string().min(1).max(100).optional(),
  })
  .strict();
export type VolunteerAddress = z.infer<typeof volunteerAddressSchema>;

/** How a journey passes the address on: sealed with the volunteer's own key (plain before sealing). */
export const volunteerContactSchema = z.union([sealedValueSchema, volunteerAddressSchema]);

export const notificationRecipientSchema = z.union([
  z.object({ coordinatorId: opaqueIdSchema }).strict(),
  z
    .object({
      lead: z.literal(true),
      /**
       * Optional: whose lead. When that co-ordinator has a `leadId` in the directory, the message
       * goes to that lead; otherwise to the scheme's lead co-ordinator.
       */
      coordinatorId: opaqueIdSchema.optional(),
    })
    .strict(),
  z.object({ volunteer: volunteerContactSchema }).strict(),
]);
export type NotificationRecipient = z.infer<typeof notificationRecipientSchema>;

export const notificationKinds = ['nudge', 'escalation', 'reminder'] as const;
export type NotificationKind = (typeof notificationKinds)[number];

export const notificationRequestSchema = z
  .object({
    deliveryKey: deliveryKeySchema,
    journey: journeyRefSchema,
    kind: z.enum(notificationKinds),
    to: notificationRecipientSchema,
    params: notifyParamsSchema,
  })
  .strict()
  .refine((req) => !('volunteer' in req.to) || req.kind === 'reminder', {
    message: 'a volunteer only receives reminders: nudges and escalations are for staff',
    path: ['kind'],
  });
export type NotificationRequest = z.infer<typeof notificationRequestSchema>;
/** A notification request once the activity has opened the volunteer's sealed address. */
export type OpenedNotificationRequest = Omit<NotificationRequest, 'to'> & {
  to: Exclude<NotificationRequest['to'], { volunteer: unknown }> | { volunteer: VolunteerAddress };
};

export const timeZoneSchema = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en-GB', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'an IANA time zone such as "Europe/London"' },
);

export const supervisionRequestSchema = z
  .object({
    deliveryKey: deliveryKeySchema,
    journey: journeyRefSchema,
    volunteer: volunteerContactSchema,
    /** The co-ordinator who supervises: the invitation's organiser. */
    coordinatorId: opaqueIdSchema,
    method: z.enum(['REQUEST', 'CANCEL']),
    params: supervisionParamsSchema,
    /** The scheme's time zone (policy `timeZone`): times in the message and the calendar entry. */
    timeZone: timeZoneSchema,
  })
  .strict();
export type SupervisionRequest = z.infer<typeof supervisionRequestSchema>;
/** A supervision request once the activity has opened the volunteer's sealed address. */
export type OpenedSupervisionRequest = Omit<SupervisionRequest, 'volunteer'> & { volunteer: VolunteerAddress };

export interface DeliveryReceipt {
  /** The Message-ID header, derived from the delivery key: the same on every attempt. */
  messageId: string;
  deliveredTo: 'smtp' | 'outbox';
  /** True when an earlier attempt had already delivered it, and nothing was sent this time. */
  alreadyDelivered: boolean;
}
