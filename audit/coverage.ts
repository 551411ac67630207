/**
 * Which states of each journey machine a set of histories visits: the check that the golden
 * histories exercise every state a running journey can be in, so that replaying them guards all of
 * the interpreter's paths.
 *
 * A state is visited when the re-run machine rests in it after some step. States left at once by
 * an unguarded eventless transition ("checkingEligibility", "resuming", ...) are never at rest:
 * they are listed as transient and not required.
 */
import type { AnyStateMachine } from 'xstate';
import type { JourneyKind } from '../machines/journey';
import { currentVersions, definitionOf } from '../machines/registry';
import type { MirroredRun } from './mirror';

export interface MachineState {
  /** The state's path, e.g. "referral.firstContactOverdue". */
  path: string;
  /** Left at once by an unguarded eventless transition: never seen at rest. */
  transient: boolean;
}

interface StateNodeLike {
  path: string[];
  states: Record<string, StateNodeLike>;
  always?: { guard?: unknown }[];
}

/** Every state of a machine (not the root), with whether it is transient. */
export function machineStates(machine: AnyStateMachine): MachineState[] {
  const states: MachineState[] = [];
  const visit = (node: StateNodeLike) => {
    for (const child of Object.values(node.states)) {
      const always = child.always ?? [];
      states.push({ path: child.path.join('.'), transient: always.length > 0 && always[always.length - 1]!.guard === undefined });
      visit(child);
    }
  };
  visit(machine.root as unknown as StateNodeLike);
  return states;
}

/** The paths of the states a snapshot value is in, ancestors included. */
export function statePaths(value: unknown, prefix: string[] = []): string[] {
  if (typeof value === 'string') return [[...prefix, value].join('.')];
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => [
    [...prefix, key].join('.'),
    ...statePaths(child, [...prefix, key]),
  ]);
}

export interface MachineCoverage {
  kind: JourneyKind;
  machineVersion: number;
  /** States that can be at rest. */
  states: string[];
  visited: string[];
  missing: string[];
  transient: string[];
  /** How many runs of this machine were read. */
  runs: number;
}

/** Coverage of each machine (kind and version) by the runs given. */
export function coverageOf(runs: readonly MirroredRun[], kinds: readonly JourneyKind[] = ['youngPerson', 'volunteer', 'match']): MachineCoverage[] {
  const keyOf = (kind: JourneyKind, version: number) => `${kind}@${version}`;
  const visited = new Map<string, Set<string>>();
  const runCounts = new Map<string, number>();
  const versions = new Map<string, { kind: JourneyKind; version: number }>();
  for (const mirrored of runs) {
    const version = mirrored.run.input.machineVersion ?? 1;
    const key = keyOf(mirrored.run.kind, version);
    versions.set(key, { kind: mirrored.run.kind, version });
    runCounts.set(key, (runCounts.get(key) ?? 0) + 1);
    const seen = visited.get(key) ?? new Set<string>();
    for (const step of mirrored.steps) for (const path of statePaths(step.snapshot.value)) seen.add(path);
    visited.set(key, seen);
  }
  const coverage: MachineCoverage[] = [];
  for (const { kind, version } of versions.values()) {
    const all = machineStates(definitionOf(kind, version).machine);
    const seen = visited.get(keyOf(kind, version)) ?? new Set<string>();
    const atRest = all.filter((s) => !s.transient).map((s) => s.path);
    coverage.push({
      kind,
      machineVersion: version,
      states: atRest,
      visited: atRest.filter((p) => seen.has(p)),
      missing: atRest.filter((p) => !seen.has(p)),
      transient: all.filter((s) => s.transient).map((s) => s.path),
      runs: runCounts.get(keyOf(kind, version)) ?? 0,
    });
  }
  // Every kind asked for appears, even with no run at all (then everything is missing).
  for (const kind of kinds) {
    if (coverage.some((c) => c.kind === kind)) continue;
    const version = currentVersions[kind];
    const all = machineStates(definitionOf(kind, version).machine);
    const atRest = all.filter((s) => !s.transient).map((s) => s.path);
    coverage.push({ kind, machineVersion: version, states: atRest, visited: [], missing: atRest, transient: all.filter((s) => s.transient).map((s) => s.path), runs: 0 });
  }
  return coverage.sort((a, b) => kinds.indexOf(a.kind) - kinds.indexOf(b.kind) || a.machineVersion - b.machineVersion);
}
