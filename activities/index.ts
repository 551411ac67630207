/**
 * All of mentorflow's activities, built from configuration by one factory: the worker registers
 * what this returns. Activities are the only side effects of a journey.
 */
import { readFile } from 'node:fs/promises';
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

export interface ActivityOptions {
  /** Where the delivery log lives. */
  dataDir: string;
  /** Where messages go when no SMTP server is configured. */
  outboxDir: string;
  directoryFile: string;
  templatesDir?: string;
  smtp?: SmtpConfig;
  timeZone?: string;
}

export type MentorflowActivities = NotificationActivities;

export async function createActivities(options: ActivityOptions): Promise<MentorflowActivities> {
  const directory = parseDirectory(YAML.parse(await readFile(options.directoryFile, 'utf8')));
  return createNotificationActivities({
    mailer: createMailer(options.smtp ? { smtp: options.smtp } : { outboxDir: options.outboxDir }),
    directory,
    templates: await loadTemplates(options.templatesDir ? { templatesDir: options.templatesDir } : {}),
    deliveryLog: await openDeliveryLog(options.dataDir),
    commandHint: (journey) => `npx mentorflow status ${journey.id}`,
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
  });
}
