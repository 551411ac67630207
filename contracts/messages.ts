/**
 * The messages a journey workflow answers: the one Update through which people record events,
 * the signal through which journeys tell each other what happened, and the status Query.
 * Shared by the workflow, the worker, the CLI and any client.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, JourneyKind } from '../machines/journey';
import type { PersistedJourneySnapshot, PendingTimer } from '../machines/runtime';
import type { SchemePolicy } from '../machines/policy';
import type { VolunteerAddress } from '../activities/notifications/requests';

/** An event as a person records it: `{ type, by, ...fields }`; the journey stamps `at`. */
export type RecordedEvent = { type: string; by: Actor } & Record<string, unknown>;

/** Record an event. Refused (with the unmet gates named) before anything is written to history. */
export const recordEvent = defineUpdate<JourneyStatus, [RecordedEvent]>('record');
/** Another journey tells this one what happened there (a match started, a check expired, ...). */
export const linkedEvent = defineSignal<[RecordedEvent]>('linked');
/** The journey's status, in a stable documented shape (docs/status.md). */
export const statusQuery = defineQuery<JourneyStatus>('status');
/** Facts another journey needs to judge a match proposal (e.g. the young person's age gap). */
export const matchingProfileQuery = defineQuery<Record<string, unknown> | null>('matchingProfile');
/**
 * The machine's state as the journey holds it (its personal values sealed), with the machine
 * version and the journey's clock: matching judges proposals against it with the same `judge` the
 * journey's validator uses, so that a shortlist and a proposal never disagree.
 */
export const snapshotQuery = defineQuery<JourneySnapshotView>('snapshot');
export interface JourneySnapshotView {
  machineVersion: number;
  persisted: PersistedJourneySnapshot;
  /** The journey's clock when it answered (in a time-skipping test, not the wall clock). */
  at: string;
}

/**
 * The journey's personal values (name and contact details, date of birth, own words, notes), each
 * sealed with the person's key: only a client allowed to read personal data opens them.
 */
export const personalQuery = defineQuery<Record<string, unknown>>('personal');

/**
 * Patch marking journeys whose first deadlines count from their start in the world (the
 * workflow's `clockStartsAt`); the audit mirror reads it from the history's marker.
 */
export const DEADLINES_FROM_JOURNEY_START = 'deadlines-from-journey-start';

export interface JourneyWorkflowInput {
  /** The journey machine's input (validated at the edge by the journey's `input` schema). */
  start: { journeyId: string; coordinatorId: string; startedAt: string } & Record<string, unknown>;
  /** The scheme policy in force when the journey started; the journey keeps it. */
  policy: SchemePolicy;
  /** The machine version the journey runs (machines/registry.ts); absent means 1. */
  machineVersion?: number;
  /**
   * How to reach the person, for reminders and invitations: sealed with their own key by the
   * client (a plain address only in histories from before sealing). Never logged.
   */
  contact?: VolunteerAddress | string;
  /**
   * Started by the import of an existing caseload, whose earlier steps are recorded just after the
   * start: its first deadlines count from the import, not from `start.startedAt`.
   */
  imported?: boolean;
  /** Set by continue-as-new: where the previous run left the journey. */
  carried?: CarriedJourney;
  /** Continue-as-new after this many history events (default 10,000; tests set it low). */
  continueAsNewAfterEvents?: number;
  /** Upsert search attributes (kind, stage, co-ordinator, next due). Default true. */
  indexed?: boolean;
}

export interface CarriedJourney {
  persisted: PersistedJourneySnapshot;
  timers: PendingTimer[];
  effectCount: number;
  nudgesOpenedAt: Record<string, string>;
  decisions: Decision[];
  failures: EffectFailure[];
  unapplied: UnappliedEvent[];
  runs: number;
}

export interface Decision {
  event: string;
  at: string;
  by: Actor;
  /** The decision itself where the event has one (an outcome, a decision, a consent). */
  outcome?: string;
}

export interface EffectFailure {
  at: string;
  effect: string;
  about?: string;
  /** The error in plain words, without personal data. */
  error: string;
  errorType?: string;
}

export interface UnappliedEvent {
  at: string;
  event: string;
  from: string;
  reason: string;
}

/**
 * The status of a journey (Query `status`, and what an accepted Update returns). Stable: fields
 * are added, never renamed or removed. See docs/status.md.
 */
export interface JourneyStatus {
  kind: JourneyKind;
  journeyId: string;
  workflowId: string;
  coordinatorId: string;
  /** Short stable stage name, e.g. "waitingForMatch". */
  stage: string;
  /** The full machine state, e.g. "referral.firstContactOverdue", for auditors. */
  state: string;
  ended: boolean;
  /** What is due next and when, soonest first. */
  due: { what: string; dueAt: string }[];
  nextDueAt: string | null;
  /** Nudges open now: the matter, and since when. */
  openNudges: { about: string; since: string }[];
  decisions: Decision[];
  /** Effects (emails, linked journeys) that failed for good. */
  failures: EffectFailure[];
  /** Events from other journeys that could not be applied. */
  unapplied: UnappliedEvent[];
  /** Journey facts: counts, dates and opaque ids, never personal data. */
  facts: Record<string, unknown>;
  /** When the journey last changed. */
  updatedAt: string;
}
