/**
 * Vitest global setup (vitest.config.ts), run once before all test files: makes sure the Temporal
 * servers are available (scripts/temporal-binaries.mjs: instant when cached, minutes the very
 * first time on a machine) and fails the run with the script's explanation when they are not.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../scripts/temporal-binaries.mjs', import.meta.url));

export async function setup(): Promise<void> {
  const started = performance.now();
  // -q: silent when everything is cached; progress and errors go to stderr.
  const result = spawnSync(process.execPath, [script, '-q'], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.error || result.status !== 0) {
    throw new Error(
      `Temporal servers are not available (node scripts/temporal-binaries.mjs ${
        result.error ? `could not run: ${result.error.message}` : `exited with ${result.signal ?? result.status}`
      }); see its message above. Tests that need Temporal cannot run.`,
    );
  }
  const ms = performance.now() - started;
  if (ms > 2000) console.log(`[global-setup] Temporal servers ready in ${(ms / 1000).toFixed(1)}s`);
  await prebuildWorkflowBundle();
}

/**
 * Bundle the workflows once for the whole run (a few seconds each time) instead of once per test
 * file; test/helpers/journey-worker.ts picks the file up. Rebuilt on every run, so it is never stale.
 */
async function prebuildWorkflowBundle(): Promise<void> {
  const { bundleJourneyWorkflows } = await import('../../worker/create-worker');
  const { BUNDLE_PATH } = await import('./journey-worker');
  const started = performance.now();
  const { code } = await bundleJourneyWorkflows(silent);
  mkdirSync(path.dirname(BUNDLE_PATH), { recursive: true });
  writeFileSync(`${BUNDLE_PATH}.tmp`, code);
  renameSync(`${BUNDLE_PATH}.tmp`, BUNDLE_PATH);
  console.log(`[global-setup] workflows bundled in ${((performance.now() - started) / 1000).toFixed(1)}s`);
}

const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
