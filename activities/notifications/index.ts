/**
 * The notification activities: nudges, escalations and reminders by email, and supervision
 * invitations with a calendar entry. Built by a factory with their dependencies, as in
 * temporalio/samples-typescript `activities-dependency-injection`:
 *
 *   const activities = createNotificationActivities({ mailer, directory, templates, deliveryLog });
 *   new Worker({ activities, ... })
 *
 * Each delivery happens once per delivery key: the delivery log is checked before sending and
 * written after, and the Message-ID is derived from the key, so even a send repeated after a crash
 * between the two carries the same Message-ID (mail clients show one message). In the outbox the
 * file for that Message-ID is found and not written again.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { ZodError } from 'zod';
import {
  notificationRecipient,
  notificationVars,
  personalValues,
  strikeOut,
  supervisionVars,
  type Recipient,
} from './compose';
import { findCoordinator, mailDomain, type SchemeDirectory } from './directory';
import type { DeliveryLog } from './delivery-log';
import {
  EMAIL_PERSON_ERASED,
  EMAIL_PERSONAL_DATA_UNAVAILABLE,
  invalidRequest,
  unknownCoordinator,
  type RecipientRole,
} from './errors';
import { createDeliverOnce } from './deliver-once';
import { supervisionCalendar } from './ical';
import type { Mailer } from './mailer';
import { escapeHtml } from './render';
import {
  notificationRequestSchema,
  supervisionRequestSchema,
  volunteerAddressSchema,
  type VolunteerAddress,
  type DeliveryReceipt,
  type JourneyRef,
  type NotificationRequest,
  type OpenedNotificationRequest,
  type SupervisionRequest,
} from './requests';
import type { Templates } from './templates';
import { issueReasons } from '../../contracts/refusals';

export interface NotificationDeps {
  mailer: Mailer;
  directory: SchemeDirectory;
  templates: Templates;
  deliveryLog: DeliveryLog;
  /** The command a co-ordinator runs to see or record the action, e.g. `npx mentorflow status ...`. */
  commandHint?: (journey: JourneyRef) => string;
  /** The web app's public address (MENTORFLOW_WEB_URL), for links in staff messages. */
  webUrl?: string;
  /** The scheme's time zone (policy `timeZone`) for dates in nudges and reminders. */
  timeZone?: string;
  /** The clock, for "3 days ago" and the calendar's DTSTAMP. */
  now?: () => Date;
  /** Opens a volunteer's sealed address (privacy/sealing.ts); throws PersonErasedError once erased. */
  openPersonal?: (sealed: string) => unknown;
}

function problemsOf(err: ZodError): string[] {
  // Field names and rules only: the values may be addresses.
  return issueReasons(err, '(input)');
}

export function createNotificationActivities(deps: NotificationDeps) {
  const timeZone = deps.timeZone ?? 'Europe/London';
  const now = deps.now ?? (() => new Date());
  const domain = mailDomain(deps.directory);
  const from = { name: deps.directory.scheme.name, address: deps.directory.scheme.from };
  const deliverOnce = createDeliverOnce({ mailer: deps.mailer, deliveryLog: deps.deliveryLog, domain, now });

  /** The volunteer's address, opened if sealed. Failures name no one and carry no value. */
  const addressOf = (contact: VolunteerAddress | string): VolunteerAddress => {
    if (typeof contact !== 'string') return contact;
    if (!deps.openPersonal) {
      throw ApplicationFailure.retryable(
        "the volunteer's address is sealed and this worker has no person key store (MENTORFLOW_PERSON_KEYS); it will be retried",
        EMAIL_PERSONAL_DATA_UNAVAILABLE,
      );
    }
    let opened: unknown;
    try {
      opened = deps.openPersonal(contact);
    } catch (error) {
      if (error instanceof Error && error.name === 'PersonErasedError') {
        throw ApplicationFailure.nonRetryable("the volunteer's personal data has been erased: there is no address to send to", EMAIL_PERSON_ERASED);
      }
      throw error;
    }
    const parsed = volunteerAddressSchema.safeParse(opened);
    if (!parsed.success) throw invalidRequest('volunteer address', problemsOf(parsed.error));
    return parsed.data;
  };

  const headers = (kind: string, about?: string) => ({
    // RFC 3834: no out-of-office replies to automated mail.
    'Auto-Submitted': 'auto-generated',
    'X-Mentorflow-Kind': kind,
    // The matter (e.g. firstContactOverdue), so that a co-ordinator's mail client can filter on it.
    ...(about ? { 'X-Mentorflow-About': about } : {}),
  });

  return {
    /** A nudge (co-ordinator), an escalation (lead co-ordinator) or a reminder (volunteer). */
    async sendNotification(input: NotificationRequest): Promise<DeliveryReceipt> {
      const parsed = notificationRequestSchema.safeParse(input);
      if (!parsed.success) throw invalidRequest('notification request', problemsOf(parsed.error));
      const to = parsed.data.to;
      const req: OpenedNotificationRequest = { ...parsed.data, to: 'volunteer' in to ? { volunteer: addressOf(to.volunteer) } : to };
      const resolved = notificationRecipient(deps.directory, req.to);
      if ('unknownCoordinator' in resolved) throw unknownCoordinator(resolved.unknownCoordinator);
      const recipient: Recipient = resolved;

      return deliverOnce(req.deliveryKey, (messageId) => {
        const name = deps.templates.pick(req.kind, req.params.about);
        const vars = notificationVars(req, recipient, {
          directory: deps.directory,
          timeZone,
          now: now(),
          ...(deps.commandHint ? { commandHint: deps.commandHint } : {}),
          ...(deps.webUrl ? { webUrl: deps.webUrl } : {}),
        });
        const rendered = deps.templates.render(name, vars);
        const personal = personalValues(req);
        const withheld = recipient.role === 'volunteer' ? personal : [];
        const replyTo = recipient.role === 'volunteer' ? deps.directory.scheme.replyTo : undefined;
        return {
          message: {
            messageId,
            from,
            to: recipient.address,
            ...(replyTo ? { replyTo: { address: replyTo } } : {}),
            subject: strikeOut(rendered.subject, personal),
            text: strikeOut(rendered.text, withheld),
            html: strikeOut(rendered.html, [...withheld, ...withheld.map(escapeHtml)]),
            headers: headers(req.kind, req.params.about),
          },
          record: { kind: req.kind, recipientRole: recipient.role, journey: { kind: req.journey.kind, id: req.journey.id } },
        };
      });
    },

    /** A supervision invitation (REQUEST) or its cancellation (CANCEL), with a calendar entry. */
    async sendSupervisionInvitation(input: SupervisionRequest): Promise<DeliveryReceipt> {
      const parsed = supervisionRequestSchema.safeParse(input);
      if (!parsed.success) throw invalidRequest('supervision request', problemsOf(parsed.error));
      const req = { ...parsed.data, volunteer: addressOf(parsed.data.volunteer) };
      const coordinator = findCoordinator(deps.directory, req.coordinatorId);
      if (!coordinator) throw unknownCoordinator(req.coordinatorId);
      const kind = req.method === 'REQUEST' ? 'supervision-invitation' : 'supervision-cancellation';
      const role: RecipientRole = 'volunteer';

      return deliverOnce(req.deliveryKey, (messageId) => {
        const rendered = deps.templates.render(kind, supervisionVars(req, coordinator, deps.directory));
        const calendar = supervisionCalendar({
          method: req.method,
          sessionId: req.params.sessionId,
          sequence: req.params.sequence,
          startsAt: req.params.startsAt,
          durationMinutes: req.params.durationMinutes,
          timeZone: req.timeZone,
          organizer: { name: coordinator.name, email: coordinator.email },
          attendee: { ...(req.volunteer.firstName ? { name: req.volunteer.firstName } : {}), email: req.volunteer.email },
          summary: `Supervision with ${coordinator.name}`,
          description: `Supervision with ${coordinator.name} (${deps.directory.scheme.name}).`,
          stamp: now(),
        });
        return {
          message: {
            messageId,
            from,
            to: { address: req.volunteer.email, ...(req.volunteer.firstName ? { name: req.volunteer.firstName } : {}) },
            // Replies about the time go to the co-ordinator who supervises.
            replyTo: { name: coordinator.name, address: coordinator.email },
            subject: rendered.subject,
            text: rendered.text,
            html: rendered.html,
            calendar: { method: req.method, content: calendar },
            headers: headers(kind),
          },
          record: { kind, recipientRole: role, journey: { kind: req.journey.kind, id: req.journey.id } },
        };
      });
    },
  };
}

export type NotificationActivities = ReturnType<typeof createNotificationActivities>;
export { createDeliverOnce, messageIdFor, type DeliverOnce } from './deliver-once';

export type { DeliveryReceipt, NotificationRequest, SupervisionRequest } from './requests';
export {
  EMAIL_DELIVERY_DEFERRED,
  EMAIL_INVALID_REQUEST,
  EMAIL_MESSAGE_REJECTED,
  EMAIL_RECIPIENT_REJECTED,
  EMAIL_SENDER_NOT_ACCEPTED,
  EMAIL_UNKNOWN_COORDINATOR,
  nonRetryableNotificationErrors,
  type RecipientRole,
} from './errors';
export { parseDirectory, schemeDirectorySchema, type SchemeDirectory } from './directory';
export { createMailer, mailerConfigSchema, type Mailer, type MailerConfig } from './mailer';
export { openDeliveryLog, type DeliveryLog } from './delivery-log';
export { loadTemplates, defaultTemplatesDir, type Templates } from './templates';
