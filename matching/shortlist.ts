/**
 * The shortlist for one young person: every volunteer whose journey would accept the proposal,
 * best first, each with its reasons; and every other one with the gates it fails. Each volunteer is
 * judged with the same `judge` and the same proposal (`proposalFor`) that their journey's validator
 * uses, so a shortlisted volunteer's proposal is accepted and an excluded one's refused, for the
 * reasons given here.
 */
import type { Actor } from '../machines/journey';
import type { SchemePolicy } from '../machines/policy';
import { judge } from '../machines/runtime';
import { contextOf, proposalFor, proposingSide, type VolunteerCandidate, type YoungPersonCandidate } from './candidates';
import { scorePair } from './score';

export interface ShortlistEntry {
  volunteerId: string;
  volunteerType: 'peer' | 'traditional';
  score: number;
  reasons: string[];
}

export interface ExcludedVolunteer {
  volunteerId: string;
  /** GATE.UNMET (a rule keeps them apart) or STAGE.NOT_NOW (not at a stage to be proposed). */
  code: string;
  reasons: string[];
}

export interface Shortlist {
  youngPersonId: string;
  entries: ShortlistEntry[];
  excluded: ExcludedVolunteer[];
}

/** The match id a probe proposal carries: never a real match, so never "already open". */
export const PROBE_MATCH_ID = 'm-matching-probe';

export interface ShortlistOptions {
  /** Who would propose: judged as the proposal would be. */
  by: Actor;
  /** The co-ordinator decides that the young person's previous mentor may be proposed again. */
  proposeAgain?: boolean;
}

/** Best first; equal scores by volunteer id, so the same journeys always give the same list. */
export const byScore = (a: { score: number; volunteerId: string }, b: { score: number; volunteerId: string }) =>
  b.score - a.score || (a.volunteerId < b.volunteerId ? -1 : a.volunteerId > b.volunteerId ? 1 : 0);

export function shortlist(
  youngPerson: YoungPersonCandidate,
  volunteers: readonly VolunteerCandidate[],
  policy: SchemePolicy,
  options: ShortlistOptions,
): Shortlist {
  const entries: ShortlistEntry[] = [];
  const excluded: ExcludedVolunteer[] = [];
  for (const volunteer of volunteers) {
    const context = contextOf(volunteer);
    const proposal = proposalFor(youngPerson, proposingSide(volunteer), { matchId: PROBE_MATCH_ID, on: volunteer.at, ...options });
    const verdict = judge(volunteer.definition, volunteer.snapshot, { ...proposal, by: options.by, at: volunteer.at });
    if (!verdict.accepted) {
      excluded.push({ volunteerId: volunteer.journeyId, code: verdict.code, reasons: verdict.reasons });
      continue;
    }
    const { score, reasons } = scorePair(youngPerson, { context, ...(volunteer.gender ? { gender: volunteer.gender } : {}) }, policy, volunteer.at);
    entries.push({ volunteerId: volunteer.journeyId, volunteerType: context.volunteer.type, score, reasons });
  }
  entries.sort(byScore);
  excluded.sort((a, b) => (a.volunteerId < b.volunteerId ? -1 : 1));
  return { youngPersonId: youngPerson.journeyId, entries, excluded };
}
