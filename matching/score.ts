/**
 * How well a volunteer suits a young person, in points and in a co-ordinator's words: "2 shared
 * interests: football, music; both speak Polish; neighbouring area; overlap: Tue and Thu
 * evenings". Weights come from the scheme policy (`matching.weights`). A score only ranks: the
 * proposal's gates decide who may be proposed at all.
 */
import { wholeMonthsBetween } from '../machines/duration';
import { dayParts, sameTerm, sharedSlots, weekDays, type AvailabilitySlot } from '../machines/matching-profile';
import type { SchemePolicy } from '../machines/policy';
import type { VolunteerContext } from '../machines/volunteer';
import type { YoungPersonCandidate } from './candidates';

export interface PairScore {
  /** Points, rounded to two decimals so that the same pair always scores the same. */
  score: number;
  /** What earned the points, each in a co-ordinator's words. */
  reasons: string[];
}

const MAX_INTERESTS_COUNTED = 3;
const MAX_SLOTS_COUNTED = 4;
const MAX_VOLUNTEER_MONTHS_COUNTED = 6;

const round = (n: number) => Math.round(n * 100) / 100;
const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "football, music and art" */
export function listInWords(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** "Tue and Thu evenings; Sat morning": the shared slots grouped by part of the day. */
export function slotsInWords(slots: readonly AvailabilitySlot[]): string {
  return dayParts
    .map((part) => {
      const days = weekDays.filter((day) => slots.includes(`${day}-${part}`)).map(capitalised);
      return days.length === 0 ? '' : `${listInWords(days)} ${days.length === 1 ? part : `${part}s`}`;
    })
    .filter(Boolean)
    .join('; ');
}

/** Are two of the scheme's areas the same, neighbours, or neither? Neighbours are mutual. */
export function areaRelation(policy: SchemePolicy, a: string | undefined, b: string | undefined): 'same' | 'neighbouring' | 'apart' | 'unknown' {
  if (!a || !b) return 'unknown';
  if (sameTerm(a, b)) return 'same';
  const neighboursOf = (name: string) => policy.matching.areas.find((area) => sameTerm(area.name, name))?.neighbours ?? [];
  return neighboursOf(a).some((n) => sameTerm(n, b)) || neighboursOf(b).some((n) => sameTerm(n, a)) ? 'neighbouring' : 'apart';
}

/** When the volunteer began waiting for a match: found ready, peer criteria confirmed, or a match closed. */
export function volunteerWaitingSince(context: VolunteerContext): string | undefined {
  const times = [context.suitability?.reviewedAt, context.peerCriteria?.confirmedAt, context.lastMatchClosedAt].filter(
    (t): t is string => t !== undefined,
  );
  return times.sort().at(-1);
}

const genderWords: Record<string, string> = { female: 'a woman', male: 'a man', nonBinary: 'non-binary' };

export function scorePair(
  youngPerson: YoungPersonCandidate,
  volunteer: { context: VolunteerContext; gender?: string },
  policy: SchemePolicy,
  now: string,
): PairScore {
  const w = policy.matching.weights;
  const wanted = youngPerson.preferences;
  const profile = volunteer.context.matchingProfile;
  let score = 0;
  const reasons: string[] = [];

  const interests = (wanted?.interests ?? []).filter((i) => (profile?.interests ?? []).some((j) => sameTerm(i, j)));
  if (interests.length > 0) {
    score += w.sharedInterest * Math.min(interests.length, MAX_INTERESTS_COUNTED);
    reasons.push(`${plural(interests.length, 'shared interest')}: ${interests.map((i) => i.trim().toLowerCase()).join(', ')}`);
  }

  const languages = (wanted?.languages ?? []).filter((l) => (profile?.languages ?? []).some((m) => sameTerm(l, m)));
  if (languages.length > 0) {
    score += w.sharedLanguage;
    reasons.push(`both speak ${listInWords(languages.map((l) => capitalised(l.trim())))}`);
  }

  if (wanted && wanted.gender !== 'noPreference' && volunteer.gender === wanted.gender) {
    score += w.genderPreferenceMet;
    reasons.push(`the mentor is ${genderWords[wanted.gender] ?? wanted.gender}, as the young person asked`);
  }

  switch (areaRelation(policy, wanted?.area, profile?.area)) {
    case 'same':
      score += w.sameArea;
      reasons.push(`same area (${profile!.area})`);
      break;
    case 'neighbouring':
      score += w.neighbouringArea;
      reasons.push('neighbouring area');
      break;
    default:
      break;
  }

  const overlap = sharedSlots(wanted?.availability ?? [], profile?.availability ?? []);
  if (overlap.length > 0) {
    score += w.availabilityOverlapSlot * Math.min(overlap.length, MAX_SLOTS_COUNTED);
    reasons.push(`overlap: ${slotsInWords(overlap)}`);
  }

  const since = volunteerWaitingSince(volunteer.context);
  const months = since && volunteer.context.matches.length === 0 ? Math.max(0, wholeMonthsBetween(since, now)) : 0;
  if (months >= 1) {
    score += w.volunteerWaitingMonth * Math.min(months, MAX_VOLUNTEER_MONTHS_COUNTED);
    reasons.push(`the volunteer has waited ${plural(months, 'month')} for a match`);
  }

  if (youngPerson.preferredMentorType === 'peer' && volunteer.context.volunteer.type === 'peer') {
    score += w.peerPreferenceMet;
    reasons.push('a peer mentor, as the young person asked');
  }

  return { score: round(score), reasons };
}

/** The waiting-list priority a young person carries into every pair of the plan (docs/matching.md). */
export function waitingPriority(youngPerson: YoungPersonCandidate, policy: SchemePolicy, now: string): number {
  if (!youngPerson.waitingSince) return 0;
  const weeks = Math.max(0, (Date.parse(now) - Date.parse(youngPerson.waitingSince)) / (7 * 24 * 3600 * 1000));
  return round(policy.matching.weights.youngPersonWaitingWeek * Math.min(Math.floor(weeks), 52));
}
