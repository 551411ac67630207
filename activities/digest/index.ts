/**
 * The daily digest activities, built by a factory with their dependencies:
 *
 *   const digest = createDigestActivities({ mailer, directory, template, deliveryLog, timeZone });
 *
 * - `collectDigest` lists the co-ordinator's running journeys (visibility query on
 *   MentorflowCoordinatorId), asks each for its status, and keeps what is due and overdue;
 * - `sendDigest` emails it, once per co-ordinator per day in the scheme's time zone: the delivery
 *   key is `digest-<coordinatorId>-<local date>`, checked in the delivery log before sending and
 *   hashed into the Message-ID, so a retried activity or a schedule run twice the same day never
 *   delivers a second digest.
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { ZodError } from 'zod';
import { createDeliverOnce } from '../notifications';
import { findCoordinator, mailDomain, type SchemeDirectory } from '../notifications/directory';
import type { DeliveryLog } from '../notifications/delivery-log';
import { invalidRequest, unknownCoordinator, type RecipientRole } from '../notifications/errors';
import type { Mailer } from '../notifications/mailer';
import { statusQuery, type JourneyStatus } from '../../contracts/messages';
import { workflowTypes } from '../../contracts/ids';
import { MentorflowCoordinatorId } from '../../contracts/search-attributes';
import { buildDigest } from './collect';
import { digestVars, localDate } from './compose';
import {
  collectDigestInputSchema,
  digestSchema,
  type CollectDigestInput,
  type Digest,
  type DigestReceipt,
} from './requests';
import type { DigestTemplate } from './template';
import { issueReasons } from '../../contracts/refusals';

/** Every journey on the caseload could be listed but none could be read: retried. */
export const DIGEST_JOURNEYS_UNREADABLE = 'DIGEST.JOURNEYS_UNREADABLE';

export interface DigestDeps {
  /**
   * Lists and queries the journeys. Absent: the worker's own client (activity context), bound to
   * the worker's namespace.
   */
  client?: Client;
  mailer: Mailer;
  directory: SchemeDirectory;
  template: DigestTemplate;
  deliveryLog: DeliveryLog;
  /** The scheme's time zone (policy `timeZone`): the digest's day and the times it shows. */
  timeZone?: string;
  /** How far ahead "coming up" looks. Default 7 days. */
  horizonDays?: number;
  /** How long one journey may take to answer its status query. Default 10 s. */
  queryTimeoutMs?: number;
  /** Status queries under way at once. Default 8. */
  queryConcurrency?: number;
}

function problemsOf(err: ZodError): string[] {
  return issueReasons(err, '(input)');
}

/** `digest-co-1-2025-06-03`: opaque, and one per co-ordinator per local day. */
export function digestDeliveryKey(coordinatorId: string, asOf: string, timeZone: string): string {
  return `digest-${coordinatorId}-${localDate(asOf, timeZone)}`;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function createDigestActivities(deps: DigestDeps) {
  const timeZone = deps.timeZone ?? 'Europe/London';
  const horizonDays = deps.horizonDays ?? 7;
  const queryTimeoutMs = deps.queryTimeoutMs ?? 10_000;
  const queryConcurrency = deps.queryConcurrency ?? 8;
  const from = { name: deps.directory.scheme.name, address: deps.directory.scheme.from };
  const domain = mailDomain(deps.directory);
  const deliverOnce = createDeliverOnce({ mailer: deps.mailer, deliveryLog: deps.deliveryLog, domain, now: () => new Date() });
  const client = () => deps.client ?? Context.current().client;

  async function runningJourneys(coordinatorId: string): Promise<string[]> {
    const types = Object.values(workflowTypes)
      .map((type) => `'${type}'`)
      .join(', ');
    // The id is validated as opaque (letters, digits, "_", "-"), so it cannot break the query.
    const query = `${MentorflowCoordinatorId.name} = '${coordinatorId}' AND ExecutionStatus = 'Running' AND WorkflowType IN (${types})`;
    const ids: string[] = [];
    for await (const info of client().workflow.list({ query })) ids.push(info.workflowId);
    return ids;
  }

  async function statusOf(workflowId: string): Promise<JourneyStatus | 'gone' | 'unreadable'> {
    try {
      return await withTimeout(client().workflow.getHandle(workflowId).query(statusQuery), queryTimeoutMs);
    } catch (error) {
      // Closed and removed between the listing and the query: no longer on the caseload.
      if ((error as Error).name === 'WorkflowNotFoundError') return 'gone';
      return 'unreadable';
    }
  }

  return {
    /** What is due and overdue on a co-ordinator's caseload, as of `asOf`. */
    async collectDigest(input: CollectDigestInput): Promise<Digest> {
      const parsed = collectDigestInputSchema.safeParse(input);
      if (!parsed.success) throw invalidRequest('digest request', problemsOf(parsed.error));
      const { coordinatorId, asOf } = parsed.data;

      const workflowIds = await runningJourneys(coordinatorId);
      const statuses: JourneyStatus[] = [];
      const unreadable: string[] = [];
      let next = 0;
      const worker = async () => {
        while (next < workflowIds.length) {
          const workflowId = workflowIds[next++]!;
          const status = await statusOf(workflowId);
          if (status === 'unreadable') unreadable.push(workflowId);
          else if (status !== 'gone') statuses.push(status);
        }
      };
      await Promise.all(Array.from({ length: Math.min(queryConcurrency, workflowIds.length) }, worker));

      if (unreadable.length > 0 && statuses.length === 0) {
        // Nothing could be read (the cluster or the worker is struggling): try again later rather
        // than send a digest that lists nothing but failures.
        throw ApplicationFailure.retryable(
          `none of the ${unreadable.length} journeys on co-ordinator "${coordinatorId}"'s caseload answered its status query`,
          DIGEST_JOURNEYS_UNREADABLE,
        );
      }
      return buildDigest(coordinatorId, statuses, { asOf, horizonDays, unreadable });
    },

    /** Email the digest to its co-ordinator, at most once per local day. */
    async sendDigest(input: Digest): Promise<DigestReceipt> {
      const parsed = digestSchema.safeParse(input);
      if (!parsed.success) throw invalidRequest('digest', problemsOf(parsed.error));
      const digest = parsed.data;
      const coordinator = findCoordinator(deps.directory, digest.coordinatorId);
      if (!coordinator) throw unknownCoordinator(digest.coordinatorId);
      const role: RecipientRole = coordinator.id === deps.directory.leadCoordinator.id ? 'leadCoordinator' : 'coordinator';
      const deliveryKey = digestDeliveryKey(digest.coordinatorId, digest.asOf, timeZone);

      const receipt = await deliverOnce(deliveryKey, (messageId) => {
        const rendered = deps.template.render(digestVars(digest, coordinator, { schemeName: deps.directory.scheme.name, timeZone }));
        return {
          message: {
            messageId,
            from,
            to: { name: coordinator.name, address: coordinator.email },
            subject: rendered.subject,
            text: rendered.text,
            html: rendered.html,
            // RFC 3834: no out-of-office replies to automated mail.
            headers: { 'Auto-Submitted': 'auto-generated', 'X-Mentorflow-Kind': 'digest' },
          },
          // Not about one journey: the co-ordinator's caseload.
          record: { kind: 'digest', recipientRole: role, journey: { kind: 'caseload', id: digest.coordinatorId } },
        };
      });
      return { deliveryKey, ...receipt };
    },
  };
}

export type DigestActivities = ReturnType<typeof createDigestActivities>;

export { loadDigestTemplate, type DigestTemplate } from './template';
export type { CollectDigestInput, Digest, DigestItem, DigestReceipt } from './requests';
