/**
 * machines/runtime.ts drives each machine through one inert actor scope of its own instead of
 * XState's `transition()` and `initialTransition()`, which build a throwaway actor for every call.
 * It must answer exactly as they do: the same snapshot, timers and effects, on every golden journey.
 */
import { describe, expect, it } from 'vitest';
import { createMachine, initialTransition, transition, type AnyMachineSnapshot } from 'xstate';
import type { JourneyDefinition } from '../../machines/journey';
import { effectTypes, systemActor } from '../../machines/journey';
import { definitionOf } from '../../machines/registry';
import { applyEvent, persist, startJourney, type PendingTimer, type StepResult } from '../../machines/runtime';
import { goldenJourneys, updateAnswers } from '../audit/golden';

interface Action {
  type: string;
  params?: unknown;
}

/** What XState's own functions ask for, as the runtime reads actions: timers set and cancelled, effects. */
function readActions(actions: readonly Action[], timersBefore: readonly PendingTimer[]) {
  const pending = new Set(timersBefore.map((t) => t.id));
  const timersSet: string[] = [];
  const timersCancelled: string[] = [];
  const effects: Action[] = [];
  for (const action of actions) {
    if (action.type === 'xstate.raise') {
      const params = action.params as { event: { type: string }; id?: string; delay?: number };
      if (params.delay === undefined) continue;
      const id = params.id ?? params.event.type;
      pending.add(id);
      timersSet.push(id);
    } else if (action.type === 'xstate.cancel') {
      const { sendId } = action.params as { sendId: string };
      if (pending.delete(sendId)) timersCancelled.push(sendId);
    } else if ((effectTypes as readonly string[]).includes(action.type)) {
      effects.push({ type: action.type, params: action.params });
    }
  }
  return { timersSet, timersCancelled, effects };
}

function expectSameStep(ours: StepResult, definition: JourneyDefinition, snapshot: AnyMachineSnapshot, actions: readonly Action[], timersBefore: readonly PendingTimer[]) {
  expect(persist(definition, ours.snapshot)).toEqual(persist(definition, snapshot));
  expect({ timersSet: ours.timersSet, timersCancelled: ours.timersCancelled, effects: ours.effects }).toEqual(readActions(actions, timersBefore));
}

describe('the runtime, beside XState’s own transition()', () => {
  it('starts and steps every golden journey exactly as XState’s transition() and initialTransition() do', () => {
    let steps = 0;
    for (const journey of goldenJourneys()) {
      const run = journey.runs[0]!;
      const definition = definitionOf(journey.kind, run.input.machineVersion);
      const startedAt = run.input.start.startedAt;
      const input = { ...run.input.start, policy: run.input.policy };

      let ours = startJourney(definition, input, startedAt);
      const [initial, initialActions] = initialTransition(definition.machine, input as never);
      expectSameStep(ours, definition, initial as AnyMachineSnapshot, initialActions as Action[], []);

      for (const { event: raw } of updateAnswers(journey).values()) {
        // As the interpreter applies it: parsed (defaults filled in), stamped with the time.
        const parsed = definition.recordedEvents.safeParse(raw);
        if (!parsed.success) continue;
        const event = parsed.data;
        const at = (raw as { at?: string }).at ?? startedAt;
        const before = ours;
        ours = applyEvent(definition, before.snapshot, before.timers, event as never, at);
        if (before.snapshot.status !== 'active') continue;
        const [next, actions] = transition(definition.machine, before.snapshot, Object.assign({ by: systemActor }, event, { at }) as never);
        expectSameStep(ours, definition, next as AnyMachineSnapshot, actions as Action[], before.timers);
        steps++;
      }
    }
    expect(steps).toBeGreaterThan(100);
  });

  it('refuses a machine that invokes an actor, which its shared inert scope cannot hold', () => {
    const invoking = createMachine({ id: 'invoking', initial: 'waiting', states: { waiting: { invoke: { src: createMachine({}) } } } });
    const definition = { ...definitionOf('youngPerson'), machine: invoking } as JourneyDefinition;
    expect(() => startJourney(definition, {}, '2026-01-01T00:00:00.000Z')).toThrow(/invokes an actor/);
  });
});
