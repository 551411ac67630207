/**
 * The scheme policy: every duration, threshold, required topic, age limit and cadence the journeys
 * use. The defaults are the practice in DOMAIN.md; a scheme overrides any of them in its own policy
 * file (see `policy/example.policy.yaml`). A journey keeps the policy it started with, so an
 * auditor checks it against the rules that were in force at the time.
 */
import { z } from 'zod';
import { durationSchema } from './duration';

export const trainingTopics = [
  'mentor-role-and-boundaries',
  'confidentiality',
  'safeguarding',
  'care-context',
  'listening-and-communication',
  'equality-and-diversity',
  'endings',
] as const;

const topicSchema = z
  .string()
  .regex(/^[a-z0-9-]+$/, 'a topic is written in lower case with hyphens, e.g. "safeguarding"');

const youngPersonPolicy = z
  .object({
    /** Eligibility at referral. UK leaving-care duties run to 25. */
    minAgeAtReferral: z.number().int().min(0).max(30).default(16),
    maxAgeAtReferral: z.number().int().min(0).max(30).default(25),
    careExperienceRequired: z.boolean().default(true),
    /** The co-ordinator contacts the young person within this time of the referral. */
    firstContactWithin: durationSchema.prefault('5 working days'),
    /** A young person not ready yet is offered informal support and asked again after this. */
    readinessRecheckAfter: durationSchema.prefault('8 weeks'),
    /** Nudge when a ready young person has waited this long without a proposal. */
    matchWaitNudgeAfter: durationSchema.prefault('6 weeks'),
  })
  .strict();

const volunteerPolicy = z
  .object({
    /** Nudge when vetting is still pending after this. */
    vettingPendingNudgeAfter: durationSchema.prefault('4 weeks'),
    referencesRequired: z.number().int().min(0).max(10).default(2),
    /** How long a safeguarding check lasts when its record gives no expiry (PVG: 5 years). */
    checkValidFor: durationSchema.prefault('5 years'),
    /** Renewal reminders, each this long before the check expires. */
    checkRenewalRemindersBefore: z
      .array(durationSchema)
      .prefault(['60 days', '30 days', '7 days']),
    minimumTrainingHours: z.number().min(0).max(500).default(20),
    requiredTrainingTopics: z.array(topicSchema).default([...trainingTopics]),
    /** Peer mentors: care-experienced, and left care at least this many years ago. */
    peerMinYearsSinceLeavingCare: z.number().min(0).max(30).default(2),
    peerOwnSupportRequired: z.boolean().default(true),
    /** Individual supervision cadence; peer mentors are supervised more often. */
    supervisionEvery: durationSchema.prefault('1 month'),
    peerSupervisionEvery: durationSchema.prefault('2 weeks'),
    /** Nudge when a supervision session has no attendance recorded this long after it. */
    supervisionAttendanceGrace: durationSchema.prefault('2 days'),
    maxActiveMatches: z.number().int().min(1).max(10).default(1),
  })
  .strict();

const matchPolicy = z
  .object({
    /** Peer matches need a significant age gap between mentor and mentee. */
    peerMinAgeGapYears: z.number().min(0).max(30).default(3),
    initialGoalsWithin: durationSchema.prefault('4 weeks'),
    /** Co-ordinator check-ins with mentor and mentee: the first within this time... */
    firstCheckInWithin: durationSchema.prefault('2 weeks'),
    /** ...this many within the first month... */
    checkInsInFirstMonth: z.number().int().min(0).max(10).default(2),
    /** ...then one at least this often. */
    checkInEvery: durationSchema.prefault('1 month'),
    meetingGapNudgeAfter: durationSchema.prefault('21 days'),
    meetingGapEscalateAfter: durationSchema.prefault('42 days'),
    /** Reviews after the match starts, then one every `reviewEvery` after the last. */
    reviewsAfter: z.array(durationSchema).min(1).prefault(['6 weeks', '3 months', '6 months']),
    reviewEvery: durationSchema.prefault('6 months'),
    /** Nudge when an ending has been decided but not formally recorded after this. */
    formalEndingNudgeAfter: durationSchema.prefault('14 days'),
  })
  .strict();

/** One of the scheme's areas, and the areas next to it (travel between neighbours is easy). */
const areaPolicy = z
  .object({
    name: z.string().trim().min(1).max(60),
    neighbours: z.array(z.string().trim().min(1).max(60)).default([]),
  })
  .strict();

/**
 * How matching help scores a pair (docs/matching.md). Scores only rank and explain: the hard rules
 * are the proposal's gates, and the co-ordinator still decides.
 */
const matchingPolicy = z
  .object({
    weights: z
      .object({
        /** Per shared interest, up to three. */
        sharedInterest: z.number().min(0).max(100).default(2),
        /** When they share at least one language. */
        sharedLanguage: z.number().min(0).max(100).default(3),
        /** When the young person asked for a mentor of a gender and this volunteer is one. */
        genderPreferenceMet: z.number().min(0).max(100).default(3),
        sameArea: z.number().min(0).max(100).default(3),
        neighbouringArea: z.number().min(0).max(100).default(1.5),
        /** Per slot in the week when both are free, up to four. */
        availabilityOverlapSlot: z.number().min(0).max(100).default(1),
        /** Per month the volunteer has waited for a match, up to six: spreads the work. */
        volunteerWaitingMonth: z.number().min(0).max(100).default(0.5),
        /** When the young person asked for a peer mentor and this is one. */
        peerPreferenceMet: z.number().min(0).max(100).default(2),
        /**
         * Across the waiting list only: per week the young person has waited, up to a year, added
         * to every pair they are in, so that when volunteers are scarce the longest waiting are
         * matched first.
         */
        youngPersonWaitingWeek: z.number().min(0).max(100).default(0.25),
      })
      .strict()
      .prefault({}),
    /** The scheme's areas and their neighbours; neighbours are taken to be mutual. */
    areas: z.array(areaPolicy).default([]),
  })
  .strict();

/** The numbers the scheme report reads (reports/scheme.ts); they change no journey. */
const reportsPolicy = z
  .object({
    /** A match that ends sooner than this closed early (DOMAIN.md, "Evaluation"). */
    plannedMatchLength: durationSchema.prefault('6 months'),
    /** Eligible care leavers divided by this: the rule-of-thumb number likely to want mentoring. */
    needRuleOfThumbDivisor: z.number().positive().max(100).default(4),
  })
  .strict();

const notificationPolicy = z
  .object({
    /** A nudge not acted on within this time is escalated to the lead co-ordinator. */
    escalateUnactedNudgeAfter: durationSchema.prefault('7 days'),
  })
  .strict();

export const schemePolicySchema = z
  .object({
    /** An opaque scheme id, used in workflow ids and the audit trail. */
    schemeId: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a scheme id is lower case letters, digits and hyphens')
      .default('scheme'),
    /** IANA time zone for supervision invitations and the daily digest. */
    timeZone: z.string().min(1).default('Europe/London'),
    youngPerson: youngPersonPolicy.prefault({}),
    volunteer: volunteerPolicy.prefault({}),
    match: matchPolicy.prefault({}),
    matching: matchingPolicy.prefault({}),
    reports: reportsPolicy.prefault({}),
    notifications: notificationPolicy.prefault({}),
  })
  .strict();

/** The policy as a scheme writes it (durations as text). */
export type SchemePolicyInput = z.input<typeof schemePolicySchema>;
/** The policy in force (durations parsed). */
export type SchemePolicy = z.output<typeof schemePolicySchema>;

export const defaultPolicy: SchemePolicy = schemePolicySchema.parse({});

export class PolicyError extends Error {
  readonly code = 'POLICY.INVALID';
  constructor(readonly problems: readonly string[]) {
    super(`The scheme policy is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PolicyError';
  }
}

/** Validate a parsed policy document; every problem names its field and the reason. */
export function parsePolicy(document: unknown): SchemePolicy {
  const result = schemePolicySchema.safeParse(document ?? {});
  if (result.success) return result.data;
  throw new PolicyError(
    result.error.issues.map((issue) => {
      const field = issue.path.length > 0 ? issue.path.join('.') : '(the whole file)';
      return `${field}: ${issue.message}`;
    }),
  );
}
