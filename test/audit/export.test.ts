/**
 * Export from a real server: every run of a journey that continued as new, one file per run, read
 * back as one journey that replays and reads as one timeline; many journeys with a progress bar;
 * the time-skipping server's lack of visibility queries handled (every journey, or a clear refusal).
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportJourneys, listJourneyIds, VisibilityUnsupportedError } from '../../audit/export';
import { loadEncodedJourneys } from '../../audit/journey-history';
import { testPrivacy } from '../helpers/privacy';
import { replayJourneys } from '../../audit/replay';
import { journeyTimeline } from '../../audit/timeline';
import { auditExportCommand } from '../../cli/commands/audit';
import { useTimeSkippingEnvironment } from '../helpers/temporal-env';
import { withJourneyWorker, workflowBundle } from '../helpers/journey-worker';
import { coordinator, recordAll, referralStart, volunteerContact, volunteerStart, youngPersonToWaiting } from '../helpers/scenario';
import { auditCli } from './run-audit-cli';

const env = useTimeSkippingEnvironment();
const tempDir = () => mkdtempSync(path.join(tmpdir(), 'mentorflow-export-'));

describe('audit export', () => {
  it('a journey that continued as new: every run, one file each, read back as one journey that replays', async () => {
    await withJourneyWorker(env(), { continueAsNewAfterEvents: 40 }, async ({ journeys, client }) => {
      const now = new Date(await env().currentTimeMs()).toISOString();
      await journeys.start('youngPerson', referralStart('yp-long', now));
      await recordAll(journeys, 'youngPerson', 'yp-long', [
        ...youngPersonToWaiting.slice(0, 2),
        { type: 'readiness.assessed', by: coordinator, outcome: 'notReady' },
      ]);
      // Informal support, task after task: enough events to continue as new more than once.
      for (let i = 0; i < 20; i++) await journeys.record('youngPerson', 'yp-long', { type: 'informalTask.recorded', by: coordinator, task: 'education' });

      const out = tempDir();
      const { code, stdout } = await auditCli(auditExportCommand, ['yp-long', '--out', out], { client });
      expect(code).toBe(0);
      const files = readdirSync(out).sort();
      expect(files.length).toBeGreaterThan(2);
      expect(files[0]).toBe('young-person-yp-long.json');
      expect(files.slice(1)).toEqual(files.slice(1).map((_, i) => `young-person-yp-long.run-${i + 2}.json`).sort());
      expect(stdout).toBe(`1 journey exported to ${out} (${files.length} history files)\n`);

      const [journey, ...others] = await loadEncodedJourneys([out], testPrivacy().codec);
      expect(others).toEqual([]);
      expect(journey!.runs.map((r) => r.ending)).toEqual([...files.slice(1).map(() => 'continuedAsNew'), 'running']);
      const results = await replayJourneys([journey!], { workflowBundle: await workflowBundle(), codec: testPrivacy().codec });
      expect(results.every((r) => r.ok)).toBe(true);
      const timeline = journeyTimeline(journey!);
      expect(timeline.issues).toEqual([]);
      expect(timeline.entries.filter((e) => e.event === 'informalTask.recorded')).toHaveLength(20);
      expect(timeline.stage).toBe('informalSupport');
    });
  });

  it('every journey, with a progress bar, listed without visibility queries on the test server; a query there is refused', async () => {
    await withJourneyWorker(env(), {}, async ({ journeys, client }) => {
      const now = new Date(await env().currentTimeMs()).toISOString();
      for (const id of ['yp-a', 'yp-b', 'yp-c']) await journeys.start('youngPerson', referralStart(id, now));
      await journeys.start('volunteer', volunteerStart('vol-a', now), { contact: volunteerContact });

      expect(await listJourneyIds(client)).toEqual(['volunteer-vol-a', 'young-person-yp-a', 'young-person-yp-b', 'young-person-yp-c']);
      await expect(exportJourneys({ client, outDir: tempDir(), query: "MentorflowJourneyKind = 'volunteer'" })).rejects.toBeInstanceOf(
        VisibilityUnsupportedError,
      );

      const out = tempDir();
      const seen: string[] = [];
      const summary = await exportJourneys({ client, outDir: out, onProgress: (done, total, id) => seen.push(`${done}/${total} ${id}`) });
      expect(summary).toMatchObject({ journeys: 4, failed: [] });
      expect(seen.map((s) => s.split(' ')[0])).toEqual(['1/4', '2/4', '3/4', '4/4']);
      expect(readdirSync(out).sort()).toEqual(['volunteer-vol-a.json', 'young-person-yp-a.json', 'young-person-yp-b.json', 'young-person-yp-c.json']);

      // The same through the command, on a terminal: a bar redrawn in place on stderr.
      const { code, stderr } = await auditCli(auditExportCommand, ['--out', tempDir()], { client, tty: true });
      expect(code).toBe(0);
      expect(stderr).toContain('\r\x1b[2KExporting [');
      expect(stderr).toContain('4/4');
      const refused = await auditCli(auditExportCommand, ['--query', "MentorflowJourneyKind = 'volunteer'", '--out', tempDir()], { client });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/cannot filter journeys with a visibility query .*give the journeys by id, or export every journey without a query/);
    });
  });

  it('a journey that does not exist is reported, and the others are still exported', async () => {
    await withJourneyWorker(env(), {}, async ({ journeys, client }) => {
      await journeys.start('youngPerson', referralStart('yp-here', new Date(await env().currentTimeMs()).toISOString()));
      const out = tempDir();
      const summary = await exportJourneys({ client, outDir: out, workflowIds: ['young-person-yp-gone', 'young-person-yp-here'] });
      expect(summary.journeys).toBe(1);
      expect(summary.failed.map((f) => f.workflowId)).toEqual(['young-person-yp-gone']);
      expect(readdirSync(out)).toEqual(['young-person-yp-here.json']);
    });
  });
});
