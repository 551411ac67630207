/**
 * What can be recorded on a volunteer's journey, validated at the edge (CLI, API and the
 * workflow's Update validator all use these schemas). Contact details are not here: the workflow
 * holds them, so the history carries only what the practice needs to decide.
 */
import { z } from 'zod';
import { eventMetaShape, isoDateSchema, isoDateTimeSchema, opaqueIdSchema, personal } from '../journey';
import { areaSchema, availabilitySchema, genders, interestsSchema, languagesSchema } from '../matching-profile';
import type { SchemePolicy } from '../policy';

export const volunteerTypes = ['peer', 'traditional'] as const;
export type VolunteerType = (typeof volunteerTypes)[number];

/** PVG scheme membership (Scotland) or an enhanced DBS check with the children's barred list (England). */
export const checkTypes = ['PVG', 'enhancedDBS', 'other'] as const;
export const checkDecisions = ['clear', 'notClear', 'pending'] as const;
export type CheckType = (typeof checkTypes)[number];
export type CheckDecision = (typeof checkDecisions)[number];

export const suitabilityOutcomes = ['ready', 'peerSupportGroup', 'alternativeRole', 'notSuitable'] as const;
export type SuitabilityOutcome = (typeof suitabilityOutcomes)[number];

export const exitReasons = ['steppedDown', 'movedAway', 'notSuitable', 'other'] as const;
export type ExitReason = (typeof exitReasons)[number];

export const preferredMentorTypes = ['peer', 'traditional', 'either'] as const;
export type PreferredMentorType = (typeof preferredMentorTypes)[number];

/** A training topic id, as in the policy's `requiredTrainingTopics`: "safeguarding". */
export const trainingTopicSchema = z
  .string()
  .regex(/^[a-z0-9-]+$/, 'a topic is written in lower case with hyphens, e.g. "safeguarding"')
  .max(60);

/**
 * A supervision session id, `${journeyId}-supervision-${n}`: opaque like a journey id, and a
 * little longer so that any journey id fits.
 */
export const supervisionSessionIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, 'a session id is 1-100 letters, digits, "_" or "-"');

/** The mentor's age against the young person's, in whole years. */
export const ageGapSchema = z.object({ mentorOlder: z.boolean(), years: z.number().int().min(0).max(120) }).strict();
export type AgeGap = z.infer<typeof ageGapSchema>;

/** The volunteer as the machine needs them: no name or contact details. */
export const volunteerProfileSchema = z
  .object({
    type: z.enum(volunteerTypes),
    /**
     * Personal: sealed with the volunteer's key. The peer age gap is worked out from it by the
     * client when a match is proposed (plain in histories from before sealing).
     */
    dateOfBirth: personal(isoDateSchema),
    careExperienced: z.boolean(),
    /** Needed for a peer mentor's separation from their own care transition. */
    leftCareOn: isoDateSchema.optional(),
  })
  .strict()
  .refine((v) => v.careExperienced || v.leftCareOn === undefined, {
    message: 'a leaving-care date is given but the volunteer is not recorded as care-experienced',
    path: ['leftCareOn'],
  });
export type VolunteerProfile = z.infer<typeof volunteerProfileSchema>;

/**
 * The machine's input. The policy is not validated here: the workflow passes the scheme policy it
 * has already parsed with `parsePolicy`.
 */
export const volunteerInputSchema = z
  .object({
    journeyId: opaqueIdSchema,
    coordinatorId: opaqueIdSchema,
    startedAt: isoDateTimeSchema,
    volunteer: volunteerProfileSchema,
  })
  .strict();
/** The machine's input: the validated start, plus the policy the workflow adds. */
export type VolunteerInput = z.infer<typeof volunteerInputSchema> & { policy: SchemePolicy };

const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), ...eventMetaShape, ...shape }).strict();

// 1-2. Enquiry, information session, application and interview.
export const infoSessionAttended = event('infoSession.attended', {});
export const applicationReceived = event('application.received', {});
export const interviewHeld = event('interview.held', {
  outcome: z.enum(['proceed', 'notProceed']),
  /** The practice asks for at least one face-to-face interview before a volunteer goes on. */
  faceToFace: z.boolean(),
});

// 3. Vetting: the check's metadata only, never the disclosure content.
export const checkRecorded = event('check.recorded', {
  checkType: z.enum(checkTypes),
  /** The date the check was issued (while pending: the date it was applied for). */
  issuedOn: isoDateSchema,
  /** The certificate or membership number as issued: opaque. */
  referenceNumber: opaqueIdSchema,
  decision: z.enum(checkDecisions),
  /** The first day the check is no longer valid; default: issuedOn + policy `checkValidFor`. */
  expiresOn: isoDateSchema.optional(),
}).refine((e) => e.expiresOn === undefined || e.expiresOn > e.issuedOn, {
  message: 'a check expires after the date it was issued',
  path: ['expiresOn'],
});
export const referenceReceived = event('reference.received', {
  /** Opaque id of the referee; a second reference from the same referee replaces the first. */
  refereeRef: opaqueIdSchema,
  satisfactory: z.boolean(),
});

// 4-5. Training and the suitability review.
export const trainingSessionLogged = event('training.sessionLogged', {
  hours: z.number().positive().max(24),
  topics: z.array(trainingTopicSchema).max(20),
});
export const trainingCompleted = event('training.completed', {});
export const suitabilityReviewed = event('suitability.reviewed', {
  outcome: z.enum(suitabilityOutcomes),
});

// 6. Peer-mentor criteria.
export const peerCriteriaConfirmed = event('peerCriteria.confirmed', {
  /** The co-ordinator's judgement: sufficient maturity and separation from their own transition. */
  readyWillingAble: z.literal(true),
  ownSupportInPlace: z.boolean(),
});

// 7. Matching. What matching reads about the volunteer, recorded at any point of the journey.
export const matchingProfileRecorded = event('matchingProfile.recorded', {
  /** Sensitive: sealed with the volunteer's key, opened only at the edge for scoring. */
  gender: personal(z.enum(genders)).optional(),
  languages: languagesSchema.default([]),
  interests: interestsSchema.default([]),
  area: areaSchema.optional(),
  availability: availabilitySchema.default([]),
  /** How many matches at once this volunteer can take; default: the policy's `maxActiveMatches`. */
  capacity: z.number().int().min(1).max(10).optional(),
  /** The ages of young people this volunteer is willing to mentor, in whole years, both ends included. */
  agesWilling: z
    .object({ from: z.number().int().min(0).max(40), to: z.number().int().min(0).max(40) })
    .strict()
    .refine((a) => a.from <= a.to, { message: 'the youngest age comes first', path: ['to'] })
    .optional(),
});
export type MatchingProfile = Omit<z.infer<typeof matchingProfileRecorded>, 'type' | 'by' | 'at'>;

/**
 * The proposal: the young person's facts come from their journey's matching profile, the history
 * between these two from their past matches; all worked out by the client.
 */
export const matchProposed = event('match.proposed', {
  matchId: opaqueIdSchema,
  youngPersonId: opaqueIdSchema,
  youngPerson: z
    .object({
      /** Only in histories from before sealing: the age gap below replaced it. */
      dateOfBirth: isoDateSchema.optional(),
      waitingForMatch: z.boolean(),
      preferredMentorType: z.enum(preferredMentorTypes),
      /**
       * The young person's age in whole years on the day of the proposal, worked out by the client
       * from their sealed date of birth; sent only to a volunteer who gave the ages they mentor.
       */
      age: z.number().int().min(0).max(120).optional(),
      /** When the young person can meet (absent before matching help, or not recorded). */
      availability: availabilitySchema.optional(),
      /** The young person declined a proposal of this volunteer before. */
      declinedThisVolunteer: z.literal(true).optional(),
      /** A match between these two ended for safeguarding reasons. */
      endedForSafeguarding: z.literal(true).optional(),
      /**
       * This volunteer mentored the young person before (a rematch): proposed again only when
       * the co-ordinator says so.
       */
      previousMentor: z.object({ proposeAgain: z.boolean() }).strict().optional(),
    })
    .strict(),
  /**
   * The mentor's age against the young person's, worked out by the client from both (sealed)
   * dates of birth, so that neither date enters the other person's journey.
   */
  ageGap: ageGapSchema.optional(),
});

// 8. Supervision.
export const supervisionRescheduled = event('supervision.rescheduled', {
  sessionId: supervisionSessionIdSchema,
  startsAt: isoDateTimeSchema,
});
export const supervisionAttended = event('supervision.attended', { sessionId: supervisionSessionIdSchema });
export const supervisionMissed = event('supervision.missed', { sessionId: supervisionSessionIdSchema });

// 9. Exit and return.
export const exitRecorded = event('exit.recorded', {
  reason: z.enum(exitReasons),
  referenceGiven: z.boolean().optional(),
});
export const volunteerReturned = event('volunteer.returned', {});

export const volunteerRecordedEvents = z.discriminatedUnion('type', [
  infoSessionAttended,
  applicationReceived,
  interviewHeld,
  checkRecorded,
  referenceReceived,
  trainingSessionLogged,
  trainingCompleted,
  suitabilityReviewed,
  peerCriteriaConfirmed,
  matchingProfileRecorded,
  matchProposed,
  supervisionRescheduled,
  supervisionAttended,
  supervisionMissed,
  exitRecorded,
  volunteerReturned,
]);
export type VolunteerRecordedEvent = z.infer<typeof volunteerRecordedEvents>;

/** What the match journey tells the volunteer's journey. */
export const matchStarted = event('match.started', { matchId: opaqueIdSchema });
export const matchDeclined = event('match.declined', { matchId: opaqueIdSchema });
export const matchEnded = event('match.ended', {
  matchId: opaqueIdSchema,
  /** The match journey tells both sides the same event; the young person's side uses the outcome. */
  outcome: z.enum(['rematch', 'ended']).optional(),
});

export const volunteerLinkedEvents = z.discriminatedUnion('type', [matchStarted, matchDeclined, matchEnded]);
export type VolunteerLinkedEvent = z.infer<typeof volunteerLinkedEvents>;

export type VolunteerEvent = VolunteerRecordedEvent | VolunteerLinkedEvent;
export type VolunteerEventType = VolunteerEvent['type'];

/** What this journey tells a match journey about its volunteer. */
export const toldMatchEventTypes = [
  'volunteer.checkExpired',
  'volunteer.checkNotClear',
  'volunteer.checkRenewed',
  'volunteer.exited',
] as const;
