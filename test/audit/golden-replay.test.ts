/**
 * Every committed golden history replays against the workflow code as it is now, and the machine
 * re-run over it agrees with every timer and stage it records. A change that would break running
 * journeys (a new timer, a missing nudge, a machine changed without a new version) fails here.
 */
import { describe, expect, it } from 'vitest';
import { coverageOf } from '../../audit/coverage';
import { mirrorRun } from '../../audit/mirror';
import { replayJourneys } from '../../audit/replay';
import { workflowBundle } from '../helpers/journey-worker';
import { goldenJourneys } from './golden';

describe('golden histories', () => {
  it('replay against the current code, every run of every journey', async () => {
    const journeys = goldenJourneys();
    expect(journeys.length).toBeGreaterThanOrEqual(3);
    expect(new Set(journeys.map((j) => j.kind))).toEqual(new Set(['youngPerson', 'volunteer', 'match']));
    const results = await replayJourneys(journeys, { workflowBundle: await workflowBundle() });
    const failures = results
      .filter((r) => !r.ok)
      .map((r) => `${r.source}: ${r.replay.ok ? '' : r.replay.problem.plain} ${r.consistency.map((c) => `[event ${c.eventId}] ${c.message}`).join('; ')}`);
    expect(failures, failures.join('\n')).toEqual([]);
    expect(results.length).toBe(journeys.reduce((n, j) => n + j.runs.length, 0));
  });

  it('include a journey that continued as new', () => {
    expect(goldenJourneys().some((j) => j.runs.length > 1)).toBe(true);
  });

  it('together visit every state of each machine that a journey can rest in', () => {
    const coverage = coverageOf(goldenJourneys().flatMap((j) => j.runs.map(mirrorRun)));
    for (const machine of coverage) {
      expect(machine.missing, `${machine.kind} (version ${machine.machineVersion}) states no golden history visits`).toEqual([]);
      expect(machine.visited.length).toBeGreaterThan(10);
    }
  });
});
