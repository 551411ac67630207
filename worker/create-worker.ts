/**
 * The one place a mentorflow worker is put together: used by the main job, a production worker
 * and the tests, so that what is tested is what runs.
 */
import type { DataConverter } from '@temporalio/common';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';

import { workflowBundlerOptions, workflowsPath } from '../workflows/entry';
import { failureConverterPath } from '../privacy/data-converter';

export { workflowsPath };

export interface JourneyWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: object;
  /** A prebuilt bundle (tests build it once); otherwise the workflows are bundled at start. */
  workflowBundle?: { codePath: string } | { code: string };
  /** See `limits` below. */
  maxCachedWorkflows?: number;
  /**
   * The scheme's encrypting data converter (privacy/data-converter.ts). The main job and the tests
   * always pass it; without it payloads are stored in plain text (benchmarks of bare Temporal only).
   * A prebuilt bundle must have been built with the same `failureConverterPath`.
   */
  dataConverter?: DataConverter;
}

/**
 * Limits, chosen for a scheme's caseload on a small machine (2 cores):
 * - Journeys wait for weeks between events, so few need to stay in memory. A cached journey is
 *   about 0.1 MB of the workflow thread's V8 heap (95 KiB measured against 72 KiB for a bare
 *   workflow, ~0.2 MB of RSS: zod, the machines and the schemas are shared by the thread's
 *   journeys; BENCHMARKS.md, section 6), so the default 250 is about 25 MB. An evicted journey is
 *   rebuilt at its next event by replaying its (short, thanks to continue-as-new) history, which
 *   costs CPU and latency: a scheme with more journeys open sets
 *   MENTORFLOW_MAX_CACHED_WORKFLOWS (config/index.ts) to its open caseload, memory permitting
 *   (BENCHMARKS.md, section 3).
 * - Activities send email: a handful at once is plenty, and it keeps a slow mail server from
 *   being flooded when many deadlines fall together (e.g. every Monday morning).
 */
export const limits = {
  maxCachedWorkflows: 250,
  maxConcurrentActivityTaskExecutions: 8,
  maxConcurrentWorkflowTaskExecutions: 8,
} as const;

export async function createJourneyWorker(options: JourneyWorkerOptions): Promise<Worker> {
  const workerOptions: WorkerOptions = {
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath, bundlerOptions: workflowBundlerOptions }),
    maxCachedWorkflows: options.maxCachedWorkflows ?? limits.maxCachedWorkflows,
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
    maxConcurrentActivityTaskExecutions: limits.maxConcurrentActivityTaskExecutions,
    maxConcurrentWorkflowTaskExecutions: limits.maxConcurrentWorkflowTaskExecutions,
  };
  return Worker.create(workerOptions);
}

/**
 * The journeys' bundle built ahead, exactly as a worker without one builds it at start (pruned,
 * zod shared, error messages through the privacy failure converter): for the tests' prebuilt bundle and the
 * golden recorder, so that what they run is what the worker runs.
 */
export function bundleJourneyWorkflows(logger: Parameters<typeof bundleWorkflowCode>[0]['logger']): ReturnType<typeof bundleWorkflowCode> {
  return bundleWorkflowCode({ workflowsPath, failureConverterPath, ...workflowBundlerOptions, ...(logger ? { logger } : {}) });
}
