/**
 * The journeys' machines and schemas are shared by every journey of a worker thread, preloaded and
 * deep-frozen by the SDK (workflows/shared-modules/journeys.ts). A frozen zod schema that still
 * had a member to compute would throw on an input that reaches it, and fail the journey's
 * workflow task. So: once settled and frozen as the SDK freezes them, every journey's schemas must
 * answer every input, accepted or refused, exactly as freshly built schemas do. The inputs are the
 * events of the golden histories and, for each, that event broken field by field.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { JourneyDefinition } from '../../machines/journey';
import { firstPayload } from '../../audit/history-events';
import { settleBeforeFreezing } from '../../workflows/shared-modules/settle';
import { goldenJourneys } from '../audit/golden';

type Modules = Record<string, unknown>[];

/** A fresh copy of the three journey modules and everything they build (zod itself is not reloaded). */
async function freshJourneyModules(): Promise<Modules> {
  vi.resetModules();
  return Promise.all([import('../../machines/young-person'), import('../../machines/volunteer'), import('../../machines/match')]);
}

/**
 * What @temporalio/worker's reusable V8 context does to a preloaded module's exports
 * (lib/workflow/reusable-vm.js, `deepFreeze`): reads and freezes every own property, depth first,
 * never looking inside a function or at a prototype. Except the patterns, which are collected
 * instead: zod resets a pattern's `lastIndex` before each test, which a frozen pattern refuses, and
 * in the workflow bundle (not here in Node) zod's resets are rewritten to touch only global and
 * sticky patterns (workflows/shared-modules/frozen-regex-loader.cjs). So a frozen pattern is safe
 * in the bundle exactly when it is neither, which the test checks of every pattern collected.
 */
function freezeAsTheSdkDoes(object: unknown, patterns: RegExp[], visited = new WeakSet<object>()): void {
  if (object === null || (typeof object !== 'object' && typeof object !== 'function') || visited.has(object)) return;
  visited.add(object);
  if (object instanceof RegExp) {
    patterns.push(object);
    return;
  }
  if (Object.isFrozen(object)) return;
  if (typeof object === 'object') {
    for (const key of Reflect.ownKeys(object)) {
      try {
        freezeAsTheSdkDoes((object as Record<PropertyKey, unknown>)[key], patterns, visited);
      } catch {
        // As the SDK: some objects cannot be frozen.
      }
    }
  }
  Object.freeze(object);
}

const exportsOf = (modules: Modules) => modules.map((module) => ({ ...module }));

function definitionsIn(modules: Modules): Map<string, JourneyDefinition> {
  const definitions = new Map<string, JourneyDefinition>();
  for (const module of modules) {
    for (const [name, value] of Object.entries(module)) {
      if (value && typeof value === 'object' && 'recordedEvents' in value) definitions.set(name, value as JourneyDefinition);
    }
  }
  return definitions;
}

/** Each golden event of the kind, then the event with each field in turn made wrong or left out. */
function inputsFor(events: Record<string, unknown>[]): unknown[] {
  const wrong = [undefined, null, 0, -1, '', 'x', true, {}, [], '2026-13-45', 'x'.repeat(5000)];
  const inputs: unknown[] = [undefined, null, 42, 'text', [], {}, { type: 'no.such.event' }];
  for (const event of events) {
    inputs.push(event);
    for (const key of Object.keys(event)) {
      for (const value of wrong) inputs.push({ ...event, [key]: value });
      const { [key]: _left, ...without } = event;
      inputs.push(without);
    }
  }
  return inputs;
}

function answer(schema: JourneyDefinition['recordedEvents'], input: unknown): string {
  try {
    const result = schema.safeParse(input);
    return JSON.stringify(
      result.success ? { data: result.data } : { issues: result.error.issues.map(({ code, path, message }) => ({ code, path, message })) },
    );
  } catch (error) {
    return `threw ${String(error)}`;
  }
}

const goldenEvents = new Map<string, { recorded: Record<string, unknown>[]; linked: Record<string, unknown>[] }>();

beforeAll(() => {
  for (const journey of goldenJourneys()) {
    const events = goldenEvents.get(journey.kind) ?? { recorded: [], linked: [] };
    goldenEvents.set(journey.kind, events);
    for (const run of journey.runs) {
      for (const e of run.history.events ?? []) {
        const update = firstPayload<Record<string, unknown>>(e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.args);
        if (update && typeof update === 'object') events.recorded.push(update);
        const signal = firstPayload<Record<string, unknown>>(e.workflowExecutionSignaledEventAttributes?.input);
        if (signal && typeof signal === 'object' && typeof signal.type === 'string') events.linked.push(signal);
      }
    }
  }
});

describe('journeys shared by a worker thread, frozen', () => {
  it('answer every input, golden or broken, as freshly built journeys do', async () => {
    const fresh = definitionsIn(await freshJourneyModules());
    const shared = await freshJourneyModules();
    settleBeforeFreezing(shared);
    const patterns: RegExp[] = [];
    freezeAsTheSdkDoes(exportsOf(shared), patterns);
    const frozen = definitionsIn(shared);
    expect(patterns.length).toBeGreaterThan(0);
    expect(patterns.filter((pattern) => pattern.global || pattern.sticky).map(String)).toEqual([]);

    expect([...frozen.keys()].sort()).toEqual(['matchJourney', 'matchJourneyV1', 'volunteerJourney', 'youngPersonJourney']);
    let compared = 0;
    let refused = 0;
    for (const [name, definition] of frozen) {
      expect(Object.isFrozen(definition.recordedEvents)).toBe(true);
      const golden = goldenEvents.get(definition.kind)!;
      expect(golden.recorded.length, `golden events of ${definition.kind}`).toBeGreaterThan(5);
      for (const which of ['recordedEvents', 'linkedEvents'] as const) {
        for (const input of inputsFor(which === 'recordedEvents' ? golden.recorded : golden.linked)) {
          const expected = answer(fresh.get(name)![which], input);
          expect(answer(definition[which], input), `${name}.${which} on ${JSON.stringify(input)?.slice(0, 200)}`).toBe(expected);
          expect(expected).not.toMatch(/^threw/);
          compared++;
          if (expected.startsWith('{"issues"')) refused++;
        }
      }
    }
    // Most broken inputs are refused, and every golden one accepted: both paths were compared.
    expect(compared).toBeGreaterThan(1000);
    expect(refused).toBeGreaterThan(compared / 2);
  });

  it('would fail a journey if frozen without settling: what the settling is for', async () => {
    const unsettled = await freshJourneyModules();
    freezeAsTheSdkDoes(exportsOf(unsettled), []);
    const youngPersonJourney = definitionsIn(unsettled).get('youngPersonJourney')!;
    const event = goldenEvents.get('youngPerson')!.recorded[0];
    expect(() => youngPersonJourney.recordedEvents.safeParse(event)).toThrow(TypeError);
  });
});
