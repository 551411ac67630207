/**
 * What can be recorded on a young person's journey, validated at the edge (CLI, API and the
 * workflow's Update validator all use these schemas).
 */
import { z } from 'zod';
import { areaSchema, availabilitySchema, interestsSchema, languagesSchema } from '../matching-profile';
import { actorSchema, eventMetaShape, isoDateSchema, isoDateTimeSchema, opaqueIdSchema, personal } from '../journey';

/** A short phrase in the young person's own words: what they want from mentoring. Personal. */
const ownGoalSchema = personal(z.string().trim().min(1).max(200));

/** Who the young person is and how to reach them: personal, sealed with their own key. */
export const youngPersonDetailsSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    preferredName: z.string().trim().min(1).max(60).optional(),
    email: z.email().optional(),
    phone: z.string().trim().min(5).max(30).optional(),
    address: z.string().trim().min(1).max(300).optional(),
  })
  .strict();
export type YoungPersonDetails = z.infer<typeof youngPersonDetailsSchema>;

export const mentorTypes = ['peer', 'traditional', 'either'] as const;
export const mentorTypeSchema = z.enum(mentorTypes);
export type MentorType = z.infer<typeof mentorTypeSchema>;

/**
 * The referral that starts the journey. The young person's own goals are kept apart from the
 * referrer's notes, and there is deliberately no field for a referrer to set the mentor a task.
 */
export const referralSchema = z
  .object({
    /** Who referred: a referrer (social worker, personal adviser, agency) or the young person. */
    referredBy: actorSchema.refine((a) => a.role === 'referrer' || a.role === 'youngPerson', {
      message: 'a referral is made by a referrer or by the young person themself',
    }),
    /** Personal: sealed at the edge, after `ageAtReferral` is worked out from it. */
    dateOfBirth: personal(isoDateSchema),
    /**
     * Whole years on the day of referral, worked out at the edge from the date of birth (the
     * eligibility gate reads this, so the date of birth itself can be sealed and later erased).
     * Histories from before sealing have a plain date of birth and no age.
     */
    ageAtReferral: z.number().int().min(0).max(120).optional(),
    careExperienced: z.boolean(),
    /** Consent may already be known, e.g. on a self-referral; otherwise it is recorded later. */
    consentGiven: z.boolean().optional(),
    ownGoals: z.array(ownGoalSchema).max(10).optional(),
    referrerNotes: personal(z.string().max(2000)).optional(),
    details: personal(youngPersonDetailsSchema).optional(),
  })
  .strict()
  .refine((r) => r.ageAtReferral !== undefined || isoDateSchema.safeParse(r.dateOfBirth).success, {
    message: 'a sealed date of birth comes with the age at referral worked out from it',
    path: ['ageAtReferral'],
  });
export type Referral = z.infer<typeof referralSchema>;

/** The machine's input, less the policy, which the workflow adds. */
export const youngPersonInputSchema = z
  .object({
    journeyId: opaqueIdSchema,
    coordinatorId: opaqueIdSchema,
    startedAt: isoDateTimeSchema,
    referral: referralSchema,
  })
  .strict();
export type YoungPersonInput = z.infer<typeof youngPersonInputSchema>;

const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), ...eventMetaShape, ...shape }).strict();

export const contactRecorded = event('contact.recorded', {
  method: z.enum(['phone', 'inPerson', 'video', 'message', 'letter']),
});
export const consentRecorded = event('consent.recorded', {
  consent: z.enum(['given', 'declined']),
  ownGoals: z.array(ownGoalSchema).max(10).default([]),
});
export const readinessAssessed = event('readiness.assessed', {
  outcome: z.enum(['ready', 'notReady', 'declined']),
});
export const informalTaskRecorded = event('informalTask.recorded', {
  task: z.enum(['health', 'education', 'employment', 'housing', 'money', 'other']),
});
export const groupActivityAttended = event('groupActivity.attended', {});
export const preferencesRecorded = event('preferences.recorded', {
  mentorType: mentorTypeSchema,
  gender: z.enum(['female', 'male', 'nonBinary', 'noPreference']).default('noPreference'),
  languages: languagesSchema.default([]),
  interests: interestsSchema.default([]),
  area: areaSchema.optional(),
  /** When the young person can meet; absent in histories from before matching help. */
  availability: availabilitySchema.optional(),
});
export const journeyWithdrawn = event('journey.withdrawn', {
  reason: z.enum(['youngPersonChoice', 'movedAway', 'noLongerEligible', 'lostContact', 'other']),
});

export const youngPersonRecordedEvents = z.discriminatedUnion('type', [
  contactRecorded,
  consentRecorded,
  readinessAssessed,
  informalTaskRecorded,
  groupActivityAttended,
  preferencesRecorded,
  journeyWithdrawn,
]);

/** What the match journey tells the young person's journey. */
export const matchProposedToYoungPerson = event('match.proposed', {
  matchId: opaqueIdSchema,
  volunteerId: opaqueIdSchema,
});
export const matchStarted = event('match.started', { matchId: opaqueIdSchema });
export const matchDeclined = event('match.declined', { matchId: opaqueIdSchema });
export const matchEnded = event('match.ended', {
  matchId: opaqueIdSchema,
  outcome: z.enum(['rematch', 'ended']),
});

export const youngPersonLinkedEvents = z.discriminatedUnion('type', [
  matchProposedToYoungPerson,
  matchStarted,
  matchDeclined,
  matchEnded,
]);

export type YoungPersonEvent =
  | z.infer<typeof youngPersonRecordedEvents>
  | z.infer<typeof youngPersonLinkedEvents>;
