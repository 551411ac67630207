/**
 * Journey kinds as a co-ordinator types them ("young-person", "volunteer", "match"), and the kind
 * of a journey id: from the prefix `newJourneyId` gives it (yp-, vol-, m-), else from `--kind`,
 * else by asking Temporal which journey has that id (an imported id may have any form).
 */
import type { Client } from '@temporalio/client';
import type { JourneyKind } from '../machines/journey';
import { workflowIdFor } from '../contracts/ids';
import { JourneyNotFoundError } from '../client/journeys';
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
 * The kind of the journey `journeyId`. With neither `--kind` nor a known prefix, Temporal is asked
 * which of the three workflow ids exists.
 */
export async function resolveKind(
  journeyId: string,
  explicit: string | undefined,
  client: Client | undefined,
): Promise<JourneyKind> {
  if (explicit) return parseKind(explicit);
  const byPrefix = kindFromPrefix(journeyId);
  if (byPrefix) return byPrefix;
  if (!client) throw new UsageError(`cannot tell which journey ${journeyId} is: add --kind young-person|volunteer|match`);
  const found: JourneyKind[] = [];
  for (const kind of allKinds) {
    try {
      await client.workflow.getHandle(workflowIdFor(kind, journeyId)).describe();
      found.push(kind);
    } catch (error) {
      if ((error as Error).name !== 'WorkflowNotFoundError') throw error;
    }
  }
  if (found.length === 1) return found[0]!;
  if (found.length === 0) throw new JourneyNotFoundError(journeyId);
  throw new UsageError(`${journeyId} is the id of more than one journey (${found.map((k) => kindWords[k]).join(', ')}): add --kind`);
}
