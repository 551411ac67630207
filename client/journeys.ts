/**
 * The library API for everything outside the worker (the CLI, a scheme's scripts, tests): start
 * journeys, record events, read status and caseloads. Every input is validated here with the same
 * zod schemas the workflows use, so a mistake is explained before anything reaches Temporal.
 */
import { createHmac, randomBytes } from 'node:crypto';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowExecutionInfo,
} from '@temporalio/client';
import { ApplicationFailure, WorkflowIdReusePolicy, type QueryDefinition } from '@temporalio/common';
import { isSealedValue, type Actor, type JourneyKind } from '../machines/journey';
import { eligibilityProblems, type Referral } from '../machines/young-person';
import type { SchemePolicy } from '../machines/policy';
import { workflowIdFor, workflowTypes, journeyOfWorkflowId } from '../contracts/ids';
import { PersonErasedError, type PersonalData } from '../privacy';
import { matchPlan, proposalFor, shortlist, type MatchPlan, type Shortlist } from '../matching';
import { loadVolunteers, loadYoungPeople, loadYoungPerson, type MatchingReader } from './matching';
import { matchingProfileQuery, personalQuery, recordEvent, snapshotQuery, statusQuery, type JourneyStatus, type JourneyWorkflowInput, type RecordedEvent } from '../contracts/messages';
import { currentVersions, journeys } from '../machines/registry';
import {
  MentorflowCoordinatorId,
  MentorflowJourneyKind,
  MentorflowNextDue,
  MentorflowNextDueAt,
  MentorflowOpenNudges,
  MentorflowOverdueSince,
  MentorflowStage,
  MentorflowState,
} from '../contracts/search-attributes';
import type { VolunteerAddress } from '../activities/notifications/requests';
import { issueReasons } from '../contracts/refusals';
import { duePage, sortByDue, type DuePage, type DuePageOptions, type DueVisibility, type SegmentQuery } from './due-order';

/** A refused event or start: which gates are unmet, in a co-ordinator's words. */
export class JourneyRefusedError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly reasons: string[],
  ) {
    super(message);
    this.name = 'JourneyRefusedError';
  }
}

export class JourneyNotFoundError extends Error {
  readonly code = 'JOURNEY.NOT_FOUND';
  constructor(readonly workflowId: string) {
    super(`no journey ${workflowId}`);
    this.name = 'JourneyNotFoundError';
  }
}

export interface JourneyClientOptions {
  client: Client;
  taskQueue: string;
  policy: SchemePolicy;
  /** Continue-as-new threshold for new journeys (tests set it low). */
  continueAsNewAfterEvents?: number;
  /** Set false on a server without the mentorflow search attributes. */
  indexed?: boolean;
  /**
   * Seals personal fields with each person's own key before anything reaches Temporal, and opens
   * them for those allowed to read them (privacy/sealing.ts). The client must be built with the
   * scheme's data converter (privacy/data-converter.ts) too.
   */
  personalData: PersonalData;
}

/** A fresh opaque id, e.g. "yp-7k3m9q2x4d": never derived from personal data. */
export function newJourneyId(prefix: 'yp' | 'vol' | 'm'): string {
  return journeyIdFrom(prefix, randomBytes(10));
}

/**
 * The same id every time for the same retried request (an API caller's Idempotency-Key, with who
 * sent it): a keyed hash, so it tells nothing of the key and never anything of the person.
 */
export function journeyIdForRequest(prefix: 'yp' | 'vol' | 'm', requester: string, key: string): string {
  return journeyIdFrom(prefix, createHmac('sha256', 'mentorflow-idempotency').update(`${requester}\n${key}`).digest().subarray(0, 10));
}

function journeyIdFrom(prefix: 'yp' | 'vol' | 'm', bytes: Uint8Array): string {
  const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
  let id = '';
  for (const byte of bytes) id += alphabet[byte % alphabet.length];
  return `${prefix}-${id}`;
}

export class Journeys {
  constructor(private readonly options: JourneyClientOptions) {}

  /**
   * Start a journey. `start` is the machine's input (validated with the journey's schema);
   * starting the same journey id twice is refused, so an import can safely run again.
   */
  async start(
    kind: JourneyKind,
    start: Record<string, unknown>,
    extras: { contact?: VolunteerAddress; imported?: boolean } = {},
  ): Promise<{ workflowId: string; journeyId: string; alreadyStarted: boolean }> {
    const definition = journeys[kind];
    const parsed = definition.input.safeParse(start);
    if (!parsed.success) {
      const reasons = issueReasons(parsed.error, 'input');
      throw new JourneyRefusedError('EVENT.INVALID', `cannot start the journey: ${reasons.join('; ')}`, reasons);
    }
    const plain = parsed.data as JourneyWorkflowInput['start'];
    // A referral the scheme cannot take is refused with its reasons before any journey starts
    // (the machine would only end it). An import brings journeys that were taken on already.
    if (kind === 'youngPerson' && !extras.imported) {
      const problems = eligibilityProblems(plain.referral as Referral, plain.startedAt, this.options.policy);
      if (problems.length > 0) {
        throw new JourneyRefusedError('REFERRAL.NOT_ELIGIBLE', `cannot refer: not eligible under the scheme policy: ${problems.join('; ')}`, problems);
      }
    }
    const workflowId = workflowIdFor(kind, plain.journeyId);
    // Personal fields are sealed with the person's own key: the history never holds them in the clear.
    const { input, contact } = this.sealing(() => ({
      input: this.options.personalData.sealInput(definition, plain, workflowId) as JourneyWorkflowInput['start'],
      contact: extras.contact ? this.options.personalData.seal(workflowId, extras.contact) : undefined,
    }));
    const args: JourneyWorkflowInput = {
      start: input,
      policy: this.options.policy,
      machineVersion: currentVersions[kind],
      ...(contact ? { contact } : {}),
      ...(extras.imported ? { imported: true } : {}),
      ...(this.options.continueAsNewAfterEvents ? { continueAsNewAfterEvents: this.options.continueAsNewAfterEvents } : {}),
      ...(this.options.indexed === false ? { indexed: false } : {}),
    };
    try {
      await this.options.client.workflow.start(workflowTypes[kind], {
        workflowId,
        taskQueue: this.options.taskQueue,
        // A journey that has ended is never started afresh under the same id (an import run again
        // after a young person withdrew must not bring their journey back).
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        args: [args],
        ...(this.options.indexed === false
          ? {}
          : {
              typedSearchAttributes: [
                { key: MentorflowJourneyKind, value: kind },
                { key: MentorflowCoordinatorId, value: input.coordinatorId },
              ],
            }),
      });
      return { workflowId, journeyId: input.journeyId, alreadyStarted: false };
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) {
        return { workflowId, journeyId: input.journeyId, alreadyStarted: true };
      }
      throw error;
    }
  }

  /** Record an event; resolves with the new status, or throws JourneyRefusedError naming the unmet gates. */
  /**
   * `options.updateId`: a retried request gives the same id and Temporal applies the event once,
   * answering the retry with the first answer.
   */
  async record(kind: JourneyKind, journeyId: string, event: RecordedEvent, options: RecordOptions = {}): Promise<JourneyStatus> {
    const definition = journeys[kind];
    const parsed = definition.recordedEvents.safeParse(event);
    if (!parsed.success) {
      const reasons = issueReasons(parsed.error, 'event');
      const label = definition.eventLabels[event.type] ?? `record '${event.type}'`;
      throw new JourneyRefusedError('EVENT.INVALID', `cannot ${label}: ${reasons.join('; ')}`, reasons);
    }
    const workflowId = workflowIdFor(kind, journeyId);
    const sealed = this.sealing(() => this.options.personalData.sealEvent(definition, event, workflowId));
    const handle = this.options.client.workflow.getHandle(workflowId);
    try {
      return await handle.executeUpdate(recordEvent, { args: [sealed], ...(options.updateId ? { updateId: options.updateId } : {}) });
    } catch (error) {
      // No such journey is said so (404 from the API), never an unexpected error.
      if ((error as Error).name === 'WorkflowNotFoundError') throw new JourneyNotFoundError(workflowId);
      throw asRefusal(error) ?? error;
    }
  }

  /**
   * Whether a journey with this id was ever started, running or ended. Starting an id whose journey
   * has ended would otherwise start it afresh (Temporal allows a new run once the last one closed),
   * so a second import after a young person withdrew would bring them back.
   */
  async exists(kind: JourneyKind, journeyId: string): Promise<boolean> {
    return this.workflowExists(kind, journeyId);
  }

  private async workflowExists(kind: JourneyKind, journeyId: string): Promise<boolean> {
    try {
      await this.options.client.workflow.getHandle(workflowIdFor(kind, journeyId)).describe();
      return true;
    } catch (error) {
      if ((error as Error).name === 'WorkflowNotFoundError') return false;
      throw error;
    }
  }

  /** Which kinds of journey have this id (an imported id may have any form; usually one kind). */
  async kindsOf(journeyId: string): Promise<JourneyKind[]> {
    const kinds = Object.keys(workflowTypes) as JourneyKind[];
    const found = await Promise.all(kinds.map((kind) => this.workflowExists(kind, journeyId)));
    return kinds.filter((_, i) => found[i]);
  }

  /**
   * How many events people have recorded on a journey, from its history (an accepted `record`
   * Update is an event; a refused one leaves no trace). A journey that has continued as new has
   * long outgrown its import: everything counts as recorded.
   */
  async recordedEventCount(kind: JourneyKind, journeyId: string): Promise<number> {
    const history = await this.options.client.workflow.getHandle(workflowIdFor(kind, journeyId)).fetchHistory();
    let count = 0;
    for (const event of history.events ?? []) {
      if (event.workflowExecutionStartedEventAttributes?.continuedExecutionRunId) return Number.POSITIVE_INFINITY;
      if (event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'record') count++;
    }
    return count;
  }

  async status(kind: JourneyKind, journeyId: string): Promise<JourneyStatus> {
    return this.query(kind, journeyId, statusQuery);
  }

  /**
   * The journey's personal values: opened when `granted` (a co-ordinator; an auditor granted
   * personal data), otherwise each replaced by a placeholder. An erased person's values read
   * "[erased on <date>]".
   */
  async personal(kind: JourneyKind, journeyId: string, options: { granted: boolean }): Promise<Record<string, unknown>> {
    const sealed = await this.query(kind, journeyId, personalQuery);
    return this.options.personalData.reveal(sealed, options.granted);
  }

  /** A query of one journey; a journey that does not exist is JourneyNotFoundError. */
  private async query<T>(kind: JourneyKind, journeyId: string, query: QueryDefinition<T>): Promise<T> {
    const workflowId = workflowIdFor(kind, journeyId);
    try {
      return await this.options.client.workflow.getHandle(workflowId).query(query);
    } catch (error) {
      if ((error as Error).name === 'WorkflowNotFoundError') throw new JourneyNotFoundError(workflowId);
      throw error;
    }
  }

  /** Sealing refused because the person was erased: a refusal that says so, never a crash. */
  private sealing<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      if (error instanceof PersonErasedError) throw new JourneyRefusedError('PERSON.ERASED', `cannot record personal data: ${error.message}`, [error.message]);
      throw error;
    }
  }

  /**
   * Propose a match between a young person and a volunteer. The volunteer's journey judges every
   * gate (vetting, references, training, suitability, peer criteria and age gap, the young person
   * waiting, what their past matches say) and, if all are met, starts the match journey. Nothing is
   * recorded when refused. The proposal is the one the shortlist judged (matching/candidates.ts).
   */
  async proposeMatch(args: ProposeMatchArgs): Promise<{ matchId: string; volunteer: JourneyStatus }> {
    const reader = this.matchingReader();
    const youngPerson = await loadYoungPerson(reader, args.youngPersonId);
    if (!youngPerson) throw new JourneyRefusedError('STAGE.NOT_NOW', 'cannot propose a match: the young person is not on a journey that can be matched', ['not a young person']);
    const mentor = (await this.query('volunteer', args.volunteerId, matchingProfileQuery)) as {
      type: 'peer' | 'traditional';
      dateOfBirth?: unknown;
      agesWilling?: { from: number; to: number };
    } | null;
    if (!mentor) throw new JourneyRefusedError('STAGE.NOT_NOW', 'cannot propose a match: the volunteer is not on a journey that can be matched', ['not a volunteer']);
    const matchId = args.matchId ?? newJourneyId('m');
    // The age gap is worked out from both dates of birth, opened for the moment, so that neither
    // date enters the other person's journey.
    const dateOfBirth = mentor.type === 'peer' ? this.sealing(() => this.dateOf(mentor.dateOfBirth)) : undefined;
    const proposal = proposalFor(
      youngPerson,
      { journeyId: args.volunteerId, type: mentor.type, ...(dateOfBirth ? { dateOfBirth } : {}), ...(mentor.agesWilling ? { agesWilling: mentor.agesWilling } : {}) },
      // The young person's age on the volunteer journey's own day, as the shortlist works it out.
      { matchId, ...(mentor.agesWilling ? { on: (await this.query('volunteer', args.volunteerId, snapshotQuery)).at } : {}), ...(args.proposeAgain ? { proposeAgain: true } : {}) },
    );
    const volunteer = await this.record('volunteer', args.volunteerId, { ...proposal, by: args.by }, args.updateId ? { updateId: args.updateId } : {});
    return { matchId, volunteer };
  }

  /**
   * The explained shortlist for one young person: every volunteer who may be proposed now, best
   * first, with reasons; and every other volunteer at a matching stage, with the gates they fail.
   */
  async shortlist(youngPersonId: string, options: ShortlistArgs): Promise<Shortlist> {
    const reader = this.matchingReader();
    const youngPerson = await loadYoungPerson(reader, youngPersonId);
    if (!youngPerson) throw new JourneyRefusedError('STAGE.NOT_NOW', `no shortlist: ${youngPersonId} is not a young person's journey`, ['not a young person']);
    const volunteers = await loadVolunteers(reader, options.volunteerIds ?? (await this.volunteersWhoMayBeProposed()));
    return shortlist(youngPerson, volunteers, this.options.policy, { by: options.by, ...(options.proposeAgain ? { proposeAgain: true } : {}) });
  }

  /** The plan across the waiting list, for the co-ordinator to review: nothing is proposed. */
  async matchPlan(options: { by: Actor }): Promise<MatchPlan> {
    const reader = this.matchingReader();
    const waiting = await this.list(`${MentorflowJourneyKind.name} = 'youngPerson' AND ${MentorflowStage.name} = 'waitingForMatch' AND ExecutionStatus = 'Running'`);
    const [youngPeople, volunteers] = await Promise.all([
      loadYoungPeople(reader, waiting.map((l) => l.journeyId).filter((id): id is string => id !== null)),
      this.volunteersWhoMayBeProposed().then((ids) => loadVolunteers(reader, ids)),
    ]);
    return matchPlan(youngPeople, volunteers, this.options.policy, { by: options.by, now: new Date().toISOString() });
  }

  /** Volunteers at a stage where a proposal may be made: found ready, with or without a match. */
  private async volunteersWhoMayBeProposed(): Promise<string[]> {
    const listings = await this.list(
      `${MentorflowJourneyKind.name} = 'volunteer' AND ${MentorflowStage.name} IN ('available', 'matched') AND ExecutionStatus = 'Running'`,
    );
    return listings.map((l) => l.journeyId).filter((id): id is string => id !== null).sort();
  }

  private dateOf(value: unknown): string {
    return String(isSealedValue(value) ? this.options.personalData.open(value) : value);
  }

  private matchingReader(): MatchingReader {
    return {
      matchingProfile: (kind, journeyId) => this.query(kind, journeyId, matchingProfileQuery),
      snapshot: (kind, journeyId) => this.query(kind, journeyId, snapshotQuery),
      matchFacts: async (matchId) => {
        try {
          return (await this.status('match', matchId)).facts as Record<string, unknown>;
        } catch (error) {
          if (error instanceof JourneyNotFoundError) return null;
          throw error;
        }
      },
      open: (sealed) => this.options.personalData.open(sealed),
    };
  }

  /** Journeys on a co-ordinator's caseload, from the search attributes (opaque ids only). */
  async caseload(coordinatorId: string, options: { includeClosed?: boolean } = {}): Promise<JourneyListing[]> {
    const open = options.includeClosed ? '' : ` AND ExecutionStatus = 'Running'`;
    return this.list(`${MentorflowCoordinatorId.name} = '${escapeQuery(coordinatorId)}'${open}`);
  }

  /**
   * Journeys matching a filter, from the search attributes (opaque ids, stages and dates only):
   * overdue first (longest first), then by next due date, then the rest.
   */
  async find(filter: JourneyFilter = {}): Promise<JourneyListing[]> {
    return sortByDue(await this.list(filterQuery(filter)));
  }

  /**
   * One page of `find`, in the same order, without listing every journey the filter matches
   * (client/due-order.ts): what the web app's Caseload and the HTTP API's list show.
   */
  async findPage(filter: JourneyFilter, page: { offset: number; limit: number }, options: DuePageOptions = {}): Promise<DuePage> {
    const query = ({ segment, before }: SegmentQuery) => {
      if (!segment) return filterQuery(filter);
      const [dated, other] = segment === 'overdue' ? [MentorflowOverdueSince, undefined] : [MentorflowNextDueAt, MentorflowOverdueSince];
      const clauses =
        segment === 'none'
          ? [`${MentorflowOverdueSince.name} IS NULL`, `${MentorflowNextDueAt.name} IS NULL`]
          : [`${dated.name} IS NOT NULL`, ...(other ? [`${other.name} IS NULL`] : []), ...(before ? [`${dated.name} < '${before}'`] : [])];
      return [filterQuery(filter), ...clauses].join(' AND ');
    };
    const visibility: DueVisibility = {
      count: async (q) => (await this.options.client.workflow.count(query(q))).count,
      list: (q, limit) => this.list(query(q), limit),
    };
    return duePage(visibility, page.offset, page.limit, options);
  }

  /** What is overdue (longest first), then what is due (soonest first), across the scheme or on one co-ordinator's caseload. */
  async dueAcrossScheme(filter: { coordinatorId?: string } = {}): Promise<JourneyListing[]> {
    const listings = await this.list(`${filterQuery(filter)} AND (${MentorflowNextDueAt.name} IS NOT NULL OR ${MentorflowOverdueSince.name} IS NOT NULL)`);
    return sortByDue(listings);
  }

  /** The journeys a visibility query lists: all, or the first `limit` in visibility's own order. */
  private async list(query: string, limit?: number): Promise<JourneyListing[]> {
    const rows: JourneyListing[] = [];
    if (limit === 0) return rows;
    for await (const info of this.options.client.workflow.list({ query, ...(limit ? { pageSize: limit } : {}) })) {
      rows.push(listingOf(info));
      if (rows.length === limit) break;
    }
    return rows;
  }
}

export interface RecordOptions {
  /** Temporal's Update id: the same id is applied once (an API request's Idempotency-Key). */
  updateId?: string;
}

export interface ProposeMatchArgs {
  youngPersonId: string;
  volunteerId: string;
  by: Actor;
  matchId?: string;
  /** The co-ordinator decides to propose the young person's previous mentor again (a rematch). */
  proposeAgain?: boolean;
  updateId?: string;
}

export interface ShortlistArgs {
  by: Actor;
  /** The co-ordinator decides that the young person's previous mentor may be proposed again. */
  proposeAgain?: boolean;
  /** Judge these volunteers only (default: every volunteer at a matching stage, from the search attributes). */
  volunteerIds?: string[];
}

export interface JourneyFilter {
  kind?: JourneyKind;
  stage?: string;
  coordinatorId?: string;
  /** Only journeys with something overdue. */
  overdue?: boolean;
  /** Ended journeys too (default: running only). */
  includeClosed?: boolean;
}


export interface JourneyListing {
  workflowId: string;
  kind: JourneyKind | null;
  journeyId: string | null;
  stage: string | null;
  coordinatorId: string | null;
  nextDueAt: string | null;
  /** Since when something on the journey has been overdue (its oldest open nudge), or null. */
  overdueSince: string | null;
  running: boolean;
  /**
   * The full machine state, the matters of the open nudges (oldest first) and what falls due next,
   * so that a list can show what each journey needs without asking it. All null for a journey that
   * has taken no step since these were indexed (docs/versioning.md, `index-open-nudges`).
   */
  state: string | null;
  openNudges: string[] | null;
  nextDueWhat: string | null;
}

function listingOf(info: WorkflowExecutionInfo): JourneyListing {
  const sa = info.typedSearchAttributes;
  const nextDue = sa.get(MentorflowNextDueAt);
  const overdueSince = sa.get(MentorflowOverdueSince);
  const state = sa.get(MentorflowState) ?? null;
  const parsedId = journeyOfWorkflowId(info.workflowId);
  return {
    workflowId: info.workflowId,
    kind: (sa.get(MentorflowJourneyKind) as JourneyKind | undefined) ?? parsedId?.kind ?? null,
    journeyId: parsedId?.journeyId ?? null,
    stage: sa.get(MentorflowStage) ?? null,
    coordinatorId: sa.get(MentorflowCoordinatorId) ?? null,
    nextDueAt: nextDue ? nextDue.toISOString() : null,
    overdueSince: overdueSince ? overdueSince.toISOString() : null,
    running: info.status.name === 'RUNNING',
    state,
    // Indexed with the state: an empty list is unset in visibility, and means none open.
    openNudges: state === null ? null : (sa.get(MentorflowOpenNudges) ?? []),
    nextDueWhat: state === null ? null : (sa.get(MentorflowNextDue) ?? null),
  };
}

/** The visibility query of a filter: journeys only, running unless ended ones are asked for. */
function filterQuery(filter: JourneyFilter): string {
  const clauses = [
    filter.includeClosed ? undefined : `ExecutionStatus = 'Running'`,
    filter.kind ? `${MentorflowJourneyKind.name} = '${escapeQuery(filter.kind)}'` : undefined,
    filter.stage ? `${MentorflowStage.name} = '${escapeQuery(filter.stage)}'` : undefined,
    filter.coordinatorId ? `${MentorflowCoordinatorId.name} = '${escapeQuery(filter.coordinatorId)}'` : undefined,
    filter.overdue ? `${MentorflowOverdueSince.name} IS NOT NULL` : undefined,
  ].filter(Boolean);
  // Every journey workflow carries its kind: a query with no other clause still lists journeys only.
  return [`${MentorflowJourneyKind.name} IS NOT NULL`, ...clauses].join(' AND ');
}

function escapeQuery(value: string): string {
  return value.replace(/['\\]/g, '');
}

/** The error says Temporal could not be reached (not running, wrong address): for the CLI's and the server's messages. */
export function isTemporalUnreachable(error: unknown): boolean {
  const e = error as Error | undefined;
  if (!e || typeof e !== 'object') return false;
  return (
    e.name === 'TransportError' ||
    (e.name === 'ServiceError' && /UNAVAILABLE|connect/i.test(e.message)) ||
    /Failed to connect|ECONNREFUSED|Connection refused|tcp connect error/i.test(e.message ?? '')
  );
}

/** Turn a refused Update into a JourneyRefusedError, or undefined if it is another failure. */
export function asRefusal(error: unknown): JourneyRefusedError | undefined {
  if (!(error instanceof WorkflowUpdateFailedError)) return undefined;
  const cause = error.cause;
  if (!(cause instanceof ApplicationFailure)) return undefined;
  const details = (cause.details?.[0] ?? {}) as { reasons?: string[] };
  return new JourneyRefusedError(cause.type ?? 'REFUSED', cause.message, details.reasons ?? [cause.message]);
}
