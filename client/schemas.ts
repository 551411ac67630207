/**
 * The shapes the journeys client answers with, as zod schemas for the HTTP API's responses and its
 * OpenAPI document. The TypeScript types stay the source (contracts/messages.ts, ./journeys.ts):
 * the checks at the end fail to compile if a schema and its type drift apart.
 */
import { z } from 'zod';
import { actorSchema } from '../machines/journey';
import type { JourneyStatus } from '../contracts/messages';
import type { MatchPlan, Shortlist } from '../matching';
import type { JourneyListing } from './journeys';

const kind = z.enum(['youngPerson', 'volunteer', 'match']);

export const journeyStatusSchema = z
  .object({
    kind,
    journeyId: z.string(),
    workflowId: z.string(),
    coordinatorId: z.string(),
    stage: z.string().describe('short stable stage name, e.g. waitingForMatch'),
    state: z.string().describe('the full machine state, e.g. referral.firstContactOverdue'),
    ended: z.boolean(),
    due: z.array(z.object({ what: z.string(), dueAt: z.string() })),
    nextDueAt: z.string().nullable(),
    openNudges: z.array(z.object({ about: z.string(), since: z.string() })),
    decisions: z.array(z.object({ event: z.string(), at: z.string(), by: actorSchema, outcome: z.string().optional() })),
    failures: z.array(z.object({ at: z.string(), effect: z.string(), about: z.string().optional(), error: z.string(), errorType: z.string().optional() })),
    unapplied: z.array(z.object({ at: z.string(), event: z.string(), from: z.string(), reason: z.string() })),
    facts: z.record(z.string(), z.unknown()).describe('counts, dates and opaque ids, never personal data'),
    updatedAt: z.string(),
  })
  .meta({ id: 'JourneyStatus', description: 'A journey\'s status (docs/status.md): fields are added, never renamed or removed.' });

export const journeyListingSchema = z
  .object({
    workflowId: z.string(),
    kind: kind.nullable(),
    journeyId: z.string().nullable(),
    stage: z.string().nullable(),
    coordinatorId: z.string().nullable(),
    nextDueAt: z.string().nullable(),
    overdueSince: z.string().nullable(),
    running: z.boolean(),
    state: z.string().nullable().describe('the full machine state; null for a journey that has taken no step since it was indexed'),
    openNudges: z.array(z.string()).nullable().describe("the matters of the open nudges, oldest first (e.g. firstContactOverdue); null as for state"),
    nextDueWhat: z.string().nullable().describe('what falls due next, e.g. "first contact"; null when nothing is due, or as for state'),
  })
  .meta({ id: 'JourneyListing' });

export const shortlistSchema = z
  .object({
    youngPersonId: z.string(),
    entries: z.array(
      z.object({
        volunteerId: z.string(),
        volunteerType: z.enum(['peer', 'traditional']),
        score: z.number(),
        reasons: z.array(z.string()).describe("what earned the score, in a co-ordinator's words"),
      }),
    ).describe('who may be proposed now, best first'),
    excluded: z.array(z.object({ volunteerId: z.string(), code: z.string(), reasons: z.array(z.string()) })).describe('the others, each with the gates that keep them off'),
  })
  .meta({ id: 'Shortlist', description: 'docs/matching.md: judged by each volunteer journey\'s own proposal gates' });

export const matchPlanSchema = z
  .object({
    pairs: z.array(
      z.object({ youngPersonId: z.string(), volunteerId: z.string(), score: z.number(), waitingPriority: z.number(), reasons: z.array(z.string()) }),
    ),
    unmatched: z.array(
      z.object({
        youngPersonId: z.string(),
        why: z.enum(['noEligibleVolunteer', 'allTaken']),
        reasons: z.array(z.object({ reason: z.string(), volunteers: z.number().int() })),
        eligibleVolunteers: z.number().int(),
      }),
    ),
    unavailable: z.array(z.object({ volunteerId: z.string(), reasons: z.array(z.string()) })),
    placesLeft: z.array(z.object({ volunteerId: z.string(), places: z.number().int() })),
    totalScore: z.number(),
  })
  .meta({ id: 'MatchPlan', description: 'docs/matching.md: a plan to review; nothing is proposed' });

// Compile-time agreement of each schema with its type, both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const statusAgrees: Same<z.infer<typeof journeyStatusSchema>, JourneyStatus> = true;
const listingAgrees: Same<z.infer<typeof journeyListingSchema>, JourneyListing> = true;
const shortlistAgrees: Same<z.infer<typeof shortlistSchema>, Shortlist> = true;
const planAgrees: Same<z.infer<typeof matchPlanSchema>, MatchPlan> = true;
void shortlistAgrees;
void planAgrees;
void statusAgrees;
void listingAgrees;
