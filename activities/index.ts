/**
 * All of mentorflow's activities, built from configuration by one factory: the worker registers
 * the `activities` this returns, and calls `close()` when it stops (the delivery log's file, the
 * SMTP connections). Activities are the only side effects of a journey.
 */
import { constants } from 'node:fs';
import { access, mkdir, readFile } from 'node:fs/promises';
import YAML from 'yaml';
import {
  createMailer,
  createNotificationActivities,
  loadTemplates,
  openDeliveryLog,
  parseDirectory,
  type NotificationActivities,
} from './notifications';
import type { SmtpConfig } from './notifications/mailer';
import type { Client } from '@temporalio/client';
import { createDigestActivities, loadDigestTemplate, type DigestActivities } from './digest';
import { heartbeating } from './heartbeat';

export interface ActivityOptions {
  /** Where the delivery log lives. */
  dataDir: string;
  /** Where messages go when no SMTP server is configured. */
  outboxDir: string;
  directoryFile: string;
  templatesDir?: string;
  smtp?: SmtpConfig;
  timeZone?: string;
  /** The web app's public address, for links in staff messages. */
  webUrl?: string;
  /** For the daily digest's listing and status queries; absent: the worker's own client. */
  temporalClient?: Client;
  /** Opens volunteers' sealed addresses (privacy/sealing.ts `PersonalData.open`). */
  openPersonal?: (sealed: string) => unknown;
}

export type MentorflowActivities = NotificationActivities & DigestActivities;

export interface OpenActivities {
  activities: MentorflowActivities;
  /** Closes the delivery log and the mailer; the activities must not be called after it. */
  close(): Promise<void>;
}

export async function openActivities(options: ActivityOptions): Promise<OpenActivities> {
  const directory = parseDirectory(YAML.parse(await readFile(options.directoryFile, 'utf8')));
  if (!options.smtp) await checkOutboxWritable(options.outboxDir);
  const mailer = createMailer(options.smtp ? { smtp: options.smtp } : { outboxDir: options.outboxDir });
  const deliveryLog = await openDeliveryLog(options.dataDir);
  const activities: MentorflowActivities = heartbeating({
    ...createNotificationActivities({
      mailer,
      directory,
      templates: await loadTemplates(options.templatesDir ? { templatesDir: options.templatesDir } : {}),
      deliveryLog,
      commandHint: (journey) => `npx mentorflow status ${journey.id}`,
      ...(options.webUrl ? { webUrl: options.webUrl } : {}),
      ...(options.timeZone ? { timeZone: options.timeZone } : {}),
      ...(options.openPersonal ? { openPersonal: options.openPersonal } : {}),
    }),
    ...createDigestActivities({
      mailer,
      directory,
      template: await loadDigestTemplate(options.templatesDir ? { templatesDir: options.templatesDir } : {}),
      deliveryLog,
      ...(options.timeZone ? { timeZone: options.timeZone } : {}),
      ...(options.temporalClient ? { client: options.temporalClient } : {}),
    }),
  });
  return {
    activities,
    close: async () => {
      mailer.close();
      await deliveryLog.close();
    },
  };
}

/**
 * Said at start rather than at the first nudge. Later trouble (the folder removed, the disk full)
 * fails the send, which is retried until the folder can be written again (docs/faults.md).
 */
async function checkOutboxWritable(outboxDir: string): Promise<void> {
  try {
    await mkdir(outboxDir, { recursive: true });
    await access(outboxDir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new Error(
      `The outbox folder ${outboxDir} cannot be written (${code}): without SMTP_HOST every email is written there. ` +
        'Make it a writable folder, or set SMTP_HOST, and start again; journeys wait on the Temporal server meanwhile.',
      { cause: error },
    );
  }
}
