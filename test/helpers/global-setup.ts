/**
 * Vitest global setup (vitest.config.ts), run once before all test files: makes sure the Temporal
 * servers are available (scripts/temporal-binaries.mjs: instant when cached, minutes the very
 * first time on a machine) and fails the run with the script's explanation when they are not.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../scripts/temporal-binaries.mjs', import.meta.url));

export function setup(): void {
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
}
