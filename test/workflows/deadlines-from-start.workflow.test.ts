/**
 * A journey's first deadlines count from when it began in the world (DOMAIN.md: first contact
 * within five working days of the referral), not from when a worker first ran it. A referral
 * recorded three days late is three days nearer its deadline; one recorded after its deadline is
 * overdue at once. An imported journey's clocks start at the import, because its earlier steps
 * are recorded after its start. The audit mirror follows the same rule, so the histories pass.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportJourneys } from '../../audit/export';
import { loadEncodedJourneys } from '../../audit/journey-history';
import { replayJourneys } from '../../audit/replay';
import { addDuration, parseDuration } from '../../machines/duration';
import { simulatedClock, useTimeSkippingEnvironment } from '../helpers/temporal-env';
import { withJourneyWorker, workflowBundle } from '../helpers/journey-worker';
import { notificationsSent, referralStart } from '../helpers/scenario';

const env = useTimeSkippingEnvironment();
const { nowIso, advance } = simulatedClock(env);
const policy = { youngPerson: { firstContactWithin: '4 days' } };
const DAY = 24 * 60 * 60 * 1000;

const daysBefore = (iso: string, days: number) => new Date(Date.parse(iso) - days * DAY).toISOString();
const plusPolicy = (iso: string) => addDuration(iso, parseDuration('4 days')!);

describe("a journey's first deadlines", () => {
  it('count from the referral, not from the start of the workflow, except for an imported journey', async () => {
    await withJourneyWorker(env(), { policy }, async ({ journeys, client, privacy }) => {
      const t0 = await nowIso();
      const referredThreeDaysAgo = daysBefore(t0, 3);
      const referredTenDaysAgo = daysBefore(t0, 10);
      await journeys.start('youngPerson', referralStart('yp-late', referredThreeDaysAgo));
      await journeys.start('youngPerson', referralStart('yp-overdue', referredTenDaysAgo));
      await journeys.start('youngPerson', referralStart('yp-imported', referredTenDaysAgo), { imported: true });

      // What the status says is due is when the timer fires: four days from the referral.
      const late = await journeys.status('youngPerson', 'yp-late');
      expect(late.due).toEqual([{ what: expect.any(String), dueAt: plusPolicy(referredThreeDaysAgo) }]);
      // The imported journey's clock starts at the import.
      const imported = await journeys.status('youngPerson', 'yp-imported');
      expect(Date.parse(imported.due[0]!.dueAt)).toBeGreaterThanOrEqual(Date.parse(plusPolicy(t0)));

      // A referral recorded after its deadline is overdue at once: the co-ordinator hears now.
      await advance('1 hour');
      expect((await notificationsSent(client, 'young-person-yp-overdue')).map((n) => n.about)).toContain('firstContactOverdue');
      expect(await notificationsSent(client, 'young-person-yp-late')).toEqual([]);

      // One day and a little on, the late referral's deadline has passed; the import's has not.
      await advance('1 day');
      const lateNudges = await notificationsSent(client, 'young-person-yp-late');
      expect(lateNudges.map((n) => n.about)).toEqual(['firstContactOverdue']);
      expect(Date.parse(lateNudges[0]!.at) - Date.parse(plusPolicy(referredThreeDaysAgo))).toBeLessThan(60_000);
      expect(await notificationsSent(client, 'young-person-yp-imported')).toEqual([]);
      await advance('3 days');
      expect((await notificationsSent(client, 'young-person-yp-imported')).map((n) => n.about)).toContain('firstContactOverdue');

      // The histories replay, and the audit's mirror of the machine agrees with every timer.
      const outDir = mkdtempSync(path.join(tmpdir(), 'mentorflow-deadlines-'));
      const ids = ['young-person-yp-late', 'young-person-yp-overdue', 'young-person-yp-imported'];
      await exportJourneys({ client, outDir, workflowIds: ids });
      const replayed = await replayJourneys(await loadEncodedJourneys([outDir], privacy.codec), {
        workflowBundle: await workflowBundle(),
        codec: privacy.codec,
      });
      expect(replayed.map((r) => ({ id: r.workflowId, ok: r.ok, consistency: r.consistency }))).toEqual(
        ids.map((id) => ({ id, ok: true, consistency: [] })),
      );
    });
  }, 120_000);
});
