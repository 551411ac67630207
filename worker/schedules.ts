/**
 * One Temporal Schedule per co-ordinator in the staff directory, starting their daily digest
 * (workflows/digest.workflow.ts) at a local time in the scheme's time zone, weekdays by default.
 *
 * `ensureDigestSchedules` is run at every start of the worker and is idempotent: it creates what
 * is missing, updates what the configuration changed, leaves the rest alone (including a schedule
 * an operator paused, e.g. for a co-ordinator on leave), and deletes the schedules of co-ordinators
 * who have left the directory.
 */
import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client, type ScheduleOptionsStartWorkflowAction } from '@temporalio/client';
import { z } from 'zod';
import type { SchemeDirectory } from '../activities/notifications/directory';
import type { coordinatorDigest } from '../workflows/digest.workflow';
import { issueReasons } from '../contracts/refusals';

export const DIGEST_SCHEDULE_PREFIX = 'digest-';
export const DIGEST_WORKFLOW_TYPE = 'coordinatorDigest';

export function digestScheduleId(coordinatorId: string): string {
  return `${DIGEST_SCHEDULE_PREFIX}${coordinatorId}`;
}

export const digestScheduleOptionsSchema = z.object({
  /** Local time of day, "HH:MM" (24-hour), in `timeZone`. */
  at: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day such as "08:00"')
    .default('08:00'),
  days: z.enum(['weekdays', 'everyDay']).default('weekdays'),
  enabled: z.boolean().default(true),
});

export interface DigestScheduleOptions {
  directory: SchemeDirectory;
  /** The scheme policy's `timeZone`, e.g. "Europe/London": the schedule fires at `at` there. */
  timeZone: string;
  taskQueue: string;
  /** Default "08:00". */
  at?: string;
  /** Default "weekdays" (Monday to Friday). */
  days?: 'weekdays' | 'everyDay';
  /** False deletes every digest schedule of this task queue. Default true. */
  enabled?: boolean;
  /** Each co-ordinator's own choice (My settings in the web app): off, or another time. */
  personal?: PersonalDigestSettings;
}

export type PersonalDigestSettings = Record<string, { enabled: boolean; at: string }>;

export class DigestScheduleError extends Error {
  readonly code = 'DIGEST.SCHEDULE_INVALID';
  constructor(readonly problems: readonly string[]) {
    super(`The digest schedule is not valid: ${problems.join('; ')}`);
    this.name = 'DigestScheduleError';
  }
}

export interface DigestScheduleReport {
  created: string[];
  updated: string[];
  unchanged: string[];
  removed: string[];
}

/**
 * A digest a day late is no use: after an outage of the Temporal server longer than this, the
 * missed morning is skipped rather than sent in the afternoon or the next day.
 */
export const DIGEST_CATCHUP_WINDOW = '2 hours';
/** A run still waiting for a worker after this is dropped, so it never blocks the next morning's. */
const DIGEST_RUN_TIMEOUT = '12 hours';

const memoKey = 'mentorflowDigest';

export async function ensureDigestSchedules(client: Client, options: DigestScheduleOptions): Promise<DigestScheduleReport> {
  const parsed = digestScheduleOptionsSchema.safeParse({ at: options.at, days: options.days, enabled: options.enabled });
  if (!parsed.success) {
    throw new DigestScheduleError(issueReasons(parsed.error, 'schedule'));
  }
  const { at: schemeAt, days, enabled } = parsed.data;
  const report: DigestScheduleReport = { created: [], updated: [], unchanged: [], removed: [] };

  const wanted = new Map<string, string>();
  if (enabled) {
    for (const member of [options.directory.leadCoordinator, ...options.directory.coordinators]) {
      if (options.personal?.[member.id]?.enabled === false) continue;
      wanted.set(digestScheduleId(member.id), member.id);
    }
  }

  for (const [scheduleId, coordinatorId] of wanted) {
    const own = options.personal?.[coordinatorId]?.at;
    const at = own && /^([01]\d|2[0-3]):[0-5]\d$/.test(own) ? own : schemeAt;
    const [hour, minute] = at.split(':').map(Number) as [number, number];
    // Stored with the action, so a later start can tell whether anything changed.
    const fingerprint = JSON.stringify({ v: 1, coordinatorId, at, days, timeZone: options.timeZone, taskQueue: options.taskQueue });
    const action: ScheduleOptionsStartWorkflowAction<typeof coordinatorDigest> = {
      type: 'startWorkflow',
      workflowType: DIGEST_WORKFLOW_TYPE,
      args: [{ coordinatorId }],
      taskQueue: options.taskQueue,
      workflowId: scheduleId,
      workflowExecutionTimeout: DIGEST_RUN_TIMEOUT,
      memo: { [memoKey]: fingerprint },
    };
    const spec = {
      calendars: [
        {
          hour,
          minute,
          ...(days === 'weekdays' ? { dayOfWeek: [{ start: 'MONDAY' as const, end: 'FRIDAY' as const }] } : {}),
          comment: `daily digest for ${coordinatorId}`,
        },
      ],
      timezone: options.timeZone,
    };
    const policies = { overlap: 'SKIP' as const, catchupWindow: DIGEST_CATCHUP_WINDOW, pauseOnFailure: false };
    try {
      await client.schedule.create({ scheduleId, spec, action, policies });
      report.created.push(scheduleId);
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      const handle = client.schedule.getHandle(scheduleId);
      const current = await handle.describe();
      if (current.action.memo?.[memoKey] === fingerprint) {
        report.unchanged.push(scheduleId);
        continue;
      }
      await handle.update((previous) => ({
        spec,
        action,
        policies,
        // Keep what an operator set: a pause (and its note) stays.
        state: {
          paused: previous.state.paused,
          ...(previous.state.note ? { note: previous.state.note } : {}),
        },
      }));
      report.updated.push(scheduleId);
    }
  }

  for await (const summary of client.schedule.list()) {
    if (!summary.scheduleId.startsWith(DIGEST_SCHEDULE_PREFIX) || wanted.has(summary.scheduleId)) continue;
    if (summary.action?.workflowType !== DIGEST_WORKFLOW_TYPE) continue;
    const handle = client.schedule.getHandle(summary.scheduleId);
    try {
      // Another scheme sharing the namespace runs its own task queue: leave its schedules alone.
      const description = await handle.describe();
      if (description.action.taskQueue !== options.taskQueue) continue;
      await handle.delete();
      report.removed.push(summary.scheduleId);
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
    }
  }
  return report;
}
