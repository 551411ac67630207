/**
 * Vitest setup file (vitest.config.mts `setupFiles`), run in each test process before each test
 * file. It quiets the Temporal SDK's runtime (test/helpers/quiet-runtime.ts) in a beforeAll that
 * runs before the file's own hooks and tests, so before any worker, replay or server exists,
 * and after the file's imports, so that a file which installs a runtime of its own at the top
 * keeps it. A file whose imports never loaded the worker SDK (machine, matching, report tests;
 * Node's require cache tells) does not pay the half second of loading it here.
 */
import { createRequire } from 'node:module';
import { beforeAll } from 'vitest';

const requireHere = createRequire(import.meta.url);

function workerSdkLoaded(): boolean {
  try {
    return requireHere.cache[requireHere.resolve('@temporalio/worker')] !== undefined;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  if (!workerSdkLoaded()) return;
  const { quietTestRuntime } = await import('./quiet-runtime');
  quietTestRuntime();
});
