/**
 * Caseload pages from real visibility: each page, found by counting (client/due-order.ts), holds
 * the journeys that listing them all and sorting would put there, through the dev server's own
 * query language (dates compared in it, overdue and due told apart).
 */
import { describe, expect, it } from 'vitest';
import { useDevServerEnvironment } from '../helpers/temporal-env';
import { withJourneyWorker } from '../helpers/journey-worker';
import { eventually } from '../cli/run-cli';
import { coordinator, referralStart } from '../helpers/scenario';

const env = useDevServerEnvironment();
const DAY = 86_400_000;
/** Find pages by counting even for 80 journeys (a scheme this small is listed whole by default). */
const countEvenFew = { listWhole: 0 };

describe('Caseload pages', () => {
  it('are the slices of the whole due order, overdue, due and nothing due', async () => {
    await withJourneyWorker(env(), { indexed: true }, async (h) => {
      const tag = Date.now().toString(36);
      const me = `co-pages-${tag}`;
      // Referred from 15 days ago to today: first contact is due 7 days after referral, so the
      // oldest are overdue at once and the others fall due on different days; every fifth is
      // contacted and has nothing due.
      const ids = Array.from({ length: 80 }, (_, i) => `yp-pages-${tag}-${String(i).padStart(2, '0')}`);
      await Promise.all(
        ids.map((id, i) => h.journeys.start('youngPerson', { ...referralStart(id, new Date(Date.now() - (i % 16) * DAY - i * 60_000).toISOString()), coordinatorId: me })),
      );
      const by = { ...coordinator, id: me };
      await Promise.all(ids.filter((_, i) => i % 5 === 0).map((id) => h.journeys.record('youngPerson', id, { type: 'contact.recorded', by, method: 'phone' })));

      const filter = { coordinatorId: me };
      const overdueExpected = ids.filter((_, i) => i % 16 >= 7 && i % 5 !== 0).length;
      // Wait until visibility shows every journey where it now stands (its nudge sent and indexed).
      const all = await eventually(
        () => h.journeys.find(filter),
        (rows) => rows.length === 80 && rows.filter((r) => r.overdueSince).length === overdueExpected && rows.filter((r) => !r.nextDueAt && !r.overdueSince).length === 16,
        30_000,
      );
      const segments = { overdue: all.filter((r) => r.overdueSince).length, none: all.filter((r) => !r.nextDueAt && !r.overdueSince).length };
      expect(segments.overdue).toBe(overdueExpected);
      expect(segments.none).toBe(16);

      // Pages of two: small enough beside the 25 journeys of slack that the first pages of each
      // dated segment are found by counting before dates, not by listing the segment whole.
      const paged: string[] = [];
      for (let offset = 0; offset < 82; offset += 2) {
        const page = await h.journeys.findPage(filter, { offset, limit: 2 }, countEvenFew);
        expect(page.total).toBe(80);
        paged.push(...page.listings.map((l) => l.journeyId!));
      }
      expect(paged).toEqual(all.map((l) => l.journeyId));
      expect((await h.journeys.find(filter)).map((l) => l.journeyId)).toEqual(paged);
      // Only overdue ones, paged, as the filter asks.
      const overdue = await h.journeys.findPage({ ...filter, overdue: true }, { offset: 3, limit: 5 }, countEvenFew);
      // And as a scheme this small is served: one list of them all.
      expect((await h.journeys.findPage(filter, { offset: 20, limit: 30 })).listings.map((l) => l.journeyId)).toEqual(all.slice(20, 50).map((l) => l.journeyId));
      expect(overdue.total).toBe(segments.overdue);
      expect(overdue.listings.map((l) => l.journeyId)).toEqual(all.slice(3, 8).map((l) => l.journeyId));
    });
  });
});
