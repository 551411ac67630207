/**
 * The journey interpreter: everything that runs a journey machine over time, without Temporal and
 * without a clock. The Temporal workflow (workflows/journey.workflow.ts) feeds it what happens and
 * carries out the commands it returns; the audit mirror (audit/mirror.ts) feeds it a history's
 * events and checks the history shows those commands. One copy of the rules, so that what the
 * auditor checks is what the journey does.
 *
 * Every input takes the time it happens at (`at`); every input returns a `Step`: what the machine
 * did with it and the commands that follow, in the order they must be carried out:
 * - `cancelTimer` / `startTimer`: one durable timer per pending delayed event of the machine;
 * - `perform`: an effect (an email, a child journey, news for a linked journey), numbered so that
 *   its delivery key is stable across retries and replays;
 * - `index`: the journey's searchable facts (stage, next due, oldest open nudge) after the step.
 *
 * The interpreter decides what the machine does not: the journey's record of decisions, failures
 * and unapplied news, when a nudge opened, and the co-ordinator's nudge when an effect fails or
 * news from a linked journey cannot apply.
 */
import type { AnyMachineSnapshot } from 'xstate';
import { isSealedValue, unsealedPersonalFields, valuesAtPath, type JourneyDefinition } from '../machines/journey';
import {
  applyEvent,
  fireTimer,
  judge,
  nextTimer,
  openNudgesOf,
  persist,
  restoreSnapshot,
  startJourney,
  stateName,
  type Effect,
  type PendingTimer,
  type StepResult,
} from '../machines/runtime';
import type { CarriedJourney, Decision, EffectFailure, JourneyStatus, RecordedEvent, UnappliedEvent } from '../contracts/messages';
import { issueReasons, refusalCodes, type Refusal } from '../contracts/refusals';
import { nudgeForFailedEffect, nudgeForUnappliedNews } from './system-nudges';

/** A durable timer the interpreter asked for; `ref` tells two timers for the same delay apart. */
export interface TimerCommand {
  ref: number;
  /** XState's id of the delayed event. */
  machineTimerId: string;
  delayName: string;
  /** How the timer is labelled in the history: "first contact due". */
  summary: string;
  dueAt: string;
}

export interface SearchFacts {
  stage: string;
  nextDueAt: string | null;
  /** Since when the oldest open nudge has been open; null when the journey has none or has ended. */
  oldestOpenNudgeSince: string | null;
  /** The full machine state, e.g. "referral.firstContactOverdue": which events the journey takes now. */
  state: string;
  /** The matters of the open nudges, oldest first (names, never personal data); empty once ended. */
  openNudges: string[];
  /** What falls due next, as the status's `due` names it ("first contact"), or null. */
  nextDueWhat: string | null;
}

export type Command =
  | { type: 'cancelTimer'; timer: TimerCommand }
  | { type: 'startTimer'; timer: TimerCommand }
  | { type: 'perform'; effect: Effect; effectNumber: number }
  | { type: 'index'; facts: SearchFacts };

export type StepTrigger = 'start' | 'continue' | 'record' | 'linked' | 'timer';

export interface Step {
  trigger: StepTrigger;
  /** The journey's clock for the step (a late timer counts at its due time). */
  at: string;
  /**
   * applied: the machine took it; unchanged: news from a linked journey that changed nothing;
   * refused: an event the machine does not accept now (nothing changed); stale: a timer the
   * journey had already moved past.
   */
  outcome: 'applied' | 'unchanged' | 'refused' | 'stale';
  /** The machine event taken (for a timer, its delayed event). */
  event?: RecordedEvent | ({ type: string } & Record<string, unknown>);
  note?: string;
  refusal?: Refusal;
  /** The effects the machine named in this step. */
  effects: Effect[];
  commands: Command[];
}

export interface JourneyIdentity {
  journeyId: string;
  coordinatorId: string;
  /** The Temporal workflow id (status only). */
  workflowId: string;
  /** Whose key personal fields must be sealed with (the journey's workflow id). */
  sealedFor: string;
}

export class JourneyInterpreter {
  private snapshot!: AnyMachineSnapshot;
  private timers: PendingTimer[] = [];
  /** The timers asked for and not yet fired or cancelled, by machine timer id. */
  private readonly running = new Map<string, TimerCommand>();
  private timerRefs = 0;
  private effectCount: number;
  private nudgesOpenedAt: Record<string, string>;
  private readonly decisions: Decision[];
  private readonly failures: EffectFailure[];
  private readonly unapplied: UnappliedEvent[];
  private updatedAt: string;
  private commands: Command[] = [];
  private reading: { snapshot: AnyMachineSnapshot; stage: string; openNudges: string[] } | undefined;

  constructor(
    readonly definition: JourneyDefinition,
    private readonly identity: JourneyIdentity,
    private readonly carried: CarriedJourney | undefined,
    at: string,
  ) {
    this.effectCount = carried?.effectCount ?? 0;
    this.nudgesOpenedAt = { ...(carried?.nudgesOpenedAt ?? {}) };
    this.decisions = [...(carried?.decisions ?? [])];
    this.failures = [...(carried?.failures ?? [])];
    this.unapplied = [...(carried?.unapplied ?? [])];
    this.updatedAt = at;
  }

  get ended(): boolean {
    return this.snapshot.status !== 'active';
  }

  get current(): AnyMachineSnapshot {
    return this.snapshot;
  }

  /** The stage now (worked out once per snapshot: the workflow and the audit ask for it often). */
  stage(): string {
    return this.read().stage;
  }

  /** The nudges open now. */
  openNudges(): string[] {
    return this.read().openNudges;
  }

  private read(): { stage: string; openNudges: string[] } {
    if (this.reading?.snapshot !== this.snapshot) {
      this.reading = { snapshot: this.snapshot, stage: this.definition.stage(this.snapshot), openNudges: openNudgesOf(this.snapshot) };
    }
    return this.reading;
  }

  /**
   * Start the journey, or pick it up where the previous run left it. `clockStartsAt`: when its
   * first deadlines start counting (the caller knows which rule the journey was started under).
   */
  begin(at: string, clockStartsAt: string, start: Record<string, unknown>): Step {
    if (this.carried) {
      this.snapshot = restoreSnapshot(this.definition, this.carried.persisted);
      this.timers = this.carried.timers;
      this.afterStep([], at);
      return this.finish({ trigger: 'continue', at, outcome: 'applied', effects: [] });
    }
    const result = startJourney(this.definition, start, clockStartsAt);
    this.take(result, at);
    return this.finish({ trigger: 'start', at, outcome: 'applied', effects: result.effects });
  }

  /**
   * Why the journey would refuse this event now, or undefined if it accepts it: the schema, then
   * the machine's gates. Nothing changes.
   */
  check(raw: RecordedEvent, at: string): Refusal | undefined {
    return this.judgeRecorded(raw, at).refusal;
  }

  private judgeRecorded(raw: RecordedEvent, at: string): { refusal: Refusal; event?: undefined } | { refusal?: undefined; event: RecordedEvent } {
    const parsed = this.definition.recordedEvents.safeParse(raw);
    if (!parsed.success) {
      const reasons = issueReasons(parsed.error, 'event');
      return { refusal: { code: refusalCodes.invalid, message: `cannot record '${String(raw?.type)}': ${reasons.join('; ')}`, reasons } };
    }
    const event = parsed.data as RecordedEvent;
    const verdict = judge(this.definition, this.snapshot, { ...event, at });
    if (verdict.accepted) return { event };
    return { refusal: { code: verdict.code, message: verdict.message, reasons: verdict.reasons, stage: this.stage() } };
  }

  /**
   * Personal fields must arrive sealed with the person's own key (mentorflow's client does it),
   * or they would stay readable in the history after the person's data is erased.
   */
  checkSealed(raw: RecordedEvent): Refusal | undefined {
    const type = typeof raw?.type === 'string' ? raw.type : '';
    const paths = this.definition.personalFields.events[type] ?? [];
    const subject = this.identity.sealedFor;
    const unsealed = unsealedPersonalFields(raw, paths);
    const foreign = paths.filter((path) =>
      valuesAtPath(raw, path).some((v) => isSealedValue(v.value) && !v.value.startsWith(`sealed:v1:${subject}:`)),
    );
    const reasons = [
      ...unsealed.map((path) => `${path}: personal data must be sealed with the person's own key by mentorflow's client, never sent in plain text`),
      ...foreign.map((path) => `${path}: sealed for another person, not ${subject}`),
    ];
    if (reasons.length === 0) return undefined;
    return { code: refusalCodes.invalid, message: `cannot record '${type}': ${reasons.join('; ')}`, reasons };
  }

  /** An event a person records. Judged again here: the journey may have moved on since it was checked. */
  record(raw: RecordedEvent, at: string): Step {
    const { refusal, event } = this.judgeRecorded(raw, at);
    if (refusal) return this.finish({ trigger: 'record', at, outcome: 'refused', event: raw, note: refusal.message, refusal, effects: [] });
    const result = applyEvent(this.definition, this.snapshot, this.timers, event, at);
    this.take(result, at);
    if (this.definition.decisionEvents.includes(event.type)) {
      this.decisions.push({ event: event.type, at, by: event.by, ...outcomeOf(event) });
    }
    return this.finish({ trigger: 'record', at, outcome: 'applied', event, effects: result.effects });
  }

  /** A fact from a linked journey. It is never dropped: if it cannot apply, the co-ordinator is told. */
  tell(raw: RecordedEvent | undefined, at: string): Step {
    const from = typeof raw?.by?.id === 'string' ? raw.by.id : 'unknown';
    const parsed = this.definition.linkedEvents.safeParse(raw);
    if (!parsed.success) {
      const reason = 'not an event this journey understands';
      this.noteUnapplied({ at, event: String(raw?.type), from, reason });
      return this.finish({ trigger: 'linked', at, outcome: 'unchanged', ...(raw ? { event: raw } : {}), note: reason, effects: [] });
    }
    const event = parsed.data as RecordedEvent;
    const before = this.snapshot;
    const result = applyEvent(this.definition, before, this.timers, event, at);
    // XState returns the very same snapshot when no transition took the event.
    if (result.snapshot === before) {
      const verdict = judge(this.definition, before, { ...event, at });
      const reason = verdict.accepted ? 'it changed nothing' : verdict.reasons.join('; ');
      this.noteUnapplied({ at, event: event.type, from, reason });
      return this.finish({ trigger: 'linked', at, outcome: 'unchanged', event, note: reason, effects: [] });
    }
    this.take(result, at);
    return this.finish({ trigger: 'linked', at, outcome: 'applied', event, effects: result.effects });
  }

  /**
   * A timer the interpreter asked for fired at `now`. The event happened when the timer fell due,
   * even if the worker was away at that moment: the machine's next deadlines count from there, and
   * the audit trail shows the due time.
   */
  timerFired(ref: number, machineTimerId: string, now: string): Step {
    const running = this.running.get(machineTimerId);
    if (running?.ref !== ref) return this.finish({ trigger: 'timer', at: now, outcome: 'stale', note: 'already moved past', effects: [] });
    this.running.delete(machineTimerId);
    if (this.ended) return this.finish({ trigger: 'timer', at: now, outcome: 'stale', note: 'the journey had ended', effects: [] });
    const at = running.dueAt < now ? running.dueAt : now;
    const pending = this.timers.find((t) => t.id === machineTimerId);
    const result = fireTimer(this.definition, this.snapshot, this.timers, machineTimerId, at);
    this.take(result, at);
    return this.finish({ trigger: 'timer', at, outcome: 'applied', ...(pending ? { event: { ...pending.event } } : {}), effects: result.effects });
  }

  /** An effect failed for good: record it and tell the co-ordinator (unless that is what failed). */
  effectFailed(effect: Effect, error: { message: string; type?: string }, at: string): Command[] {
    const failure: EffectFailure = {
      at,
      effect: effect.type,
      error: error.message,
      ...('about' in effect.params ? { about: effect.params.about } : {}),
      ...(error.type ? { errorType: error.type } : {}),
    };
    this.failures.push(failure);
    const aboutFailure = effect.type === 'nudgeCoordinator' && effect.params.about === 'deliveryFailed';
    if (!aboutFailure) this.perform({ type: 'nudgeCoordinator', params: nudgeForFailedEffect(effect, failure) });
    return this.drain();
  }

  status(): JourneyStatus {
    const due = [...this.timers]
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt))
      .map((t) => ({ what: this.dueLabel(t.delayName), dueAt: t.dueAt }));
    return {
      kind: this.definition.kind,
      journeyId: this.identity.journeyId,
      workflowId: this.identity.workflowId,
      coordinatorId: this.identity.coordinatorId,
      stage: this.stage(),
      state: stateName(this.snapshot.value),
      ended: this.ended,
      due: this.ended ? [] : due,
      nextDueAt: this.ended ? null : (due[0]?.dueAt ?? null),
      openNudges: this.openNudges().map((about) => ({ about, since: this.nudgesOpenedAt[about] ?? this.updatedAt })),
      decisions: [...this.decisions],
      failures: [...this.failures],
      unapplied: [...this.unapplied],
      facts: this.definition.summary(this.snapshot),
      updatedAt: this.updatedAt,
    };
  }

  carry(): CarriedJourney {
    return {
      persisted: persist(this.definition, this.snapshot),
      timers: this.timers,
      effectCount: this.effectCount,
      nudgesOpenedAt: this.nudgesOpenedAt,
      decisions: this.decisions,
      failures: this.failures,
      unapplied: this.unapplied,
      runs: (this.carried?.runs ?? 1) + 1,
    };
  }

  // -------------------------------------------------------------------------------------------

  /** Adopt the outcome of a step that happened at `at` (a timer's due time, or now). */
  private take(result: StepResult, at: string): void {
    this.snapshot = result.snapshot;
    this.timers = this.ended ? [] : result.timers;
    this.updatedAt = at;
    this.afterStep(result.effects, at);
  }

  private afterStep(effects: Effect[], at: string): void {
    this.trackNudges(at);
    this.reconcileTimers();
    for (const effect of effects) this.perform(effect);
    this.commands.push({ type: 'index', facts: this.searchFacts() });
  }

  private trackNudges(at: string): void {
    const next: Record<string, string> = {};
    for (const about of this.openNudges()) next[about] = this.nudgesOpenedAt[about] ?? at;
    this.nudgesOpenedAt = next;
  }

  /** One timer per pending delayed event: cancel the stale ones, start the new ones. */
  private reconcileTimers(): void {
    const desired = new Map(this.timers.map((t) => [t.id, t]));
    for (const [id, running] of this.running) {
      if (desired.get(id)?.dueAt !== running.dueAt) {
        this.running.delete(id);
        this.commands.push({ type: 'cancelTimer', timer: running });
      }
    }
    for (const timer of desired.values()) {
      if (this.running.has(timer.id)) continue;
      this.timerRefs += 1;
      const label = this.dueLabel(timer.delayName);
      const command: TimerCommand = { ref: this.timerRefs, machineTimerId: timer.id, delayName: timer.delayName, summary: `${label} due`, dueAt: timer.dueAt };
      this.running.set(timer.id, command);
      this.commands.push({ type: 'startTimer', timer: command });
    }
  }

  private perform(effect: Effect): void {
    this.effectCount += 1;
    this.commands.push({ type: 'perform', effect, effectNumber: this.effectCount });
  }

  private noteUnapplied(entry: UnappliedEvent): void {
    this.unapplied.push(entry);
    this.perform({ type: 'nudgeCoordinator', params: nudgeForUnappliedNews(entry) });
  }

  private searchFacts(): SearchFacts {
    const oldest = Object.values(this.nudgesOpenedAt).sort()[0];
    const next = this.ended ? undefined : nextTimer(this.timers);
    const since = (about: string) => this.nudgesOpenedAt[about] ?? '';
    return {
      stage: this.stage(),
      nextDueAt: next?.dueAt ?? null,
      oldestOpenNudgeSince: this.ended ? null : (oldest ?? null),
      state: stateName(this.snapshot.value),
      openNudges: this.ended ? [] : [...this.openNudges()].sort((a, b) => since(a).localeCompare(since(b))),
      nextDueWhat: next ? this.dueLabel(next.delayName) : null,
    };
  }

  private dueLabel(delayName: string): string {
    return this.definition.dueLabels[delayName] ?? delayName;
  }

  private drain(): Command[] {
    const commands = this.commands;
    this.commands = [];
    return commands;
  }

  private finish(step: Omit<Step, 'commands'>): Step {
    return { ...step, commands: this.drain() };
  }
}

function outcomeOf(event: RecordedEvent): { outcome?: string } {
  for (const field of ['outcome', 'decision', 'consent', 'reason', 'method'] as const) {
    const value = event[field];
    if (typeof value === 'string') return { outcome: value };
  }
  return {};
}
