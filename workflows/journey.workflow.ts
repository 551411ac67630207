/**
 * The durable interpreter: runs any journey machine for months or years on Temporal.
 *
 * The machine decides and the interpreter (interpreter/journey-interpreter.ts) keeps its books;
 * this file only makes their decisions durable:
 * - events people record arrive as the `record` Update, judged by the machine in the validator,
 *   so a refused event is answered with the unmet gates and leaves no trace in history;
 * - events from linked journeys arrive as the `linked` signal;
 * - each pending delayed event of the machine is one Temporal timer (set, fired, cancelled);
 * - each effect the machine names becomes an activity, a child journey or a signal;
 * - before the history grows large, the journey continues as new, carrying its snapshot and the
 *   due times of its timers.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  patched,
  log,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { JourneyDefinition, JourneyKind } from '../machines/journey';
import { persist, type Effect } from '../machines/runtime';
import { JourneyInterpreter, type Command, type TimerCommand } from '../interpreter/journey-interpreter';
import { workflowIdFor } from '../contracts/ids';
import {
  DEADLINES_FROM_JOURNEY_START,
  linkedEvent,
  matchingProfileQuery,
  personalQuery,
  recordEvent,
  snapshotQuery,
  statusQuery,
  type JourneySnapshotView,
  type JourneyStatus,
  type JourneyWorkflowInput,
  type RecordedEvent,
} from '../contracts/messages';
import type { Refusal } from '../contracts/refusals';
import { carryOutEffect, now } from './effects';
import { definitionOf } from '../machines/registry';
import { SearchIndex } from './search-index';

const DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS = 10_000;

export async function runJourney(kind: JourneyKind, input: JourneyWorkflowInput): Promise<JourneyStatus> {
  const journey = new DurableJourney(definitionOf(kind, input.machineVersion), input);
  // Begin before any handler is set: setting a handler at once delivers the Updates and signals
  // that arrived with the start, and they must find the journey already there.
  journey.begin();

  setHandler(recordEvent, (event) => journey.record(event), {
    validator: (event) => journey.validate(event),
  });
  setHandler(linkedEvent, (event) => journey.tell(event));
  setHandler(statusQuery, () => journey.interpreter.status());
  setHandler(matchingProfileQuery, () => journey.matchingProfile());
  setHandler(personalQuery, () => journey.personal());
  setHandler(snapshotQuery, () => journey.view());

  await condition(() => journey.interpreter.ended || journey.historyIsLarge());
  // Finish what is under way: Update handlers, emails being sent, journeys being told.
  await condition(() => allHandlersFinished() && journey.effectsInFlight === 0);
  if (!journey.interpreter.ended) {
    log.info('journey continues as new', { kind, journeyId: input.start.journeyId });
    return await continueAsNew<(input: JourneyWorkflowInput) => Promise<JourneyStatus>>({
      ...input,
      carried: journey.interpreter.carry(),
    });
  }
  return journey.interpreter.status();
}

/**
 * The journey on Temporal: feeds the interpreter what happens (Updates, signals, fired timers,
 * failed effects) at the workflow's clock and carries out its commands as durable timers,
 * activities, child workflows, signals and search attributes.
 */
class DurableJourney {
  readonly interpreter: JourneyInterpreter;
  private readonly searchIndex: SearchIndex;
  private readonly timerScopes = new Map<number, CancellationScope>();
  effectsInFlight = 0;

  constructor(
    private readonly definition: JourneyDefinition,
    private readonly input: JourneyWorkflowInput,
  ) {
    const { journeyId, coordinatorId } = input.start;
    const identity = { journeyId, coordinatorId, workflowId: workflowInfo().workflowId, sealedFor: workflowIdFor(definition.kind, journeyId) };
    this.interpreter = new JourneyInterpreter(definition, identity, input.carried, now());
    this.searchIndex = new SearchIndex(definition.kind, input);
  }

  private get journeyId(): string {
    return this.input.start.journeyId;
  }

  historyIsLarge(): boolean {
    const info = workflowInfo();
    const limit = this.input.continueAsNewAfterEvents ?? DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS;
    return info.continueAsNewSuggested || info.historyLength >= limit;
  }

  /** Start the journey, or pick it up where the previous run left it. */
  begin(): void {
    const clockStartsAt = this.input.carried ? now() : this.clockStartsAt();
    this.carryOut(this.interpreter.begin(now(), clockStartsAt, { ...this.input.start, policy: this.input.policy }).commands);
  }

  /**
   * When the journey's first deadlines start counting. The machine counts them from when the
   * journey began in the world (the referral, the enquiry), as DOMAIN.md does and as the status
   * shows them; so the timers do too, not from the moment a worker first ran the journey (seconds
   * later in a burst of referrals, days later for a referral recorded late). A deadline already
   * past falls due at once. An imported journey is the exception: its earlier steps are recorded
   * just after its start, so its clocks start at the import, or every row whose first deadline
   * has passed would be nudged before its history arrived. Journeys begun before this change
   * keep the deadlines they were given (the audit mirror reads the same marker).
   */
  private clockStartsAt(): string {
    if (this.input.imported) return now();
    return patched(DEADLINES_FROM_JOURNEY_START) ? this.input.start.startedAt : now();
  }

  /**
   * Update validator: personal fields sealed, then the schema and the machine's gates. Throwing
   * here writes nothing. Validators do not run on replay, so events recorded before sealing still
   * replay.
   */
  validate(raw: RecordedEvent): void {
    const refusal = this.interpreter.checkSealed(raw) ?? this.interpreter.check(raw, now());
    if (refusal) throw refusalFailure(refusal);
  }

  /** Update handler: apply an event the validator accepted. */
  record(raw: RecordedEvent): JourneyStatus {
    const step = this.interpreter.record(raw, now());
    if (step.refusal) throw refusalFailure(step.refusal);
    this.carryOut(step.commands);
    log.info('journey event recorded', { journeyId: this.journeyId, event: raw.type, stage: this.interpreter.stage() });
    return this.interpreter.status();
  }

  /** Signal handler: a fact from a linked journey. */
  tell(raw: RecordedEvent): void {
    const step = this.interpreter.tell(raw, now());
    if (step.outcome === 'applied') log.info('linked event applied', { journeyId: this.journeyId, event: raw.type, stage: this.interpreter.stage() });
    else log.warn('linked event not applied', { journeyId: this.journeyId, event: String(raw?.type), from: raw?.by?.id });
    this.carryOut(step.commands);
  }

  /** The journey's personal values, sealed: the client opens them for those allowed to read them. */
  personal(): Record<string, unknown> {
    const snapshot = this.interpreter.current;
    return { ...(this.definition.personal?.(snapshot) ?? {}), ...(this.input.contact ? { contact: this.input.contact } : {}) };
  }

  view(): JourneySnapshotView {
    return { machineVersion: this.input.machineVersion ?? 1, persisted: persist(this.definition, this.interpreter.current), at: now() };
  }

  matchingProfile(): Record<string, unknown> | null {
    return this.definition.matchingProfile?.(this.interpreter.current) ?? null;
  }

  // -------------------------------------------------------------------------------------------

  /** Carry out the interpreter's commands, in order (the order is part of the history). */
  private carryOut(commands: Command[]): void {
    for (const command of commands) {
      switch (command.type) {
        case 'cancelTimer':
          this.timerScopes.get(command.timer.ref)?.cancel();
          this.timerScopes.delete(command.timer.ref);
          break;
        case 'startTimer':
          this.startTimer(command.timer);
          break;
        case 'perform':
          this.perform(command.effect, command.effectNumber);
          break;
        case 'index':
          this.searchIndex.update(command.facts);
          break;
      }
    }
  }

  private startTimer(timer: TimerCommand): void {
    const scope = new CancellationScope();
    this.timerScopes.set(timer.ref, scope);
    const ms = Math.max(1, Date.parse(timer.dueAt) - Date.now());
    scope.run(() => sleep(ms, { summary: timer.summary })).then(
      () => {
        this.timerScopes.delete(timer.ref);
        this.carryOut(this.interpreter.timerFired(timer.ref, timer.machineTimerId, now()).commands);
      },
      (error: unknown) => {
        if (!isCancellation(error)) throw error;
      },
    );
  }

  /** Carry out one effect the machine asked for. Failures are surfaced, never swallowed. */
  private perform(effect: Effect, effectNumber: number): void {
    const deliveryKey = `${workflowInfo().workflowId}/effect-${effectNumber}`;
    this.effectsInFlight += 1;
    carryOutEffect(this.definition.kind, this.input, effect, deliveryKey)
      .catch((error: unknown) => {
        const cause = error instanceof ActivityFailure && error.cause ? error.cause : error;
        const failure = {
          message: cause instanceof Error ? cause.message : String(cause),
          ...(cause instanceof ApplicationFailure && cause.type ? { type: cause.type } : {}),
        };
        log.warn('journey effect failed', { journeyId: this.journeyId, effect: effect.type, errorType: failure.type });
        this.carryOut(this.interpreter.effectFailed(effect, failure, now()));
      })
      .finally(() => {
        this.effectsInFlight -= 1;
      });
  }
}

function refusalFailure(refusal: Refusal): ApplicationFailure {
  return ApplicationFailure.create({
    type: refusal.code,
    message: refusal.message,
    details: [{ reasons: refusal.reasons, ...(refusal.stage !== undefined ? { stage: refusal.stage } : {}) }],
    nonRetryable: true,
  });
}

