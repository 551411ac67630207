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

      // Each row as the listing gives it is the row its status gives: the same words and action,
      // the nudge's action through the journey (whose facts may pre-fill the form).
      for (const listing of listings) {
        const status = await h.journeys.status('youngPerson', listing.journeyId!);
        const fromListing = todaysWork(glanceOfListing(listing)!, permissions);
        const fromStatus = todaysWork(status, permissions);
        expect(fromListing.what).toEqual(fromStatus.what);
        expect(fromListing.action?.text).toEqual(fromStatus.action?.text);
        if (status.openNudges.length === 0) expect(fromListing.action?.href).toEqual(fromStatus.action?.href);
        expect(listing).toMatchObject({ state: status.state, nextDueWhat: status.due[0]?.what ?? null });
      }
      const resolveOverdue = `/journeys/young-person/${overdue}/resolve/firstContactOverdue`;
      expect(todaysWork(glanceOfListing(byId(overdue))!, permissions)).toMatchObject({
        what: ['First contact with a referred young person is overdue', 'next: escalation of an unanswered nudge'],
        action: { text: 'Record first contact', href: resolveOverdue },
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
        expect(page.body).toContain(`href="${resolveOverdue}"`);
        expect(page.body).toContain('First contact with a referred young person is overdue');
        expect(queries).toBe(0);

        // Followed, the link reads the journey once and goes on to the form that resolves it;
        // a nudge the journey no longer has leads to the journey itself.
        const cookies = { [SESSION_COOKIE]: session.id };
        const followed = await app.inject({ method: 'GET', url: resolveOverdue, cookies });
        expect(followed.statusCode).toBe(303);
        expect(followed.headers.location).toBe(`/journeys/young-person/${overdue}/record/contact.recorded`);
        expect(queries).toBe(1);
        const gone = await app.inject({ method: 'GET', url: `/journeys/young-person/${contacted}/resolve/firstContactOverdue`, cookies });
        expect(gone.headers.location).toBe(`/journeys/young-person/${contacted}`);
      } finally {
        await app.close();
      }
    });
  });

  it("leads a nudge that is resolved on another journey through the journey, whose facts name it", () => {
    // A match's mentor's check expired: renewed on the volunteer's journey, which only the
    // match's facts name. Read from a listing, the nudge links through the match.
    const listing: JourneyListing = {
      workflowId: 'match-m-1',
      kind: 'match',
      journeyId: 'm-1',
      stage: 'active',
      coordinatorId: 'co-1',
      nextDueAt: null,
      overdueSince: '2026-01-16T10:00:00.000Z',
      running: true,
      state: 'active',
      openNudges: ['volunteerCheckExpired'],
      nextDueWhat: null,
    };
    expect(todaysWork(glanceOfListing(listing)!, { mayRecord: false, mayPropose: false })).toEqual({
      what: ["The mentor's safeguarding check has expired while they are in a match"],
      action: { text: 'Open', href: '/journeys/match/m-1/resolve/volunteerCheckExpired' },
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
