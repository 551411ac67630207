/**
 * One page of the due order, found by counting (client/due-order.ts), is the same page as sorting
 * every journey and slicing, for any mix of overdue, due and undated journeys, ties included; and
 * it lists about a page of journeys, not the scheme.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { duePage, segmentOf, sortByDue, type DueVisibility, type SegmentQuery } from '../../client/due-order';
import type { JourneyListing } from '../../client/journeys';

const DAY = 86_400_000;

function listing(i: number, overdueSince: string | null, nextDueAt: string | null): JourneyListing {
  return {
    workflowId: `young-person-yp-${String(i).padStart(5, '0')}`,
    kind: 'youngPerson',
    journeyId: `yp-${i}`,
    stage: 'referral',
    coordinatorId: 'co-1',
    nextDueAt,
    overdueSince,
    running: true,
    state: 'referral.awaitingFirstContact',
    openNudges: [],
    nextDueWhat: null,
  };
}

/** Visibility over an array (in its own order), counting what a page costs. */
function inMemory(all: JourneyListing[]) {
  const cost = { counts: 0, listed: 0 };
  const matches = ({ segment, before }: SegmentQuery) => (l: JourneyListing) =>
    (!segment || segmentOf(l) === segment) && (!before || (l.overdueSince ?? l.nextDueAt ?? '') < before);
  const visibility: DueVisibility = {
    count: async (q) => {
      cost.counts++;
      return all.filter(matches(q)).length;
    },
    list: async (q, limit) => {
      const rows = all.filter(matches(q)).slice(0, limit);
      cost.listed += rows.length;
      return rows;
    },
  };
  return { visibility, cost };
}

/** Dates around now, as schemes have them: from years ago to years ahead, many on the same instant. */
const instant = fc.oneof(
  fc.integer({ min: -3 * 365, max: 3 * 365 }).map((days) => new Date(Date.now() + days * DAY).toISOString()),
  fc.constantFrom('2026-01-01T09:00:00.000Z', '2027-06-01T09:00:00.000Z'),
);
const journey = fc.oneof(
  instant.map((at) => ({ overdueSince: at, nextDueAt: null as string | null })),
  fc.tuple(instant, instant).map(([since, next]) => ({ overdueSince: since, nextDueAt: next as string | null })),
  instant.map((at) => ({ overdueSince: null, nextDueAt: at as string | null })),
  fc.constant({ overdueSince: null, nextDueAt: null }),
);

describe('a page of the due order', () => {
  it('is the slice of the whole order, with the total', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(journey, { maxLength: 700 }), fc.integer({ min: 0, max: 750 }), fc.integer({ min: 1, max: 60 }), fc.constantFrom(0, 250), async (dates, offset, limit, listWhole) => {
        const all = dates.map((d, i) => listing(i, d.overdueSince, d.nextDueAt));
        const page = await duePage(inMemory(all).visibility, offset, limit, { listWhole });
        expect(page.total).toBe(all.length);
        expect(page.listings.map((l) => l.workflowId)).toEqual(sortByDue([...all]).slice(offset, offset + limit).map((l) => l.workflowId));
      }),
      { numRuns: 300 },
    );
  });

  it('lists about a page of journeys for the first page of a large scheme, not all of them', async () => {
    const all = Array.from({ length: 5000 }, (_, i) =>
      i % 10 === 0 ? listing(i, new Date(Date.now() - (i % 97) * DAY).toISOString(), null) : listing(i, null, new Date(Date.now() + ((i * 7919) % 400) * DAY + i).toISOString()),
    );
    const { visibility, cost } = inMemory(all);
    const page = await duePage(visibility, 0, 50);
    expect(page.listings.map((l) => l.workflowId)).toEqual(sortByDue([...all]).slice(0, 50).map((l) => l.workflowId));
    // 500 overdue: the first 50 of them, found by counting; at most a page and the slack beyond.
    expect(cost.listed).toBeLessThanOrEqual(50 + 50 + 1);
    expect(cost.counts).toBeLessThan(60);

    const later = inMemory(all);
    await duePage(later.visibility, 1000, 50);
    expect(later.cost.listed).toBeLessThanOrEqual(1050 + 50 + 1);
  });
});
