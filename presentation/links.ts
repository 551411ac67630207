/**
 * Where things are in the web app: the paths the pages are served at (server/web/routes.ts) and
 * the links the emails carry to them, so a link in a nudge opens the form that resolves it.
 */
import type { JourneyKind } from '../machines/journey';
import type { ResolvingEvent } from './notices';

/** Journey kinds in URLs: /journeys/young-person/yp-..., /api/journeys/volunteer/vol-... */
export const kindSlugs: Record<JourneyKind, string> = { youngPerson: 'young-person', volunteer: 'volunteer', match: 'match' };

export function journeyPath(kind: JourneyKind | null, journeyId: string | null): string {
  return kind && journeyId ? `/journeys/${kindSlugs[kind]}/${encodeURIComponent(journeyId)}` : '#';
}

/** The form that records the resolving event, pre-filled with what is already known. */
export function resolvingPath(resolving: ResolvingEvent): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(resolving.values)) {
    for (const item of Array.isArray(value) ? value : [value]) query.append(name, typeof item === 'boolean' ? (item ? 'yes' : 'no') : item);
  }
  const search = query.size > 0 ? `?${query}` : '';
  // A match proposal is chosen from the young person's shortlist: it has a page of its own.
  if (resolving.event === 'match.proposed') return `/matches/new${search}`;
  return `${journeyPath(resolving.kind, resolving.journeyId)}/record/${encodeURIComponent(resolving.event)}${search}`;
}

/**
 * A nudge's own link: the web app reads the journey, words the nudge from its facts, and sends
 * the reader on to the form that resolves it, pre-filled (or to the journey when none is open to
 * them). For lists read from the search attributes, which hold the nudge's name but not its facts.
 */
export function resolveNudgePath(kind: JourneyKind, journeyId: string, about: string): string {
  return `${journeyPath(kind, journeyId)}/resolve/${encodeURIComponent(about)}`;
}

/** An absolute link from the web app's public address (MENTORFLOW_WEB_URL), e.g. for an email. */
export function absoluteLink(baseUrl: string, path: string): string {
  return new URL(path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).toString();
}
