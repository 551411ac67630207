/**
 * Every journey the interpreter can run, by kind and machine version (docs/versioning.md).
 *
 * A running journey keeps the machine version it started with: its history replays only against
 * that machine. To change a machine in a way that would change what a running journey does, keep
 * the old version here, add the new one, and make it current: new journeys take it, running ones
 * carry on as they began.
 */
import type { JourneyDefinition, JourneyKind } from '../machines/journey';
import { matchJourney } from '../machines/match';
import { volunteerJourney } from '../machines/volunteer';
import { youngPersonJourney } from '../machines/young-person';

export const journeyVersions: Record<JourneyKind, Readonly<Record<number, JourneyDefinition>>> = {
  youngPerson: { 1: youngPersonJourney },
  volunteer: { 1: volunteerJourney },
  match: { 1: matchJourney },
};

/** The version new journeys start on. */
export const currentVersions: Record<JourneyKind, number> = {
  youngPerson: 1,
  volunteer: 1,
  match: 1,
};

/** The definition of `kind` at `version`; histories from before versions were recorded are version 1. */
export function definitionOf(kind: JourneyKind, version = 1): JourneyDefinition {
  const definition = journeyVersions[kind][version];
  if (!definition) throw new Error(`no version ${version} of the ${kind} journey is registered`);
  return definition;
}

/** The current definition of each journey: what the CLI and API validate new input against. */
export const journeys: Record<JourneyKind, JourneyDefinition> = {
  youngPerson: definitionOf('youngPerson', currentVersions.youngPerson),
  volunteer: definitionOf('volunteer', currentVersions.volunteer),
  match: definitionOf('match', currentVersions.match),
};
