/**
 * The daily digest on a Temporal dev server (schedules and visibility queries need it): one
 * schedule per co-ordinator at 08:00 on weekdays in the scheme's time zone, kept in step with the
 * staff directory; a triggered schedule runs the digest workflow, which emails what is due to a
 * real SMTP server once that day, and nothing when nothing is due.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Client, ScheduleDescription } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { parseDirectory, type SchemeDirectory } from '../../activities/notifications/directory';
import { repoRoot } from '../../config';
import { DIGEST_WORKFLOW_TYPE, digestScheduleId, ensureDigestSchedules } from '../../worker/schedules';
import type { CoordinatorDigestResult } from '../../workflows/digest.workflow';
import { freshTaskQueue, withJourneyWorker } from '../helpers/journey-worker';
import { eventually, referralStart } from '../helpers/scenario';
import { partText, startSmtpServer, type TestSmtpServer } from '../helpers/smtp';
import { useDevServerEnvironment } from '../helpers/temporal-env';

const env = useDevServerEnvironment();

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await smtp.stop();
});

function directoryWith(ids: string[]): SchemeDirectory {
  const [lead, ...coordinators] = ids;
  return parseDirectory({
    scheme: { name: 'Riverside Mentoring', from: 'mentoring@riverside.example.org' },
    leadCoordinator: { id: lead, name: 'Morgan Lead', email: 'morgan@riverside.example.org' },
    coordinators: coordinators.map((id) => ({ id, name: `Co-ordinator ${id}`, email: `${id}@riverside.example.org` })),
  });
}

/** Schedules are listed from visibility, which lags a moment behind a create. */
async function listedDigestSchedules(client: Client, taskQueue: string, expected: number): Promise<string[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ids: string[] = [];
    for await (const summary of client.schedule.list()) {
      if (summary.action?.workflowType !== DIGEST_WORKFLOW_TYPE) continue;
      const description = await client.schedule.getHandle(summary.scheduleId).describe().catch(() => undefined);
      if (description?.action.taskQueue === taskQueue) ids.push(summary.scheduleId);
    }
    if (ids.length === expected || Date.now() > deadline) return ids.sort();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function london(date: Date) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.weekday} ${parts.hour}:${parts.minute}`;
}

describe('ensureDigestSchedules', () => {
  it('creates one schedule per co-ordinator at 08:00 on weekdays in the scheme time zone, idempotently, and follows the directory', async () => {
    const client = env().client;
    const tag = randomUUID().slice(0, 6);
    const [lead, a, b] = [`lead-${tag}`, `co-${tag}-a`, `co-${tag}-b`];
    const taskQueue = freshTaskQueue('digest');
    const options = { directory: directoryWith([lead, a, b]), timeZone: 'Europe/London', taskQueue };

    const all = [digestScheduleId(a), digestScheduleId(b), digestScheduleId(lead)].sort();
    const first = await ensureDigestSchedules(client, options);
    expect(first.created.sort()).toEqual(all);

    const description: ScheduleDescription = await client.schedule.getHandle(digestScheduleId(a)).describe();
    expect(description.spec.timezone).toBe('Europe/London');
    expect(description.spec.calendars).toHaveLength(1);
    expect(description.spec.calendars![0]).toMatchObject({
      hour: [{ start: 8, end: 8, step: 1 }],
      minute: [{ start: 0, end: 0, step: 1 }],
      dayOfWeek: [{ start: 'MONDAY', end: 'FRIDAY', step: 1 }],
    });
    expect(description.info.nextActionTimes.length).toBeGreaterThan(0);
    for (const next of description.info.nextActionTimes) expect(london(next)).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 08:00$/);
    expect(description.policies).toMatchObject({ overlap: 'SKIP', catchupWindow: 2 * 60 * 60 * 1000, pauseOnFailure: false });
    expect(description.action).toMatchObject({ type: 'startWorkflow', workflowType: 'coordinatorDigest', taskQueue, args: [{ coordinatorId: a }] });

    // Again, unchanged: nothing is written.
    const again = await ensureDigestSchedules(client, options);
    expect(again).toMatchObject({ created: [], updated: [], removed: [] });
    expect(again.unchanged.sort()).toEqual(all);

    // An operator pauses one (a co-ordinator on leave); a new time is then configured: the time
    // changes everywhere, the pause stays.
    await client.schedule.getHandle(digestScheduleId(b)).pause('on leave');
    const later = await ensureDigestSchedules(client, { ...options, at: '07:30', days: 'everyDay' });
    expect(later.updated.sort()).toEqual(all);
    const moved = await client.schedule.getHandle(digestScheduleId(b)).describe();
    expect(moved.spec.calendars![0]).toMatchObject({ hour: [{ start: 7, end: 7, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }] });
    expect(moved.spec.calendars![0]!.dayOfWeek).toEqual([{ start: 'SUNDAY', end: 'SATURDAY', step: 1 }]);
    expect(moved.state).toMatchObject({ paused: true, note: 'on leave' });

    // A co-ordinator leaves the directory: their schedule goes. Another scheme's task queue is not touched.
    const otherQueue = freshTaskQueue('digest-other');
    const other = await ensureDigestSchedules(client, { directory: directoryWith([`lead-${tag}-x`]), timeZone: 'Europe/London', taskQueue: otherQueue });
    expect(other.created).toEqual([digestScheduleId(`lead-${tag}-x`)]);
    expect(await listedDigestSchedules(client, taskQueue, 3)).toHaveLength(3);
    expect(await listedDigestSchedules(client, otherQueue, 1)).toHaveLength(1);
    const shrunk = await ensureDigestSchedules(client, { ...options, directory: directoryWith([lead, a]), at: '07:30', days: 'everyDay' });
    expect(shrunk).toMatchObject({ created: [], updated: [], removed: [digestScheduleId(b)] });
    await expect(client.schedule.getHandle(digestScheduleId(b)).describe()).rejects.toThrow();

    // Turned off: every digest schedule of this task queue goes; the other scheme's stays.
    const off = await ensureDigestSchedules(client, { ...options, enabled: false });
    expect(off.removed.sort()).toEqual([digestScheduleId(a), digestScheduleId(lead)].sort());
    await expect(client.schedule.getHandle(digestScheduleId(`lead-${tag}-x`)).describe()).resolves.toBeDefined();
    await client.schedule.getHandle(digestScheduleId(`lead-${tag}-x`)).delete();
  });

  it('refuses a time of day that is not HH:MM', async () => {
    await expect(
      ensureDigestSchedules(env().client, { directory: directoryWith(['lead-x']), timeZone: 'Europe/London', taskQueue: 'q', at: '8am' }),
    ).rejects.toThrow(/a time of day such as "08:00"/);
  });
});

describe('coordinatorDigest, started by its schedule', () => {
  it('emails the co-ordinator what is due once that day, and nothing to a co-ordinator with nothing due', async () => {
    // The worker's activities read config/directory.example.yaml (co-1, co-2, lead-1).
    const directory = parseDirectory(YAML.parse(readFileSync(path.join(repoRoot, 'config', 'directory.example.yaml'), 'utf8')));
    const jo = directory.coordinators.find((c) => c.id === 'co-2')!;
    await withJourneyWorker(env(), { indexed: true, smtp: smtp.smtp }, async ({ client, journeys, taskQueue }) => {
      const journeyId = `yp-${randomUUID().slice(0, 8)}`;
      await journeys.start('youngPerson', { ...referralStart(journeyId, new Date().toISOString()), coordinatorId: 'co-2' });
      await eventually(journeys, 'youngPerson', journeyId, (s) => s.due.length > 0, 'first contact due');
      await ensureDigestSchedules(client, { directory, timeZone: 'Europe/London', taskQueue });
      try {
        const toJo = () => smtp.received.filter((m) => m.rcptTo.includes(jo.email));

        const run = async (coordinatorId: string): Promise<CoordinatorDigestResult> => {
          const handle = client.schedule.getHandle(digestScheduleId(coordinatorId));
          const before = (await handle.describe()).info.numActionsTaken;
          await handle.trigger();
          const deadline = Date.now() + 20_000;
          for (;;) {
            const { info } = await handle.describe();
            const latest = info.recentActions.at(-1);
            if (info.numActionsTaken > before && latest) {
              return client.workflow.getHandle(latest.action.workflow.workflowId, latest.action.workflow.firstExecutionRunId).result();
            }
            if (Date.now() > deadline) throw new Error(`the schedule of ${coordinatorId} took no action`);
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        };

        // Visibility lags the start a moment: trigger until the journey is on the digest.
        let first: CoordinatorDigestResult;
        for (let attempt = 0; ; attempt++) {
          first = await run('co-2');
          if (first.sent || attempt >= 20) break;
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
        expect(first).toMatchObject({ coordinatorId: 'co-2', sent: true, alreadyDelivered: false, overdue: 0 });
        expect(first.due).toBeGreaterThanOrEqual(1);
        expect(toJo()).toHaveLength(1);
        const text = partText(toJo()[0]!.message, 'text/plain')!;
        expect(text).toContain(`- first contact: young person's journey ${journeyId} (referral), due `);
        expect(toJo()[0]!.message.header('subject')).toMatch(/^\[Example Mentoring Scheme\] Your digest for .*: 0 overdue, \d+ coming up$/);

        // Triggered again the same day: the digest is collected, but not sent twice.
        const second = await run('co-2');
        expect(second).toMatchObject({ sent: true, alreadyDelivered: true, messageId: first.messageId });
        expect(toJo()).toHaveLength(1);

        // The lead has no journeys: no email at all.
        const lead = await run('lead-1');
        expect(lead).toMatchObject({ coordinatorId: 'lead-1', sent: false, overdue: 0, due: 0, unreadable: 0 });
        expect(smtp.received.filter((m) => m.rcptTo.includes(directory.leadCoordinator.email))).toHaveLength(0);
      } finally {
        await ensureDigestSchedules(client, { directory, timeZone: 'Europe/London', taskQueue, enabled: false });
      }
    });
  });
});
