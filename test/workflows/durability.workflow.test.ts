/**
 * Journeys that last years: continue-as-new keeps every pending timer, and no input, however
 * malformed, fails a workflow task, stalls a journey or slips past a gate.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Journeys } from '../../client/journeys';
import { addDuration, parseDuration } from '../../machines/duration';
import { recordEvent } from '../../contracts/messages';
import { journeys as definitions } from '../../machines/registry';
import { simulatedClock, useTimeSkippingEnvironment } from '../helpers/temporal-env';
import { withJourneyWorker } from '../helpers/journey-worker';
import {
  coordinator,
  dateOf,
  eventually,
  recordAll,
  referralStart,
  volunteerContact,
  volunteerPathway,
  volunteerStart,
  youngPersonToWaiting,
} from '../helpers/scenario';

const env = useTimeSkippingEnvironment();

const { nowIso } = simulatedClock(env);

/** A volunteer and a young person matched, with the match active: the usual starting point. */
async function activeMatch(journeys: Journeys, matchId: string): Promise<void> {
  const t0 = await nowIso();
  await journeys.start('volunteer', volunteerStart('vol-1', t0), { contact: volunteerContact });
  const path = volunteerPathway(dateOf(t0));
  await recordAll(journeys, 'volunteer', 'vol-1', [...path.toVetting, ...path.vetting, ...path.training, ...path.suitability]);
  await journeys.start('youngPerson', referralStart('yp-1', t0));
  await recordAll(journeys, 'youngPerson', 'yp-1', youngPersonToWaiting);
  await journeys.proposeMatch({ youngPersonId: 'yp-1', volunteerId: 'vol-1', by: coordinator, matchId });
  await eventually(journeys, 'match', matchId, () => true, 'the match journey starts');
  await journeys.record('match', matchId, { type: 'introduction.held', by: coordinator, format: 'groupEvent' });
  await journeys.record('match', matchId, { type: 'youngPerson.accepted', by: { role: 'youngPerson', id: 'yp-1' } });
}

async function runsOf(client: Client, workflowId: string): Promise<number> {
  let runs = 1;
  let history = await client.workflow.getHandle(workflowId).describe();
  // Walk back from the current run to the first through the continue-as-new links.
  const first = history.raw.workflowExecutionInfo?.firstRunId;
  while (history.runId !== first) {
    runs += 1;
    const previous = await client.workflowService.getWorkflowExecutionHistory({
      namespace: 'default',
      execution: { workflowId, runId: history.runId },
      maximumPageSize: 1,
    });
    const started = previous.history?.events?.[0]?.workflowExecutionStartedEventAttributes;
    const before = started?.continuedExecutionRunId;
    if (!before) break;
    history = await client.workflow.getHandle(workflowId, before).describe();
  }
  return runs;
}

describe('continue-as-new', () => {
  it('keeps a pending review timer: the review due before the new run still falls due on time after it', async () => {
    // Continue as new after very few history events, so that it happens in the middle of the match.
    await withJourneyWorker(env(), { continueAsNewAfterEvents: 40 }, async ({ journeys, client }) => {
      await activeMatch(journeys, 'm-can');
      const before = await journeys.status('match', 'm-can');
      const review = before.due.find((d) => d.what.includes('review'))!;
      expect(review).toBeDefined();
      const start = before.facts.matchStartedAt as string;
      expect(review.dueAt).toBe(addDuration(start, parseDuration('6 weeks')!));

      // Enough events to pass the threshold several times over, before the review is due.
      for (let week = 1; week <= 5; week++) {
        await env().sleep('1 week');
        await journeys.record('match', 'm-can', { type: 'meeting.logged', by: coordinator, on: dateOf(await nowIso()) });
        await journeys.record('match', 'm-can', { type: 'checkIn.recorded', by: coordinator, with: ['mentor', 'mentee'] });
      }
      expect(await runsOf(client, 'match-m-can')).toBeGreaterThan(1);
      const carried = await journeys.status('match', 'm-can');
      expect(carried.due.find((d) => d.what.includes('review'))?.dueAt).toBe(review.dueAt);
      expect(carried.decisions).toEqual(before.decisions);

      await env().sleep('8 days');
      const after = await journeys.status('match', 'm-can');
      expect(after.openNudges.find((n) => n.about === 'reviewDue')?.since).toBe(review.dueAt);
      expect(after.stage).toBe('active');
    });
  });
});

/** Every event type any journey knows, to mix realistic names into the noise. */
const knownTypes = [...new Set(Object.values(definitions).flatMap((d) => Object.keys(d.eventLabels)))];

const anyValue = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.array(fc.string(), { maxLength: 3 }),
);

const fuzzEvent = fc.oneof(
  // Well-formed envelopes with random or plausible payloads.
  fc.record({
    type: fc.constantFrom(...knownTypes),
    by: fc.oneof(
      fc.constant(coordinator),
      fc.record({ role: fc.constantFrom('coordinator', 'youngPerson', 'volunteer', 'auditor', 'referrer'), id: fc.constantFrom('co-1', 'yp-1', 'x') }),
      fc.record({ role: fc.string(), id: fc.string() }),
    ),
    outcome: fc.constantFrom('ready', 'notReady', 'continue', 'end', 'proceed', 'clear', 'declined'),
    method: fc.constantFrom('phone', 'letter', 'closingMeeting', 'pigeon'),
    hours: fc.oneof(fc.integer({ min: -5, max: 40 }), fc.double()),
    topics: fc.array(fc.constantFrom('safeguarding', 'endings', 'SAFEGUARDING', ''), { maxLength: 3 }),
    on: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)), fc.string()),
    matchId: fc.constantFrom('m-fuzz', 'm-other', 'Jane Smith'),
  }, { requiredKeys: ['type'] }),
  // Anything at all.
  fc.dictionary(fc.string({ maxLength: 12 }), anyValue, { maxKeys: 6 }),
  anyValue,
);

describe('fuzz: random and malformed events against live journeys', () => {
  it('refuses each one cleanly, fails no workflow task and stalls no journey', async () => {
    await withJourneyWorker(env(), {}, async ({ journeys, client }) => {
      await activeMatch(journeys, 'm-fuzz');
      const targets = ['young-person-yp-1', 'volunteer-vol-1', 'match-m-fuzz'];
      const samples = fc.sample(fuzzEvent, { numRuns: 2000, seed: 20261123 });
      let accepted = 0;
      const refusedTypes = new Map<string, number>();
      const concurrency = 16;
      for (let i = 0; i < samples.length; i += concurrency) {
        await Promise.all(
          samples.slice(i, i + concurrency).map(async (event, j) => {
            const handle = client.workflow.getHandle(targets[(i + j) % targets.length]!);
            try {
              await handle.executeUpdate(recordEvent, { args: [event as never] });
              accepted += 1;
            } catch (error) {
              expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
              const cause = (error as WorkflowUpdateFailedError).cause;
              expect(cause).toBeInstanceOf(ApplicationFailure);
              const type = (cause as ApplicationFailure).type!;
              expect(['EVENT.INVALID', 'GATE.UNMET', 'STAGE.NOT_NOW']).toContain(type);
              expect((cause as ApplicationFailure).message).toMatch(/^cannot /);
              refusedTypes.set(type, (refusedTypes.get(type) ?? 0) + 1);
            }
          }),
        );
      }
      expect(accepted + [...refusedTypes.values()].reduce((a, b) => a + b, 0)).toBe(2000);
      expect(refusedTypes.get('EVENT.INVALID')).toBeGreaterThan(0);

      for (const workflowId of targets) {
        const history = await client.workflow.getHandle(workflowId).fetchHistory();
        const failedTasks = history.events!.filter((e) => e.workflowTaskFailedEventAttributes);
        expect(failedTasks, `${workflowId} had a workflow task failure`).toEqual([]);
      }
      // No journey is stalled: each still answers and still moves on valid events and timers.
      for (const [kind, id] of [['youngPerson', 'yp-1'], ['volunteer', 'vol-1'], ['match', 'm-fuzz']] as const) {
        const status = await journeys.status(kind, id);
        expect(status.journeyId).toBe(id);
      }
      const match = await journeys.status('match', 'm-fuzz');
      if (!match.ended) {
        await env().sleep('60 days');
        const later = await journeys.status('match', 'm-fuzz');
        expect(later.updatedAt > match.updatedAt).toBe(true); // its timers still fire
      }
    });
  }, 240_000);
});
