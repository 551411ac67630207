/** On a dev server, which has visibility queries: export only the journeys a query selects. */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportJourneys, listJourneyIds } from '../../audit/export';
import { useDevServerEnvironment } from '../helpers/temporal-env';
import { withJourneyWorker } from '../helpers/journey-worker';
import { referralStart, volunteerContact, volunteerStart } from '../helpers/scenario';

const env = useDevServerEnvironment();

describe('audit export on a server with visibility queries', () => {
  it('exports the journeys a query selects, each once', async () => {
    await withJourneyWorker(env(), { indexed: true }, async ({ journeys, client }) => {
      const now = new Date().toISOString();
      const suffix = Date.now().toString(36);
      await journeys.start('youngPerson', referralStart(`yp-q${suffix}`, now));
      await journeys.start('volunteer', volunteerStart(`vol-q${suffix}`, now), { contact: volunteerContact });
      const query = `MentorflowJourneyKind = 'volunteer' AND WorkflowId = 'volunteer-vol-q${suffix}'`;
      // Visibility is eventually consistent.
      const deadline = Date.now() + 15_000;
      while ((await listJourneyIds(client, { query })).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));

      const out = mkdtempSync(path.join(tmpdir(), 'mentorflow-export-'));
      const summary = await exportJourneys({ client, outDir: out, query });
      expect(summary).toMatchObject({ journeys: 1, failed: [] });
      expect(readdirSync(out)).toEqual([`volunteer-vol-q${suffix}.json`]);
    });
  });
});
