/**
 * The shortlist and its reasons, on real volunteer snapshots: who is on it, in what order, why,
 * and who is left off and why, in a co-ordinator's words. Every verdict is then checked against
 * the volunteer's journey itself: a shortlisted volunteer's proposal is accepted, an excluded one's
 * refused with the same reasons.
 */
import { describe, expect, it } from 'vitest';
import { defaultPolicy, parsePolicy } from '../../machines/policy';
import { proposalFor, proposingSide, scorePair, shortlist, slotsInWords, type VolunteerCandidate, type YoungPersonCandidate } from '../../matching';
import { candidateOf, coordinator, volunteerSim, youngPerson } from './fixtures';
import type { JourneySimulator } from '../helpers/journey-simulator';

const policy = parsePolicy({
  matching: { areas: [{ name: 'North', neighbours: ['Central'] }, { name: 'Central' }, { name: 'South' }] },
});

/** What the volunteer's own journey says to this young person's proposal. */
function journeySays(sim: JourneySimulator, yp: YoungPersonCandidate, proposeAgain = false) {
  const proposal = proposalFor(yp, proposingSide(candidateOf(sim)), { matchId: 'm-real', on: sim.now, proposeAgain });
  return sim.record({ ...proposal, by: coordinator });
}

describe('the score and its reasons', () => {
  it('explains every point in words', () => {
    const sim = volunteerSim({
      id: 'vol-ana',
      profile: { languages: ['Polish', 'English'], interests: ['Football', 'music', 'chess'], area: 'Central', availability: ['tue-evening', 'thu-evening', 'sat-morning'] },
    });
    const yp = youngPerson('yp-1', {
      preferences: { languages: ['polish'], interests: ['music', 'football', 'drawing'], area: 'North', availability: ['tue-evening', 'thu-evening', 'mon-morning'], gender: 'female' },
    });
    const scored = scorePair(yp, { context: sim.snapshot.context, gender: 'female' }, policy, sim.now);
    expect(scored.reasons).toEqual([
      '2 shared interests: music, football',
      'both speak Polish',
      'the mentor is a woman, as the young person asked',
      'neighbouring area',
      'overlap: Tue and Thu evenings',
    ]);
    // 2 x 2 interests + 3 language + 3 gender + 1.5 neighbouring + 2 x 1 slots
    expect(scored.score).toBe(13.5);
  });

  it('counts the months a volunteer has waited since found ready, to spread the work', () => {
    const sim = volunteerSim({ id: 'vol-w' }).advance('4 months');
    const scored = scorePair(youngPerson('yp-1'), { context: sim.snapshot.context }, defaultPolicy, sim.now);
    expect(scored).toEqual({ score: 2, reasons: ['the volunteer has waited 4 months for a match'] });
  });

  it('writes shared slots by part of the day', () => {
    expect(slotsInWords(['mon-morning', 'tue-evening', 'thu-evening', 'sat-evening'])).toBe('Mon morning; Tue, Thu and Sat evenings');
  });
});

describe('who is on the shortlist, and who is not', () => {
  const sims = {
    best: volunteerSim({ id: 'vol-best', profile: { interests: ['music'], languages: ['Polish'], availability: ['tue-evening'] } }),
    plain: volunteerSim({ id: 'vol-plain' }),
    peer: volunteerSim({ id: 'vol-peer', peer: true }),
    training: volunteerSim({ id: 'vol-training', progress: 'training' }),
    expired: volunteerSim({ id: 'vol-expired', checkExpired: true }),
    full: volunteerSim({ id: 'vol-full', progress: 'matched' }),
    roomy: volunteerSim({ id: 'vol-roomy', progress: 'matched', profile: { capacity: 2 } }),
    busy: volunteerSim({ id: 'vol-busy', profile: { availability: ['sat-morning'] } }),
    declined: volunteerSim({ id: 'vol-declined' }),
    safeguarding: volunteerSim({ id: 'vol-safeguarding' }),
    previous: volunteerSim({ id: 'vol-previous' }),
    ages: volunteerSim({ id: 'vol-ages', profile: { agesWilling: { from: 18, to: 25 } } }),
  };
  const volunteers: VolunteerCandidate[] = Object.values(sims).map((sim) => candidateOf(sim));
  const yp = youngPerson('yp-1', {
    preferences: { mentorType: 'traditional', interests: ['music'], languages: ['polish'], availability: ['tue-evening', 'wed-evening'] },
    preferredMentorType: 'traditional',
    pastMatches: [
      { matchId: 'm-a', volunteerId: 'vol-declined', started: false, declinedByYoungPerson: true, safeguarding: false },
      { matchId: 'm-b', volunteerId: 'vol-safeguarding', started: true, declinedByYoungPerson: false, safeguarding: true },
      { matchId: 'm-c', volunteerId: 'vol-previous', started: true, declinedByYoungPerson: false, safeguarding: false },
    ],
  });
  const list = shortlist(yp, volunteers, policy, { by: coordinator });

  it('ranks those who may be proposed, best first, with reasons', () => {
    expect(list.entries.map((e) => [e.volunteerId, e.score])).toEqual([
      ['vol-best', 6],
      ['vol-plain', 0],
      ['vol-roomy', 0],
    ]);
    expect(list.entries[0]!.reasons).toEqual(['1 shared interest: music', 'both speak Polish', 'overlap: Tue evening']);
  });

  it('leaves off the others, each with the gate that keeps them off', () => {
    const untrained = [
      'training 0 of 20 hours',
      ...['mentor-role-and-boundaries', 'confidentiality', 'safeguarding', 'care-context', 'listening-and-communication', 'equality-and-diversity', 'endings'].map(
        (topic) => `topic '${topic}' not covered`,
      ),
      'suitability review not done',
    ];
    const why = Object.fromEntries(list.excluded.map((e) => [e.volunteerId, e.reasons]));
    expect(why).toEqual({
      'vol-peer': ['the young person prefers a traditional mentor'],
      'vol-training': untrained,
      'vol-expired': ['safeguarding check expired on 2025-01-02', ...untrained],
      'vol-full': ['already has 1 active match (policy: at most 1)'],
      'vol-busy': ['no time in the week when both are free'],
      'vol-declined': ['the young person declined this volunteer before'],
      'vol-safeguarding': [
        'a match between them ended for safeguarding reasons',
        "this volunteer was the young person's mentor before (propose them again only if the co-ordinator decides so)",
      ],
      'vol-previous': ["this volunteer was the young person's mentor before (propose them again only if the co-ordinator decides so)"],
      'vol-ages': ['the volunteer mentors ages 18 to 25; the young person is 17'],
    });
  });

  it('agrees with every volunteer journey: shortlisted proposals are accepted, excluded ones refused for the same reasons', () => {
    for (const entry of list.entries) {
      const sim = volunteerSim({ id: entry.volunteerId, ...specOf(entry.volunteerId) });
      expect(journeySays(sim, yp)).toEqual({ accepted: true });
    }
    for (const excluded of list.excluded) {
      const sim = volunteerSim({ id: excluded.volunteerId, ...specOf(excluded.volunteerId) });
      expect(journeySays(sim, yp)).toMatchObject({ accepted: false, code: excluded.code, reasons: excluded.reasons });
    }
  });

  it("proposes a previous mentor again when the co-ordinator says so, but never after a safeguarding ending", () => {
    const again = shortlist(yp, volunteers, policy, { by: coordinator, proposeAgain: true });
    expect(again.entries.map((e) => e.volunteerId)).toContain('vol-previous');
    expect(again.excluded.find((e) => e.volunteerId === 'vol-safeguarding')?.reasons).toEqual([
      'a match between them ended for safeguarding reasons',
    ]);
  });

  // The simulators above were driven by the list; a fresh one per check keeps each check apart.
  function specOf(id: string) {
    const specs: Record<string, object> = {
      'vol-best': { profile: { interests: ['music'], languages: ['Polish'], availability: ['tue-evening'] } },
      'vol-peer': { peer: true },
      'vol-training': { progress: 'training' },
      'vol-expired': { checkExpired: true },
      'vol-full': { progress: 'matched' },
      'vol-roomy': { progress: 'matched', profile: { capacity: 2 } },
      'vol-busy': { profile: { availability: ['sat-morning'] } },
      'vol-ages': { profile: { agesWilling: { from: 18, to: 25 } } },
    };
    return specs[id] ?? {};
  }
});
