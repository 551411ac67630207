/**
 * Matching help on Temporal's time-skipping server, against the journeys themselves: profiles
 * recorded, the shortlist read, the top volunteer proposed and accepted by their journey; after
 * the young person declines, that volunteer leaves their shortlist and a proposal of them is
 * refused for the reason the shortlist gave.
 */
import { describe, expect, it } from 'vitest';
import { JourneyRefusedError } from '../../client/journeys';
import { simulatedClock, useTimeSkippingEnvironment } from '../helpers/temporal-env';
import { withJourneyWorker } from '../helpers/journey-worker';
import {
  coordinator,
  dateOf,
  eventually,
  recordAll,
  referralStart,
  volunteerContact,
  volunteerPathway,
  volunteerStart,
  youngPersonToWaiting,
} from '../helpers/scenario';

const env = useTimeSkippingEnvironment();
const { nowIso } = simulatedClock(env);

describe('the shortlist against live journeys', () => {
  it('ranks, proposes the top volunteer, and drops a declined one from the list', async () => {
    await withJourneyWorker(env(), {}, async ({ journeys }) => {
      const today = await nowIso();
      const path = volunteerPathway(dateOf(today));
      const profile = (fields: object) => ({ type: 'matchingProfile.recorded', by: coordinator, ...fields });
      for (const id of ['vol-music', 'vol-plain', 'vol-training']) {
        await journeys.start('volunteer', volunteerStart(id, today), { contact: volunteerContact });
      }
      await recordAll(journeys, 'volunteer', 'vol-music', [
        profile({ interests: ['Music', 'football'], languages: ['Polish'], availability: ['tue-evening', 'thu-evening'], gender: 'female' }),
        ...path.toVetting, ...path.vetting, ...path.training, ...path.suitability,
      ]);
      await recordAll(journeys, 'volunteer', 'vol-plain', [profile({ availability: ['tue-evening'] }), ...path.toVetting, ...path.vetting, ...path.training, ...path.suitability]);
      await recordAll(journeys, 'volunteer', 'vol-training', [...path.toVetting, ...path.vetting]);

      await journeys.start('youngPerson', referralStart('yp-1', today));
      await recordAll(journeys, 'youngPerson', 'yp-1', [
        ...youngPersonToWaiting.slice(0, -1),
        { type: 'preferences.recorded', by: coordinator, mentorType: 'either', gender: 'female', interests: ['music'], languages: ['polish'], availability: ['tue-evening', 'wed-evening'] },
      ]);

      const volunteerIds = ['vol-music', 'vol-plain', 'vol-training'];
      const first = await journeys.shortlist('yp-1', { by: coordinator, volunteerIds });
      expect(first.entries.map((e) => e.volunteerId)).toEqual(['vol-music', 'vol-plain']);
      expect(first.entries[0]!.reasons).toEqual([
        '1 shared interest: music',
        'both speak Polish',
        'the mentor is a woman, as the young person asked',
        'overlap: Tue evening',
      ]);
      expect(first.excluded).toEqual([
        expect.objectContaining({ volunteerId: 'vol-training', code: 'GATE.UNMET', reasons: expect.arrayContaining(['training 0 of 20 hours']) }),
      ]);
      // The sealed gender was opened only to score: nothing of it is in the answer.
      expect(JSON.stringify(first)).not.toMatch(/female/);

      const { matchId } = await journeys.proposeMatch({ youngPersonId: 'yp-1', volunteerId: 'vol-music', by: coordinator, matchId: 'm-1' });
      await eventually(journeys, 'youngPerson', 'yp-1', (s) => s.stage === 'matchProposed', 'hears of the proposal');
      await journeys.record('match', matchId, { type: 'introduction.held', by: coordinator, format: 'personalMeeting' });
      await journeys.record('match', matchId, { type: 'youngPerson.declined', by: { role: 'youngPerson', id: 'yp-1' }, reason: 'mentorNotRight' });
      await eventually(journeys, 'youngPerson', 'yp-1', (s) => s.stage === 'waitingForMatch', 'waiting again');
      await eventually(journeys, 'volunteer', 'vol-music', (s) => (s.facts.proposedMatchIds as string[]).length === 0, 'the proposal closed');

      const after = await journeys.shortlist('yp-1', { by: coordinator, volunteerIds });
      expect(after.entries.map((e) => e.volunteerId)).toEqual(['vol-plain']);
      expect(after.excluded.find((e) => e.volunteerId === 'vol-music')).toEqual({
        volunteerId: 'vol-music',
        code: 'GATE.UNMET',
        reasons: ['the young person declined this volunteer before'],
      });
      const refusal = await journeys.proposeMatch({ youngPersonId: 'yp-1', volunteerId: 'vol-music', by: coordinator }).catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(JourneyRefusedError);
      expect((refusal as JourneyRefusedError).reasons).toEqual(['the young person declined this volunteer before']);

      const second = await journeys.proposeMatch({ youngPersonId: 'yp-1', volunteerId: after.entries[0]!.volunteerId, by: coordinator, matchId: 'm-2' });
      expect(second.volunteer.facts.proposedMatchIds).toEqual(['m-2']);

      // Withdrawn before the young person decides: both are free again, and a withdrawal is no decline.
      await eventually(journeys, 'youngPerson', 'yp-1', (s) => s.stage === 'matchProposed', 'hears of the second proposal');
      const withdrawn = await journeys.record('match', 'm-2', { type: 'proposal.withdrawn', by: coordinator, reason: 'proposedInError' });
      expect(withdrawn.ended).toBe(true);
      expect(withdrawn.facts.notStarted).toMatchObject({ by: 'coordinator', reason: 'proposedInError' });
      await eventually(journeys, 'youngPerson', 'yp-1', (s) => s.stage === 'waitingForMatch', 'waiting again after the withdrawal');
      await eventually(journeys, 'volunteer', 'vol-plain', (s) => (s.facts.proposedMatchIds as string[]).length === 0, 'free again');
      expect((await journeys.shortlist('yp-1', { by: coordinator, volunteerIds })).entries.map((e) => e.volunteerId)).toEqual(['vol-plain']);

      // A rematch: the mentor of the match that ended is left off unless the co-ordinator says otherwise.
      await journeys.proposeMatch({ youngPersonId: 'yp-1', volunteerId: 'vol-plain', by: coordinator, matchId: 'm-3' });
      await eventually(journeys, 'youngPerson', 'yp-1', (s) => s.stage === 'matchProposed', 'hears of the third proposal');
      await journeys.record('match', 'm-3', { type: 'introduction.held', by: coordinator, format: 'personalMeeting' });
      await journeys.record('match', 'm-3', { type: 'youngPerson.accepted', by: { role: 'youngPerson', id: 'yp-1' } });
      await eventually(journeys, 'youngPerson', 'yp-1', (s) => s.stage === 'inMatch', 'in the match');
      await journeys.record('match', 'm-3', { type: 'ending.decided', by: coordinator, reason: 'youngPersonChoice', planned: false, rematch: true });
      await journeys.record('match', 'm-3', { type: 'ending.recorded', by: coordinator, method: 'closingMeeting', reason: 'youngPersonChoice', planned: false, outcomes: ['none-known'] });
      await eventually(journeys, 'youngPerson', 'yp-1', (s) => s.stage === 'waitingForMatch', 'waiting for a new mentor');
      await eventually(journeys, 'volunteer', 'vol-plain', (s) => (s.facts.activeMatchIds as string[]).length === 0, 'the match closed');
      const rematch = await journeys.shortlist('yp-1', { by: coordinator, volunteerIds });
      expect(rematch.entries).toEqual([]);
      expect(rematch.excluded.find((e) => e.volunteerId === 'vol-plain')?.reasons).toEqual([
        "this volunteer was the young person's mentor before (propose them again only if the co-ordinator decides so)",
      ]);
      const again = await journeys.shortlist('yp-1', { by: coordinator, volunteerIds, proposeAgain: true });
      expect(again.entries.map((e) => e.volunteerId)).toEqual(['vol-plain']);
      const proposedAgain = await journeys.proposeMatch({ youngPersonId: 'yp-1', volunteerId: 'vol-plain', by: coordinator, matchId: 'm-4', proposeAgain: true });
      expect(proposedAgain.volunteer.facts.proposedMatchIds).toEqual(['m-4']);
    });
  });
});
