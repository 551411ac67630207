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
import {
  applyEvent,
  fireTimer,
  judge,
  openNudgesOf,
  restoreSnapshot,
  startJourney,
  stateName,
  type Effect,
  type PendingTimer,
  type StepResult,
} from '../machines/runtime';
import { DEADLINES_FROM_JOURNEY_START, type JourneyStatus, type RecordedEvent } from '../workflows/messages';
import { definitionOf } from '../workflows/registry';
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

export type StepTrigger = 'start' | 'continue' | 'record' | 'linked' | 'timer';

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
  private snapshot: AnyMachineSnapshot | undefined;
  private timers: PendingTimer[] = [];
  private readonly running = new Map<string, MirrorTimer>();
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
      final: this.snapshot,
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
    const first = !this.snapshot;
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

  private stage(snapshot = this.snapshot): string {
    return snapshot ? this.definition.stage(snapshot) : '';
  }

  private get ended(): boolean {
    return this.snapshot !== undefined && this.snapshot.status !== 'active';
  }

  // --- the interpreter's own steps (DurableJourney in workflows/journey.workflow.ts) ---------------

  private begin(): void {
    const { input } = this.journeyRun;
    const eventId = 1;
    if (input.carried) {
      this.snapshot = restoreSnapshot(this.definition, input.carried.persisted);
      this.timers = input.carried.timers;
      this.beginStep();
      this.afterStep();
      this.pushStep({ eventId, trigger: 'continue', at: this.now(), outcome: 'applied', stageBefore: this.stage(), effects: [] });
      return;
    }
    // The workflow's clockStartsAt: first deadlines count from the journey's start in the world,
    // for journeys that recorded the patch (not imported ones, nor those begun before it).
    const fromStart = !input.imported && patchesIn(this.events).has(DEADLINES_FROM_JOURNEY_START);
    const result = startJourney(this.definition, { ...input.start, policy: input.policy }, fromStart ? input.start.startedAt : this.now());
    this.beginStep();
    this.take(result);
    this.pushStep({ eventId, trigger: 'start', at: this.now(), outcome: 'applied', stageBefore: null, effects: result.effects });
  }

  private update(accepted: HistoryEvent): void {
    const attributes = accepted.workflowExecutionUpdateAcceptedEventAttributes!;
    const eventId = Number(accepted.eventId);
    const raw = firstPayload<RecordedEvent>(attributes.acceptedRequest?.input?.args);
    const updateId = attributes.acceptedRequest?.meta?.updateId ?? attributes.protocolInstanceId ?? '';
    const outcome = this.updateOutcomes.get(updateId);
    const stageBefore = this.stage();
    const base = { eventId, trigger: 'record' as const, at: this.now(), stageBefore, ...(raw ? { event: raw, by: raw.by } : {}) };
    this.beginStep();
    if (!raw || typeof raw.type !== 'string') {
      this.issues.push({ eventId, message: 'an accepted Update carries no event' });
      this.pushStep({ ...base, outcome: 'failed', note: 'no event in the Update', effects: [] });
      return;
    }
    if (outcome?.failure) {
      this.pushStep({ ...base, outcome: 'failed', note: outcome.failure, effects: [] });
      return;
    }
    const parsed = this.definition.recordedEvents.safeParse(raw);
    const verdict = parsed.success ? judge(this.definition, this.snapshot!, { ...parsed.data, at: this.now() }) : undefined;
    if (!parsed.success || !verdict?.accepted) {
      const why = !parsed.success
        ? parsed.error.issues.map((i) => `${i.path.join('.') || 'event'}: ${i.message}`).join('; ')
        : !verdict!.accepted
          ? verdict!.message
          : '';
      this.issues.push({ eventId, message: `the machine would refuse '${raw.type}' here (${why}), yet the history shows it accepted` });
      this.pushStep({ ...base, outcome: 'failed', note: why, effects: [] });
      return;
    }
    const event = parsed.data as RecordedEvent;
    const result = applyEvent(this.definition, this.snapshot!, this.timers, event, this.now());
    this.take(result);
    const step = this.pushStep({ ...base, event, outcome: 'applied', effects: result.effects });
    const status = outcome?.status;
    if (!outcome) {
      this.issues.push({ eventId, message: `the Update recording '${raw.type}' has no result in the history` });
    } else if (status && (status.stage !== step.stageAfter || status.state !== step.stateAfter)) {
      this.issues.push({
        eventId,
        message: `after '${raw.type}' the journey answered stage '${status.stage}' (${status.state}), but the machine reaches '${step.stageAfter}' (${step.stateAfter})`,
      });
    }
  }

  private signal(signaled: HistoryEvent): void {
    const attributes = signaled.workflowExecutionSignaledEventAttributes!;
    const eventId = Number(signaled.eventId);
    const raw = firstPayload<RecordedEvent>(attributes.input);
    const stageBefore = this.stage();
    this.beginStep();
    const base = { eventId, trigger: 'linked' as const, at: this.now(), stageBefore, ...(raw ? { event: raw, by: raw.by } : {}) };
    if (attributes.signalName !== 'linked') {
      this.pushStep({ ...base, outcome: 'unchanged', note: `signal '${attributes.signalName}' is not one a journey takes`, effects: [] });
      return;
    }
    const parsed = this.definition.linkedEvents.safeParse(raw);
    if (!parsed.success) {
      this.pushStep({ ...base, outcome: 'unchanged', note: 'not an event this journey understands', effects: [] });
      return;
    }
    const before = this.snapshot!;
    const result = applyEvent(this.definition, before, this.timers, parsed.data as RecordedEvent, this.now());
    if (result.snapshot === before) {
      const verdict = judge(this.definition, before, { ...parsed.data, at: this.now() });
      const reason = verdict.accepted ? 'it changed nothing' : verdict.reasons.join('; ');
      this.pushStep({ ...base, outcome: 'unchanged', note: reason, effects: [] });
      return;
    }
    this.take(result);
    this.pushStep({ ...base, event: parsed.data as RecordedEvent, outcome: 'applied', effects: result.effects });
  }

  private fire(fired: HistoryEvent): void {
    const attributes = fired.timerFiredEventAttributes!;
    const eventId = Number(fired.eventId);
    const timerId = attributes.timerId ?? '';
    const timer = this.timersById.get(timerId);
    const stageBefore = this.stage();
    this.beginStep();
    if (!timer) {
      this.issues.push({ eventId, message: `timer ${timerId} fired, but the machine never set it` });
      return;
    }
    const base = { eventId, trigger: 'timer' as const, stageBefore, note: timer.summary };
    if (this.running.get(timer.machineTimerId) !== timer) {
      this.pushStep({ ...base, at: this.now(), outcome: 'stale', note: `${timer.summary}: already moved past`, effects: [] });
      return;
    }
    this.running.delete(timer.machineTimerId);
    if (this.ended) {
      this.pushStep({ ...base, at: this.now(), outcome: 'stale', note: `${timer.summary}: the journey had ended`, effects: [] });
      return;
    }
    const at = timer.dueAt < this.now() ? timer.dueAt : this.now();
    const pending = this.timers.find((t) => t.id === timer.machineTimerId);
    const result = fireTimer(this.definition, this.snapshot!, this.timers, timer.machineTimerId, at);
    this.take(result);
    this.pushStep({ ...base, at, ...(pending ? { event: { ...pending.event } } : {}), outcome: 'applied', effects: result.effects });
  }

  private take(result: StepResult): void {
    this.snapshot = result.snapshot;
    this.timers = this.ended ? [] : result.timers;
    this.afterStep();
  }

  private afterStep(): void {
    this.reconcileTimers();
  }

  /** One Temporal timer per pending delayed event: start the new ones, cancel the stale ones. */
  private reconcileTimers(): void {
    const desired = new Map(this.timers.map((t) => [t.id, t]));
    for (const [id, running] of this.running) {
      if (desired.get(id)?.dueAt !== running.dueAt) {
        this.cancelled.push(running);
        this.running.delete(id);
        // A timer set and cancelled in the same workflow task never reaches the history (the SDK
        // drops both commands), though it used up its sequence number: e.g. a journey started with
        // an Update already waiting, which closes what the start opened.
        const unsent = this.taskStarts.indexOf(running);
        if (unsent >= 0) this.taskStarts.splice(unsent, 1);
        else this.cancelledByMirror.add(running.timerId);
      }
    }
    for (const timer of desired.values()) {
      if (!this.running.has(timer.id)) this.startTimer(timer);
    }
  }

  private startTimer(timer: PendingTimer): void {
    this.timerSeq += 1;
    const label = this.definition.dueLabels[timer.delayName] ?? timer.delayName;
    const started: MirrorTimer = {
      timerId: String(this.timerSeq),
      machineTimerId: timer.id,
      delayName: timer.delayName,
      summary: `${label} due`,
      dueAt: timer.dueAt,
      durationMs: Math.max(1, Date.parse(timer.dueAt) - this.nowMs),
    };
    this.running.set(timer.id, started);
    this.timersById.set(started.timerId, started);
    this.started.push(started);
    this.taskStarts.push(started);
  }

  // --- bookkeeping -----------------------------------------------------------------------------

  private beginStep(): void {
    this.started = [];
    this.cancelled = [];
  }

  private pushStep(
    step: Pick<JourneyStep, 'eventId' | 'trigger' | 'at' | 'outcome' | 'stageBefore' | 'effects'> &
      Partial<Pick<JourneyStep, 'event' | 'by' | 'note'>>,
  ): JourneyStep {
    const snapshot = this.snapshot!;
    const full: JourneyStep = {
      ...step,
      stageAfter: this.stage(snapshot),
      stateAfter: stateName(snapshot.value),
      snapshot,
      openNudges: openNudgesOf(snapshot),
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
    if (!completed || !this.snapshot) return;
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
