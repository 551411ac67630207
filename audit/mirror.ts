/**
 * The journey re-run from its history, purely: the same machine and the same runtime functions
 * (machines/runtime.ts) the workflow uses, fed the events in the order and at the times the
 * workflow took them. This gives the stage before and after every event (including timers and
 * news from linked journeys, whose stage the history does not record), the journey's facts at
 * any moment for the compliance rules, and a consistency check of the history: every timer the
 * machine would set, with its label and duration, and every stage an Update returned, must be what
 * the history shows.
 *
 * How the workflow takes events (workflows/journey.workflow.ts), mirrored here:
 * - its clock is the start time of the workflow task that handles an event;
 * - within one workflow task: the journey begins (first task of a run), then signals, then
 *   Updates (their handlers run synchronously), then fired timers (promise callbacks, in order);
 * - each pending delayed event is one Temporal timer, numbered in the order it is started;
 * - a fired timer counts at its due time when the worker took it late.
 */
import type { AnyMachineSnapshot } from 'xstate';
import type { Actor, JourneyDefinition } from '../machines/journey';
import { stateName, type Effect } from '../machines/runtime';
import { JourneyInterpreter, type Command, type Step, type StepTrigger } from '../interpreter/journey-interpreter';
import { DEADLINES_FROM_JOURNEY_START, type JourneyStatus, type RecordedEvent } from '../contracts/messages';
import { refusalCodes } from '../contracts/refusals';
import { definitionOf } from '../machines/registry';
import {
  durationMs,
  eventIdOf,
  eventTimeOf,
  eventTypeOf,
  firstPayload,
  patchesIn,
  summaryOf,
  type HistoryEvent,
} from './history-events';
import type { JourneyRun } from './journey-history';

export type { StepTrigger };

/** One thing that happened to the machine: the journey began, an event was recorded, news, a timer. */
export interface JourneyStep {
  /** The history event that carried it (the start, the accepted Update, the signal, the fired timer). */
  eventId: number;
  trigger: StepTrigger;
  /** The journey's clock when the machine took it. */
  at: string;
  /** The machine event (a recorded or linked event, or the timer's delayed event). */
  event?: { type: string } & Record<string, unknown>;
  by?: Actor;
  /**
   * applied: the machine took it; unchanged: a linked event that changed nothing (the journey is
   * told so); failed: the Update handler refused it after acceptance; stale: a timer the journey
   * had already moved past.
   */
  outcome: 'applied' | 'unchanged' | 'failed' | 'stale';
  note?: string;
  stageBefore: string | null;
  stageAfter: string;
  /** The full machine state after, e.g. "referral.firstContactOverdue". */
  stateAfter: string;
  /** The snapshot after the step (immutable; the compliance rules read its context). */
  snapshot: AnyMachineSnapshot;
  openNudges: string[];
  effects: Effect[];
  /** Temporal timers this step started and cancelled (by the timer's id in the history). */
  timersStarted: MirrorTimer[];
  timersCancelled: MirrorTimer[];
}

export interface MirrorTimer {
  /** The Temporal timer id (the workflow's timer sequence number). */
  timerId: string;
  /** XState's id of the delayed event. */
  machineTimerId: string;
  delayName: string;
  /** As the workflow labels it: "first contact due". */
  summary: string;
  dueAt: string;
  /** What the workflow asked Temporal for (ms). */
  durationMs: number;
}

export interface ConsistencyIssue {
  eventId: number;
  message: string;
}

export interface MirroredRun {
  run: JourneyRun;
  definition: JourneyDefinition;
  steps: JourneyStep[];
  /** Every timer the journey started, by Temporal timer id. */
  timers: Map<string, MirrorTimer>;
  /** Where the history and the machine disagree: an edited history, or a machine changed since. */
  issues: ConsistencyIssue[];
  /** The snapshot after the last step. */
  final: AnyMachineSnapshot | undefined;
}

/** Event types written as the result of a workflow task's commands (they follow its completion). */
const commandEventTypes = new Set([
  'timerStarted',
  'timerCanceled',
  'activityTaskScheduled',
  'activityTaskCancelRequested',
  'workflowExecutionUpdateAccepted',
  'workflowExecutionUpdateCompleted',
  'startChildWorkflowExecutionInitiated',
  'signalExternalWorkflowExecutionInitiated',
  'requestCancelExternalWorkflowExecutionInitiated',
  'upsertWorkflowSearchAttributes',
  'workflowPropertiesModified',
  'markerRecorded',
  'workflowExecutionCompleted',
  'workflowExecutionFailed',
  'workflowExecutionContinuedAsNew',
  'workflowExecutionCanceled',
]);


interface UpdateOutcome {
  status?: JourneyStatus;
  failure?: string;
}

/** Re-run one run of a journey from its history. Pure: no server, no clock. */
export function mirrorRun(run: JourneyRun): MirroredRun {
  return new Mirror(run).run();
}

class Mirror {
  private readonly definition: JourneyDefinition;
  private readonly events: HistoryEvent[];
  private journey: JourneyInterpreter | undefined;
  /** The Temporal timer of each timer the interpreter asked for (by its ref), and back. */
  private readonly timersByRef = new Map<number, MirrorTimer>();
  private readonly refOfTimer = new Map<string, number>();
  private readonly timersById = new Map<string, MirrorTimer>();
  private timerSeq = 0;
  private nowMs = 0;
  private readonly steps: JourneyStep[] = [];
  private readonly issues: ConsistencyIssue[] = [];
  private readonly updateOutcomes = new Map<string, UpdateOutcome>();
  private readonly cancelledByMirror = new Set<string>();
  /** Timers started and cancelled while taking the current step. */
  private started: MirrorTimer[] = [];
  private cancelled: MirrorTimer[] = [];
  /** Timers started in the current workflow task, in order. */
  private taskStarts: MirrorTimer[] = [];

  constructor(private readonly journeyRun: JourneyRun) {
    // The machine version the journey started with, as the workflow does.
    this.definition = definitionOf(journeyRun.kind, journeyRun.input.machineVersion);
    this.events = journeyRun.history.events ?? [];
  }

  run(): MirroredRun {
    this.collectUpdateOutcomes();
    let pendingSignals: HistoryEvent[] = [];
    let pendingFires: HistoryEvent[] = [];
    let taskStartedAt: string | undefined;
    for (let i = 0; i < this.events.length; i++) {
      const event = this.events[i]!;
      switch (eventTypeOf(event)) {
        case 'workflowTaskStarted':
          taskStartedAt = eventTimeOf(event);
          break;
        case 'workflowExecutionSignaled':
          pendingSignals.push(event);
          break;
        case 'timerFired':
          pendingFires.push(event);
          break;
        case 'workflowTaskCompleted': {
          const batch = this.commandBatchAfter(i);
          this.workflowTask(taskStartedAt ?? eventTimeOf(event), pendingSignals, batch, pendingFires);
          pendingSignals = [];
          pendingFires = [];
          break;
        }
        default:
          break;
      }
    }
    this.checkCancellations();
    this.checkFinalResult();
    return {
      run: this.journeyRun,
      definition: this.definition,
      steps: this.steps,
      timers: this.timersById,
      issues: this.issues,
      final: this.journey?.current,
    };
  }

  private commandBatchAfter(index: number): HistoryEvent[] {
    const batch: HistoryEvent[] = [];
    for (let j = index + 1; j < this.events.length && commandEventTypes.has(eventTypeOf(this.events[j]!)); j++) {
      batch.push(this.events[j]!);
    }
    return batch;
  }

  private collectUpdateOutcomes(): void {
    for (const event of this.events) {
      const completed = event.workflowExecutionUpdateCompletedEventAttributes;
      if (!completed) continue;
      const id = completed.meta?.updateId ?? '';
      const outcome = completed.outcome;
      if (outcome?.failure) this.updateOutcomes.set(id, { failure: outcome.failure.message ?? 'the Update failed' });
      else this.updateOutcomes.set(id, { status: firstPayload<JourneyStatus>(outcome?.success) });
    }
  }

  /** One workflow task: what it took in, in the order the workflow takes it, then its commands checked. */
  private workflowTask(at: string, signals: HistoryEvent[], batch: HistoryEvent[], fires: HistoryEvent[]): void {
    this.nowMs = Date.parse(at);
    this.taskStarts = [];
    const first = !this.journey;
    if (first) this.begin();
    const updates = batch.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    // On the first task, Updates and signals that came with the start wait for their handlers, and
    // the record handler is set before the linked one. Later, signals are taken before other jobs.
    const inputs = first ? [...updates, ...signals] : [...signals, ...updates];
    for (const input of inputs) {
      if (input.workflowExecutionSignaledEventAttributes) this.signal(input);
      else this.update(input);
    }
    for (const fire of fires) this.fire(fire);
    this.checkTimerStarts(batch, this.taskStarts);
  }

  private now(): string {
    return new Date(this.nowMs).toISOString();
  }

  private stage(): string {
    return this.journey ? this.journey.stage() : '';
  }

  // --- the history's inputs, fed to the interpreter as the workflow feeds them --------------------

  private begin(): void {
    const { input, journeyId, workflowId } = this.journeyRun;
    const identity = { journeyId, coordinatorId: input.start.coordinatorId, workflowId, sealedFor: workflowId };
    this.journey = new JourneyInterpreter(this.definition, identity, input.carried, this.now());
    // The workflow's clockStartsAt: first deadlines count from the journey's start in the world,
    // for journeys that recorded the patch (not imported ones, nor those begun before it).
    const fromStart = !input.carried && !input.imported && patchesIn(this.events).has(DEADLINES_FROM_JOURNEY_START);
    const step = this.journey.begin(this.now(), fromStart ? input.start.startedAt : this.now(), { ...input.start, policy: input.policy });
    this.take(step, { eventId: 1, stageBefore: step.trigger === 'continue' ? this.stage() : null });
  }

  private update(accepted: HistoryEvent): void {
    const attributes = accepted.workflowExecutionUpdateAcceptedEventAttributes!;
    const eventId = Number(accepted.eventId);
    const raw = firstPayload<RecordedEvent>(attributes.acceptedRequest?.input?.args);
    const updateId = attributes.acceptedRequest?.meta?.updateId ?? attributes.protocolInstanceId ?? '';
    const outcome = this.updateOutcomes.get(updateId);
    const stageBefore = this.stage();
    const failed = (note: string): void => {
      this.pushStep({ eventId, trigger: 'record', at: this.now(), stageBefore, outcome: 'failed', note, effects: [], ...(raw ? { event: raw, by: raw.by } : {}) });
    };
    if (!raw || typeof raw.type !== 'string') {
      this.issues.push({ eventId, message: 'an accepted Update carries no event' });
      failed('no event in the Update');
      return;
    }
    if (outcome?.failure) {
      failed(outcome.failure);
      return;
    }
    const step = this.journey!.record(raw, this.now());
    if (step.refusal) {
      const why = step.refusal.code === refusalCodes.invalid ? step.refusal.reasons.join('; ') : step.refusal.message;
      this.issues.push({ eventId, message: `the machine would refuse '${raw.type}' here (${why}), yet the history shows it accepted` });
      failed(why);
      return;
    }
    const taken = this.take(step, { eventId, stageBefore });
    const status = outcome?.status;
    if (!outcome) {
      this.issues.push({ eventId, message: `the Update recording '${raw.type}' has no result in the history` });
    } else if (status && (status.stage !== taken.stageAfter || status.state !== taken.stateAfter)) {
      this.issues.push({
        eventId,
        message: `after '${raw.type}' the journey answered stage '${status.stage}' (${status.state}), but the machine reaches '${taken.stageAfter}' (${taken.stateAfter})`,
      });
    }
  }

  private signal(signaled: HistoryEvent): void {
    const attributes = signaled.workflowExecutionSignaledEventAttributes!;
    const eventId = Number(signaled.eventId);
    const raw = firstPayload<RecordedEvent>(attributes.input);
    const stageBefore = this.stage();
    if (attributes.signalName !== 'linked') {
      const note = `signal '${attributes.signalName}' is not one a journey takes`;
      this.pushStep({ eventId, trigger: 'linked', at: this.now(), stageBefore, outcome: 'unchanged', note, effects: [], ...(raw ? { event: raw, by: raw.by } : {}) });
      return;
    }
    this.take(this.journey!.tell(raw, this.now()), { eventId, stageBefore, ...(raw?.by ? { by: raw.by } : {}) });
  }

  private fire(fired: HistoryEvent): void {
    const eventId = Number(fired.eventId);
    const timerId = fired.timerFiredEventAttributes!.timerId ?? '';
    const timer = this.timersById.get(timerId);
    if (!timer) {
      this.issues.push({ eventId, message: `timer ${timerId} fired, but the machine never set it` });
      return;
    }
    const stageBefore = this.stage();
    const step = this.journey!.timerFired(this.refOfTimer.get(timerId)!, timer.machineTimerId, this.now());
    const note = step.outcome === 'stale' ? `${timer.summary}: ${step.note}` : timer.summary;
    this.take({ ...step, note }, { eventId, stageBefore });
  }

  /** Follow the interpreter's commands as the workflow carries them out, and record the step. */
  private take(step: Step, where: { eventId: number; stageBefore: string | null; by?: Actor }): JourneyStep {
    for (const command of step.commands) this.follow(command);
    const { trigger, at, event, note, effects } = step;
    const outcome = step.outcome === 'refused' ? 'failed' : step.outcome;
    const by = where.by ?? (trigger === 'record' ? (event?.by as Actor | undefined) : undefined);
    return this.pushStep({
      eventId: where.eventId,
      trigger,
      at,
      outcome,
      stageBefore: where.stageBefore,
      effects,
      ...(event ? { event } : {}),
      ...(by ? { by } : {}),
      ...(note ? { note } : {}),
    });
  }

  private follow(command: Command): void {
    if (command.type === 'startTimer') {
      this.timerSeq += 1;
      const { ref, machineTimerId, delayName, summary, dueAt } = command.timer;
      const started: MirrorTimer = { timerId: String(this.timerSeq), machineTimerId, delayName, summary, dueAt, durationMs: Math.max(1, Date.parse(dueAt) - this.nowMs) };
      this.timersByRef.set(ref, started);
      this.refOfTimer.set(started.timerId, ref);
      this.timersById.set(started.timerId, started);
      this.started.push(started);
      this.taskStarts.push(started);
    } else if (command.type === 'cancelTimer') {
      const running = this.timersByRef.get(command.timer.ref)!;
      this.cancelled.push(running);
      // A timer set and cancelled in the same workflow task never reaches the history (the SDK
      // drops both commands), though it used up its sequence number: e.g. a journey started with
      // an Update already waiting, which closes what the start opened.
      const unsent = this.taskStarts.indexOf(running);
      if (unsent >= 0) this.taskStarts.splice(unsent, 1);
      else this.cancelledByMirror.add(running.timerId);
    }
  }

  // --- bookkeeping -----------------------------------------------------------------------------

  private pushStep(
    step: Pick<JourneyStep, 'eventId' | 'trigger' | 'at' | 'outcome' | 'stageBefore' | 'effects'> &
      Partial<Pick<JourneyStep, 'event' | 'by' | 'note'>>,
  ): JourneyStep {
    const snapshot = this.journey!.current;
    const full: JourneyStep = {
      ...step,
      stageAfter: this.journey!.stage(),
      stateAfter: stateName(snapshot.value),
      snapshot,
      openNudges: this.journey!.openNudges(),
      timersStarted: this.started,
      timersCancelled: this.cancelled,
    };
    this.steps.push(full);
    this.started = [];
    this.cancelled = [];
    return full;
  }

  /** The timers the history shows started in this task must be the ones the machine set, in order. */
  private checkTimerStarts(batch: HistoryEvent[], expected: MirrorTimer[]): void {
    const startedInHistory = batch.filter((e) => e.timerStartedEventAttributes);
    const count = Math.max(startedInHistory.length, expected.length);
    for (let k = 0; k < count; k++) {
      const event = startedInHistory[k];
      const want = expected[k];
      if (!event) {
        this.issues.push({
          eventId: eventIdOf(batch[batch.length - 1] ?? this.events[0]!),
          message: `the machine sets the timer '${want!.summary}' (timer ${want!.timerId}) here, but the history has no such timer started`,
        });
        continue;
      }
      const attributes = event.timerStartedEventAttributes!;
      const eventId = eventIdOf(event);
      const summary = summaryOf(event) ?? '';
      const ms = durationMs(attributes.startToFireTimeout);
      if (!want) {
        this.issues.push({ eventId, message: `the history starts timer ${attributes.timerId} ('${summary}') that the machine does not set` });
        continue;
      }
      const problems: string[] = [];
      if (attributes.timerId !== want.timerId) problems.push(`timer id ${attributes.timerId}, the machine's is ${want.timerId}`);
      if (summary !== want.summary) problems.push(`labelled '${summary}', the machine's is '${want.summary}'`);
      if (ms !== want.durationMs) {
        problems.push(`for ${formatMs(ms)}, the machine's runs ${formatMs(want.durationMs)} (due ${want.dueAt})`);
      }
      if (problems.length > 0) this.issues.push({ eventId, message: `timer '${want.summary}' in the history: ${problems.join('; ')}` });
    }
  }

  private checkCancellations(): void {
    const fired = new Set<string>();
    for (const event of this.events) {
      const cancelled = event.timerCanceledEventAttributes;
      if (event.timerFiredEventAttributes) fired.add(event.timerFiredEventAttributes.timerId ?? '');
      if (cancelled && !this.cancelledByMirror.has(cancelled.timerId ?? '')) {
        this.issues.push({ eventId: eventIdOf(event), message: `the history cancels timer ${cancelled.timerId}, which the machine keeps` });
      }
    }
    const cancelledInHistory = new Set(this.events.map((e) => e.timerCanceledEventAttributes?.timerId).filter(Boolean));
    for (const timerId of this.cancelledByMirror) {
      if (!cancelledInHistory.has(timerId) && !fired.has(timerId)) {
        const timer = this.timersById.get(timerId)!;
        this.issues.push({ eventId: 0, message: `the machine cancels timer ${timerId} ('${timer.summary}'), but the history neither cancels nor fires it` });
      }
    }
  }

  private checkFinalResult(): void {
    const last = this.events[this.events.length - 1];
    const completed = last?.workflowExecutionCompletedEventAttributes;
    if (!completed || !this.journey) return;
    const status = firstPayload<JourneyStatus>(completed.result);
    const stage = this.stage();
    if (status && status.stage !== stage) {
      this.issues.push({ eventId: eventIdOf(last), message: `the journey ended at stage '${status.stage}', but the machine is at '${stage}'` });
    }
  }
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(3)}s`;
}
