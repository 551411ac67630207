/**
 * Which journey a history belongs to, read from the history alone: the workflow type gives the
 * kind, the start input the journey id and the policy in force, and the run ids link the runs of
 * a journey that continued as new. Several history files (one per run) become one journey.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { PayloadCodec } from '@temporalio/common';
import type { History } from '@temporalio/common/lib/proto-utils';
import type { JourneyKind } from '../machines/journey';
import { workflowIdFor, workflowTypes } from '../contracts/ids';
import type { JourneyWorkflowInput } from '../contracts/messages';
import { decodeHistory, eventTimeOf, eventTypeOf, firstPayload } from './history-events';
import { historyFromJSON } from './history-file';

export type RunEnding = 'running' | 'completed' | 'continuedAsNew' | 'terminated' | 'failed' | 'canceled' | 'timedOut';

export interface JourneyRun {
  kind: JourneyKind;
  journeyId: string;
  workflowId: string;
  workflowType: string;
  /** This run's id (its original run id, as the server gave it). */
  runId: string;
  firstExecutionRunId: string;
  /** The run this one continued from, if it is not the first. */
  continuedFromRunId?: string;
  /** The journey that started this one (a match is started by the volunteer's journey). */
  parentWorkflowId?: string;
  input: JourneyWorkflowInput;
  startedAt: string;
  lastEventAt: string;
  ending: RunEnding;
  /** The history, its payloads decoded when a codec was given. */
  history: History;
  /** The history as stored, when a codec decoded `history` (the SDK replays this one). */
  encoded?: History;
  /** The file it was read from, if any. */
  source?: string;
}

export interface Journey {
  kind: JourneyKind;
  journeyId: string;
  workflowId: string;
  /** Its runs in order: the first, then each continue-as-new. */
  runs: JourneyRun[];
}

export class HistoryFormatError extends Error {
  readonly code = 'AUDIT.NOT_A_JOURNEY_HISTORY';
  constructor(message: string, readonly source?: string) {
    super(source ? `${source}: ${message}` : message);
    this.name = 'HistoryFormatError';
  }
}

const kindsByType = Object.fromEntries(Object.entries(workflowTypes).map(([kind, type]) => [type, kind])) as Record<string, JourneyKind>;

const endings: Record<string, RunEnding> = {
  workflowExecutionCompleted: 'completed',
  workflowExecutionContinuedAsNew: 'continuedAsNew',
  workflowExecutionTerminated: 'terminated',
  workflowExecutionFailed: 'failed',
  workflowExecutionCanceled: 'canceled',
  workflowExecutionTimedOut: 'timedOut',
};

/** Read one run of a journey from its history. */
export function readRun(history: History, source?: string): JourneyRun {
  const events = history.events ?? [];
  const first = events[0];
  if (!first || eventTypeOf(first) !== 'workflowExecutionStarted') {
    throw new HistoryFormatError('the history does not begin with the workflow being started (is it complete?)', source);
  }
  const started = first.workflowExecutionStartedEventAttributes!;
  const workflowType = started.workflowType?.name ?? '';
  const kind = kindsByType[workflowType];
  if (!kind) throw new HistoryFormatError(`workflow type "${workflowType}" is not a mentorflow journey`, source);
  const input = firstPayload<JourneyWorkflowInput>(started.input);
  if (!input?.start?.journeyId || !input.policy) {
    throw new HistoryFormatError('the start input has no journey id or policy', source);
  }
  const last = events[events.length - 1]!;
  const ending = endings[eventTypeOf(last)] ?? 'running';
  return {
    kind,
    journeyId: input.start.journeyId,
    workflowId: workflowIdFor(kind, input.start.journeyId),
    workflowType,
    runId: started.originalExecutionRunId ?? '',
    firstExecutionRunId: started.firstExecutionRunId ?? started.originalExecutionRunId ?? '',
    ...(started.continuedExecutionRunId ? { continuedFromRunId: started.continuedExecutionRunId } : {}),
    ...(started.parentWorkflowExecution?.workflowId ? { parentWorkflowId: started.parentWorkflowExecution.workflowId } : {}),
    input,
    startedAt: eventTimeOf(first),
    lastEventAt: eventTimeOf(last),
    ending,
    history,
    ...(source ? { source } : {}),
  };
}

/** Group runs into journeys, each journey's runs in continue-as-new order. */
export function groupJourneys(runs: readonly JourneyRun[]): Journey[] {
  const byWorkflow = new Map<string, JourneyRun[]>();
  for (const run of runs) {
    const list = byWorkflow.get(run.workflowId) ?? [];
    if (!list.some((r) => r.runId === run.runId)) list.push(run);
    byWorkflow.set(run.workflowId, list);
  }
  const journeys: Journey[] = [];
  for (const [workflowId, list] of byWorkflow) {
    const ordered: JourneyRun[] = [];
    const byPrevious = new Map(list.filter((r) => r.continuedFromRunId).map((r) => [r.continuedFromRunId!, r]));
    const heads = list.filter((r) => !r.continuedFromRunId || !list.some((o) => o.runId === r.continuedFromRunId));
    for (const head of heads.sort((a, b) => a.startedAt.localeCompare(b.startedAt))) {
      for (let run: JourneyRun | undefined = head; run && !ordered.includes(run); run = byPrevious.get(run.runId)) ordered.push(run);
    }
    const first = ordered[0]!;
    journeys.push({ kind: first.kind, journeyId: first.journeyId, workflowId, runs: ordered });
  }
  return journeys.sort((a, b) => a.runs[0]!.startedAt.localeCompare(b.runs[0]!.startedAt) || a.workflowId.localeCompare(b.workflowId));
}

/** Every `*.json` history under `paths` (files or folders, folders searched recursively). */
export function historyFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  const visit = (p: string) => {
    if (statSync(p).isDirectory()) {
      for (const name of readdirSync(p).sort()) visit(path.join(p, name));
    } else if (p.endsWith('.json')) {
      files.push(p);
    }
  };
  paths.forEach(visit);
  return files;
}

function parseHistoryFile(file: string): History {
  try {
    return historyFromJSON(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new HistoryFormatError(`not a Temporal history in JSON (${(error as Error).message})`, file);
  }
}

/** Read a history file (the standard Temporal JSON) as a run. */
export function readHistoryFile(file: string): JourneyRun {
  return readRun(parseHistoryFile(file), file);
}

/** Read every history under `paths` and group them into journeys. */
export function loadJourneys(paths: readonly string[]): Journey[] {
  return groupJourneys(historyFiles(paths).map(readHistoryFile));
}

/**
 * The same, for histories whose payloads a codec encoded (e.g. encrypted): each is read decoded,
 * and keeps the history as stored for replay (`replayJourneys(..., { codec })`).
 */
export async function loadEncodedJourneys(paths: readonly string[], codec: PayloadCodec): Promise<Journey[]> {
  const runs: JourneyRun[] = [];
  for (const file of historyFiles(paths)) {
    const encoded = parseHistoryFile(file);
    runs.push({ ...readRun(await decodeHistory(encoded, codec), file), encoded });
  }
  return groupJourneys(runs);
}
