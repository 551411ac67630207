/**
 * What every journey machine shares: who did what and when, the effects a machine asks for, and
 * the contract (`JourneyDefinition`) that lets one durable interpreter run any journey.
 *
 * Conventions, so that every machine reads the same way:
 * - Events are domain facts in the past tense, `<subject>.<verb>` ("contact.recorded"). Every event
 *   says who did it (`by`: role and opaque id); the interpreter stamps `at` with the journey's
 *   clock when it applies the event, so the machine never reads a wall clock.
 * - Every gate is a named guard backed by a function that lists what is unmet, in words a
 *   co-ordinator understands; the guard passes when that list is empty. The same function explains
 *   a refusal, so the reason given can never drift from the rule applied.
 * - Every timing is a named delay computed from the scheme policy.
 * - A state in which something is overdue carries the tag `nudge:<about>`: the nudge is open for as
 *   long as the journey stays there, and closes by itself when the cause is resolved (the state is
 *   left, which also cancels its timers).
 * - Effects are named, parameterised actions whose implementations are empty here: the workflow
 *   interprets them (email, calendar invitations, starting or telling another journey).
 */
import { z } from 'zod';
import type { AnyMachineSnapshot, AnyStateMachine } from 'xstate';

// ---------------------------------------------------------------------------------------------
// Identity

/**
 * An opaque identifier: never a name, date of birth or other personal data, because ids appear in
 * workflow ids, search attributes and logs, which are stored in plain text.
 */
export const opaqueIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
    'an id is 1-64 letters, digits, "_" or "-" and must be opaque (never a name)',
  );

export const roles = [
  'coordinator',
  'leadCoordinator',
  'referrer',
  'youngPerson',
  'volunteer',
  'auditor',
  'system',
] as const;
export type Role = (typeof roles)[number];

export const actorSchema = z.object({ role: z.enum(roles), id: opaqueIdSchema }).strict();
export type Actor = z.infer<typeof actorSchema>;

/** A calendar date, e.g. the date a check was issued or a meeting happened. */
export const isoDateSchema = z.iso.date();
/** An instant, e.g. when a supervision session starts. */
export const isoDateTimeSchema = z.iso.datetime({ offset: true });
/**
 * A day, or the moment within it, e.g. when a meeting happened. The time matters under a demo or
 * test policy whose clocks run in minutes, where "today" is already too coarse (issue 18).
 */
export const isoDateOrDateTimeSchema = z.union([isoDateSchema, isoDateTimeSchema], {
  error: 'write a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM:SSZ, or with an offset such as +01:00)',
});

// ---------------------------------------------------------------------------------------------
// Personal data

/**
 * A personal value (a name, contact details, a date of birth, free text) sealed at the edge with a
 * key of its person's own (privacy/sealing.ts): `sealed:v1:<subject>:<key id>:<ciphertext>`. The
 * subject is the person's journey id. Journeys store and pass on sealed values but never read
 * them, so destroying the person's key makes the value unreadable everywhere while the journey
 * still replays. Kept in sync with privacy/sealing.ts, which writes the format.
 */
export const SEALED_VALUE_PATTERN = /^sealed:v1:[A-Za-z0-9][A-Za-z0-9_-]{0,99}:[0-9a-f]{8,32}:[A-Za-z0-9_-]+$/;
export const sealedValueSchema = z
  .string()
  .max(16_384)
  .regex(SEALED_VALUE_PATTERN, 'a sealed personal value is written by mentorflow\'s client, never by hand');

export function isSealedValue(value: unknown): value is string {
  return typeof value === 'string' && SEALED_VALUE_PATTERN.test(value);
}

/**
 * A personal field: its plain form, validated at the edge before sealing, or the sealed value a
 * journey stores. The union's sealed branch comes first so a sealed value is never re-checked as
 * plain text.
 */
export function personal<T extends z.ZodType>(plain: T): z.ZodUnion<[typeof sealedValueSchema, T]> {
  return z.union([sealedValueSchema, plain]);
}

/**
 * Where a journey's personal fields are, as dotted paths into its start input and each event
 * (`referral.dateOfBirth`; a path to an array means each item). The client seals them with the
 * journey's person key before anything reaches Temporal; the workflow refuses an event whose
 * personal fields arrive unsealed.
 */
export interface PersonalFields {
  input: readonly string[];
  events: Readonly<Record<string, readonly string[]>>;
}

/** The values at a dotted path, each with a setter; arrays are walked item by item. */
export function valuesAtPath(root: unknown, path: string): { value: unknown; set(next: unknown): void }[] {
  const keys = path.split('.');
  const found: { value: unknown; set(next: unknown): void }[] = [];
  const walk = (holder: Record<string, unknown>, depth: number): void => {
    const key = keys[depth]!;
    if (!(key in holder) || holder[key] === undefined) return;
    const value = holder[key];
    if (depth < keys.length - 1) {
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) walk(value as Record<string, unknown>, depth + 1);
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => found.push({ value: item, set: (next) => (value[i] = next) }));
    } else {
      found.push({ value, set: (next) => (holder[key] = next) });
    }
  };
  if (root !== null && typeof root === 'object') walk(root as Record<string, unknown>, 0);
  return found;
}

/** The personal fields of `value` (paths as declared) that are present but not sealed. */
export function unsealedPersonalFields(value: unknown, paths: readonly string[]): string[] {
  return paths.filter((path) => valuesAtPath(value, path).some((v) => !isSealedValue(v.value)));
}

/** Fields every recorded event carries. `at` is stamped by the interpreter, never trusted from outside. */
export const eventMetaShape = {
  by: actorSchema,
  at: isoDateTimeSchema.optional(),
};

/** Timer events and linked-journey events are recorded as done by the system. */
export const systemActor: Actor = { role: 'system', id: 'mentorflow' };

export interface EventMeta {
  by: Actor;
  /** When the journey applied the event (ISO 8601). */
  at?: string;
}

/** The clock an event carries, falling back to when the journey started (the init event has none). */
export function eventTime(event: { at?: string } | { type: string }, fallback: string): string {
  return ('at' in event && typeof event.at === 'string' ? event.at : undefined) ?? fallback;
}

// ---------------------------------------------------------------------------------------------
// Effects the machines ask for; the workflow interprets them

export type Recipient = 'coordinator' | 'leadCoordinator' | 'volunteer';

/**
 * A nudge, escalation or reminder: the matter and its facts. The words are not the machine's:
 * presentation/notices.ts words each matter for the emails, the CLI and the web app.
 */
export interface NotifyParams {
  /** Stable name of the matter, e.g. "firstContactOverdue"; the words and templates are chosen by it. */
  about: string;
  /**
   * The words, in effects recorded before presentation/ held them (histories of earlier versions
   * carry them, and they are what was sent then). Machines no longer write them.
   */
  summary?: string;
  whatToDo?: string;
  /** When it fell due, if it is a deadline. */
  dueAt?: string;
  /** Extra facts for the message (counts, dates, opaque ids); never personal data. */
  facts?: Record<string, string | number | boolean>;
}

/**
 * The escalation of a nudge nobody acted on: the same matter, marked with how long the nudge went
 * unanswered (the policy's `escalateUnactedNudgeAfter`), which presentation/ words as "Still not
 * done ... after a nudge". An escalation sent at once (a safeguarding concern) has no such mark.
 */
export function unactedEscalation(notice: NotifyParams, waited: { text: string }): NotifyParams {
  return { ...notice, facts: { ...notice.facts, unactedFor: waited.text } };
}

export interface SupervisionParams {
  /** Stable per session, so a rescheduled session updates the same calendar entry. */
  sessionId: string;
  startsAt: string;
  durationMinutes: number;
  /** Increases with every reschedule of the same session. */
  sequence: number;
}

/** Start the journey of a new match (relationship) between a young person and a volunteer. */
export interface StartMatchParams {
  matchId: string;
  youngPersonId: string;
  volunteerId: string;
  coordinatorId: string;
  peer: boolean;
}

export type JourneyKind = 'youngPerson' | 'volunteer' | 'match';

/** Tell another journey something that happened here (e.g. a match ended). */
export interface TellJourneyParams {
  kind: JourneyKind;
  journeyId: string;
  event: { type: string } & Record<string, unknown>;
}

/**
 * The effect actions a machine may name, with their params. Each machine declares them in
 * `setup({ actions })` with empty implementations (`effects` below), so they are named and typed in
 * the machine while the workflow decides how to carry them out durably.
 */
export interface EffectParams {
  nudgeCoordinator: NotifyParams;
  escalateToLead: NotifyParams;
  remindVolunteer: NotifyParams;
  inviteToSupervision: SupervisionParams;
  cancelSupervision: SupervisionParams;
  startMatchJourney: StartMatchParams;
  tellJourney: TellJourneyParams;
}
export type EffectType = keyof EffectParams;
export const effectTypes: readonly EffectType[] = [
  'nudgeCoordinator',
  'escalateToLead',
  'remindVolunteer',
  'inviteToSupervision',
  'cancelSupervision',
  'startMatchJourney',
  'tellJourney',
];

/** Empty implementations for `setup({ actions: { ...effects, ... } })`: the machine stays pure. */
export const effects = {
  nudgeCoordinator: (_: unknown, _params: NotifyParams) => {},
  escalateToLead: (_: unknown, _params: NotifyParams) => {},
  remindVolunteer: (_: unknown, _params: NotifyParams) => {},
  inviteToSupervision: (_: unknown, _params: SupervisionParams) => {},
  cancelSupervision: (_: unknown, _params: SupervisionParams) => {},
  startMatchJourney: (_: unknown, _params: StartMatchParams) => {},
  tellJourney: (_: unknown, _params: TellJourneyParams) => {},
};

export const NUDGE_TAG_PREFIX = 'nudge:';
/** The tag of a state in which the matter `about` is overdue. */
export function nudgeTag(about: string): string {
  return `${NUDGE_TAG_PREFIX}${about}`;
}

// ---------------------------------------------------------------------------------------------
// The contract between a journey machine and the durable interpreter

/** Fields every journey machine keeps in its context. */
export interface JourneyContextBase {
  journeyId: string;
  coordinatorId: string;
  /** When the journey started (ISO 8601). */
  startedAt: string;
}

export interface JourneyDefinition {
  kind: JourneyKind;
  machine: AnyStateMachine;
  /** Events people record on this journey (Temporal Updates), validated at the edge. */
  recordedEvents: z.ZodType<{ type: string } & EventMeta>;
  /** Events other journeys tell this one (Temporal signals between workflows). */
  linkedEvents: z.ZodType<{ type: string } & EventMeta>;
  /** The machine's input when a journey starts, validated at the edge. */
  input: z.ZodType<unknown>;
  /** A co-ordinator's words for each event, as a verb phrase: "propose a match". */
  eventLabels: Record<string, string>;
  /** A co-ordinator's words for each named delay: "first contact". */
  dueLabels: Record<string, string>;
  /** The events that are decisions, listed in the journey's status. */
  decisionEvents: readonly string[];
  /**
   * Why the machine refuses `event` now, one reason per unmet gate, in a co-ordinator's words;
   * empty when the gates for this event are met (the event may still not apply at this stage).
   */
  unmetGates(snapshot: AnyMachineSnapshot, event: { type: string }): string[];
  /** The stage, a short stable name for lists and search attributes. */
  stage(snapshot: AnyMachineSnapshot): string;
  /** Facts for the status (counts, dates, opaque ids): never personal data. */
  summary(snapshot: AnyMachineSnapshot): Record<string, unknown>;
  /**
   * Facts another journey needs to judge a match proposal (the young person's date of birth,
   * whether they are waiting, their preferred mentor type). Personal data: returned by a Query,
   * never stored in a search attribute or logged.
   */
  matchingProfile?(snapshot: AnyMachineSnapshot): Record<string, unknown>;
  /** Where this journey's personal data is: sealed at the edge, never read by the machine. */
  personalFields: PersonalFields;
  /**
   * Facts the machine needs from personal data, worked out at the edge before it is sealed (the
   * young person's age at referral from their date of birth). Pure.
   */
  deriveBeforeSealing?(input: Record<string, unknown>): Record<string, unknown>;
  /** The journey's sealed personal values by name, for those allowed to read them (Query `personal`). */
  personal?(snapshot: AnyMachineSnapshot): Record<string, unknown>;
}
