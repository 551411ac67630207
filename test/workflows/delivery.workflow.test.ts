/**
 * What the journeys decide reaches people by real email (an SMTP server on loopback), and a
 * delivery that fails is never mistaken for one that succeeded.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDuration, parseDuration } from '../../machines/duration';
import { simulatedClock, useTimeSkippingEnvironment } from '../helpers/temporal-env';
import { withJourneyWorker } from '../helpers/journey-worker';
import { coordinator, dateOf, recordAll, referralStart, volunteerPathway, volunteerStart } from '../helpers/scenario';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp';

const env = useTimeSkippingEnvironment();
let smtp: TestSmtpServer;
beforeEach(async () => {
  smtp = await startSmtpServer();
});
afterEach(async () => {
  await smtp.stop();
});

const { nowIso } = simulatedClock(env);

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const mailTo = (address: string) => smtp.received.filter((m) => m.rcptTo.includes(address));

describe('email from the journeys', () => {
  it('records a rejected address on the journey, tells the co-ordinator, and the journey goes on', async () => {
    const volunteerAddress = 'no-such-volunteer@example.org';
    smtp.rejectRecipient(volunteerAddress, 550);
    await withJourneyWorker(env(), { smtp }, async ({ journeys }) => {
      const today = await nowIso();
      await journeys.start('volunteer', volunteerStart('vol-bounce', today), { contact: { email: volunteerAddress } });
      const path = volunteerPathway(dateOf(today));
      // A check that expires in 20 days: the 7-day renewal reminder is due in 13.
      const expiresOn = dateOf(addDuration(today, parseDuration('20 days')!));
      await recordAll(journeys, 'volunteer', 'vol-bounce', [
        ...path.toVetting,
        { ...path.vetting[0]!, expiresOn },
        ...path.vetting.slice(1),
      ]);
      await env().sleep('14 days');

      const status = await until('the failure is recorded', async () => {
        const s = await journeys.status('volunteer', 'vol-bounce');
        return s.failures.length > 0 ? s : undefined;
      });
      expect(status.failures[0]).toMatchObject({ effect: 'remindVolunteer', errorType: 'EMAIL.RECIPIENT_REJECTED' });
      expect(JSON.stringify(status.failures)).not.toContain(volunteerAddress);
      // The co-ordinator is told, by email, and the journey carries on.
      const told = await until('the co-ordinator hears of it', async () =>
        mailTo('alex@example.org').find((m) => /X-Mentorflow-About: deliveryFailed/i.test(m.raw.toString())),
      );
      expect(told.raw.toString()).toContain('vol-bounce');
      expect(mailTo(volunteerAddress)).toEqual([]);
      const goesOn = await journeys.record('volunteer', 'vol-bounce', volunteerPathway(dateOf(today)).training[0] as never);
      expect(goesOn.facts.trainingHours).toBe(12);
    });
  });

  it('delivers a nudge once the mail server is back, exactly once', async () => {
    await withJourneyWorker(env(), { smtp, policy: { youngPerson: { firstContactWithin: '1 day' } } }, async ({ journeys }) => {
      await smtp.down();
      await journeys.start('youngPerson', referralStart('yp-smtp', await nowIso()));
      // Due after a day; then two hours of outage (retries 10 s apart: 720 attempts to skip through).
      await env().sleep('26 hours');
      // The nudge is due, but the server refuses connections: the activity keeps retrying.
      await new Promise((r) => setTimeout(r, 3_000));
      expect(mailTo('alex@example.org')).toEqual([]);
      const waiting = await journeys.status('youngPerson', 'yp-smtp');
      expect(waiting.failures).toEqual([]); // retrying is not failing
      await smtp.up();
      // Two hours of outage went by in simulated time: the activity has been retrying since,
      // backing off to its 10-second maximum. Once the server is back, the next retry delivers.
      const pending = (await env().client.workflow.getHandle('young-person-yp-smtp').describe()).raw.pendingActivities ?? [];
      expect(pending[0]?.attempt).toBeGreaterThan(10);
      await env().sleep('1 minute');
      const delivered = await until('the nudge arrives after recovery', async () => {
        const mail = mailTo('alex@example.org').filter((m) => m.raw.toString().includes('yp-smtp'));
        return mail.length > 0 ? mail : undefined;
      }, 60_000);
      // Give any duplicate a chance to arrive, then check there is none.
      await new Promise((r) => setTimeout(r, 2_000));
      expect(mailTo('alex@example.org').filter((m) => m.raw.toString().includes('yp-smtp'))).toHaveLength(delivered.length);
      expect(delivered).toHaveLength(1);
      await journeys.record('youngPerson', 'yp-smtp', { type: 'contact.recorded', by: coordinator, method: 'phone' });
    });
  }, 120_000);
});
