/**
 * The durable interpreter: runs any journey machine for months or years on Temporal.
 *
 * The machine decides; this file only makes its decisions durable:
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
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  log,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { AnyMachineSnapshot } from 'xstate';
import { nonRetryableNotificationErrors } from '../activities/notifications/errors';
import type { DeliveryReceipt, NotificationRequest, SupervisionRequest } from '../activities/notifications/requests';
import { isSealedValue, unsealedPersonalFields, valuesAtPath, type Actor, type JourneyDefinition, type JourneyKind, type NotifyParams } from '../machines/journey';
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
import { workflowIdFor, workflowTypes } from './ids';
import {
  DEADLINES_FROM_JOURNEY_START,
  linkedEvent,
  matchingProfileQuery,
  snapshotQuery,
  type JourneySnapshotView,
  personalQuery,
  recordEvent,
  statusQuery,
  type CarriedJourney,
  type Decision,
  type EffectFailure,
  type JourneyStatus,
  type JourneyWorkflowInput,
  type RecordedEvent,
  type UnappliedEvent,
} from './messages';
import { currentVersions, definitionOf } from './registry';
import {
  MentorflowCoordinatorId,
  MentorflowJourneyKind,
  MentorflowNextDueAt,
  MentorflowOverdueSince,
  MentorflowStage,
} from './search-attributes';

/** Error types a client can rely on (ApplicationFailure.type). */
export const refusalTypes = {
  invalid: 'EVENT.INVALID',
  gateUnmet: 'GATE.UNMET',
  notNow: 'STAGE.NOT_NOW',
} as const;

interface NotificationActivities {
  sendNotification(request: NotificationRequest): Promise<DeliveryReceipt>;
  sendSupervisionInvitation(request: SupervisionRequest): Promise<DeliveryReceipt>;
}

/**
 * Email may be down for hours: keep retrying with backoff for up to three days, then give up and
 * surface the failure. A rejected address will not get better, so it is not retried.
 */
const notifications = proxyActivities<NotificationActivities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '3 days',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '15 minutes',
    nonRetryableErrorTypes: [...nonRetryableNotificationErrors],
  },
});

const DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS = 10_000;

export async function runJourney(kind: JourneyKind, input: JourneyWorkflowInput): Promise<JourneyStatus> {
  const journey = new DurableJourney(definitionOf(kind, input.machineVersion), input);
  // Begin before any handler is set: setting a handler at once delivers the Updates and signals
  // that arrived with the start, and they must find the journey already there.
  journey.begin();

  setHandler(recordEvent, (event) => journey.record(event), {
    validator: (event) => {
      journey.refuseUnsealedPersonalData(event);
      journey.validate(event);
    },
  });
  setHandler(linkedEvent, (event) => journey.tell(event));
  setHandler(statusQuery, () => journey.status());
  setHandler(matchingProfileQuery, () => journey.matchingProfile());
  setHandler(personalQuery, () => journey.personal());
  setHandler(snapshotQuery, () => journey.view());

  await condition(() => journey.ended || journey.historyIsLarge());
  // Finish what is under way: Update handlers, emails being sent, journeys being told.
  await condition(() => allHandlersFinished() && journey.effectsInFlight === 0);
  if (!journey.ended) {
    log.info('journey continues as new', { kind, journeyId: input.start.journeyId });
    return await continueAsNew<(input: JourneyWorkflowInput) => Promise<JourneyStatus>>({
      ...input,
      carried: journey.carry(),
    });
  }
  return journey.status();
}

class DurableJourney {
  private snapshot!: AnyMachineSnapshot;
  private timers: PendingTimer[] = [];
  private readonly runningTimers = new Map<string, { dueAt: string; scope: CancellationScope }>();
  private effectCount: number;
  private nudgesOpenedAt: Record<string, string>;
  private readonly decisions: Decision[];
  private readonly failures: EffectFailure[];
  private readonly unapplied: UnappliedEvent[];
  private indexed: { stage?: string; nextDueAt?: string | null; overdueSince?: string | null } = {};
  private updatedAt: string;
  effectsInFlight = 0;

  constructor(
    private readonly definition: JourneyDefinition,
    private readonly input: JourneyWorkflowInput,
  ) {
    const carried = input.carried;
    this.effectCount = carried?.effectCount ?? 0;
    this.nudgesOpenedAt = { ...(carried?.nudgesOpenedAt ?? {}) };
    this.decisions = [...(carried?.decisions ?? [])];
    this.failures = [...(carried?.failures ?? [])];
    this.unapplied = [...(carried?.unapplied ?? [])];
    this.updatedAt = now();
  }

  get ended(): boolean {
    return this.snapshot.status !== 'active';
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
    const carried = this.input.carried;
    if (carried) {
      this.snapshot = restoreSnapshot(this.definition, carried.persisted);
      this.timers = carried.timers;
      this.afterStep([]);
      return;
    }
    const result = startJourney(this.definition, { ...this.input.start, policy: this.input.policy }, this.clockStartsAt());
    this.take(result);
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
   * Update validator only: personal fields must arrive sealed with the person's key (the client
   * does it), or they would stay readable in the history after the person's data is erased.
   * Validators do not run on replay, so events recorded before sealing still replay.
   */
  refuseUnsealedPersonalData(raw: RecordedEvent): void {
    const type = typeof raw?.type === 'string' ? raw.type : '';
    const paths = this.definition.personalFields.events[type] ?? [];
    const subject = workflowIdFor(this.definition.kind, this.journeyId);
    const unsealed = unsealedPersonalFields(raw, paths);
    const foreign = paths.flatMap((path) =>
      valuesAtPath(raw, path).some((v) => isSealedValue(v.value) && !v.value.startsWith(`sealed:v1:${subject}:`)) ? [path] : [],
    );
    const problems = [
      ...unsealed.map((path) => `${path}: personal data must be sealed with the person's own key by mentorflow's client, never sent in plain text`),
      ...foreign.map((path) => `${path}: sealed for another person, not ${subject}`),
    ];
    if (problems.length === 0) return;
    throw ApplicationFailure.create({
      type: refusalTypes.invalid,
      message: `cannot record '${type}': ${problems.join('; ')}`,
      details: [{ reasons: problems }],
      nonRetryable: true,
    });
  }

  /** Update validator: the schema, then the machine's gates. Throwing here writes nothing. */
  validate(raw: RecordedEvent): void {
    const parsed = this.definition.recordedEvents.safeParse(raw);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'event'}: ${i.message}`);
      throw ApplicationFailure.create({
        type: refusalTypes.invalid,
        message: `cannot record '${String(raw?.type)}': ${problems.join('; ')}`,
        details: [{ reasons: problems }],
        nonRetryable: true,
      });
    }
    const verdict = judge(this.definition, this.snapshot, { ...parsed.data, at: now() });
    if (!verdict.accepted) {
      throw ApplicationFailure.create({
        type: verdict.code,
        message: verdict.message,
        details: [{ reasons: verdict.reasons, stage: this.definition.stage(this.snapshot) }],
        nonRetryable: true,
      });
    }
  }

  /** Update handler: apply an event the validator accepted. */
  record(raw: RecordedEvent): JourneyStatus {
    // Validators do not run when a history is replayed, and the journey may have moved on between
    // validation and handling: judge again so a stale event never slips through.
    this.validate(raw);
    const event = this.definition.recordedEvents.parse(raw) as RecordedEvent;
    const at = now();
    this.take(applyEvent(this.definition, this.snapshot, this.timers, event, at));
    if (this.definition.decisionEvents.includes(event.type)) {
      this.decisions.push({ event: event.type, at, by: event.by, ...outcomeOf(event) });
    }
    log.info('journey event recorded', { journeyId: this.journeyId, event: event.type, stage: this.stageName() });
    return this.status();
  }

  /** Signal handler: a fact from a linked journey. It is never dropped: if it cannot apply, say so. */
  tell(raw: RecordedEvent): void {
    const at = now();
    const from = typeof raw?.by?.id === 'string' ? raw.by.id : 'unknown';
    const parsed = this.definition.linkedEvents.safeParse(raw);
    if (!parsed.success) {
      this.noteUnapplied({ at, event: String(raw?.type), from, reason: 'not an event this journey understands' });
      return;
    }
    const before = this.snapshot;
    const result = applyEvent(this.definition, this.snapshot, this.timers, parsed.data as RecordedEvent, at);
    // XState returns the very same snapshot when no transition took the event.
    if (result.snapshot === before) {
      const verdict = judge(this.definition, before, { ...parsed.data, at });
      const reason = verdict.accepted ? 'it changed nothing' : verdict.reasons.join('; ');
      this.noteUnapplied({ at, event: parsed.data.type, from, reason });
      return;
    }
    this.take(result);
    log.info('linked event applied', { journeyId: this.journeyId, event: parsed.data.type, stage: this.stageName() });
  }

  status(): JourneyStatus {
    const due = [...this.timers]
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt))
      .map((t) => ({ what: this.definition.dueLabels[t.delayName] ?? t.delayName, dueAt: t.dueAt }));
    return {
      kind: this.definition.kind,
      journeyId: this.journeyId,
      workflowId: workflowInfo().workflowId,
      coordinatorId: this.input.start.coordinatorId,
      stage: this.stageName(),
      state: stateName(this.snapshot.value),
      ended: this.ended,
      due: this.ended ? [] : due,
      nextDueAt: this.ended ? null : (due[0]?.dueAt ?? null),
      openNudges: openNudgesOf(this.snapshot).map((about) => ({ about, since: this.nudgesOpenedAt[about] ?? this.updatedAt })),
      decisions: [...this.decisions],
      failures: [...this.failures],
      unapplied: [...this.unapplied],
      facts: this.definition.summary(this.snapshot),
      updatedAt: this.updatedAt,
    };
  }

  /** The journey's personal values, sealed: the client opens them for those allowed to read them. */
  personal(): Record<string, unknown> {
    return { ...(this.definition.personal?.(this.snapshot) ?? {}), ...(this.input.contact ? { contact: this.input.contact } : {}) };
  }

  view(): JourneySnapshotView {
    return { machineVersion: this.input.machineVersion ?? 1, persisted: persist(this.definition, this.snapshot), at: now() };
  }

  matchingProfile(): Record<string, unknown> | null {
    return this.definition.matchingProfile?.(this.snapshot) ?? null;
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
      runs: (this.input.carried?.runs ?? 1) + 1,
    };
  }

  // -------------------------------------------------------------------------------------------

  private stageName(): string {
    return this.definition.stage(this.snapshot);
  }

  /** Adopt the outcome of a step that happened at `at` (a timer's due time, or now). */
  private take(result: StepResult, at = now()): void {
    this.snapshot = result.snapshot;
    this.timers = this.ended ? [] : result.timers;
    this.updatedAt = at;
    this.afterStep(result.effects, at);
  }

  private afterStep(effects: Effect[], at = now()): void {
    this.trackNudges(at);
    this.reconcileTimers();
    for (const effect of effects) this.perform(effect);
    this.index();
  }

  private trackNudges(at: string): void {
    const open = openNudgesOf(this.snapshot);
    const next: Record<string, string> = {};
    for (const about of open) next[about] = this.nudgesOpenedAt[about] ?? at;
    this.nudgesOpenedAt = next;
  }

  /** One Temporal timer per pending delayed event: start the new ones, cancel the stale ones. */
  private reconcileTimers(): void {
    const desired = new Map(this.timers.map((t) => [t.id, t]));
    for (const [id, running] of this.runningTimers) {
      if (desired.get(id)?.dueAt !== running.dueAt) {
        running.scope.cancel();
        this.runningTimers.delete(id);
      }
    }
    for (const timer of desired.values()) {
      if (!this.runningTimers.has(timer.id)) this.startTimer(timer);
    }
  }

  private startTimer(timer: PendingTimer): void {
    const scope = new CancellationScope();
    this.runningTimers.set(timer.id, { dueAt: timer.dueAt, scope });
    const ms = Math.max(1, Date.parse(timer.dueAt) - Date.now());
    const summary = `${this.definition.dueLabels[timer.delayName] ?? timer.delayName} due`;
    scope.run(() => sleep(ms, { summary })).then(
      () => {
        if (this.runningTimers.get(timer.id)?.scope !== scope) return;
        this.runningTimers.delete(timer.id);
        if (this.ended) return;
        // The event happened when the timer fell due, even if the worker was away at that moment:
        // the machine's next deadlines count from there, and the audit trail shows the due time.
        const at = timer.dueAt < now() ? timer.dueAt : now();
        this.take(fireTimer(this.definition, this.snapshot, this.timers, timer.id, at), at);
      },
      (error: unknown) => {
        if (!isCancellation(error)) throw error;
      },
    );
  }

  /** Carry out one effect the machine asked for. Failures are surfaced, never swallowed. */
  private perform(effect: Effect): void {
    this.effectCount += 1;
    const deliveryKey = `${workflowInfo().workflowId}/effect-${this.effectCount}`;
    this.effectsInFlight += 1;
    this.execute(effect, deliveryKey)
      .catch((error: unknown) => this.surface(effect, error))
      .finally(() => {
        this.effectsInFlight -= 1;
      });
  }

  private async execute(effect: Effect, deliveryKey: string): Promise<void> {
    const journey = { kind: this.definition.kind, id: this.journeyId, workflowId: workflowInfo().workflowId };
    const coordinatorId = this.input.start.coordinatorId;
    switch (effect.type) {
      case 'nudgeCoordinator':
        await notifications.sendNotification({ deliveryKey, journey, kind: 'nudge', to: { coordinatorId }, params: effect.params });
        return;
      case 'escalateToLead':
        await notifications.sendNotification({ deliveryKey, journey, kind: 'escalation', to: { lead: true, coordinatorId }, params: effect.params });
        return;
      case 'remindVolunteer':
        if (!this.input.contact) throw ApplicationFailure.nonRetryable('the volunteer has no contact address on record', 'CONTACT.MISSING');
        await notifications.sendNotification({ deliveryKey, journey, kind: 'reminder', to: { volunteer: this.input.contact }, params: effect.params });
        return;
      case 'inviteToSupervision':
      case 'cancelSupervision':
        if (!this.input.contact) throw ApplicationFailure.nonRetryable('the volunteer has no contact address on record', 'CONTACT.MISSING');
        await notifications.sendSupervisionInvitation({
          deliveryKey,
          journey,
          volunteer: this.input.contact,
          coordinatorId,
          method: effect.type === 'inviteToSupervision' ? 'REQUEST' : 'CANCEL',
          params: effect.params,
          timeZone: this.input.policy.timeZone,
        });
        return;
      case 'startMatchJourney': {
        const { matchId, youngPersonId, volunteerId, coordinatorId: matchCoordinator, peer } = effect.params;
        await startChild(workflowTypes.match, {
          workflowId: workflowIdFor('match', matchId),
          // The match outlives this run of the volunteer's journey (continue-as-new, exit).
          parentClosePolicy: ParentClosePolicy.ABANDON,
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          args: [
            {
              start: { journeyId: matchId, coordinatorId: matchCoordinator, startedAt: now(), youngPersonId, volunteerId, peer },
              policy: this.input.policy,
              machineVersion: currentVersions.match,
              ...(this.input.indexed === false ? { indexed: false } : {}),
              ...(this.input.continueAsNewAfterEvents ? { continueAsNewAfterEvents: this.input.continueAsNewAfterEvents } : {}),
            } satisfies JourneyWorkflowInput,
          ],
        });
        return;
      }
      case 'tellJourney': {
        const by: Actor = { role: 'system', id: workflowInfo().workflowId };
        await getExternalWorkflowHandle(workflowIdFor(effect.params.kind, effect.params.journeyId)).signal(linkedEvent, {
          ...effect.params.event,
          by,
        });
        return;
      }
    }
  }

  private surface(effect: Effect, error: unknown): void {
    const cause = error instanceof ActivityFailure && error.cause ? error.cause : error;
    const failure: EffectFailure = {
      at: now(),
      effect: effect.type,
      error: cause instanceof Error ? cause.message : String(cause),
      ...('about' in effect.params ? { about: effect.params.about } : {}),
      ...(cause instanceof ApplicationFailure && cause.type ? { errorType: cause.type } : {}),
    };
    this.failures.push(failure);
    log.warn('journey effect failed', { journeyId: this.journeyId, effect: effect.type, errorType: failure.errorType });
    // Tell the co-ordinator, unless it is the co-ordinator's own message that cannot be delivered.
    const aboutFailure = effect.type === 'nudgeCoordinator' && effect.params.about === 'deliveryFailed';
    if (!aboutFailure) this.perform({ type: 'nudgeCoordinator', params: deliveryFailedNudge(effect, failure) });
  }

  private noteUnapplied(entry: UnappliedEvent): void {
    this.unapplied.push(entry);
    log.warn('linked event not applied', { journeyId: this.journeyId, event: entry.event, from: entry.from });
    this.perform({
      type: 'nudgeCoordinator',
      params: {
        about: 'linkedEventNotApplied',
        summary: `News from a linked journey (${entry.event}) could not be applied to this journey`,
        whatToDo: `Check both journeys: npx mentorflow status ${this.journeyId}`,
        facts: { event: entry.event, from: entry.from, reason: entry.reason },
      },
    });
  }

  /** Keep the search attributes (opaque ids and stage names only) in step with the journey. */
  private index(): void {
    if (this.input.indexed === false) return;
    const stage = this.stageName();
    const nextDue = this.ended ? null : (nextTimer(this.timers)?.dueAt ?? null);
    // Overdue matters are indexed too, so that a journey whose nudge and escalation have both
    // gone out, and which has nothing more due, still shows as overdue. Journeys recorded before
    // this was added replay without it.
    const overdueSince = patched('index-overdue-since') ? this.oldestOpenNudge() : undefined;
    if (this.indexed.stage === stage && this.indexed.nextDueAt === nextDue && this.indexed.overdueSince === overdueSince) return;
    const first = this.indexed.stage === undefined;
    this.indexed = { stage, nextDueAt: nextDue, overdueSince };
    upsertSearchAttributes([
      ...(first
        ? [
            { key: MentorflowJourneyKind, value: this.definition.kind },
            { key: MentorflowCoordinatorId, value: this.input.start.coordinatorId },
          ]
        : []),
      { key: MentorflowStage, value: stage },
      { key: MentorflowNextDueAt, value: nextDue ? new Date(nextDue) : null },
      ...(overdueSince !== undefined ? [{ key: MentorflowOverdueSince, value: overdueSince ? new Date(overdueSince) : null }] : []),
    ]);
  }

  private oldestOpenNudge(): string | null {
    if (this.ended) return null;
    const since = Object.values(this.nudgesOpenedAt).sort();
    return since[0] ?? null;
  }
}

function now(): string {
  return new Date(Date.now()).toISOString();
}

function outcomeOf(event: RecordedEvent): { outcome?: string } {
  for (const field of ['outcome', 'decision', 'consent', 'reason', 'method'] as const) {
    const value = event[field];
    if (typeof value === 'string') return { outcome: value };
  }
  return {};
}

const effectLabels: Record<Effect['type'], string> = {
  nudgeCoordinator: 'a nudge to the co-ordinator',
  escalateToLead: 'an escalation to the lead co-ordinator',
  remindVolunteer: 'a reminder to the volunteer',
  inviteToSupervision: 'a supervision invitation',
  cancelSupervision: 'a supervision cancellation',
  startMatchJourney: 'the start of a match journey',
  tellJourney: 'news for a linked journey',
};

function deliveryFailedNudge(effect: Effect, failure: EffectFailure): NotifyParams {
  return {
    about: 'deliveryFailed',
    summary: `${capitalise(effectLabels[effect.type])} could not be carried out`,
    whatToDo: 'Check the details on record (for example the email address), then follow up by hand.',
    facts: {
      failedEffect: effect.type,
      ...(failure.about ? { failedAbout: failure.about } : {}),
      ...(failure.errorType ? { errorType: failure.errorType } : {}),
      error: failure.error,
    },
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
