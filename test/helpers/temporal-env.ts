/**
 * Real Temporal servers for tests, one per test file (beforeAll/afterAll):
 *
 * - `useTimeSkippingEnvironment()`: Java time-skipping test server started through the wrapper
 *   cached by scripts/temporal-binaries.mjs (run by test/helpers/global-setup.ts);
 * - `useDevServerEnvironment()`: Temporal CLI dev server (in memory), with the mentorflow search
 *   attributes registered, for what the test server lacks (visibility queries, ListSearchAttributes).
 *
 * Both environments have the four Mentorflow* search attributes registered: the test server rejects
 * a start or an upsert that uses an unregistered one ("search attribute X is not defined").
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { resolveTemporalBinaries } from '../../config/temporal-paths.mjs';
import { mentorflowSearchAttributes } from '../../contracts/search-attributes';
import { addDuration, parseDuration } from '../../machines/duration';

const SETUP_HINT = 'run `node scripts/temporal-binaries.mjs` (vitest global setup normally does it)';

/**
 * The SDK gives a server 5 s to accept connections, then kills it. A very loaded machine can miss
 * that even with the AppCDS archive: try again a couple of times on that error only.
 */
async function withStartRetries(what: string, start: () => Promise<TestWorkflowEnvironment>): Promise<TestWorkflowEnvironment> {
  const attempts = 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (attempt >= attempts || !/did not start within/.test(message)) throw error;
      console.warn(`[temporal-env] ${what} did not start in time (attempt ${attempt}/${attempts}), retrying: ${message.split('\n')[0]}`);
    }
  }
}

import { registerSearchAttributes } from '../../worker/search-attributes';
import { devServerTuning } from '../../worker/dev-server';
import { quietTestRuntime } from './quiet-runtime';
import { testPrivacy } from './privacy';

export { registerSearchAttributes };

/** Starts a time-skipping test server (call `teardown()` when done). */
export async function createTimeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  quietTestRuntime();
  const { testServer, cacheDir } = resolveTemporalBinaries();
  if (!testServer) throw new Error(`No Temporal time-skipping test server in ${cacheDir}: ${SETUP_HINT}.`);
  const env = await withStartRetries('time-skipping test server', () =>
    TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: testServer } },
      client: { dataConverter: testPrivacy().dataConverter },
    }),
  );
  try {
    await registerSearchAttributes(env.connection, env.namespace ?? 'default');
  } catch (error) {
    await env.teardown();
    throw error;
  }
  return env;
}

/**
 * Starts an in-memory dev server (Temporal CLI `server start-dev`, no UI) with the search attributes
 * registered. Without a cached or installed CLI the SDK downloads one, which needs internet.
 */
export async function createDevServerEnvironment(options: { dbFilename?: string } = {}): Promise<TestWorkflowEnvironment> {
  quietTestRuntime();
  const { temporalCli } = resolveTemporalBinaries();
  if (!temporalCli) console.warn(`[temporal-env] no Temporal CLI found (${SETUP_HINT}); the SDK will try to download one`);
  return withStartRetries('dev server', () =>
    TestWorkflowEnvironment.createLocal({
      server: {
        ...(temporalCli ? { executable: { type: 'existing-path' as const, path: temporalCli } } : {}),
        searchAttributes: mentorflowSearchAttributes,
        extraArgs: [...devServerTuning],
        // In memory unless a test reads the database file itself.
        ...(options.dbFilename ? { dbFilename: options.dbFilename } : {}),
      },
      client: { dataConverter: testPrivacy().dataConverter },
    }),
  );
}

function usePerFile(create: () => Promise<TestWorkflowEnvironment>): () => TestWorkflowEnvironment {
  let env: TestWorkflowEnvironment | undefined;
  beforeAll(async () => {
    env = await create();
  });
  afterAll(async () => {
    await env?.teardown();
    env = undefined;
  });
  return () => {
    if (!env) throw new Error('The Temporal test environment exists only inside tests (after beforeAll).');
    return env;
  };
}

/**
 * A fresh time-skipping test server for each test of the calling file; returns a getter usable
 * inside tests. Per test, not per file, because the server has one clock: a test that lets 30
 * days pass moves every journey left on the server, and a journey whose timer then fires with its
 * test's worker gone keeps a workflow task outstanding, which stops the server skipping time for
 * every later test. A server starts in about 0.6 s (see scripts/temporal-binaries.mjs), so this
 * isolation is cheap.
 */
export function useTimeSkippingEnvironment(): () => TestWorkflowEnvironment {
  let env: TestWorkflowEnvironment | undefined;
  beforeEach(async () => {
    env = await createTimeSkippingEnvironment();
  });
  afterEach(async () => {
    await env?.teardown();
    env = undefined;
  });
  return () => {
    if (!env) throw new Error('The Temporal test environment exists only inside tests.');
    return env;
  };
}

/** One dev server for the calling test file; returns a getter usable inside tests. */
export function useDevServerEnvironment(): () => TestWorkflowEnvironment {
  return usePerFile(createDevServerEnvironment);
}

/** The time-skipping server's clock, for tests that let simulated time pass. */
export function simulatedClock(env: () => TestWorkflowEnvironment) {
  const nowIso = async (): Promise<string> => new Date(await env().currentTimeMs()).toISOString();
  /** Let simulated time run on to `target` (timers on the way fire). */
  const until = async (target: string): Promise<void> => {
    const ms = Date.parse(target) - (await env().currentTimeMs());
    if (ms > 0) await env().sleep(ms);
  };
  /** Let a policy duration ("6 weeks", "5 working days") pass, from now. */
  const advance = async (duration: string): Promise<void> => until(addDuration(await nowIso(), parseDuration(duration)!));
  return { nowIso, until, advance };
}
