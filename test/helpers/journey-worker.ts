/**
 * A real mentorflow worker for tests, on a fresh task queue per test, with the workflow bundle
 * built once per test run (global setup) and real notification activities writing to an outbox
 * folder (or to a real SMTP server when a test gives one).
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { NativeConnection } from '@temporalio/worker';
import { openActivities } from '../../activities';
import { Journeys } from '../../client/journeys';
import { defaultPolicy, parsePolicy, type SchemePolicy, type SchemePolicyInput } from '../../machines/policy';
import { bundleJourneyWorkflows, createJourneyWorker } from '../../worker/create-worker';
import { repoRoot } from '../../config';
import type { Privacy } from '../../privacy';
import { testPrivacy } from './privacy';
import { quietTestRuntime } from './quiet-runtime';

export const BUNDLE_PATH = path.join(repoRoot, '.cache', 'test-workflow-bundle.js');

let bundle: Promise<{ code: string } | { codePath: string }> | undefined;

/** The bundle prebuilt by global setup, or one built now for this test file. */
export function workflowBundle(): Promise<{ code: string } | { codePath: string }> {
  // Every worker and replay of a test starts with a bundle: quiet the runtime before it exists.
  quietTestRuntime();
  bundle ??= existsSync(BUNDLE_PATH)
    ? Promise.resolve({ codePath: BUNDLE_PATH })
    : bundleJourneyWorkflows(quietLogger);
  return bundle;
}

const quietLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

let counter = 0;
export function freshTaskQueue(name = 'test'): string {
  counter += 1;
  return `${name}-${process.pid}-${counter}-${Date.now().toString(36)}`;
}

export interface WorkerHarness {
  client: Client;
  taskQueue: string;
  journeys: Journeys;
  policy: SchemePolicy;
  outboxDir: string;
  dataDir: string;
  /** The keyring and person keys the worker and `journeys` use. */
  privacy: Privacy;
}

export interface WorkerHarnessOptions {
  policy?: SchemePolicyInput;
  smtp?: { host: string; port: number };
  continueAsNewAfterEvents?: number;
  /** Search attributes are registered on the dev server only. */
  indexed?: boolean;
  /** Replace some activities, e.g. to count calls. */
  activities?: Record<string, (...args: never[]) => Promise<unknown>>;
  /** A keyring and person keys of the test's own (test/helpers/privacy.ts); default: the process's. */
  privacy?: Privacy;
}

/** Run `fn` with a worker polling a fresh task queue; the worker stops when `fn` settles. */
export async function withJourneyWorker<T>(
  env: { client: Client; nativeConnection: NativeConnection; namespace?: string } | TestWorkflowEnvironment,
  options: WorkerHarnessOptions,
  fn: (harness: WorkerHarness) => Promise<T>,
): Promise<T> {
  const taskQueue = freshTaskQueue();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'mentorflow-test-'));
  const outboxDir = path.join(dataDir, 'outbox');
  const policy = options.policy ? parsePolicy(options.policy) : defaultPolicy;
  const privacy = options.privacy ?? testPrivacy();
  const opened = await openActivities({
    dataDir,
    outboxDir,
    directoryFile: path.join(repoRoot, 'config', 'directory.example.yaml'),
    ...(options.smtp ? { smtp: { host: options.smtp.host, port: options.smtp.port, secure: false } } : {}),
    openPersonal: (sealed) => privacy.personalData.open(sealed),
  });
  const activities = { ...opened.activities, ...(options.activities ?? {}) };
  const worker = await createJourneyWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    activities,
    workflowBundle: await workflowBundle(),
    dataConverter: privacy.dataConverter,
  });
  const journeys = new Journeys({
    client: env.client,
    taskQueue,
    policy,
    indexed: options.indexed ?? false,
    personalData: privacy.personalData,
    ...(options.continueAsNewAfterEvents ? { continueAsNewAfterEvents: options.continueAsNewAfterEvents } : {}),
  });
  try {
    return await worker.runUntil(async () => {
      try {
        return await fn({ client: env.client, taskQueue, journeys, policy, outboxDir, dataDir, privacy });
      } finally {
        await endJourneysOn(env.client, env.namespace ?? 'default', taskQueue);
      }
    });
  } finally {
    // After the worker has stopped: no activity is running any more.
    await opened.close();
  }
}

/**
 * Terminate the journeys a test left running. The time-skipping server is shared by a file's
 * tests and stops skipping time while any workflow task is outstanding: a journey whose timer
 * fires after its test's worker has gone would otherwise freeze the clock for the next test.
 */
async function endJourneysOn(client: Client, namespace: string, taskQueue: string): Promise<void> {
  const { executions } = await client.workflowService.listOpenWorkflowExecutions({ namespace, maximumPageSize: 1000 });
  await Promise.all(
    (executions ?? []).map(async (e) => {
      // The test server leaves the task queue out of this listing: ask each workflow.
      const handle = client.workflow.getHandle(e.execution!.workflowId!, e.execution!.runId!);
      const description = await handle.describe().catch(() => undefined);
      if (description?.taskQueue === taskQueue) await handle.terminate('test finished').catch(() => undefined);
    }),
  );
}
