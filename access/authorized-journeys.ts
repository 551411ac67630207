/**
 * The journeys API as one principal may use it: the same methods as `Journeys`, each checking the
 * principal first (./permissions). The CLI uses it for every command; a scheme's own scripts
 * should too. A referrer asking about a journey they did not refer gets exactly the answer for a
 * journey that does not exist. `personal()` decides from the principal whether personal fields
 * are opened, whatever the caller asks.
 */
import {
  JourneyNotFoundError,
  JourneyRefusedError,
  Journeys,
  type JourneyClientOptions,
  type JourneyFilter,
  type ProposeMatchArgs,
  type ShortlistArgs,
  type RecordOptions,
  type JourneyListing,
} from '../client/journeys';
import type { DuePage, DuePageOptions } from '../client/due-order';
import type { Actor, JourneyKind } from '../machines/journey';
import type { JourneyStatus, RecordedEvent } from '../contracts/messages';
import type { MatchPlan, Shortlist } from '../matching';
import { workflowIdFor } from '../contracts/ids';
import { PersonErasedError, PersonKeyMissingError, SEALED_PLACEHOLDER, type ErasureRecord, type PersonalData } from '../privacy';
import type { VolunteerAddress } from '../activities/notifications/requests';
import { AccessDeniedError, actorOf, can, demand, type AccessOptions, type Permission, type Principal } from './permissions';

export class AuthorizedJourneys extends Journeys {
  private readonly personalData: PersonalData;

  constructor(
    options: JourneyClientOptions,
    readonly principal: Principal,
    private readonly access: AccessOptions = {},
  ) {
    super(options);
    this.personalData = options.personalData;
  }

  /** May the principal do this (for a command deciding what to show)? */
  can(permission: Permission): boolean {
    return can(this.principal, permission, this.access);
  }

  private demand(permission: Permission): void {
    demand(this.principal, permission, this.access);
  }

  /** Events and proposals are recorded in the principal's own name, never someone else's. */
  private demandOwnName(by: Actor | undefined): void {
    const own = actorOf(this.principal);
    if (!by || by.role !== own.role || by.id !== own.id) {
      throw new AccessDeniedError(this.principal, undefined, `may record only in their own name (${own.role}:${own.id}), not as ${by ? `${by.role}:${by.id}` : 'nobody'}`);
    }
  }

  /**
   * Co-ordinators start any journey. A referrer starts a young person's journey whose `referredBy`
   * is themselves, and nothing else.
   */
  override async start(
    kind: JourneyKind,
    start: Record<string, unknown>,
    extras: { contact?: VolunteerAddress } = {},
  ): Promise<{ workflowId: string; journeyId: string; alreadyStarted: boolean }> {
    if (this.principal.role !== 'referrer') {
      this.demand(kind === 'youngPerson' ? 'refer' : 'startJourney');
      return super.start(kind, start, extras);
    }
    if (kind !== 'youngPerson') this.demand('startJourney');
    this.demand('refer');
    const referredBy = (start.referral as { referredBy?: Actor } | undefined)?.referredBy;
    if (!referredBy || referredBy.role !== 'referrer' || referredBy.id !== this.principal.id) {
      throw new AccessDeniedError(
        this.principal,
        'refer',
        `may refer only in their own name (referredBy referrer:${this.principal.id}${referredBy ? `, not ${referredBy.role}:${referredBy.id}` : ''})`,
      );
    }
    const started = await super.start(kind, start, extras);
    // An id already in use is the referrer's own referral (said so), or a journey they may not know of.
    if (started.alreadyStarted && !(await this.referredByPrincipal(kind, started.journeyId))) {
      throw new AccessDeniedError(this.principal, 'refer', `cannot use the journey id ${started.journeyId}: leave the id to mentorflow`);
    }
    return started;
  }

  private async referredByPrincipal(kind: JourneyKind, journeyId: string): Promise<boolean> {
    if (kind !== 'youngPerson') return false;
    return isReferredBy(await super.status(kind, journeyId), this.principal);
  }

  override async record(kind: JourneyKind, journeyId: string, event: RecordedEvent, options: RecordOptions = {}): Promise<JourneyStatus> {
    this.demand('record');
    this.demandOwnName(event.by);
    return super.record(kind, journeyId, event, options);
  }

  override async status(kind: JourneyKind, journeyId: string): Promise<JourneyStatus> {
    this.demand('readStatus');
    if (this.principal.role !== 'referrer') return super.status(kind, journeyId);
    const notFound = new JourneyNotFoundError(workflowIdFor(kind, journeyId));
    if (kind !== 'youngPerson') throw notFound;
    const status = await super.status(kind, journeyId);
    if (!isReferredBy(status, this.principal)) throw notFound;
    return status;
  }

  /**
   * Personal fields opened for a principal who may read personal data, placeholders for anyone
   * else (an auditor not granted, a referrer for their own referral). `options.granted` is ignored.
   */
  override async personal(kind: JourneyKind, journeyId: string, _options: { granted: boolean } = { granted: false }): Promise<Record<string, unknown>> {
    // A referrer: only their own referral (else the same answer as for no journey at all).
    if (this.principal.role === 'referrer') await this.status(kind, journeyId);
    else this.demand('readStatus');
    return super.personal(kind, journeyId, { granted: this.can('readPersonalData') });
  }

  override async proposeMatch(args: ProposeMatchArgs): Promise<{ matchId: string; volunteer: JourneyStatus }> {
    this.demand('proposeMatch');
    this.demandOwnName(args.by);
    return super.proposeMatch(args);
  }

  /** Matching help reads every volunteer at a matching stage: for those who may propose matches. */
  override async shortlist(youngPersonId: string, options: ShortlistArgs): Promise<Shortlist> {
    this.demand('proposeMatch');
    this.demandOwnName(options.by);
    return super.shortlist(youngPersonId, options);
  }

  override async matchPlan(options: { by: Actor }): Promise<MatchPlan> {
    this.demand('proposeMatch');
    this.demandOwnName(options.by);
    return super.matchPlan(options);
  }

  /** Whether an id is taken: for those who may import (a referrer must not probe ids). */
  override async exists(kind: JourneyKind, journeyId: string): Promise<boolean> {
    this.demand('import');
    return super.exists(kind, journeyId);
  }

  /**
   * Which kinds of journey have this id, among those the principal may see: a referrer learns of
   * their own referrals only (any other id is "not found", as for status).
   */
  override async kindsOf(journeyId: string): Promise<JourneyKind[]> {
    this.demand('readStatus');
    if (this.principal.role !== 'referrer') return super.kindsOf(journeyId);
    // Only "no such journey" means none: a server that cannot be reached is an error, not an answer.
    const theirs = await this.referredByPrincipal('youngPerson', journeyId).catch((error: unknown) => {
      if (error instanceof JourneyNotFoundError) return false;
      throw error;
    });
    return theirs ? ['youngPerson'] : [];
  }

  override async recordedEventCount(kind: JourneyKind, journeyId: string): Promise<number> {
    this.demand('import');
    return super.recordedEventCount(kind, journeyId);
  }

  override async caseload(coordinatorId: string, options: { includeClosed?: boolean } = {}): Promise<JourneyListing[]> {
    this.demand('listJourneys');
    return super.caseload(coordinatorId, options);
  }

  override async find(filter: JourneyFilter = {}): Promise<JourneyListing[]> {
    this.demand('listJourneys');
    return super.find(filter);
  }

  override async findPage(filter: JourneyFilter, page: { offset: number; limit: number }, options: DuePageOptions = {}): Promise<DuePage> {
    this.demand('listJourneys');
    return super.findPage(filter, page, options);
  }

  override async dueAcrossScheme(filter: { coordinatorId?: string } = {}): Promise<JourneyListing[]> {
    this.demand('listJourneys');
    return super.dueAcrossScheme(filter);
  }

  // -------------------------------------------------------------------------------------------
  // Erasure (docs/privacy.md "Erasure")

  /**
   * The names of the personal fields a journey holds (paths such as `referral.dateOfBirth`), never
   * their values: what an erasure would make unreadable.
   */
  async personalFieldNames(kind: JourneyKind, journeyId: string): Promise<string[]> {
    this.demand('erase');
    const hidden = await super.personal(kind, journeyId, { granted: false });
    return pathsWhere(hidden, (v) => v === SEALED_PLACEHOLDER);
  }

  /**
   * Destroy the person's own key: their personal fields become unreadable everywhere, for good.
   * The record says who, when and why, never what was erased. Subject: the journey's workflow id.
   */
  erasePersonalData(kind: JourneyKind, journeyId: string, reason: string, now = new Date()): ErasureRecord {
    this.demand('erase');
    try {
      return this.personalData.keys.erase(workflowIdFor(kind, journeyId), actorOf(this.principal), reason, now);
    } catch (error) {
      // Refusals, with the same codes for the CLI and the API (an erasure asked for twice is not an error of ours).
      if (error instanceof PersonErasedError) throw new JourneyRefusedError('PERSON.ALREADY_ERASED', error.message, [describeErasure(error.erasure)]);
      if (error instanceof PersonKeyMissingError) throw new JourneyRefusedError('PERSON.NO_KEY', error.message, [error.message]);
      throw error;
    }
  }

  /** Every erasure record, oldest first. */
  erasures(): ErasureRecord[] {
    return erasuresFor(this.principal, this.personalData, this.access);
  }
}

/** Every erasure record, oldest first, for a principal who may read them (no Temporal needed). */
export function erasuresFor(principal: Principal, personalData: PersonalData, access: AccessOptions = {}): ErasureRecord[] {
  demand(principal, 'readErasures', access);
  return personalData.keys.erasures();
}

function isReferredBy(status: JourneyStatus, principal: Principal): boolean {
  const referredBy = status.facts.referredBy as Actor | undefined;
  return referredBy?.role === 'referrer' && referredBy.id === principal.id;
}

/** The dotted paths of the leaves of `value` for which `test` holds (array items count as their array). */
function pathsWhere(value: unknown, test: (leaf: unknown) => boolean, prefix = ''): string[] {
  if (Array.isArray(value)) return value.some((item) => pathsWhere(item, test).length > 0 || test(item)) ? [prefix] : [];
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => pathsWhere(inner, test, prefix ? `${prefix}.${key}` : key));
  }
  return test(value) ? [prefix] : [];
}

/** An erasure record in words: who, when and why, never what. */
export function describeErasure(r: ErasureRecord): string {
  return `the personal data of ${r.subject} (key ${r.keyId}), erased on ${r.erasedAt.replace('T', ' ').slice(0, 16)} UTC by ${r.erasedBy.role} ${r.erasedBy.id}; reason: ${r.reason}`;
}
