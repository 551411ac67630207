/**
 * What a journey's page shows, gathered from the journey itself: its status, the events its
 * machine takes now (each a form), its timeline from the history, and its state tree with the
 * current states marked. Nothing is decided here.
 */
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { AnyStateNode } from 'xstate';
import type { AuthorizedJourneys } from '../../access';
import { eventCatalogue, findEvent, type EventInfo } from '../../client/event-catalogue';
import { resolveNudgePath, resolvingPath } from '../../presentation/links';
import { openNudgesOf, type OpenNudge } from '../../presentation/notices';
import { sentence } from './words';
import { acceptedEvents } from '../../machines/accepted-events';
import type { JourneyKind } from '../../machines/journey';
import type { JourneyStatus } from '../../contracts/messages';
import type { JourneyListing } from '../../client/journeys';
import { definitionOf, currentVersions } from '../../machines/registry';
import { workflowIdFor } from '../../contracts/ids';
import { fetchJourneyHistories } from '../../audit/export';
import { decodeHistory } from '../../audit/history-events';
import { groupJourneys, readRun } from '../../audit/journey-history';
import { journeyTimeline, type TimelineEntry } from '../../audit/timeline';

export interface EventChoice {
  event: EventInfo;
  /** Resolves an open nudge (the overdue state's own event). */
  resolves?: string;
}

/**
 * What a page needs of a journey to say what it needs and offer the event that resolves it: its
 * status, or the same read from its search attributes (Today, without asking each journey).
 */
export type JourneyGlance = Pick<JourneyStatus, 'kind' | 'journeyId' | 'state' | 'ended' | 'openNudges' | 'facts' | 'due'> & {
  /** Read from the search attributes: the facts are not known, so nudges link through the journey. */
  fromListing?: true;
};

/**
 * A journey as its listing shows it, or undefined when the listing lacks the state (a journey
 * that has taken no step since the state was indexed: ask it instead). A listing has no facts,
 * which a nudge's resolving form is pre-filled from (who a check-in is with, the supervision
 * session) and which may say on which journey it is resolved (a match's volunteer): its nudges
 * link to the journey's resolve path, which reads them when the link is followed.
 */
export function glanceOfListing(listing: JourneyListing): JourneyGlance | undefined {
  if (!listing.kind || !listing.journeyId || listing.state === null || listing.openNudges === null) return undefined;
  return {
    kind: listing.kind,
    journeyId: listing.journeyId,
    state: listing.state,
    ended: !listing.running,
    openNudges: listing.openNudges.map((about) => ({ about, since: listing.overdueSince ?? '' })),
    facts: {},
    fromListing: true,
    due: listing.nextDueWhat && listing.nextDueAt ? [{ what: listing.nextDueWhat, dueAt: listing.nextDueAt }] : [],
  };
}

/** Today's row for a journey: what it needs, and the one action that resolves it (the first that has a form). */
export function todaysWork(glance: JourneyGlance, permissions: JourneyPermissions): { what: string[]; action?: { text: string; href: string } } {
  const choices = choicesFor(glance, permissions);
  const nudges = nudgesOnPage(glance, choices, permissions);
  // With no nudge open, the one action is what the journey takes next (the event the machine lists first).
  const next = choices[0];
  const action =
    nudges.find((n) => n.action)?.action ??
    (nudges.length === 0 && next
      ? { text: sentence(next.event.label), href: resolvingPath({ kind: glance.kind, journeyId: glance.journeyId, event: next.event.type, values: {} }) }
      : undefined);
  return {
    what: [...nudges.map((n) => n.summary), ...glance.due.slice(0, 1).map((d) => `next: ${d.what}`)],
    ...(action ? { action } : {}),
  };
}

/** The events offered to this reader now: none to one who may not record. */
export function choicesFor(glance: Pick<JourneyGlance, 'kind' | 'state'>, { mayRecord }: Pick<JourneyPermissions, 'mayRecord'>): EventChoice[] {
  return mayRecord ? eventChoices(glance.kind, glance) : [];
}

/** The events a person may record now, those that resolve an open nudge first. */
export function eventChoices(kind: JourneyKind, status: Pick<JourneyStatus, 'state'>, machineVersion = currentVersions[kind]): EventChoice[] {
  const accepted = acceptedEvents(definitionOf(kind, machineVersion).machine, status.state);
  const resolvingOf = new Map<string, string>();
  for (const [about, types] of Object.entries(accepted.resolving)) for (const type of types) if (!resolvingOf.has(type)) resolvingOf.set(type, about);
  const allowed = new Set(accepted.all);
  const choices = eventCatalogue(kind)
    // An event with a required field no person could type (worked out by mentorflow, e.g. a match
    // proposal's facts) has a page of its own, not a form.
    .filter((e) => allowed.has(e.type) && !e.fields.some((f) => f.required && f.kind === 'json'))
    .map((event) => ({ event, ...(resolvingOf.has(event.type) ? { resolves: resolvingOf.get(event.type)! } : {}) }));
  return [...choices.filter((c) => c.resolves), ...choices.filter((c) => !c.resolves)];
}

/** An open nudge on a page: its words, and a link to the form that resolves it when that form is open to the reader. */
export interface NudgeOnPage extends OpenNudge {
  action?: { text: string; href: string };
}

/** What the reader may do on a journey: record its events, propose a match from it. */
export interface JourneyPermissions {
  mayRecord: boolean;
  mayPropose: boolean;
}

export function journeyPermissions(journeys: AuthorizedJourneys, status: Pick<JourneyStatus, 'kind' | 'ended'>): JourneyPermissions {
  return {
    mayRecord: journeys.can('record') && !status.ended,
    mayPropose: status.kind !== 'match' && journeys.can('proposeMatch') && !status.ended,
  };
}

/**
 * The journey's open nudges, worded by presentation/notices.ts, each with the form that resolves
 * it: on this journey only when the machine takes that event now (one of `choices`, the page's
 * own `eventChoices`); on another journey (a match's volunteer) or the propose page, the gates
 * are checked there.
 */
export function nudgesOnPage(status: JourneyGlance, choices: readonly EventChoice[], { mayRecord, mayPropose }: JourneyPermissions): NudgeOnPage[] {
  const allowed = new Set(choices.map((c) => c.event.type));
  return openNudgesOf(status).map((nudge) => {
    // Without the facts the words are the nudge's own, but where it leads is known only on the way.
    const through = status.fromListing ? resolveNudgePath(status.kind, status.journeyId, nudge.about) : undefined;
    const event = nudge.resolvedBy;
    if (!event) return through ? { ...nudge, action: { text: 'Open', href: through } } : nudge;
    const open =
      event.event === 'match.proposed'
        ? mayPropose
        : mayRecord && (event.kind !== status.kind || event.journeyId !== status.journeyId || allowed.has(event.event));
    if (!open) return nudge;
    const label = event.event === 'match.proposed' ? 'propose a match' : (findEvent(event.kind, event.event)?.label ?? `record '${event.event}'`);
    return { ...nudge, action: { text: sentence(label), href: through ?? resolvingPath(event) } };
  });
}

export interface StateTreeNode {
  key: string;
  active: boolean;
  children: StateTreeNode[];
}

/** The machine's states as a tree, the current ones marked (the journey's diagram, as a list a screen reader reads). */
export function stateTree(kind: JourneyKind, state: string): StateTreeNode[] {
  const active = new Set(state.split(' | ').flatMap((path) => path.split('.').map((_, i, parts) => parts.slice(0, i + 1).join('.'))));
  const walk = (node: AnyStateNode, prefix: string): StateTreeNode[] =>
    Object.entries(node.states ?? {}).map(([key, child]) => {
      const path = prefix ? `${prefix}.${key}` : key;
      return { key, active: active.has(path), children: walk(child as AnyStateNode, path) };
    });
  return walk(definitionOf(kind, currentVersions[kind]).machine.root, '');
}

/** The journey's timeline from its history, newest first (opaque ids, codes and dates only). */
export async function timelineOf(client: Client, codec: PayloadCodec | undefined, kind: JourneyKind, journeyId: string): Promise<TimelineEntry[]> {
  const runs = await fetchJourneyHistories(client, workflowIdFor(kind, journeyId));
  const decoded = [];
  for (const run of runs) decoded.push(readRun(await decodeHistory(run.history, codec)));
  const [journey] = groupJourneys(decoded);
  return journey ? journeyTimeline(journey).entries.filter((e) => e.kind !== 'bookkeeping' && e.kind !== 'other').reverse() : [];
}

/** Status, personal values (placeholders where not allowed) and choices, read as the principal may. */
export async function readJourney(journeys: AuthorizedJourneys, kind: JourneyKind, journeyId: string) {
  const status = await journeys.status(kind, journeyId);
  const personal = await journeys.personal(kind, journeyId);
  return { status, personal };
}
