/**
 * Loads what matching needs from the journeys themselves: the young person's matching profile and
 * past matches, each volunteer's snapshot as their journey holds it. Dates of birth and genders are
 * opened here, at the edge, only to work out the age gap and the gender preference; nothing opened
 * leaves this module (the shortlist and the plan carry journey ids, scores and reasons).
 */
import { isSealedValue, type JourneyKind } from '../machines/journey';
import type { Gender } from '../machines/matching-profile';
import { restoreSnapshot } from '../machines/runtime';
import type { PreferredMentorType, VolunteerContext } from '../machines/volunteer';
import type { PastMatch, VolunteerCandidate, YoungPersonCandidate, YoungPersonPreferences } from '../matching';
import { PersonErasedError } from '../privacy';
import type { JourneySnapshotView } from '../contracts/messages';
import { definitionOf } from '../machines/registry';

/** What the journeys client lends this module: its queries and the opening of sealed values. */
export interface MatchingReader {
  matchingProfile(kind: JourneyKind, journeyId: string): Promise<Record<string, unknown> | null>;
  snapshot(kind: JourneyKind, journeyId: string): Promise<JourneySnapshotView>;
  /** The match journey's facts (its status), for who the volunteer was and how it ended; null if it is not there. */
  matchFacts(matchId: string): Promise<Record<string, unknown> | null>;
  open(sealed: string): unknown;
}

/** How many journeys are read at once: enough to be quick, few enough not to swamp one worker. */
const READ_CONCURRENCY = 16;

/** A plain or sealed personal value, opened; undefined if absent or the person was erased. */
function opened(reader: MatchingReader, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isSealedValue(value)) return String(value);
  try {
    return String(reader.open(value));
  } catch (error) {
    if (error instanceof PersonErasedError) return undefined;
    throw error;
  }
}

/** The young person as matching sees them, or null if theirs is not a young person's journey. */
export async function loadYoungPerson(reader: MatchingReader, journeyId: string): Promise<YoungPersonCandidate | null> {
  const profile = (await reader.matchingProfile('youngPerson', journeyId)) as {
    dateOfBirth?: unknown;
    waitingForMatch: boolean;
    preferredMentorType: PreferredMentorType;
    preferences?: YoungPersonPreferences | null;
    waitingSince?: string | null;
    pastMatchIds?: string[];
    declinedMatchIds?: string[];
  } | null;
  if (!profile) return null;
  const matchIds = [...new Set([...(profile.pastMatchIds ?? []), ...(profile.declinedMatchIds ?? [])])];
  const pastMatches = await inBatches(matchIds, async (matchId): Promise<PastMatch | null> => {
    // A match journey no longer there (its history deleted by retention) keeps no one apart.
    const facts = await reader.matchFacts(matchId);
    if (!facts || typeof facts.volunteerId !== 'string') return null;
    const notStarted = facts.notStarted as { by?: string; reason?: string } | null | undefined;
    return {
      matchId,
      volunteerId: facts.volunteerId,
      started: typeof facts.matchStartedAt === 'string',
      declinedByYoungPerson: notStarted?.by === 'youngPerson',
      safeguarding: facts.endingReason === 'safeguarding' || notStarted?.reason === 'safeguarding',
    };
  });
  const dateOfBirth = opened(reader, profile.dateOfBirth);
  return {
    journeyId,
    waitingForMatch: profile.waitingForMatch,
    preferredMentorType: profile.preferredMentorType,
    preferences: profile.preferences ?? null,
    waitingSince: profile.waitingSince ?? null,
    ...(dateOfBirth ? { dateOfBirth } : {}),
    pastMatches: pastMatches.filter((m): m is PastMatch => m !== null),
  };
}

/** A volunteer as matching sees them: their journey's own snapshot, under their machine version. */
export async function loadVolunteer(reader: MatchingReader, journeyId: string): Promise<VolunteerCandidate> {
  const view = await reader.snapshot('volunteer', journeyId);
  const definition = definitionOf('volunteer', view.machineVersion);
  const snapshot = restoreSnapshot(definition, view.persisted);
  const context = snapshot.context as VolunteerContext;
  const dateOfBirth = opened(reader, context.volunteer.dateOfBirth);
  const gender = opened(reader, context.matchingProfile?.gender) as Gender | undefined;
  return {
    journeyId,
    definition,
    snapshot,
    at: view.at,
    ...(dateOfBirth ? { dateOfBirth } : {}),
    ...(gender ? { gender } : {}),
  };
}

export async function loadVolunteers(reader: MatchingReader, journeyIds: readonly string[]): Promise<VolunteerCandidate[]> {
  return inBatches(journeyIds, (id) => loadVolunteer(reader, id));
}

export async function loadYoungPeople(reader: MatchingReader, journeyIds: readonly string[]): Promise<YoungPersonCandidate[]> {
  const loaded = await inBatches(journeyIds, (id) => loadYoungPerson(reader, id));
  return loaded.filter((y): y is YoungPersonCandidate => y !== null);
}

/** `work` for every item, READ_CONCURRENCY at a time, results in the items' order. */
async function inBatches<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(READ_CONCURRENCY, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  });
  await Promise.all(runners);
  return results;
}
