/**
 * What can be recorded on a match (a relationship between a young person and a volunteer mentor),
 * validated at the edge: the CLI, the API and the workflow's Update validator use these schemas.
 *
 * Who may record an event is part of its schema where the practice says who: the young person
 * chooses (or a co-ordinator records their choice), check-ins, reviews and endings are the
 * co-ordinator's, and a concern comes from the young person or a co-ordinator, never relayed by
 * the mentor.
 */
import { z } from 'zod';
import {
  actorSchema,
  eventMetaShape,
  isoDateOrDateTimeSchema,
  isoDateTimeSchema,
  opaqueIdSchema,
  type Role,
} from '../journey';

const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), ...eventMetaShape, ...shape }).strict();

/** `by` restricted to some roles, with the rule in words when someone else tries. */
const recordedBy = (allowed: readonly Role[], rule: string) =>
  actorSchema.refine((actor) => allowed.includes(actor.role), { message: rule, path: ['role'] });

const coordinators = ['coordinator', 'leadCoordinator'] as const satisfies readonly Role[];
const youngPersonOrCoordinator = ['youngPerson', ...coordinators] as const satisfies readonly Role[];
const matchParticipants = ['youngPerson', 'volunteer', ...coordinators] as const satisfies readonly Role[];

/** A short code for reporting, e.g. "housing-secured"; never free text about a person. */
export const outcomeCodeSchema = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'an outcome is a short code in lower case with hyphens, e.g. "housing-secured"')
  .max(40);

export const introductionFormats = ['groupEvent', 'personalMeeting', 'paperProfile'] as const;
/** Why a co-ordinator takes a proposal back before the young person has decided. */
export const withdrawalReasons = ['volunteerUnavailable', 'youngPersonUnavailable', 'notTheRightMatch', 'proposedInError', 'other'] as const;
export const declineReasons = ['mentorNotRight', 'notReadyNow', 'changedMind', 'circumstancesChanged', 'other'] as const;
export const checkInParties = ['mentor', 'mentee'] as const;
export const reviewOutcomes = ['continue', 'end', 'rematch'] as const;
export const concernCategories = ['complaint', 'concern', 'safeguarding'] as const;
export const endingReasons = [
  'goalsMet',
  'youngPersonChoice',
  'mentorWithdrew',
  'movedAway',
  'safeguarding',
  'lostContact',
  'other',
] as const;
export const endingMethods = ['closingMeeting', 'letter'] as const;

export type IntroductionFormat = (typeof introductionFormats)[number];
export type DeclineReason = (typeof declineReasons)[number];
export type WithdrawalReason = (typeof withdrawalReasons)[number];
export type CheckInParty = (typeof checkInParties)[number];
export type ReviewOutcome = (typeof reviewOutcomes)[number];
export type ConcernCategory = (typeof concernCategories)[number];
export type EndingReason = (typeof endingReasons)[number];
export type EndingMethod = (typeof endingMethods)[number];

/** The machine's input, less the policy, which the workflow adds (as on every journey). */
export const matchInputSchema = z
  .object({
    /** The match id. */
    journeyId: opaqueIdSchema,
    youngPersonId: opaqueIdSchema,
    volunteerId: opaqueIdSchema,
    coordinatorId: opaqueIdSchema,
    peer: z.boolean(),
    startedAt: isoDateTimeSchema,
  })
  .strict();
export type MatchInput = z.infer<typeof matchInputSchema>;

// --- Proposal: introduction, then the young person's choice ------------------------------------

export const introductionHeld = event('introduction.held', {
  by: recordedBy(coordinators, 'an introduction is recorded by a co-ordinator'),
  format: z.enum(introductionFormats),
});
export const youngPersonAccepted = event('youngPerson.accepted', {
  by: recordedBy(youngPersonOrCoordinator, 'only the young person, or a co-ordinator for them, accepts a match'),
});
export const youngPersonDeclined = event('youngPerson.declined', {
  by: recordedBy(youngPersonOrCoordinator, 'only the young person, or a co-ordinator for them, declines a match'),
  reason: z.enum(declineReasons),
});

/** The co-ordinator takes the proposal back before the young person decides: both are free again. */
export const proposalWithdrawn = event('proposal.withdrawn', {
  by: recordedBy(coordinators, 'a proposal is withdrawn by a co-ordinator'),
  reason: z.enum(withdrawalReasons),
});

// --- The active relationship -------------------------------------------------------------------

export const goalsAgreed = event('goals.agreed', {
  by: recordedBy(matchParticipants, 'goals are recorded by the young person, the mentor or a co-ordinator'),
  /** The first goal may simply be to get to know each other. */
  gettingToKnowEachOtherFirst: z.boolean().optional(),
});
export const checkInRecorded = event('checkIn.recorded', {
  by: recordedBy(coordinators, 'a check-in is recorded by the co-ordinator who held it'),
  with: z
    .array(z.enum(checkInParties))
    .min(1, 'say who the check-in was with: mentor, mentee or both')
    .max(2)
    .refine((parties) => new Set(parties).size === parties.length, 'list each of mentor and mentee once'),
});
export const meetingLogged = event('meeting.logged', {
  by: recordedBy(matchParticipants, 'a meeting is logged by the young person, the mentor or a co-ordinator'),
  /** The day the mentor and young person met, or the moment (a sub-day policy counts from it). */
  on: isoDateOrDateTimeSchema,
});
export const reviewHeld = event('review.held', {
  by: recordedBy(coordinators, 'a review is recorded by a co-ordinator'),
  outcome: z.enum(reviewOutcomes),
});
export const concernRaised = event('concern.raised', {
  // The young person's independent route: never through the mentor. A mentor's own concern is
  // recorded by the co-ordinator they report it to.
  by: recordedBy(
    youngPersonOrCoordinator,
    "a concern is raised by the young person or recorded by a co-ordinator, never passed on through the mentor",
  ),
  category: z.enum(concernCategories),
});
export const concernResolved = event('concern.resolved', {
  by: recordedBy(coordinators, 'a safeguarding concern is resolved by a co-ordinator'),
  outcome: z.enum(['resume', 'end']),
  /** When the match ends: whether the young person is to be offered a new mentor. */
  rematch: z.boolean().optional(),
});

// --- Ending ------------------------------------------------------------------------------------

export const endingDecided = event('ending.decided', {
  by: recordedBy(coordinators, 'an ending is decided by a co-ordinator'),
  reason: z.enum(endingReasons),
  planned: z.boolean(),
  rematch: z.boolean(),
});
export const endingRecorded = event('ending.recorded', {
  by: recordedBy(coordinators, 'the formal ending is recorded by a co-ordinator'),
  method: z.enum(endingMethods),
  reason: z.enum(endingReasons),
  planned: z.boolean(),
  outcomes: z.array(outcomeCodeSchema).min(1, 'record at least one outcome code, e.g. "none-known"').max(20),
  /** Confirms or changes the rematch decided earlier (e.g. the mentor withdrew, the young person wants a new one). */
  rematch: z.boolean().optional(),
});

export const matchRecordedEvents = z.discriminatedUnion('type', [
  introductionHeld,
  youngPersonAccepted,
  youngPersonDeclined,
  proposalWithdrawn,
  goalsAgreed,
  checkInRecorded,
  meetingLogged,
  reviewHeld,
  concernRaised,
  concernResolved,
  endingDecided,
  endingRecorded,
]);

// --- Told by the volunteer's journey -----------------------------------------------------------

export const volunteerCheckExpired = event('volunteer.checkExpired', {});
export const volunteerCheckRenewed = event('volunteer.checkRenewed', {});
/** A renewed check came back not clear: a safeguarding matter for any match the mentor is in. */
export const volunteerCheckNotClear = event('volunteer.checkNotClear', {});
export const volunteerExited = event('volunteer.exited', {});

export const matchLinkedEvents = z.discriminatedUnion('type', [
  volunteerCheckExpired,
  volunteerCheckRenewed,
  volunteerCheckNotClear,
  volunteerExited,
]);

export type MatchRecordedEvent = z.infer<typeof matchRecordedEvents>;
export type MatchLinkedEvent = z.infer<typeof matchLinkedEvents>;
export type MatchEvent = MatchRecordedEvent | MatchLinkedEvent;
