/**
 * The order every list of journeys is shown in: overdue first (longest overdue first), then by
 * next due date (soonest first), then those with nothing due. And one page of that order, read
 * from visibility without listing every journey.
 *
 * Temporal's SQL visibility (the dev server's SQLite, MySQL, PostgreSQL) has no ORDER BY, but it
 * counts in milliseconds, while listing costs about a third of a millisecond per journey. So a
 * page is found by counting: how many journeys are overdue, due or neither; then, within the
 * segment a page falls in, a date before which there are enough journeys for the page (from a
 * sample of dates, then one count at a time, narrowing); then only the journeys before that date
 * are listed and sorted. The first pages cost about what their rows cost, whatever the size of
 * the scheme; a page deep in the order lists the pages before it.
 */
import type { JourneyListing } from './journeys';
import { isOverdue } from './time-words';

/** Overdue (ordered by since when), due (by next due date), nothing due (visibility's own order). */
export type DueSegment = 'overdue' | 'due' | 'none';

export interface SegmentQuery {
  /** Absent: every journey the filter matches. */
  segment?: DueSegment;
  /** Only those whose date (overdue since, next due) is before this instant. */
  before?: string;
}

/** What the page needs from visibility, under the list's own filter (kind, stage, co-ordinator). */
export interface DueVisibility {
  count(query: SegmentQuery): Promise<number>;
  /** The journeys of a segment: all of them, or the first `limit` in visibility's own order. */
  list(query: SegmentQuery, limit?: number): Promise<JourneyListing[]>;
}

export const dueSegments: readonly DueSegment[] = ['overdue', 'due', 'none'];

export function segmentOf(listing: Pick<JourneyListing, 'overdueSince' | 'nextDueAt'>): DueSegment {
  return listing.overdueSince ? 'overdue' : listing.nextDueAt ? 'due' : 'none';
}

/** A journey is overdue when a nudge is open on it, or its next deadline has passed unseen. */
export function listingOverdue(listing: Pick<JourneyListing, 'overdueSince' | 'nextDueAt'>, now: Date): boolean {
  return listing.overdueSince !== null || isOverdue(listing.nextDueAt, now);
}

/** The date a journey is ordered by within its segment. */
function dateOf(listing: Pick<JourneyListing, 'overdueSince' | 'nextDueAt'>): string {
  return listing.overdueSince ?? listing.nextDueAt ?? '';
}

const rank: Record<DueSegment, number> = { overdue: 0, due: 1, none: 2 };

/** Overdue first (longest first), then by next due date (soonest first), then those with nothing due (in the order given). */
export function sortByDue<T extends Pick<JourneyListing, 'overdueSince' | 'nextDueAt' | 'workflowId'>>(listings: T[]): T[] {
  const keyed = listings.map((listing, i) => ({ listing, i, segment: rank[segmentOf(listing)], date: dateOf(listing) }));
  keyed.sort((a, b) => a.segment - b.segment || (a.segment < 2 ? a.date.localeCompare(b.date) || a.listing.workflowId.localeCompare(b.listing.workflowId) : a.i - b.i));
  return keyed.map((k) => k.listing);
}

export interface DuePageOptions {
  /** Up to this many journeys, slice the page from one list of them all (default 250). */
  listWhole?: number;
}

export interface DuePage {
  /** How many journeys the filter matches, on every page. */
  total: number;
  listings: JourneyListing[];
}

/**
 * Journeys `offset` to `offset + limit` of the due order. Visibility is eventually consistent and
 * the counts and lists are separate calls: a journey that moves between them may be missing from
 * the page or shown on the next one too, as on any live list; never a journey the filter excludes.
 */
export async function duePage(visibility: DueVisibility, offset: number, limit: number, options: DuePageOptions = {}): Promise<DuePage> {
  // Few journeys: one list costs less than the counting would (and spends less of the
  // namespace's visibility rate limit).
  const total = await visibility.count({});
  if (total <= (options.listWhole ?? LIST_WHOLE)) return { total, listings: sortByDue(await visibility.list({})).slice(offset, offset + limit) };
  const [overdue, due] = await Promise.all([visibility.count({ segment: 'overdue' }), visibility.count({ segment: 'due' })]);
  const counts = [overdue, due, Math.max(0, total - overdue - due)];
  const listings: JourneyListing[] = [];
  let before = 0;
  for (const [i, segment] of dueSegments.entries()) {
    const count = counts[i]!;
    const from = Math.max(0, offset - before);
    const to = Math.min(count, offset + limit - before);
    before += count;
    if (from >= to) continue;
    const first = segment === 'none' ? await visibility.list({ segment }, to) : await earliest(visibility, segment, to, count, limit);
    listings.push(...first.slice(from, to));
  }
  return { total, listings };
}

/**
 * The `n` earliest journeys of a dated segment of `count`. A count costs about what listing a
 * dozen journeys does, and counts are served one after another, so the search spends few: a
 * small sample of the segment's dates is searched first (the n-th date lies between two of them,
 * or beyond), then that bracket is narrowed, one count at a time, until listing what is before
 * its end costs at most `slack` journeys more than the page. A segment not much larger than what
 * is wanted is listed whole.
 */
async function earliest(visibility: DueVisibility, segment: DueSegment, n: number, count: number, pageSize: number): Promise<JourneyListing[]> {
  const slack = Math.max(pageSize, 25);
  if (count <= n + slack) return sortByDue(await visibility.list({ segment })).slice(0, n);
  const counted = new Map<number, number>();
  const at = async (ms: number): Promise<Probe> => {
    if (!counted.has(ms)) counted.set(ms, await visibility.count({ segment, before: new Date(ms).toISOString() }));
    return { at: ms, before: counted.get(ms)! };
  };

  // 1. Between which two sampled dates (or beyond which) the n-th lies: a binary search.
  const sample = [...new Set((await visibility.list({ segment }, SAMPLE)).map((l) => Date.parse(dateOf(l))))].sort((a, b) => a - b);
  const candidates = [sample[0]! - 1, ...sample.map((ms) => ms + 1)];
  let below = -1;
  let above = candidates.length;
  const tryAt = async (i: number) => {
    if ((await at(candidates[i]!)).before >= n) above = i;
    else below = i;
  };
  // First where the sample says the n-th is, and its neighbour: often two counts are enough.
  const guess = Math.min(candidates.length - 1, Math.max(0, Math.round(((candidates.length - 1) * n) / count)));
  await tryAt(guess);
  if (above === guess && guess - 1 > below) await tryAt(guess - 1);
  else if (below === guess && guess + 1 < above) await tryAt(guess + 1);
  while (above - below > 1) await tryAt((below + above) >> 1);
  // 2. Beyond the sample: step out until the n-th is bracketed (or no date is that far), the
  // first step as far as the sample's own spread suggests, then doubling.
  let lo = below >= 0 ? await at(candidates[below]!) : undefined;
  let hi = above < candidates.length ? await at(candidates[above]!) : undefined;
  const perJourney = Math.max(1, (candidates.at(-1)! - candidates[0]!) / sample.length);
  if (!lo) {
    const first = await at(candidates[0]!);
    for (let step = Math.max(HOUR / 60, perJourney * (first.before - n + slack / 2)); !lo && step < FAR; step *= 2) {
      const probe = await at(candidates[0]! - Math.round(step));
      if (probe.before < n) lo = probe;
      else hi = probe;
    }
  }
  if (!hi) {
    const last = await at(candidates.at(-1)!);
    for (let step = Math.max(HOUR / 60, perJourney * (n + slack / 2 - last.before)); !hi && step < FAR; step *= 2) {
      const probe = await at(candidates.at(-1)! + Math.round(step));
      if (probe.before >= n) hi = probe;
      else lo = probe;
    }
  }
  if (!lo || !hi) return sortByDue(await visibility.list({ segment })).slice(0, n);

  // 3. Narrow [lo, hi): where an even spread would put the n-th and a page more, then halving,
  // turn about, so that dates bunched on a few instants cannot stall it.
  for (let step = 0; step < 60 && hi.before > n + slack && hi.at - lo.at > 1; step++) {
    const spread = lo.at + ((hi.at - lo.at) * (n + slack / 2 - lo.before)) / Math.max(1, hi.before - lo.before);
    const guess = Math.round(step % 2 === 0 ? spread : (lo.at + hi.at) / 2);
    const probe = await at(Math.min(hi.at - 1, Math.max(lo.at + 1, guess)));
    if (probe.before >= n) hi = probe;
    else lo = probe;
  }
  return sortByDue(await visibility.list({ segment, before: new Date(hi.at).toISOString() })).slice(0, n);
}

interface Probe {
  at: number;
  before: number;
}

/** Up to this many journeys, a page is sliced from one list of them all (about 80 ms on the dev server). */
const LIST_WHOLE = 250;
/** Dates sampled to start the search: about the cost of two counts. */
const SAMPLE = 24;
const HOUR = 3_600_000;
/** Further than any date a journey keeps (two centuries). */
const FAR = 200 * 365 * 24 * HOUR;
