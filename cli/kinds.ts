/**
 * Journey kinds as a co-ordinator types them ("young-person", "volunteer", "match"), and the kind
 * of a journey id: from the prefix `newJourneyId` gives it (yp-, vol-, m-), else from `--kind`,
 * else by asking the client which journey has that id (an imported id may have any form).
 */
import type { JourneyKind } from '../machines/journey';
import { JourneyNotFoundError, type Journeys } from '../client/journeys';
import { UsageError } from './errors';

export const kindWords: Record<JourneyKind, string> = {
  youngPerson: 'young-person',
  volunteer: 'volunteer',
  match: 'match',
};

export const kindTitles: Record<JourneyKind, string> = {
  youngPerson: "Young person's journey",
  volunteer: "Volunteer's journey",
  match: 'Match',
};

const allKinds = Object.keys(kindWords) as JourneyKind[];

/** "young-person", "youngPerson", "yp" -> "youngPerson". */
export function parseKind(text: string): JourneyKind {
  const lower = text.toLowerCase().replace(/[-_ ]/g, '');
  const found = allKinds.find((k) => k.toLowerCase() === lower) ?? ({ yp: 'youngPerson', vol: 'volunteer', m: 'match' } as Record<string, JourneyKind>)[lower];
  if (!found) throw new UsageError(`unknown journey kind "${text}" (one of: ${Object.values(kindWords).join(', ')})`);
  return found;
}

/** The kind `newJourneyId` encodes in the id, if any. */
export function kindFromPrefix(journeyId: string): JourneyKind | undefined {
  if (journeyId.startsWith('yp-')) return 'youngPerson';
  if (journeyId.startsWith('vol-')) return 'volunteer';
  if (journeyId.startsWith('m-')) return 'match';
  return undefined;
}

/**
 * The kind of the journey `journeyId`. With neither `--kind` nor a known prefix, the client is
 * asked which kinds of journey have that id (among those the user may see).
 */
export async function resolveKind(
  journeyId: string,
  explicit: string | undefined,
  journeys: Pick<Journeys, 'kindsOf'> | undefined,
): Promise<JourneyKind> {
  if (explicit) return parseKind(explicit);
  const byPrefix = kindFromPrefix(journeyId);
  if (byPrefix) return byPrefix;
  if (!journeys) throw new UsageError(`cannot tell which journey ${journeyId} is: add --kind young-person|volunteer|match`);
  const found = await journeys.kindsOf(journeyId);
  if (found.length === 1) return found[0]!;
  if (found.length === 0) throw new JourneyNotFoundError(journeyId);
  throw new UsageError(`${journeyId} is the id of more than one journey (${found.map((k) => kindWords[k]).join(', ')}): add --kind`);
}
