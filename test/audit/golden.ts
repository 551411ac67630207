/** The committed golden histories (test/golden/<scenario>/*.json), read once per test file. */
import path from 'node:path';
import { loadJourneys, type Journey } from '../../audit/journey-history';
import { repoRoot } from '../../worker/config';

export const goldenDir = path.join(repoRoot, 'test', 'golden');

let cached: Journey[] | undefined;

/** Every golden journey, or those of one scenario. */
export function goldenJourneys(scenario?: string): Journey[] {
  cached ??= loadJourneys([goldenDir]);
  return scenario ? cached.filter((j) => j.runs[0]!.source?.includes(`${path.sep}${scenario}${path.sep}`)) : cached;
}

export function goldenJourney(workflowId: string): Journey {
  const journey = goldenJourneys().find((j) => j.workflowId === workflowId);
  if (!journey) throw new Error(`no golden history for ${workflowId}`);
  return journey;
}
