/**
 * The plan across the waiting list: for every young person waiting and every volunteer with room,
 * the assignment with the highest total score that keeps every hard rule and every capacity, for
 * the co-ordinator to review. Nothing here proposes a match.
 *
 * How it is solved: each volunteer offers one column per free place (capacity less open matches);
 * each young person is a row. A pair the proposal's gates allow is worth 1 + its score + the young
 * person's waiting priority (`youngPersonWaitingWeek` per week waited); any other pair is worth 0.
 * The Hungarian algorithm (the `munkres` library) finds the assignment of greatest total worth;
 * pairs worth 0 are dropped, so the result is a maximum-weight matching of allowed pairs. The 1
 * makes serving one more young person always worth more than nothing; the waiting priority, added
 * to every pair a young person is in, means that when volunteers are scarce the plan prefers to
 * serve those who have waited longest, unless another pairing is clearly better.
 *
 * Judging: a volunteer's own gates (vetting, training, suitability, peer criteria, room, stage) are
 * judged once, by their journey's `judge` with a neutral proposal; each pair's gates (age gap, the
 * young person's side, this pair's history) by `pairUnmet`, the other half of the same proposal
 * gate (machines/volunteer/gates.ts). Together they are the gate; a test holds them to `judge`.
 */
import { munkres } from 'munkres';
import type { Actor } from '../machines/journey';
import type { SchemePolicy } from '../machines/policy';
import { judge } from '../machines/runtime';
import { capacityOf, pairUnmet, type MatchProposal } from '../machines/volunteer';
import { contextOf, proposalFor, proposingSide, type VolunteerCandidate, type YoungPersonCandidate } from './candidates';
import { scorePair, waitingPriority } from './score';
import { PROBE_MATCH_ID } from './shortlist';

export interface PlannedPair {
  youngPersonId: string;
  volunteerId: string;
  score: number;
  /** The young person's waiting priority that counted in the plan (not part of the pair's score). */
  waitingPriority: number;
  reasons: string[];
}

export interface UnmatchedYoungPerson {
  youngPersonId: string;
  /** No volunteer may be proposed to them, or every one who may is planned for someone else. */
  why: 'noEligibleVolunteer' | 'allTaken';
  /** For noEligibleVolunteer: each rule that kept volunteers away, with how many it kept. */
  reasons: { reason: string; volunteers: number }[];
  /** For allTaken: how many volunteers could have been proposed. */
  eligibleVolunteers: number;
}

export interface UnavailableVolunteer {
  volunteerId: string;
  reasons: string[];
}

export interface MatchPlan {
  pairs: PlannedPair[];
  unmatched: UnmatchedYoungPerson[];
  /** Volunteers with no free place or not at a stage to be proposed, and why. */
  unavailable: UnavailableVolunteer[];
  /** Volunteers with a place left after the plan. */
  placesLeft: { volunteerId: string; places: number }[];
  totalScore: number;
}

/** A proposal whose young-person side passes every pair gate: judges only the volunteer's own. */
function neutralProposal(volunteer: VolunteerCandidate): MatchProposal & { type: 'match.proposed' } {
  const ages = contextOf(volunteer).matchingProfile?.agesWilling;
  return {
    type: 'match.proposed',
    matchId: PROBE_MATCH_ID,
    youngPersonId: `yp-probe-for-${volunteer.journeyId}`.slice(0, 100),
    youngPerson: { waitingForMatch: true, preferredMentorType: 'either', ...(ages ? { age: ages.from } : {}) },
    ageGap: { mentorOlder: true, years: 120 },
  };
}

/** Can this volunteer be proposed to someone now, and how many places have they? */
export function volunteerStanding(volunteer: VolunteerCandidate, by: Actor): { places: number; reasons: string[] } {
  const verdict = judge(volunteer.definition, volunteer.snapshot, { ...neutralProposal(volunteer), by, at: volunteer.at });
  if (!verdict.accepted) return { places: 0, reasons: verdict.reasons };
  const context = contextOf(volunteer);
  return { places: capacityOf(context) - context.matches.length, reasons: [] };
}

export function matchPlan(
  youngPeople: readonly YoungPersonCandidate[],
  volunteers: readonly VolunteerCandidate[],
  policy: SchemePolicy,
  options: { by: Actor; now: string },
): MatchPlan {
  const unavailable: UnavailableVolunteer[] = [];
  const open: { volunteer: VolunteerCandidate; places: number }[] = [];
  for (const volunteer of volunteers) {
    const standing = volunteerStanding(volunteer, options.by);
    if (standing.places > 0) open.push({ volunteer, places: standing.places });
    else unavailable.push({ volunteerId: volunteer.journeyId, reasons: standing.reasons });
  }
  const columns = open.flatMap(({ places }, v) => Array.from({ length: places }, () => v));
  const waiting = youngPeople.filter((y) => y.waitingForMatch);

  // For each young person, the volunteers they may be proposed to, scored, and why the others not.
  const eligible = waiting.map((youngPerson) => {
    const scores = new Map<number, { score: number; reasons: string[] }>();
    const refusals = new Map<string, number>();
    open.forEach(({ volunteer }, v) => {
      const context = contextOf(volunteer);
      const proposal = proposalFor(youngPerson, proposingSide(volunteer), { matchId: PROBE_MATCH_ID, on: volunteer.at });
      const unmet = pairUnmet(context, proposal);
      if (unmet.length === 0) {
        scores.set(v, scorePair(youngPerson, { context, ...(volunteer.gender ? { gender: volunteer.gender } : {}) }, policy, volunteer.at));
      } else {
        for (const reason of unmet) refusals.set(reason, (refusals.get(reason) ?? 0) + 1);
      }
    });
    return { youngPerson, scores, refusals, priority: waitingPriority(youngPerson, policy, options.now) };
  });

  const rows = eligible.filter((e) => e.scores.size > 0);
  const assigned = new Map<number, number>();
  if (rows.length > 0 && columns.length > 0) {
    const worth = rows.map((row) => columns.map((v) => (row.scores.has(v) ? 1 + row.scores.get(v)!.score + row.priority : 0)));
    const best = Math.max(...worth.map((r) => Math.max(...r)));
    const cost = worth.map((r) => r.map((w) => best - w));
    for (const [r, c] of munkres(cost)) if (worth[r]![c]! > 0) assigned.set(r, c);
  }

  const pairs: PlannedPair[] = [];
  const taken = new Map<number, number>();
  rows.forEach((row, r) => {
    const c = assigned.get(r);
    if (c === undefined) return;
    const v = columns[c]!;
    taken.set(v, (taken.get(v) ?? 0) + 1);
    const { score, reasons } = row.scores.get(v)!;
    pairs.push({ youngPersonId: row.youngPerson.journeyId, volunteerId: open[v]!.volunteer.journeyId, score, waitingPriority: row.priority, reasons });
  });
  const planned = new Set(pairs.map((p) => p.youngPersonId));
  const unmatched: UnmatchedYoungPerson[] = eligible
    .filter((e) => !planned.has(e.youngPerson.journeyId))
    .map((e) => ({
      youngPersonId: e.youngPerson.journeyId,
      why: e.scores.size === 0 ? ('noEligibleVolunteer' as const) : ('allTaken' as const),
      reasons:
        e.scores.size === 0
          ? [...e.refusals].map(([reason, n]) => ({ reason, volunteers: n })).sort((a, b) => b.volunteers - a.volunteers)
          : [],
      eligibleVolunteers: e.scores.size,
    }));
  return {
    // Longest waiting first, as the co-ordinator would read down the list.
    pairs: pairs.sort((a, b) => b.waitingPriority - a.waitingPriority || (a.youngPersonId < b.youngPersonId ? -1 : 1)),
    unmatched,
    unavailable,
    placesLeft: open
      .map(({ volunteer, places }, v) => ({ volunteerId: volunteer.journeyId, places: places - (taken.get(v) ?? 0) }))
      .filter((p) => p.places > 0),
    totalScore: Math.round(pairs.reduce((sum, p) => sum + p.score, 0) * 100) / 100,
  };
}
