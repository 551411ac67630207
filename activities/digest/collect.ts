/**
 * A co-ordinator's digest from the statuses of the journeys on their caseload: pure, so the rules
 * (what counts as overdue, how far ahead "due" looks, the order) are tested without a server.
 *
 * Overdue: every open nudge (since it opened), and anything whose due time has passed but whose
 * timer has not fired yet (a worker that was away). Due: what falls due within the horizon.
 * Only opaque ids, stage names and the machines' own words for what is due are taken from a status.
 */
import type { JourneyStatus } from '../../contracts/messages';
import type { Digest, DigestItem } from './requests';

const DAY_MS = 86_400_000;

export interface BuildDigestOptions {
  asOf: string;
  horizonDays: number;
  unreadable?: string[];
}

/** "firstContactOverdue" reads "first contact overdue". */
export function nudgeWords(about: string): string {
  return about
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
}

function byTimeThenJourney(a: DigestItem, b: DigestItem): number {
  return Date.parse(a.at) - Date.parse(b.at) || a.journey.id.localeCompare(b.journey.id) || a.what.localeCompare(b.what);
}

export function buildDigest(coordinatorId: string, statuses: readonly JourneyStatus[], options: BuildDigestOptions): Digest {
  const asOf = Date.parse(options.asOf);
  const horizon = asOf + options.horizonDays * DAY_MS;
  const overdue: DigestItem[] = [];
  const due: DigestItem[] = [];
  for (const status of statuses) {
    // The listing comes from search attributes, which lag a little: trust the journey itself.
    if (status.ended || status.coordinatorId !== coordinatorId) continue;
    const base = {
      journey: { kind: status.kind, id: status.journeyId, workflowId: status.workflowId },
      stage: status.stage,
    };
    for (const nudge of status.openNudges) {
      overdue.push({ ...base, what: nudgeWords(nudge.about), at: new Date(nudge.since).toISOString(), overdue: true });
    }
    for (const item of status.due) {
      const at = Date.parse(item.dueAt);
      if (at <= asOf) overdue.push({ ...base, what: item.what, at: new Date(at).toISOString(), overdue: true });
      else if (at <= horizon) due.push({ ...base, what: item.what, at: new Date(at).toISOString(), overdue: false });
    }
  }
  return {
    coordinatorId,
    asOf: new Date(asOf).toISOString(),
    horizonDays: options.horizonDays,
    overdue: overdue.sort(byTimeThenJourney),
    due: due.sort(byTimeThenJourney),
    unreadable: [...(options.unreadable ?? [])].sort(),
  };
}
