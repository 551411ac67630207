/**
 * Today from the search attributes: each journey's open nudges, state and next due are indexed,
 * so Today and `due` show what a journey needs without asking it. The rows must be the ones its
 * status would give, and the page must not send one Query per journey (it did, and took a second
 * for 100 journeys: BENCHMARKS.md section 7).
 */
import { Client, type WorkflowClientInterceptor } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../server/sessions';
import { glanceOfListing, todaysWork } from '../../server/web/journey-view';
import type { JourneyListing } from '../../client/journeys';
import { useDevServerEnvironment } from '../helpers/temporal-env';
import { withJourneyWorker } from '../helpers/journey-worker';
import { startWeb } from '../helpers/web';
import { eventually } from '../cli/run-cli';
import { coordinator, referralStart } from '../helpers/scenario';

const env = useDevServerEnvironment();
const permissions = { mayRecord: true, mayPropose: true };

describe('Today, read from the search attributes', () => {
  it("gives each row its status's words and action, and asks no journey", async () => {
    const policy = { youngPerson: { firstContactWithin: '2 seconds' } };
    await withJourneyWorker(env(), { indexed: true, policy }, async (h) => {
      const tag = Date.now().toString(36);
      const me = `co-today-${tag}`;
      const [overdue, contacted, other] = [`yp-today-a-${tag}`, `yp-today-b-${tag}`, `yp-today-c-${tag}`];
      const now = new Date().toISOString();
      for (const id of [overdue, contacted]) await h.journeys.start('youngPerson', { ...referralStart(id, now), coordinatorId: me });
      await h.journeys.start('youngPerson', { ...referralStart(other, now), coordinatorId: `co-else-${tag}` });
      // The second is contacted, consents and is not ready yet: informal support, a re-check due.
      const by = { ...coordinator, id: me };
      await h.journeys.record('youngPerson', contacted, { type: 'contact.recorded', by, method: 'phone' });
      await h.journeys.record('youngPerson', contacted, { type: 'consent.recorded', by, consent: 'given', ownGoals: ['make friends'] });
      await h.journeys.record('youngPerson', contacted, { type: 'readiness.assessed', by, outcome: 'notReady' });

      // Visibility catches up: the overdue journey shows its nudge, the contacted one its next step.
      const listings = await eventually(
        () => h.journeys.dueAcrossScheme({ coordinatorId: me }),
        (rows) =>
          rows.length === 2 &&
          rows.some((r) => r.journeyId === overdue && r.openNudges?.includes('firstContactOverdue')) &&
          rows.some((r) => r.journeyId === contacted && r.nextDueWhat === 'readiness re-check'),
        20_000,
      );
      const byId = (id: string) => listings.find((l) => l.journeyId === id)!;
      expect(byId(overdue)).toMatchObject({ state: 'referral.firstContactOverdue', openNudges: ['firstContactOverdue'] });
      expect(byId(contacted)).toMatchObject({ openNudges: [] });
      expect(listings.map((l) => l.coordinatorId)).toEqual([me, me]);

      // Each row as the listing gives it is the row its status gives.
      for (const listing of listings) {
        const status = await h.journeys.status('youngPerson', listing.journeyId!);
        const fromListing = todaysWork(glanceOfListing(listing)!, permissions);
        expect(fromListing).toEqual(todaysWork(status, permissions));
        expect(listing).toMatchObject({ state: status.state, nextDueWhat: status.due[0]?.what ?? null });
      }
      expect(todaysWork(glanceOfListing(byId(overdue))!, permissions)).toMatchObject({
        what: ['First contact with a referred young person is overdue', 'next: escalation of an unanswered nudge'],
        action: { text: 'Record first contact', href: `/journeys/young-person/${overdue}/record/contact.recorded` },
      });

      // The page: both rows, with their actions, and not one Query sent to a journey.
      let queries = 0;
      const counting: WorkflowClientInterceptor = {
        query: (input, next) => {
          queries += 1;
          return next(input);
        },
      };
      const client = new Client({ connection: h.client.connection, namespace: h.client.options.namespace, dataConverter: h.privacy.dataConverter, interceptors: { workflow: [counting] } });
      const { app } = await startWeb({ ...h, client });
      try {
        const session = app.sessions.create({ id: me, role: 'coordinator', personalData: true });
        const page = await app.inject({ method: 'GET', url: '/today', cookies: { [SESSION_COOKIE]: session.id } });
        expect(page.statusCode).toBe(200);
        expect(page.body).toContain(overdue);
        expect(page.body).toContain(contacted);
        expect(page.body).not.toContain(other);
        expect(page.body).toContain(`href="/journeys/young-person/${overdue}/record/contact.recorded"`);
        expect(page.body).toContain('First contact with a referred young person is overdue');
        expect(queries).toBe(0);
      } finally {
        await app.close();
      }
    });
  });

  it('asks the journey when its listing predates the indexed state', () => {
    const listing: JourneyListing = {
      workflowId: 'young-person-yp-old',
      kind: 'youngPerson',
      journeyId: 'yp-old',
      stage: 'referral',
      coordinatorId: 'co-1',
      nextDueAt: '2026-01-16T10:00:00.000Z',
      overdueSince: null,
      running: true,
      state: null,
      openNudges: null,
      nextDueWhat: null,
    };
    expect(glanceOfListing(listing)).toBeUndefined();
  });
});
