/**
 * Properties of matching over random schemes: no excluded volunteer is ever shortlisted and every
 * verdict is the volunteer journey's own; scores do not depend on the order journeys are read in;
 * the plan keeps every capacity and every hard rule, and on small cases is as good as the best
 * assignment found by trying them all.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { availabilitySlots } from '../../machines/matching-profile';
import { parsePolicy } from '../../machines/policy';
import { pairUnmet } from '../../machines/volunteer';
import { judge } from '../../machines/runtime';
import {
  contextOf,
  matchPlan,
  proposalFor,
  proposingSide,
  scorePair,
  shortlist,
  volunteerStanding,
  waitingPriority,
  type VolunteerCandidate,
  type YoungPersonCandidate,
} from '../../matching';
import { candidateOf, coordinator, progressions, T0, volunteerSim, youngPerson } from './fixtures';

const policy = parsePolicy({ matching: { areas: [{ name: 'north', neighbours: ['central'] }, { name: 'central' }, { name: 'south' }] } });
const interests = ['football', 'music', 'art', 'cooking', 'gaming'];
const languages = ['english', 'polish', 'arabic'];
const areas = ['north', 'central', 'south'];
const slots = availabilitySlots.slice(0, 6);

const volunteerSpec = (id: string) =>
  fc.record({
    id: fc.constant(id),
    peer: fc.boolean(),
    progress: fc.constantFrom(...progressions, 'available', 'available'),
    checkExpired: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    profile: fc.option(
      fc.record({
        interests: fc.subarray(interests),
        languages: fc.subarray(languages),
        area: fc.constantFrom(...areas),
        availability: fc.subarray(slots),
        capacity: fc.constantFrom(1, 2, 3),
        agesWilling: fc.option(fc.constantFrom({ from: 16, to: 25 }, { from: 18, to: 30 }), { nil: undefined, freq: 3 }),
      }).map(({ agesWilling, ...p }) => (agesWilling ? { ...p, agesWilling } : p)),
      { nil: undefined },
    ),
  });

/**
 * Volunteers are generated as plain specs and built when the property runs: a counterexample then
 * prints as the specs, not as machine snapshots.
 */
const volunteersArb = (n: number) =>
  fc.tuple(...Array.from({ length: n }, (_, i) => volunteerSpec(`vol-${i}`))).map((specs) => {
    const built = specs.map((spec) => candidateOf(volunteerSim(spec.profile ? spec : { ...spec, profile: undefined }), { gender: 'female' }));
    return Object.assign(specs, { [fc.toStringMethod]: () => fc.stringify(specs), built });
  });

const youngPersonArb = (id: string, volunteerIds: string[]) =>
  fc
    .record({
      mentorType: fc.constantFrom('peer', 'traditional', 'either'),
      gender: fc.constantFrom('female', 'male', 'noPreference'),
      interests: fc.subarray(interests),
      languages: fc.subarray(languages),
      area: fc.constantFrom(...areas),
      availability: fc.subarray(slots),
      dateOfBirth: fc.constantFrom('1999-01-01', '2005-06-01', '2008-05-01'),
      waitedWeeks: fc.integer({ min: 0, max: 60 }),
      past: fc.subarray(volunteerIds, { maxLength: 2 }),
      pastKind: fc.constantFrom('declined', 'safeguarding', 'ended'),
    })
    .map(
      (r): YoungPersonCandidate =>
        youngPerson(id, {
          preferredMentorType: r.mentorType as 'peer' | 'traditional' | 'either',
          preferences: { mentorType: r.mentorType as 'peer' | 'traditional' | 'either', gender: r.gender, interests: r.interests, languages: r.languages, area: r.area, availability: r.availability },
          dateOfBirth: r.dateOfBirth,
          waitingSince: new Date(Date.parse(T0) - r.waitedWeeks * 7 * 86_400_000).toISOString(),
          pastMatches: r.past.map((volunteerId, i) => ({
            matchId: `m-past-${i}`,
            volunteerId,
            started: r.pastKind !== 'declined',
            declinedByYoungPerson: r.pastKind === 'declined',
            safeguarding: r.pastKind === 'safeguarding',
          })),
        }),
    );

const schemeArb = (volunteers: number, youngPeople: number) =>
  fc
    .tuple(volunteersArb(volunteers), fc.tuple(...Array.from({ length: youngPeople }, (_, i) => youngPersonArb(`yp-${i}`, Array.from({ length: volunteers }, (_, v) => `vol-${v}`)))))
    .map(([specs, yps]) => Object.assign([specs.built, yps] as [VolunteerCandidate[], YoungPersonCandidate[]], { [fc.toStringMethod]: () => fc.stringify([[...specs], yps]) }));

/** The journey's own verdict on the real proposal for this pair. */
function journeyVerdict(yp: YoungPersonCandidate, volunteer: VolunteerCandidate) {
  const proposal = proposalFor(yp, proposingSide(volunteer), { matchId: 'm-real', on: volunteer.at });
  return judge(volunteer.definition, volunteer.snapshot, { ...proposal, by: coordinator, at: volunteer.at });
}

describe('the shortlist', () => {
  it('lists every volunteer once, shortlisted exactly when their journey would accept the proposal', () => {
    fc.assert(
      fc.property(schemeArb(6, 1), ([volunteers, [yp]]) => {
        const list = shortlist(yp!, volunteers, policy, { by: coordinator });
        expect([...list.entries.map((e) => e.volunteerId), ...list.excluded.map((e) => e.volunteerId)].sort()).toEqual(
          volunteers.map((v) => v.journeyId).sort(),
        );
        for (const v of volunteers) {
          const verdict = journeyVerdict(yp!, v);
          const excluded = list.excluded.find((e) => e.volunteerId === v.journeyId);
          if (verdict.accepted) expect(excluded).toBeUndefined();
          else expect(excluded?.reasons).toEqual(verdict.reasons);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('gives the same list whatever order the journeys are read in, every time', () => {
    fc.assert(
      fc.property(schemeArb(5, 1), fc.integer({ min: 1, max: 1000 }), ([volunteers, [yp]], seed) => {
        const shuffled = [...volunteers].sort((a, b) => ((a.journeyId.charCodeAt(4) * seed) % 7) - ((b.journeyId.charCodeAt(4) * seed) % 7));
        expect(shortlist(yp!, shuffled, policy, { by: coordinator })).toEqual(shortlist(yp!, volunteers, policy, { by: coordinator }));
      }),
      { numRuns: 30 },
    );
  });
});

describe('the plan across the waiting list', () => {
  it('judges each pair exactly as the journey would: the volunteer once, the pair by pairUnmet', () => {
    fc.assert(
      fc.property(schemeArb(5, 3), ([volunteers, youngPeople]) => {
        for (const v of volunteers) {
          const standing = volunteerStanding(v, coordinator);
          for (const yp of youngPeople) {
            const proposal = proposalFor(yp, proposingSide(v), { matchId: 'm-real', on: v.at });
            const split = standing.places > 0 && pairUnmet(contextOf(v), proposal).length === 0;
            expect(split).toBe(journeyVerdict(yp, v).accepted);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('never exceeds a capacity, never pairs what a rule forbids, and is optimal (checked by trying every assignment)', () => {
    // About three random schemes in ten have two pairs or more to choose between (88-101 of 300
    // measured). 60 runs left "enough of them had real choices" below to chance (one CI run saw 9);
    // with 300, fewer than 15 is more than 9 standard deviations below the mean.
    const numRuns = 300;
    let plansWithChoices = 0;
    fc.assert(
      fc.property(schemeArb(3, 4), ([volunteers, youngPeople]) => {
        const plan = matchPlan(youngPeople, volunteers, policy, { by: coordinator, now: T0 });
        const places = new Map(volunteers.map((v) => [v.journeyId, volunteerStanding(v, coordinator).places]));
        const perVolunteer = new Map<string, number>();
        for (const pair of plan.pairs) {
          perVolunteer.set(pair.volunteerId, (perVolunteer.get(pair.volunteerId) ?? 0) + 1);
          const v = volunteers.find((x) => x.journeyId === pair.volunteerId)!;
          expect(journeyVerdict(youngPeople.find((y) => y.journeyId === pair.youngPersonId)!, v).accepted).toBe(true);
        }
        for (const [id, n] of perVolunteer) expect(n).toBeLessThanOrEqual(places.get(id)!);
        expect(new Set(plan.pairs.map((p) => p.youngPersonId)).size).toBe(plan.pairs.length);
        expect(plan.pairs.length + plan.unmatched.length).toBe(youngPeople.length);

        const worth = (yp: YoungPersonCandidate, v: VolunteerCandidate) =>
          1 + scorePair(yp, { context: contextOf(v), gender: 'female' }, policy, v.at).score + waitingPriority(yp, policy, T0);
        const planned = plan.pairs.reduce(
          (sum, p) => sum + worth(youngPeople.find((y) => y.journeyId === p.youngPersonId)!, volunteers.find((v) => v.journeyId === p.volunteerId)!),
          0,
        );
        expect(planned).toBeCloseTo(bestByTryingAll(youngPeople, volunteers, places, worth), 6);
        if (plan.pairs.length >= 2) plansWithChoices++;
      }),
      { numRuns },
    );
    // The property is about real choices: enough random schemes must have had some to make.
    expect(plansWithChoices).toBeGreaterThanOrEqual(15);
  });

  it('says why a young person is left unmatched', () => {
    const full = candidateOf(volunteerSim({ id: 'vol-a' }));
    const waitingLong = youngPerson('yp-long', { waitingSince: '2025-06-01T00:00:00.000Z' });
    const waitingShort = youngPerson('yp-short', { waitingSince: '2025-12-29T00:00:00.000Z' });
    const wantsPeer = youngPerson('yp-peer', { preferredMentorType: 'peer' });
    const plan = matchPlan([waitingShort, waitingLong, wantsPeer], [full], policy, { by: coordinator, now: T0 });
    expect(plan.pairs.map((p) => [p.youngPersonId, p.volunteerId])).toEqual([['yp-long', 'vol-a']]);
    expect(plan.unmatched).toEqual([
      { youngPersonId: 'yp-short', why: 'allTaken', reasons: [], eligibleVolunteers: 1 },
      { youngPersonId: 'yp-peer', why: 'noEligibleVolunteer', reasons: [{ reason: 'the young person prefers a peer mentor', volunteers: 1 }], eligibleVolunteers: 0 },
    ]);
    expect(plan.placesLeft).toEqual([]);
  });
});

/** The greatest total worth of any assignment that keeps the rules and the places. */
function bestByTryingAll(
  youngPeople: YoungPersonCandidate[],
  volunteers: VolunteerCandidate[],
  places: Map<string, number>,
  worth: (yp: YoungPersonCandidate, v: VolunteerCandidate) => number,
): number {
  const left = new Map(places);
  const go = (i: number): number => {
    if (i === youngPeople.length) return 0;
    let best = go(i + 1);
    for (const v of volunteers) {
      if ((left.get(v.journeyId) ?? 0) <= 0 || !journeyVerdict(youngPeople[i]!, v).accepted) continue;
      left.set(v.journeyId, left.get(v.journeyId)! - 1);
      best = Math.max(best, worth(youngPeople[i]!, v) + go(i + 1));
      left.set(v.journeyId, left.get(v.journeyId)! + 1);
    }
    return best;
  };
  return go(0);
}
