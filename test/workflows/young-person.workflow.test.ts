/**
 * The young person's journey run durably on Temporal's time-skipping test server: weeks pass in
 * milliseconds, timers fire at their simulated moment, refusals leave no trace in history.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JourneyRefusedError } from '../../client/journeys';
import { simulatedClock, useTimeSkippingEnvironment } from '../helpers/temporal-env';
import { withJourneyWorker } from '../helpers/journey-worker';

const env = useTimeSkippingEnvironment();
const co = { role: 'coordinator', id: 'co-1' } as const;

const { nowIso } = simulatedClock(env);

function referral(journeyId: string, startedAt: string) {
  return {
    journeyId,
    coordinatorId: 'co-1',
    startedAt,
    referral: { referredBy: { role: 'referrer', id: 'sw-1' }, dateOfBirth: '2008-05-01', careExperienced: true },
  };
}

function outbox(dir: string): string[] {
  try {
    return readdirSync(dir).map((f) => readFileSync(path.join(dir, f), 'utf8'));
  } catch {
    return [];
  }
}

describe('young person journey on Temporal', () => {
  it('refuses an event that skips a gate, names every unmet gate, and writes nothing to history', async () => {
    await withJourneyWorker(env(), {}, async ({ journeys, client }) => {
      await journeys.start('youngPerson', referral('yp-gate', await nowIso()));
      const handle = client.workflow.getHandle('young-person-yp-gate');
      const refusal = await journeys
        .record('youngPerson', 'yp-gate', { type: 'readiness.assessed', by: co, outcome: 'ready' })
        .catch((e: unknown) => e);

      expect(refusal).toBeInstanceOf(JourneyRefusedError);
      expect((refusal as JourneyRefusedError).code).toBe('GATE.UNMET');
      expect((refusal as JourneyRefusedError).message).toBe(
        "cannot record the readiness conversation: first contact not recorded; the young person's consent not recorded; the young person's own goals not recorded",
      );
      const events = (await handle.fetchHistory()).events!;
      const updateEvents = events.filter(
        (e) =>
          e.workflowExecutionUpdateAcceptedEventAttributes ||
          e.workflowExecutionUpdateRejectedEventAttributes ||
          e.workflowExecutionUpdateCompletedEventAttributes ||
          e.workflowExecutionUpdateAdmittedEventAttributes,
      );
      expect(updateEvents).toEqual([]);
      expect((await journeys.status('youngPerson', 'yp-gate')).stage).toBe('referral');
    });
  });

  it('nudges when first contact is overdue after 5 working days, and never once contact is made', async () => {
    await withJourneyWorker(env(), {}, async ({ journeys, outboxDir }) => {
      const startedAt = await nowIso();
      await journeys.start('youngPerson', referral('yp-late', startedAt));
      await journeys.start('youngPerson', referral('yp-prompt', startedAt));
      const status = await journeys.status('youngPerson', 'yp-late');
      expect(status.due[0]!.what).toBe('first contact');

      await env().sleep('2 days');
      await journeys.record('youngPerson', 'yp-prompt', { type: 'contact.recorded', by: co, method: 'phone' });
      const wallStart = Date.now();
      await env().sleep('30 days');
      const wallMs = Date.now() - wallStart;

      const late = await journeys.status('youngPerson', 'yp-late');
      expect(late.openNudges.map((n) => n.about)).toEqual(['firstContactOverdue']);
      // The nudge opened when the deadline passed, to the millisecond of simulated time.
      expect(late.openNudges[0]!.since).toBe(status.due[0]!.dueAt);
      const prompt = await journeys.status('youngPerson', 'yp-prompt');
      expect(prompt.openNudges).toEqual([]);
      expect(prompt.due).toEqual([]);
      expect(wallMs).toBeLessThan(30_000); // 30 simulated days, not 30 real ones

      const mail = outbox(outboxDir);
      const nudges = mail.filter((m) => m.includes('yp-late'));
      expect(nudges.length).toBe(2); // the nudge, then the escalation a week later
      expect(mail.some((m) => m.includes('yp-prompt'))).toBe(false);
    });
  });

  it('returns the new status from an accepted event and records decisions with who made them', async () => {
    await withJourneyWorker(env(), {}, async ({ journeys }) => {
      await journeys.start('youngPerson', referral('yp-ok', await nowIso()));
      await journeys.record('youngPerson', 'yp-ok', { type: 'contact.recorded', by: co, method: 'inPerson' });
      const afterConsent = await journeys.record('youngPerson', 'yp-ok', {
        type: 'consent.recorded',
        by: co,
        consent: 'given',
        ownGoals: ['get into college'],
      });
      expect(afterConsent.stage).toBe('readiness');
      const ready = await journeys.record('youngPerson', 'yp-ok', { type: 'readiness.assessed', by: co, outcome: 'ready' });
      expect(ready.stage).toBe('preferences');
      expect(ready.decisions.map((d) => [d.event, d.outcome, d.by.id])).toEqual([
        ['consent.recorded', 'given', 'co-1'],
        ['readiness.assessed', 'ready', 'co-1'],
      ]);
      expect(JSON.stringify(ready)).not.toContain('2008-05-01'); // no date of birth in the status
    });
  });

  it('refuses malformed events with a clear error and keeps going', async () => {
    await withJourneyWorker(env(), {}, async ({ journeys, client }) => {
      await journeys.start('youngPerson', referral('yp-bad', await nowIso()));
      const handle = client.workflow.getHandle('young-person-yp-bad');
      const { recordEvent } = await import('../../contracts/messages');
      const bad = [
        { type: 'contact.recorded', by: co, method: 'carrier pigeon' },
        { type: 'no.such.event', by: co },
        { type: 'contact.recorded' },
        { type: 'contact.recorded', by: { role: 'coordinator', id: 'Jane Smith' }, method: 'phone' },
        null,
        'contact.recorded',
      ];
      for (const event of bad) {
        const error = await handle.executeUpdate(recordEvent, { args: [event as never] }).catch((e: Error) => e);
        expect(error).toBeInstanceOf(Error);
        expect(String((error as Error & { cause?: Error }).cause?.message ?? error)).toMatch(/cannot/);
      }
      const ok = await journeys.record('youngPerson', 'yp-bad', { type: 'contact.recorded', by: co, method: 'phone' });
      expect(ok.state).toBe('referral.contacted');
    });
  });
});
