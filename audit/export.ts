/**
 * Export journeys' full histories from Temporal to files: every run of a journey that continued as
 * new, each run one file in the standard JSON that `temporal workflow show --output json` writes and
 * `Worker.runReplayHistories` replays. The first run is `<workflowId>.json`, later ones
 * `<workflowId>.run-<n>.json`; the audit reads the runs' order from the histories themselves.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils';
import { workflowTypes } from '../contracts/ids';
import type { PayloadCodec } from '@temporalio/common';
import { decodeHistory } from './history-events';
import { historyToJSON } from './history-file';
import { groupJourneys, readRun, type Journey, type JourneyRun } from './journey-history';

export interface RunHistory {
  runId: string;
  history: History;
}

/** Every run of one journey, the first first, following the continue-as-new chain backwards. */
export async function fetchJourneyHistories(client: Client, workflowId: string): Promise<RunHistory[]> {
  const runs: RunHistory[] = [];
  let runId: string | undefined;
  for (let guard = 0; guard < 10_000; guard++) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    runs.unshift({ runId: started?.originalExecutionRunId ?? runId ?? '', history });
    runId = started?.continuedExecutionRunId ?? undefined;
    if (!runId) break;
  }
  return runs;
}

/** The file names of a journey's runs: `<workflowId>.json`, then `<workflowId>.run-2.json`, ... */
export function historyFileNames(workflowId: string, runs: number): string[] {
  return Array.from({ length: runs }, (_, i) => (i === 0 ? `${workflowId}.json` : `${workflowId}.run-${i + 1}.json`));
}

/** Write one journey's runs to `outDir`; returns the files written. */
export async function exportJourney(client: Client, workflowId: string, outDir: string): Promise<string[]> {
  const runs = await fetchJourneyHistories(client, workflowId);
  mkdirSync(outDir, { recursive: true });
  const names = historyFileNames(workflowId, runs.length);
  return runs.map((run, i) => {
    const file = path.join(outDir, names[i]!);
    writeFileSync(file, `${historyToJSON(run.history)}\n`);
    return file;
  });
}

/** All mentorflow journeys, as a visibility query. */
export const allJourneysQuery = `WorkflowType IN (${Object.values(workflowTypes).map((t) => `'${t}'`).join(', ')})`;

export class VisibilityUnsupportedError extends Error {
  readonly code = 'AUDIT.VISIBILITY_UNSUPPORTED';
  constructor(detail: string) {
    super(
      `this Temporal server cannot filter journeys with a visibility query (${detail}); ` +
        'give the journeys by id, or export every journey without a query',
    );
    this.name = 'VisibilityUnsupportedError';
  }
}

/**
 * The workflow ids of the journeys matching `query` (a Temporal visibility query; default: every
 * journey). Each journey once, whatever its number of runs. The time-skipping test server has no
 * visibility queries: there, without a query, every journey is listed with the older
 * open/closed listing instead.
 */
export async function listJourneyIds(client: Client, options: { query?: string; namespace?: string } = {}): Promise<string[]> {
  const ids = new Set<string>();
  const query = options.query ? `(${allJourneysQuery}) AND (${options.query})` : allJourneysQuery;
  try {
    for await (const info of client.workflow.list({ query })) ids.add(info.workflowId);
    return [...ids].sort();
  } catch (error) {
    if (!isUnimplemented(error)) throw error;
    if (options.query) throw new VisibilityUnsupportedError((error as Error).message.split('\n')[0]!);
  }
  const namespace = options.namespace ?? client.options.namespace;
  const types = new Set(Object.values(workflowTypes));
  const service = client.workflowService;
  const listings = [
    (nextPageToken?: Uint8Array) => service.listOpenWorkflowExecutions({ namespace, maximumPageSize: 1000, ...(nextPageToken ? { nextPageToken } : {}) }),
    (nextPageToken?: Uint8Array) => service.listClosedWorkflowExecutions({ namespace, maximumPageSize: 1000, ...(nextPageToken ? { nextPageToken } : {}) }),
  ];
  for (const list of listings) {
    let nextPageToken: Uint8Array | undefined;
    do {
      const page = await list(nextPageToken);
      for (const e of page.executions ?? []) {
        if (types.has(e.type?.name ?? '') && e.execution?.workflowId) ids.add(e.execution.workflowId);
      }
      nextPageToken = page.nextPageToken && page.nextPageToken.length > 0 ? page.nextPageToken : undefined;
    } while (nextPageToken);
  }
  return [...ids].sort();
}

function isUnimplemented(error: unknown): boolean {
  const e = error as { code?: unknown; message?: string; cause?: { code?: unknown } };
  return e?.code === 12 || e?.cause?.code === 12 || /UNIMPLEMENTED|not implemented/i.test(e?.message ?? '');
}

export interface ExportProgress {
  (done: number, total: number, workflowId: string): void;
}

export interface ExportSummary {
  journeys: number;
  files: string[];
  /** Journeys that could not be exported, with the reason. */
  failed: { workflowId: string; error: string }[];
}

/**
 * Export many journeys: those given by id, else those matching `query` (default: every journey).
 * A journey that cannot be fetched is reported, and the others are still exported.
 */
export async function exportJourneys(options: {
  client: Client;
  outDir: string;
  workflowIds?: readonly string[];
  query?: string;
  onProgress?: ExportProgress;
  /** Journeys fetched at once (default 4). */
  concurrency?: number;
}): Promise<ExportSummary> {
  const ids = options.workflowIds && options.workflowIds.length > 0
    ? [...new Set(options.workflowIds)]
    : await listJourneyIds(options.client, options.query ? { query: options.query } : {});
  const summary: ExportSummary = { journeys: 0, files: [], failed: [] };
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < ids.length) {
      const workflowId = ids[next++]!;
      try {
        summary.files.push(...(await exportJourney(options.client, workflowId, options.outDir)));
        summary.journeys += 1;
      } catch (error) {
        summary.failed.push({ workflowId, error: (error as Error).message.split('\n')[0]! });
      }
      done += 1;
      options.onProgress?.(done, ids.length, workflowId);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, ids.length)) }, worker));
  summary.files.sort();
  return summary;
}

/**
 * Every journey (or those matching `query`) read straight from Temporal, decoded, as the audit
 * reads exported files: the live side of a report, which therefore equals the report from an export.
 */
export async function fetchJourneys(options: { client: Client; codec?: PayloadCodec; query?: string; concurrency?: number }): Promise<Journey[]> {
  const ids = await listJourneyIds(options.client, options.query ? { query: options.query } : {});
  const runs: JourneyRun[] = [];
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const workflowId = ids[next++]!;
      for (const run of await fetchJourneyHistories(options.client, workflowId)) {
        const decoded = options.codec ? await decodeHistory(run.history, options.codec) : run.history;
        runs.push({ ...readRun(decoded), ...(options.codec ? { encoded: run.history } : {}) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 8, ids.length)) }, worker));
  return groupJourneys(runs);
}
