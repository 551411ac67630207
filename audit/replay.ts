/**
 * Replay exported histories against the workflow code as it is now, and say for each run of each
 * journey whether it replays cleanly; if not, where and how, in plain words: which event of the
 * history, and what the code did instead (parsed from the SDK's DeterminismViolationError).
 *
 * Replay catches a change in what the workflow does (a new or missing timer, activity, child or
 * signal, in another order), but Temporal does not compare a timer's duration, an activity's input
 * or an Update's result with the history. So each run is also re-run through the machine
 * (./mirror.ts), which checks the timers' labels and durations and the stages the Updates returned:
 * an edited history, or a machine changed without a new version, shows up there too.
 */
import type { PayloadCodec } from '@temporalio/common';
import { DefaultLogger, Runtime, Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { eventIdOf, eventTimeOf, eventTypeOf } from './history-events';
import type { Journey, JourneyRun } from './journey-history';
import { mirrorRun, type ConsistencyIssue, type MirroredRun } from './mirror';
import { timelineOf } from './timeline';
import { failureConverterPath } from '../privacy/data-converter';
import { workflowBundlerOptions, workflowsPath } from '../workflows/entry';

export type ReplayProblemKind = 'nondeterminism' | 'damagedHistory' | 'workflowError' | 'replayFailed';

export interface ReplayProblem {
  kind: ReplayProblemKind;
  /** The history event where replay stopped, when the SDK names it. */
  eventId?: number;
  /** What the history has there, in words. */
  historyHas?: string;
  /** What the current code did instead, in words. */
  codeDid?: string;
  /** One or two sentences for a person. */
  plain: string;
  /** The SDK's own message. */
  detail: string;
}

export interface RunReplayResult {
  kind: Journey['kind'];
  journeyId: string;
  workflowId: string;
  runId: string;
  /** 1 for the first run, then 2, ... after each continue-as-new. */
  run: number;
  source?: string;
  /** Replays cleanly and the machine agrees with every timer and stage in the history. */
  ok: boolean;
  /** Temporal's replay of the history against the current workflow code. */
  replay: { ok: true } | { ok: false; problem: ReplayProblem };
  /** The machine re-run over the history: where they disagree. */
  consistency: ConsistencyIssue[];
  ms: number;
}

export interface ReplayOptions {
  /** The workflow code: a bundle (tests build one once), or the path of workflows/index.ts. */
  workflowBundle?: ReplayWorkerOptions['workflowBundle'];
  workflowsPath?: string;
  /**
   * The payload codec the workers use, if any (e.g. encryption), for the SDK's replay of the
   * histories as stored. Read them with `loadJourneys(paths, { codec })` so the audit reads them
   * decoded.
   */
  codec?: PayloadCodec;
  /** Called after each run is replayed. */
  onResult?: (result: RunReplayResult, done: number, total: number) => void;
}

/** Replay every run of `journeys`, each run once, in order. */
export async function replayJourneys(journeys: readonly Journey[], options: ReplayOptions): Promise<RunReplayResult[]> {
  const runs = journeys.flatMap((journey) => journey.runs.map((run, i) => ({ run, index: i + 1 })));
  if (runs.length === 0) return [];
  const workerOptions: ReplayWorkerOptions = {
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: options.workflowsPath ?? workflowsPath, bundlerOptions: workflowBundlerOptions }),
    // Error messages are encoded too (privacy/failure-converter.js): the bundle reads them with the same converter.
    ...(options.codec ? { dataConverter: { payloadCodecs: [options.codec], failureConverterPath } } : {}),
    replayName: 'mentorflow-audit',
  };
  const results: RunReplayResult[] = [];
  let started = performance.now();
  const histories = runs.map(({ run }) => ({ workflowId: run.workflowId, history: run.encoded ?? run.history }));
  let i = 0;
  for await (const outcome of Worker.runReplayHistories(workerOptions, histories)) {
    const { run, index } = runs[i]!;
    i += 1;
    const mirrored = mirrorRun(run);
    const problem = outcome.error ? explainReplayError(outcome.error, mirrored) : undefined;
    const result: RunReplayResult = {
      kind: run.kind,
      journeyId: run.journeyId,
      workflowId: run.workflowId,
      runId: run.runId,
      run: index,
      ...(run.source ? { source: run.source } : {}),
      ok: !problem && mirrored.issues.length === 0,
      replay: problem ? { ok: false, problem } : { ok: true },
      consistency: mirrored.issues,
      ms: performance.now() - started,
    };
    results.push(result);
    options.onResult?.(result, results.length, runs.length);
    started = performance.now();
  }
  return results;
}

/** What Core names when its state machine for a command meets an event it does not expect. */
const codeDidByMachine: Record<string, string> = {
  Timer: 'started a timer',
  Activity: 'scheduled an activity (a notification)',
  'Local activity': 'ran a local activity',
  'Child workflow': 'started a child journey',
  'Signal external WF': 'sent news to another journey',
  'Cancel external WF': 'cancelled another journey',
  'Complete workflow': 'ended the journey',
  'Fail workflow': 'failed the journey',
  'Cancel workflow': 'cancelled the journey',
  'Continue as new workflow': 'continued the journey as new',
  Update: 'answered an Update',
  Change: 'checked a patch',
  'Nexus operation': 'started a Nexus operation',
  UpsertWorkflowSearchAttributesMachine: 'updated the search attributes',
  ModifyWorkflowPropertiesMachine: 'modified the workflow properties',
};

/** The SDK's replay error for one run, in plain words. */
export function explainReplayError(error: Error, mirrored?: MirroredRun): ReplayProblem {
  const detail = error.message;
  const inner = innerMessage(detail);
  const describe = (eventId: number) => describeEvent(eventId, mirrored);
  let match: RegExpExecArray | null;

  if ((match = /History is out of order\. Last processed event: (\d+), event id: (\d+)/.exec(inner))) {
    const last = Number(match[1]);
    const next = Number(match[2]);
    const gap = next > last + 1 ? ` (event${next - last > 2 ? `s ${last + 1} to ${next - 1} are` : ` ${last + 1} is`} missing)` : '';
    return {
      kind: 'damagedHistory',
      eventId: next,
      plain: `The history is damaged: event ${next} follows event ${last}${gap}. It was edited, cut short or reordered after export; export it again.`,
      detail,
    };
  }
  if ((match = /(.+?) machine does not handle this event: HistoryEvent\(id: (\d+), (\w+)\)/.exec(inner)) ||
      (match = /(UpsertWorkflowSearchAttributesMachine|ModifyWorkflowPropertiesMachine) does not handle HistoryEvent\(id: (\d+), (\w+)\)/.exec(inner))) {
    const machine = match[1]!.replace(/^\[TMPRL1100\] Nondeterminism error: /, '');
    const eventId = Number(match[2]);
    const historyHas = describe(eventId) ?? match[3]!;
    const codeDid = codeDidByMachine[machine] ?? `issued a ${machine} command`;
    return {
      kind: 'nondeterminism',
      eventId,
      historyHas,
      codeDid,
      plain: `At event ${eventId}${when(eventId, mirrored)} the history has ${historyHas}, but the current code ${codeDid} instead.`,
      detail,
    };
  }
  if ((match = /No command scheduled for event HistoryEvent\(id: (\d+), (\w+)\)/.exec(inner))) {
    const eventId = Number(match[1]);
    const historyHas = describe(eventId) ?? match[2]!;
    return {
      kind: 'nondeterminism',
      eventId,
      historyHas,
      codeDid: 'nothing at this point',
      plain: `At event ${eventId}${when(eventId, mirrored)} the history has ${historyHas}, but the current code does nothing there (it no longer takes this step, or takes it later).`,
      detail,
    };
  }
  if ((match = /(Activity|Child workflow) (type|id) of scheduled event '(.*?)' does not\s+match (?:activity|child workflow) \2 of (?:activity|child workflow )?command '(.*?)'/.exec(inner))) {
    const what = match[1] === 'Activity' ? 'activity' : 'child journey';
    const eventId = findScheduled(mirrored, match[1] === 'Activity' ? 'activity' : 'child', match[2]!, match[3]!);
    return {
      kind: 'nondeterminism',
      ...(eventId ? { eventId } : {}),
      historyHas: `the ${what} ${match[2]} '${match[3]}'`,
      codeDid: `asked for the ${what} ${match[2]} '${match[4]}'`,
      plain: `${eventId ? `At event ${eventId}${when(eventId, mirrored)} the` : 'The'} history has the ${what} ${match[2]} '${match[3]}', but the current code asks for '${match[4]}' instead.`,
      detail,
    };
  }
  if ((match = /Timer fired event did not have expected timer id (\w+), it was (\w+)/.exec(inner))) {
    return {
      kind: 'nondeterminism',
      historyHas: `timer ${match[2]} firing`,
      codeDid: `waited for timer ${match[1]}`,
      plain: `The history has timer ${match[2]} firing where the current code waits for timer ${match[1]}: the code sets its timers differently.`,
      detail,
    };
  }
  if (/Nondeterminism|DeterminismViolation/i.test(detail)) {
    const eventId = /HistoryEvent\s*[({]\s*(?:id|event_id):\s*(\d+)/.exec(inner)?.[1];
    return {
      kind: 'nondeterminism',
      ...(eventId ? { eventId: Number(eventId) } : {}),
      plain: `The current code does not do what the history records${eventId ? ` at event ${eventId}` : ''}: ${inner.replace(/^\[TMPRL1100\] Nondeterminism error: /, '')}`,
      detail,
    };
  }
  if (/workflow task failure/i.test(detail)) {
    return { kind: 'workflowError', plain: `The current code fails while replaying this history: ${inner}`, detail };
  }
  return { kind: 'replayFailed', plain: `Replay failed: ${inner}`, detail };
}

/** The innermost message Core gives (it wraps it in a Rust debug print). */
function innerMessage(detail: string): string {
  const quoted = /message: "((?:[^"\\]|\\.)*)"/.exec(detail);
  const text = quoted ? quoted[1]!.replace(/\\"/g, '"').replace(/\\\\/g, '\\') : detail.replace(/^.*?Details: /, '');
  return text;
}

function eventOf(mirrored: MirroredRun | undefined, eventId: number) {
  return mirrored?.run.history.events?.find((e) => eventIdOf(e) === eventId);
}

function when(eventId: number, mirrored: MirroredRun | undefined): string {
  const event = eventOf(mirrored, eventId);
  return event ? ` (${eventTimeOf(event).replace('T', ' ').slice(0, 16)} UTC)` : '';
}

/** An event of the history in a few words, from its timeline entry. */
function describeEvent(eventId: number, mirrored: MirroredRun | undefined): string | undefined {
  if (!mirrored) return undefined;
  const event = eventOf(mirrored, eventId);
  if (!event) return undefined;
  const entry = timelineOf([mirrored], { includeBookkeeping: true }).entries.find((e) => e.eventId === eventId);
  const type = eventTypeOf(event);
  if (!entry || entry.kind === 'bookkeeping') return bookkeepingWords[type] ?? `a ${type} event`;
  return `"${lowerFirst(entry.what)}"`;
}

const bookkeepingWords: Record<string, string> = {
  workflowTaskScheduled: 'the workflow waiting for its next task',
  workflowTaskStarted: 'the workflow taking a task',
  workflowTaskCompleted: 'the workflow finishing a task with nothing more to do',
  workflowExecutionUpdateCompleted: "the journey's answer to a recorded event",
  activityTaskStarted: 'a notification being sent',
  upsertWorkflowSearchAttributes: 'the search attributes being updated',
};

function findScheduled(mirrored: MirroredRun | undefined, what: 'activity' | 'child', field: string, value: string): number | undefined {
  for (const event of mirrored?.run.history.events ?? []) {
    if (what === 'activity') {
      const a = event.activityTaskScheduledEventAttributes;
      if (a && (field === 'type' ? a.activityType?.name : a.activityId) === value) return eventIdOf(event);
    } else {
      const a = event.startChildWorkflowExecutionInitiatedEventAttributes;
      if (a && (field === 'type' ? a.workflowType?.name : a.workflowId) === value) return eventIdOf(event);
    }
  }
  return undefined;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Shorthand for one run (e.g. a test's freshly fetched history). */
export function replayRun(run: JourneyRun, options: ReplayOptions): Promise<RunReplayResult[]> {
  return replayJourneys([{ kind: run.kind, journeyId: run.journeyId, workflowId: run.workflowId, runs: [run] }], options);
}

/**
 * Keep replay quiet: a history that does not replay makes the SDK log each failed workflow task as
 * a warning, which the audit reports better. Call before any worker exists in the process (a CLI
 * command); once the runtime is in place (tests, a worker process) this changes nothing.
 */
export function quietReplayLogs(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } } });
  } catch {
    // Already installed: leave it as its owner set it.
  }
}
