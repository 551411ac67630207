/**
 * Every journey the interpreter can run, by kind and machine version (docs/versioning.md).
 *
 * A running journey keeps the machine version it started with: its history replays only against
 * that machine. To change a machine in a way that would change what a running journey does, keep
 * the old version here, add the new one, and make it current: new journeys take it, running ones
 * carry on as they began.
 *
 * Each journey's machine and schemas are loaded when a journey of that kind first asks for them
 * (`definitionOf`), never all at once. The worker's bundle preloads all of them once per worker
 * thread, shared by its journeys (workflows/shared-modules/journeys.ts); in a bundle without that
 * sharing, every cached journey evaluates and keeps its own copy of the modules it loads, and a
 * young person's journey must not load the volunteer's and the match's machines too
 * (BENCHMARKS.md, section 6). The loaders are in journey-modules/ (lazy in the bundle, plain
 * imports in Node); a version in a module of its own needs a loader there, and an import in
 * workflows/shared-modules/journeys.ts.
 */
import type { JourneyDefinition, JourneyKind } from './journey';
import { journeyModules } from './journey-modules';

type Loader = () => JourneyDefinition;

const versionLoaders: Record<JourneyKind, Readonly<Record<number, Loader>>> = {
  youngPerson: { 1: () => journeyModules.youngPerson().youngPersonJourney },
  volunteer: { 1: () => journeyModules.volunteer().volunteerJourney },
  match: {
    1: () => journeyModules.match().matchJourneyV1,
    // 2: under a sub-day policy a meeting's gap clock counts from its time, not its day (issue 18).
    2: () => journeyModules.match().matchJourney,
  },
};

/** The version new journeys start on. */
export const currentVersions: Record<JourneyKind, number> = {
  youngPerson: 1,
  volunteer: 1,
  match: 2,
};

/** The definition of `kind` at `version`; histories from before versions were recorded are version 1. */
export function definitionOf(kind: JourneyKind, version = 1): JourneyDefinition {
  const load = versionLoaders[kind]?.[version];
  if (!load) throw new Error(`no version ${version} of the ${kind} journey is registered`);
  return load();
}

const kinds = Object.keys(versionLoaders) as JourneyKind[];

/** Every registered version of each journey (a kind's versions are loaded when it is read). */
export const journeyVersions: Record<JourneyKind, Readonly<Record<number, JourneyDefinition>>> = Object.defineProperties(
  {} as Record<JourneyKind, Readonly<Record<number, JourneyDefinition>>>,
  Object.fromEntries(
    kinds.map((kind) => [
      kind,
      {
        enumerable: true,
        get: () => Object.fromEntries(Object.keys(versionLoaders[kind]).map((version) => [version, definitionOf(kind, Number(version))])),
      },
    ]),
  ),
);

/** The current definition of each journey: what the CLI and API validate new input against (loaded when read). */
export const journeys: Record<JourneyKind, JourneyDefinition> = Object.defineProperties(
  {} as Record<JourneyKind, JourneyDefinition>,
  Object.fromEntries(kinds.map((kind) => [kind, { enumerable: true, get: () => definitionOf(kind, currentVersions[kind]) }])),
);
