// Where the Temporal servers used by mentorflow live, as recorded by scripts/temporal-binaries.mjs.
// Plain Node ESM without npm dependencies: imported by that script, by the test helpers and by
// worker/dev-server.ts (types in temporal-paths.d.mts).
import { accessSync, constants, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import process from 'node:process';

/** Temporal CLI built with `go install` when none is on PATH (later versions refuse `go install`). */
export const TEMPORAL_CLI_VERSION = '1.5.1';
/** io.temporal:temporal-test-server fetched with Maven (keep in step with scripts/temporal-test-server/pom.xml). */
export const TEST_SERVER_VERSION = '1.38.0';
/** Bump when the layout of the cache or of the manifest changes: older manifests are then rebuilt. */
export const MANIFEST_VERSION = 1;

/** `${MENTORFLOW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mentorflow}` */
export function temporalCacheDir(env = process.env) {
  if (env.MENTORFLOW_CACHE) return env.MENTORFLOW_CACHE;
  const xdg = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(xdg, 'mentorflow');
}

export function manifestPath(cacheDir = temporalCacheDir()) {
  return join(cacheDir, 'manifest.json');
}

/** The manifest written by temporal-binaries.mjs, or null if absent, unreadable or of another layout. */
export function readManifest(cacheDir = temporalCacheDir()) {
  try {
    const manifest = JSON.parse(readFileSync(manifestPath(cacheDir), 'utf8'));
    return manifest && manifest.manifestVersion === MANIFEST_VERSION ? manifest : null;
  } catch {
    return null;
  }
}

export function isExecutable(path) {
  if (!path) return false;
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** First executable `name` on PATH, without running it. */
export function findOnPath(name, env = process.env) {
  for (const dir of (env.PATH || '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return null;
}

/**
 * Cheap lookup (no process is started): environment overrides, then the manifest, then `temporal` on PATH.
 *
 * - `MENTORFLOW_TEMPORAL_CLI`: path of a Temporal CLI to use for the dev server;
 * - `MENTORFLOW_TEST_SERVER`: path of an executable run as `<exe> <port>` that starts the time-skipping test server.
 *
 * A null path means "not available here": for the CLI the SDK's own download (needs internet) is the fallback.
 */
export function resolveTemporalBinaries(options = {}) {
  const env = options.env ?? process.env;
  const cacheDir = options.cacheDir ?? temporalCacheDir(env);
  const manifest = readManifest(cacheDir);

  let temporalCli = null;
  let temporalCliSource = 'sdk-download';
  if (isExecutable(env.MENTORFLOW_TEMPORAL_CLI)) {
    temporalCli = env.MENTORFLOW_TEMPORAL_CLI;
    temporalCliSource = 'env';
  } else if (manifest && isExecutable(manifest.temporalCli)) {
    temporalCli = manifest.temporalCli;
    temporalCliSource = manifest.temporalCliSource;
  } else {
    const onPath = findOnPath('temporal', env);
    if (onPath) {
      temporalCli = onPath;
      temporalCliSource = 'path';
    }
  }

  let testServer = null;
  if (isExecutable(env.MENTORFLOW_TEST_SERVER)) testServer = env.MENTORFLOW_TEST_SERVER;
  else if (manifest && isExecutable(manifest.testServer)) testServer = manifest.testServer;

  return { temporalCli, temporalCliSource, testServer, cacheDir, manifest };
}
