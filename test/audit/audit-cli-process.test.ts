/**
 * The audit commands as an auditor runs them: the real `mentorflow` command (bin/mentorflow.js
 * through tsx) in a process of its own, not the library in-process. Tests that call the audit
 * library directly missed that `audit replay` could not find the workflow code from the CLI
 * (`Cannot find module '.../worker/create-worker'`); this one exports a journey from a dev server
 * and replays it with the commands a user types.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useDevServerEnvironment } from '../helpers/temporal-env';
import { withJourneyWorker } from '../helpers/journey-worker';
import { testPrivacy } from '../helpers/privacy';
import { referralStart } from '../helpers/scenario';
import { NO_USERS_FILE } from '../cli/run-cli';

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, '../..');
const env = useDevServerEnvironment();

async function mentorflow(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const privacy = testPrivacy();
  return run(process.execPath, [path.join(repoRoot, 'bin/mentorflow.js'), ...args], {
    cwd: repoRoot,
    timeout: 120_000,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: env().address,
      TEMPORAL_NAMESPACE: 'default',
      MENTORFLOW_KEYRING: path.join(privacy.dir, 'keyring.json'),
      MENTORFLOW_PERSON_KEYS: path.join(privacy.dir, 'person-keys'),
      MENTORFLOW_USERS: NO_USERS_FILE,
      MENTORFLOW_AS: 'auditor:au-1',
      NO_COLOR: '1',
    },
  });
}

describe('mentorflow audit, run as a command', () => {
  it('exports a journey and replays the export cleanly', async () => {
    const journeyId = `yp-cli${Date.now().toString(36)}`;
    await withJourneyWorker(env(), { indexed: true }, async ({ journeys }) => {
      await journeys.start('youngPerson', referralStart(journeyId, new Date().toISOString()));
    });
    const out = mkdtempSync(path.join(tmpdir(), 'mentorflow-audit-cli-'));

    const exported = await mentorflow(['audit', 'export', journeyId, '--out', out]);
    expect(readdirSync(out)).toEqual([`young-person-${journeyId}.json`]);
    expect(exported.stdout + exported.stderr).toContain(journeyId);

    const replayed = await mentorflow(['audit', 'replay', out, '--json']);
    const results = JSON.parse(replayed.stdout) as unknown;
    expect(results).toMatchObject([{ journeyId, ok: true, replay: { ok: true }, consistency: [] }]);
  }, 180_000);
});
