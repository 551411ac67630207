/**
 * What the volunteer's journey remembers, and the facts derived from it (is the check in force,
 * how many references count). Kept apart from the machine so the gates and the status read the
 * same facts the machine decides on.
 */
import { addDuration, wholeYearsBetween } from '../duration';
import type { JourneyContextBase } from '../journey';
import type { SchemePolicy } from '../policy';
import type {
  CheckDecision,
  CheckType,
  ExitReason,
  SuitabilityOutcome,
  MatchingProfile,
  VolunteerInput,
  VolunteerProfile,
} from './events';

/** A safeguarding check's metadata: never the disclosure content. */
export interface CheckRecord {
  checkType: CheckType;
  issuedOn: string;
  referenceNumber: string;
  decision: CheckDecision;
  /** The first day the check is no longer valid. */
  expiresOn: string;
  recordedAt: string;
}

export interface RenewalReminder {
  /** The policy's text, e.g. "60 days". */
  before: string;
  at: string;
}

export interface MatchRecord {
  matchId: string;
  youngPersonId: string;
  status: 'proposed' | 'active';
  proposedAt: string;
  startedAt?: string;
}

export interface SupervisionSession {
  sessionId: string;
  startsAt: string;
  sequence: number;
}

export interface VolunteerContext extends JourneyContextBase {
  policy: SchemePolicy;
  volunteer: VolunteerProfile;
  /** A face-to-face interview with the outcome "proceed". */
  interviewPassedAt?: string;
  /** When the current spell of vetting began, for the pending nudge. */
  vettingSince?: string;
  /** The check in force: the latest one recorded, except that a pending one never displaces a decision. */
  check?: CheckRecord;
  /** A check applied for while a decided one (clear or not) is on record, e.g. a renewal. */
  pendingCheck?: CheckRecord;
  checksRecorded: number;
  /** Renewal reminders still to come for the check in force, planned when it became valid. */
  renewalReminders: RenewalReminder[];
  renewalRemindersSent: number;
  references: { refereeRef: string; satisfactory: boolean }[];
  training: { hours: number; sessions: number; topics: string[]; completedAt?: string };
  suitability?: { outcome: SuitabilityOutcome; reviewedAt: string };
  peerCriteria?: { ownSupportInPlace: boolean; confirmedAt: string };
  /** Current matches: proposed (not yet started) or active. Ended and declined ones leave. */
  matches: MatchRecord[];
  matchesProposed: number;
  /** What matching reads (docs/matching.md); absent until recorded. */
  matchingProfile?: MatchingProfile;
  /** When a match last closed (declined or ended): matching spreads the work by time waited. */
  lastMatchClosedAt?: string;
  supervision: { scheduled: number; attended: number; missed: number; current?: SupervisionSession };
  exit?: { reason: ExitReason | 'notProceeded'; referenceGiven?: boolean; at: string };
  returns: number;
}

export function initialContext(input: VolunteerInput): VolunteerContext {
  return {
    journeyId: input.journeyId,
    coordinatorId: input.coordinatorId,
    startedAt: input.startedAt,
    policy: input.policy,
    volunteer: { ...input.volunteer },
    checksRecorded: 0,
    renewalReminders: [],
    renewalRemindersSent: 0,
    references: [],
    training: { hours: 0, sessions: 0, topics: [] },
    matches: [],
    matchesProposed: 0,
    supervision: { scheduled: 0, attended: 0, missed: 0 },
    returns: 0,
  };
}

/** The instant a check stops being valid: the start of its expiry date (UTC). */
export function checkExpiresAt(check: Pick<CheckRecord, 'expiresOn'>): string {
  return `${check.expiresOn}T00:00:00.000Z`;
}

/** The expiry date of a check recorded without one: issued + the policy's validity. */
export function defaultExpiresOn(issuedOn: string, policy: SchemePolicy): string {
  return addDuration(`${issuedOn}T00:00:00.000Z`, policy.volunteer.checkValidFor).slice(0, 10);
}

export type CheckStatus = 'none' | 'pending' | 'notClear' | 'expired' | 'valid';

export function checkStatus(check: CheckRecord | undefined, now: string): CheckStatus {
  if (!check) return 'none';
  if (check.decision !== 'clear') return check.decision;
  return Date.parse(now) >= Date.parse(checkExpiresAt(check)) ? 'expired' : 'valid';
}

export function satisfactoryReferences(context: Pick<VolunteerContext, 'references'>): number {
  return context.references.filter((r) => r.satisfactory).length;
}

export function activeMatches(context: Pick<VolunteerContext, 'matches'>): MatchRecord[] {
  return context.matches.filter((m) => m.status === 'active');
}

export function isPeer(context: Pick<VolunteerContext, 'volunteer'>): boolean {
  return context.volunteer.type === 'peer';
}

export function yearsSinceLeavingCare(context: Pick<VolunteerContext, 'volunteer'>, now: string): number | undefined {
  const { leftCareOn } = context.volunteer;
  return leftCareOn === undefined ? undefined : wholeYearsBetween(leftCareOn, now);
}

/** How many matches at once: the volunteer's own capacity if recorded, else the policy's. */
export function capacityOf(context: Pick<VolunteerContext, 'matchingProfile' | 'policy'>): number {
  return context.matchingProfile?.capacity ?? context.policy.volunteer.maxActiveMatches;
}
