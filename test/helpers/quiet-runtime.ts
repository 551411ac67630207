/**
 * Tests run quietly: the Temporal SDK's runtime logs at WARN, both its TypeScript side (every
 * worker state change, replay worker and Nexus notice is an INFO line) and Temporal Core's (one
 * line each on stderr, as the SDK writes them by default). MENTORFLOW_TEST_LOG=INFO (or DEBUG,
 * TRACE; ERROR for quieter still) asks for more.
 *
 * The SDK allows one `Runtime.install()` per process, and only before anything has used the
 * runtime (every connection, worker, replay and test environment calls `Runtime.instance()`, which
 * creates a default one logging at INFO). So this is called before anything of a test file runs
 * (test/helpers/vitest-setup.ts, from vitest.config.mts) and again by the helpers that create
 * servers and workflow bundles (temporal-env.ts, journey-worker.ts), for a file that loads the SDK
 * only later; it installs at most once per process, whatever vitest's
 * pool and isolation, and leaves a runtime that the test file installed itself alone (as
 * test/privacy/at-rest.test.ts does, to capture everything at TRACE). When the runtime shuts down
 * with its last worker, the SDK makes the next one with the same options.
 */
import { IllegalStateError } from '@temporalio/common';
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

const levels: readonly LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

/** The level MENTORFLOW_TEST_LOG asks for; WARN when unset. */
export function testLogLevel(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const asked = env.MENTORFLOW_TEST_LOG?.trim().toUpperCase();
  if (!asked) return 'WARN';
  if (!(levels as readonly string[]).includes(asked)) {
    throw new Error(`MENTORFLOW_TEST_LOG=${env.MENTORFLOW_TEST_LOG}: expected one of ${levels.join(', ')}`);
  }
  return asked as LogLevel;
}

let attempted = false;

export function quietTestRuntime(): void {
  if (attempted) return;
  const level = testLogLevel();
  attempted = true;
  try {
    Runtime.install({
      logger: new DefaultLogger(level),
      telemetryOptions: {
        // Core at the asked level; the libraries under it (gRPC, HTTP) only at DEBUG and TRACE.
        logging: { filter: { core: level, other: level === 'DEBUG' || level === 'TRACE' ? level : 'ERROR' } },
      },
    });
  } catch (error) {
    // Installed by the test file itself (keep it), or already used: nothing more can be done.
    if (!(error instanceof IllegalStateError)) throw error;
  }
}
