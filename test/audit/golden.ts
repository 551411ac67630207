/** The committed golden histories (test/golden/<scenario>/*.json), read once per test file. */
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { eventIdOf, firstPayload } from '../../audit/history-events';
import { loadJourneys, type Journey } from '../../audit/journey-history';
import type { JourneyStatus, RecordedEvent } from '../../contracts/messages';
import { repoRoot } from '../../config';

export const goldenDir = path.join(repoRoot, 'test', 'golden');

let cached: Journey[] | undefined;

/** Every golden journey, or those of one scenario. */
export function goldenJourneys(scenario?: string): Journey[] {
  cached ??= loadJourneys([goldenDir]);
  return scenario ? cached.filter((j) => j.runs[0]!.source?.includes(`${path.sep}${scenario}${path.sep}`)) : cached;
}

export function goldenJourney(workflowId: string): Journey {
  const journey = goldenJourneys().find((j) => j.workflowId === workflowId);
  if (!journey) throw new Error(`no golden history for ${workflowId}`);
  return journey;
}

export interface UpdateAnswer {
  /** The event recorded. */
  event: RecordedEvent;
  /** What the journey answered (its status after the event). */
  status: JourneyStatus;
}

/**
 * What the journey answered to each recorded event, read straight from the history (not through
 * the audit's machine re-run), keyed "run/eventId" of the accepted Update.
 */
export function updateAnswers(journey: Journey): Map<string, UpdateAnswer> {
  const answers = new Map<string, UpdateAnswer>();
  journey.runs.forEach((run, i) => {
    const accepted = new Map<string, { key: string; event: RecordedEvent }>();
    for (const e of run.history.events ?? []) {
      const a = e.workflowExecutionUpdateAcceptedEventAttributes;
      if (a) accepted.set(a.protocolInstanceId ?? '', { key: `${i + 1}/${eventIdOf(e)}`, event: firstPayload<RecordedEvent>(a.acceptedRequest?.input?.args)! });
      const completed = e.workflowExecutionUpdateCompletedEventAttributes;
      const payload = completed?.outcome?.success?.payloads?.[0];
      const request = accepted.get(completed?.meta?.updateId ?? '');
      if (payload && request) answers.set(request.key, { event: request.event, status: defaultPayloadConverter.fromPayload<JourneyStatus>(payload) });
    }
  });
  return answers;
}

/** The journey's answer to the first recorded event of `type`. */
export function answerTo(journey: Journey, type: string): JourneyStatus {
  const answer = [...updateAnswers(journey).values()].find((a) => a.event.type === type);
  if (!answer) throw new Error(`${journey.workflowId} recorded no ${type}`);
  return answer.status;
}
