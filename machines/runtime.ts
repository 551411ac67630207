/**
 * The pure core of interpreting a journey: apply one event to a machine snapshot and say what
 * follows: the new snapshot, the timers to set or cancel, and the effects to carry out. No clock,
 * no I/O: the caller passes "now". The Temporal workflow wraps this with durable timers and
 * activities; machine tests wrap it with a simulated clock. Both therefore agree on what a journey
 * does.
 */
import { createActor, type AnyActorScope, type AnyMachineSnapshot, type AnyStateMachine } from 'xstate';
import {
  effectTypes,
  NUDGE_TAG_PREFIX,
  systemActor,
  type EffectParams,
  type EffectType,
  type JourneyDefinition,
} from './journey';

/** A pending delayed event: the machine's `after` transitions and delayed raises. */
export interface PendingTimer {
  /** XState's id for the delayed event, e.g. "xstate.after.firstContactWithin.youngPerson.referral.awaitingFirstContact". */
  id: string;
  /** The event to send when it fires. */
  event: { type: string };
  /** When it falls due (ISO 8601). */
  dueAt: string;
  /** The named delay, e.g. "firstContactWithin", used to label what is due. */
  delayName: string;
}

export type Effect = { [K in EffectType]: { type: K; params: EffectParams[K] } }[EffectType];

/** Everything needed to carry a journey on, e.g. across Temporal's continue-as-new. */
export interface JourneyState {
  /** `machine.getPersistedSnapshot(snapshot)`: plain JSON. */
  persisted: PersistedJourneySnapshot;
  timers: PendingTimer[];
}

export interface PersistedJourneySnapshot {
  value: unknown;
  context: Record<string, unknown>;
  status: string;
}

export interface StepResult {
  snapshot: AnyMachineSnapshot;
  timers: PendingTimer[];
  /** Timer ids set by this step (also in `timers`). */
  timersSet: string[];
  /** Timer ids cancelled by this step (no longer in `timers`). */
  timersCancelled: string[];
  effects: Effect[];
}

const AFTER_PREFIX = 'xstate.after.';

/** The named delay of an `after` event id: "xstate.after.<delay>.<state id>" -> "<delay>". */
export function delayNameOf(timerId: string): string {
  if (!timerId.startsWith(AFTER_PREFIX)) return timerId;
  const rest = timerId.slice(AFTER_PREFIX.length);
  const dot = rest.indexOf('.');
  return dot < 0 ? rest : rest.slice(0, dot);
}

export interface ActionLike {
  type: string;
  params?: unknown;
}

/**
 * The step a transition made, read from its snapshot and the actions XState asked for: delayed
 * raises become timers set, cancels timers cancelled, our effects effects (every other action,
 * assign and the like, is already in the snapshot).
 */
export function stepOf(
  snapshot: AnyMachineSnapshot,
  actions: readonly ActionLike[],
  timersBefore: readonly PendingTimer[],
  nowMs: number,
): StepResult {
  const timers = new Map(timersBefore.map((t) => [t.id, t]));
  const timersSet: string[] = [];
  const timersCancelled: string[] = [];
  const effects: Effect[] = [];
  for (const action of actions) {
    if (action.type === 'xstate.raise') {
      const params = action.params as { event: { type: string }; id?: string; delay?: number };
      if (params.delay === undefined) continue; // immediate raises are handled inside XState
      const id = params.id ?? params.event.type;
      timers.set(id, {
        id,
        event: params.event,
        dueAt: new Date(nowMs + Math.max(0, params.delay)).toISOString(),
        delayName: delayNameOf(id),
      });
      timersSet.push(id);
    } else if (action.type === 'xstate.cancel') {
      const { sendId } = action.params as { sendId: string };
      if (timers.delete(sendId)) timersCancelled.push(sendId);
    } else if ((effectTypes as readonly string[]).includes(action.type)) {
      effects.push({ type: action.type, params: action.params } as Effect);
    }
  }
  return { snapshot, timers: [...timers.values()], timersSet, timersCancelled, effects };
}

/**
 * XState's pure `transition()` and `initialTransition()`, without their cost: each of those builds
 * a throwaway actor to give the machine an actor scope, and an actor computes its machine's initial
 * snapshot as it is built (running the initial context, with no input), which was about 40% of
 * every transition (BENCHMARKS.md, sections 1 and 9). Our machines invoke and spawn nothing, so one
 * inert scope per machine serves every call: built once, it never runs an action; each call
 * collects the actions the machine asks for, as XState's functions do, and the caller carries
 * them out.
 */
const inertScopes = new WeakMap<AnyStateMachine, AnyActorScope>();

function inertScopeOf(machine: AnyStateMachine): AnyActorScope {
  let scope = inertScopes.get(machine);
  if (!scope) {
    assertInvokesNothing(machine.root);
    const self = createActor(machine);
    scope = {
      self,
      system: self.system,
      id: '',
      sessionId: '',
      logger: () => {},
      defer: () => {},
      emit: () => {},
      stopChild: () => {},
      actionExecutor: () => {},
    } as unknown as AnyActorScope;
    inertScopes.set(machine, scope);
  }
  return scope;
}

/** An invoked actor would be registered in the shared scope's system, and outlive its call. */
function assertInvokesNothing(node: AnyStateMachine['root']): void {
  if (node.invoke.length > 0) throw new Error(`state ${node.id} invokes an actor: machines/runtime.ts runs machines that invoke nothing`);
  for (const child of Object.values(node.states)) assertInvokesNothing(child);
}

/** What the machine does with `run`, and the actions it asked for (none carried out). */
function withInertScope<T>(machine: AnyStateMachine, run: (scope: AnyActorScope) => T): [T, ActionLike[]] {
  const scope = inertScopeOf(machine);
  const actions: ActionLike[] = [];
  scope.actionExecutor = (action) => {
    actions.push(action as ActionLike);
  };
  return [run(scope), actions];
}

/** Start a journey: the machine's initial state and the timers and effects of entering it. */
export function startJourney(
  definition: JourneyDefinition,
  input: unknown,
  nowIso: string,
): StepResult {
  const machine = definition.machine;
  const [snapshot, actions] = withInertScope(machine, (scope) => machine.getInitialSnapshot(scope, input as never));
  return stepOf(snapshot as AnyMachineSnapshot, actions, [], Date.parse(nowIso));
}

/** Restore a snapshot saved with `persist`. */
export function restoreSnapshot(
  definition: JourneyDefinition,
  persisted: PersistedJourneySnapshot,
): AnyMachineSnapshot {
  return definition.machine.resolveState({
    value: persisted.value,
    context: persisted.context,
  } as never) as AnyMachineSnapshot;
}

export function persist(
  definition: JourneyDefinition,
  snapshot: AnyMachineSnapshot,
): PersistedJourneySnapshot {
  const persisted = definition.machine.getPersistedSnapshot(snapshot) as unknown as PersistedJourneySnapshot;
  return { value: persisted.value, context: persisted.context, status: persisted.status };
}

export type Verdict =
  | { accepted: true }
  | { accepted: false; code: 'GATE.UNMET' | 'STAGE.NOT_NOW'; message: string; reasons: string[] };

/**
 * Would the machine accept `event` now? If not, why, in a co-ordinator's words:
 * "cannot propose a match: vetting not cleared; training 12 of 20 hours".
 */
export function judge(
  definition: JourneyDefinition,
  snapshot: AnyMachineSnapshot,
  event: { type: string } & Record<string, unknown>,
): Verdict {
  if (snapshot.status !== 'active') {
    return {
      accepted: false,
      code: 'STAGE.NOT_NOW',
      message: `cannot ${labelOf(definition, event.type)}: this journey has ended`,
      reasons: ['this journey has ended'],
    };
  }
  if (snapshot.can(event as never)) return { accepted: true };
  const label = labelOf(definition, event.type);
  const gates = definition.unmetGates(snapshot, event);
  if (gates.length > 0) {
    return { accepted: false, code: 'GATE.UNMET', message: `cannot ${label}: ${gates.join('; ')}`, reasons: gates };
  }
  const reason = `not possible at stage '${definition.stage(snapshot)}'`;
  return { accepted: false, code: 'STAGE.NOT_NOW', message: `cannot ${label}: ${reason}`, reasons: [reason] };
}

function labelOf(definition: JourneyDefinition, type: string): string {
  return definition.eventLabels[type] ?? `record '${type}'`;
}

/**
 * Apply an event the caller has already judged acceptable (or a linked event, which is a fact from
 * another journey and is applied as it comes). `at` is stamped here so the machine never reads a
 * clock.
 */
export function applyEvent(
  definition: JourneyDefinition,
  snapshot: AnyMachineSnapshot,
  timers: readonly PendingTimer[],
  event: { type: string } & Record<string, unknown>,
  nowIso: string,
): StepResult {
  // An ended journey takes no more events: XState would still run root-level handlers on a final
  // snapshot, which would rewrite how the journey ended.
  if (snapshot.status !== 'active') {
    return { snapshot, timers: [...timers], timersSet: [], timersCancelled: [], effects: [] };
  }
  const stamped = { by: systemActor, ...event, at: nowIso };
  const machine = definition.machine;
  const [next, actions] = withInertScope(machine, (scope) => machine.transition(snapshot, stamped as never, scope));
  return stepOf(next as AnyMachineSnapshot, actions, timers, Date.parse(nowIso));
}

/** A pending timer falls due: it leaves the table and its event is applied. */
export function fireTimer(
  definition: JourneyDefinition,
  snapshot: AnyMachineSnapshot,
  timers: readonly PendingTimer[],
  timerId: string,
  nowIso: string,
): StepResult {
  const timer = timers.find((t) => t.id === timerId);
  const remaining = timers.filter((t) => t.id !== timerId);
  if (!timer) return { snapshot, timers: remaining, timersSet: [], timersCancelled: [], effects: [] };
  return applyEvent(definition, snapshot, remaining, { ...timer.event }, nowIso);
}

export function isTimerEvent(type: string): boolean {
  return type.startsWith(AFTER_PREFIX);
}

/** The open nudges: the `nudge:<about>` tags of the states the journey is in. */
export function openNudgesOf(snapshot: { tags: Set<string> }): string[] {
  return [...snapshot.tags]
    .filter((tag) => tag.startsWith(NUDGE_TAG_PREFIX))
    .map((tag) => tag.slice(NUDGE_TAG_PREFIX.length))
    .sort();
}

/** The earliest pending timer, or undefined. */
export function nextTimer(timers: readonly PendingTimer[]): PendingTimer | undefined {
  let next: PendingTimer | undefined;
  for (const t of timers) if (!next || t.dueAt < next.dueAt) next = t;
  return next;
}

/** The full machine state as the status shows it, e.g. "inScheme.pathway.available | inScheme.check.valid". */
export function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([key, child]) => {
        const inner = stateName(child);
        return inner ? `${key}.${inner}` : key;
      })
      .join(' | ');
  }
  return '';
}
