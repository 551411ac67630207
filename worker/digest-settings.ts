/**
 * Each co-ordinator's own daily-digest choice (on or off, and the time), set in the web app's
 * "My settings" and kept in <data dir>/digest-settings.json so that the next `npm start`, which
 * makes the schedules again, keeps it. Only opaque staff ids and times: no personal data.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { SchemeDirectory } from '../activities/notifications';
import { ensureDigestSchedules, type PersonalDigestSettings } from './schedules';
import { issueReasons } from '../contracts/refusals';

const fileSchema = z.record(z.string(), z.object({ enabled: z.boolean(), at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/) }));

export function digestSettingsFile(dataDir: string): string {
  return path.join(dataDir, 'digest-settings.json');
}

export function readDigestSettings(file: string): PersonalDigestSettings {
  if (!existsSync(file)) return {};
  const parsed = fileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} is not valid: ${issueReasons(parsed.error, 'settings').join('; ')}`);
  return parsed.data;
}

/** The web app's view of the digests: read and change one co-ordinator's, applied to the schedules at once. */
export function digestSettings(args: { client: Client; file: string; directory: SchemeDirectory; timeZone: string; taskQueue: string; defaultAt?: string }) {
  const members = new Set([args.directory.leadCoordinator, ...args.directory.coordinators].map((m) => m.id));
  return {
    async get(coordinatorId: string) {
      if (!members.has(coordinatorId)) return undefined;
      const own = readDigestSettings(args.file)[coordinatorId];
      return { enabled: own?.enabled ?? true, time: own?.at ?? args.defaultAt ?? '08:00' };
    },
    async set(coordinatorId: string, settings: { enabled: boolean; time: string }) {
      const all = { ...readDigestSettings(args.file), [coordinatorId]: { enabled: settings.enabled, at: settings.time } };
      fileSchema.parse(all);
      const temporary = `${args.file}.tmp`;
      writeFileSync(temporary, JSON.stringify(all, null, 2), { mode: 0o600 });
      renameSync(temporary, args.file);
      await ensureDigestSchedules(args.client, { directory: args.directory, timeZone: args.timeZone, taskQueue: args.taskQueue, personal: all });
    },
  };
}
