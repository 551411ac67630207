/**
 * The shapes the journeys client answers with, as zod schemas for the HTTP API's responses and its
 * OpenAPI document. The TypeScript types stay the source (workflows/messages.ts, ./journeys.ts):
 * the checks at the end fail to compile if a schema and its type drift apart.
 */
import { z } from 'zod';
import { actorSchema } from '../machines/journey';
import type { JourneyStatus } from '../workflows/messages';
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
  })
  .meta({ id: 'JourneyListing' });

// Compile-time agreement of each schema with its type, both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const statusAgrees: Same<z.infer<typeof journeyStatusSchema>, JourneyStatus> = true;
const listingAgrees: Same<z.infer<typeof journeyListingSchema>, JourneyListing> = true;
void statusAgrees;
void listingAgrees;
