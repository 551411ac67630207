/**
 * The one place a mentorflow worker is put together: used by the main job, a production worker
 * and the tests, so that what is tested is what runs.
 */
import path from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';

export const workflowsPath = path.resolve(__dirname, '../workflows/index.ts');

export interface JourneyWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: object;
  /** A prebuilt bundle (tests build it once); otherwise the workflows are bundled at start. */
  workflowBundle?: { codePath: string } | { code: string };
  /** See `limits` below. */
  maxCachedWorkflows?: number;
}

/**
 * Limits, chosen for a scheme's caseload on a small machine (2 cores):
 * - Journeys wait for weeks between events, so few need to stay in memory. A cached journey is
 *   about a megabyte of V8 heap (its machine, snapshot and SDK state; see BENCHMARKS.md), and an
 *   evicted one is rebuilt by replaying its (short, thanks to continue-as-new) history. 250 keeps
 *   a busy co-ordinator's caseload warm in well under 512 MB.
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
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath }),
    maxCachedWorkflows: options.maxCachedWorkflows ?? limits.maxCachedWorkflows,
    maxConcurrentActivityTaskExecutions: limits.maxConcurrentActivityTaskExecutions,
    maxConcurrentWorkflowTaskExecutions: limits.maxConcurrentWorkflowTaskExecutions,
  };
  return Worker.create(workerOptions);
}
