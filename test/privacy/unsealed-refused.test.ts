/**
 * Personal fields reach a journey sealed, or not at all: an Update that carries them in plain text
 * (a client that is not mentorflow's, a script) or sealed for someone else is refused before
 * anything is written, naming the field, so no history ever holds them readable.
 */
import { describe, expect, it } from 'vitest';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { recordEvent } from '../../contracts/messages';
import { useTimeSkippingEnvironment } from '../helpers/temporal-env';
import { withJourneyWorker } from '../helpers/journey-worker';
import { coordinator, referralStart } from '../helpers/scenario';

const env = useTimeSkippingEnvironment();

describe('an Update with personal data not sealed for this person', () => {
  it('is refused, naming the field, and nothing is written', async () => {
    await withJourneyWorker(env(), {}, async ({ journeys, client, privacy }) => {
      const t0 = new Date(await env().currentTimeMs()).toISOString();
      await journeys.start('youngPerson', referralStart('yp-plain', t0));
      await journeys.record('youngPerson', 'yp-plain', { type: 'contact.recorded', by: coordinator, method: 'phone' } as never);
      const handle = client.workflow.getHandle('young-person-yp-plain');
      // The accepted Updates so far (one: the contact); a refused Update adds none.
      const updatesAccepted = async () => (await handle.fetchHistory()).events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
      expect(await updatesAccepted()).toBe(1);

      const plain = await handle
        .executeUpdate(recordEvent, { args: [{ type: 'consent.recorded', by: coordinator, consent: 'given', ownGoals: ['learn to cook'] }] })
        .catch((e: unknown) => e);
      expect(plain).toBeInstanceOf(WorkflowUpdateFailedError);
      expect((plain as WorkflowUpdateFailedError).cause).toMatchObject({
        type: 'EVENT.INVALID',
        message: expect.stringContaining("ownGoals: personal data must be sealed with the person's own key by mentorflow's client"),
      });

      const someoneElses = privacy.personalData.seal('young-person-yp-other', 'learn to cook');
      const foreign = await handle
        .executeUpdate(recordEvent, { args: [{ type: 'consent.recorded', by: coordinator, consent: 'given', ownGoals: [someoneElses] }] })
        .catch((e: unknown) => e);
      expect((foreign as WorkflowUpdateFailedError).cause).toMatchObject({
        type: 'EVENT.INVALID',
        message: expect.stringContaining('ownGoals: sealed for another person, not young-person-yp-plain'),
      });

      expect(await updatesAccepted()).toBe(1);
      // Through mentorflow's client the same goals are sealed and accepted.
      const status = await journeys.record('youngPerson', 'yp-plain', { type: 'consent.recorded', by: coordinator, consent: 'given', ownGoals: ['learn to cook'] } as never);
      expect(status.facts.ownGoalsRecorded).toBe(1);
    });
  });
});
