/**
 * machines/runtime.ts drives each machine through one inert actor scope of its own instead of
 * XState's `transition()` and `initialTransition()`, which build a throwaway actor for every call.
 * It must answer exactly as they do: the same snapshot, timers and effects, on every golden journey.
 */
import { describe, expect, it } from 'vitest';
import { createMachine, initialTransition, transition, type AnyMachineSnapshot } from 'xstate';
import type { JourneyDefinition } from '../../machines/journey';
import { systemActor } from '../../machines/journey';
import { definitionOf } from '../../machines/registry';
import { applyEvent, persist, startJourney, stepOf, type ActionLike, type PendingTimer, type StepResult } from '../../machines/runtime';
import { goldenJourneys, updateAnswers } from '../audit/golden';

/** The same transition through XState's own function: its snapshot and actions, read as the runtime reads them. */
function expectSameStep(ours: StepResult, definition: JourneyDefinition, theirs: [unknown, unknown[]], timersBefore: readonly PendingTimer[], at: string) {
  const [snapshot, actions] = theirs;
  const reference = stepOf(snapshot as AnyMachineSnapshot, actions as ActionLike[], timersBefore, Date.parse(at));
  expect(persist(definition, ours.snapshot)).toEqual(persist(definition, reference.snapshot));
  expect({ ...ours, snapshot: undefined }).toEqual({ ...reference, snapshot: undefined });
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
      expectSameStep(ours, definition, initialTransition(definition.machine, input as never), [], startedAt);

      for (const { event: raw } of updateAnswers(journey).values()) {
        // As the interpreter applies it: parsed (defaults filled in), stamped with the time.
        const parsed = definition.recordedEvents.safeParse(raw);
        if (!parsed.success) continue;
        const event = parsed.data;
        const at = (raw as { at?: string }).at ?? startedAt;
        const before = ours;
        ours = applyEvent(definition, before.snapshot, before.timers, event as never, at);
        if (before.snapshot.status !== 'active') continue;
        expectSameStep(ours, definition, transition(definition.machine, before.snapshot, Object.assign({ by: systemActor }, event, { at }) as never), before.timers, at);
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
