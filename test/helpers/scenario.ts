/**
 * Building blocks for journey scenarios on a real Temporal server: bring a volunteer or a young
 * person to a stage, wait for linked journeys to catch up, and read back from a workflow's own
 * history which notifications it sent and when (in the server's, possibly simulated, time).
 */
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { Journeys } from '../../client/journeys';
import type { Actor, JourneyKind } from '../../machines/journey';
import type { JourneyStatus } from '../../contracts/messages';
import { decodeHistory } from '../../audit/history-events';
import { testPrivacy } from './privacy';

export const coordinator: Actor = { role: 'coordinator', id: 'co-1' };
export const allTopics = [
  'mentor-role-and-boundaries',
  'confidentiality',
  'safeguarding',
  'care-context',
  'listening-and-communication',
  'equality-and-diversity',
  'endings',
];

export const dateOf = (iso: string) => iso.slice(0, 10);

export function referralStart(journeyId: string, startedAt: string, dateOfBirth = '2008-05-01') {
  return {
    journeyId,
    coordinatorId: coordinator.id,
    startedAt,
    referral: { referredBy: { role: 'referrer', id: 'sw-1' }, dateOfBirth, careExperienced: true },
  };
}

export function volunteerStart(journeyId: string, startedAt: string, type: 'traditional' | 'peer' = 'traditional') {
  return {
    journeyId,
    coordinatorId: coordinator.id,
    startedAt,
    volunteer:
      type === 'peer'
        ? { type, dateOfBirth: '2001-03-01', careExperienced: true, leftCareOn: '2020-09-01' }
        : { type, dateOfBirth: '1980-03-01', careExperienced: false },
  };
}

export const volunteerContact = { email: 'volunteer@example.org', firstName: 'Robin' };

/** The volunteer's pathway up to "available", step by step, as a co-ordinator records it. */
export function volunteerPathway(today: string) {
  return {
    toVetting: [
      { type: 'infoSession.attended', by: coordinator },
      { type: 'application.received', by: coordinator },
      { type: 'interview.held', by: coordinator, outcome: 'proceed', faceToFace: true },
    ],
    vetting: [
      { type: 'check.recorded', by: coordinator, checkType: 'PVG', issuedOn: today, referenceNumber: 'PVG-0001', decision: 'clear' },
      { type: 'reference.received', by: coordinator, refereeRef: 'ref-1', satisfactory: true },
      { type: 'reference.received', by: coordinator, refereeRef: 'ref-2', satisfactory: true },
    ],
    training: [
      { type: 'training.sessionLogged', by: coordinator, hours: 12, topics: allTopics.slice(0, 4) },
      { type: 'training.sessionLogged', by: coordinator, hours: 8, topics: allTopics.slice(4) },
      { type: 'training.completed', by: coordinator },
    ],
    suitability: [{ type: 'suitability.reviewed', by: coordinator, outcome: 'ready' }],
  };
}

export const youngPersonToWaiting = [
  { type: 'contact.recorded', by: coordinator, method: 'phone' },
  { type: 'consent.recorded', by: coordinator, consent: 'given', ownGoals: ['find a college course'] },
  { type: 'readiness.assessed', by: coordinator, outcome: 'ready' },
  { type: 'preferences.recorded', by: coordinator, mentorType: 'either' },
];

export async function recordAll(journeys: Journeys, kind: JourneyKind, id: string, events: object[]): Promise<JourneyStatus> {
  let status: JourneyStatus | undefined;
  for (const event of events) status = await journeys.record(kind, id, event as never);
  return status!;
}

/** Linked journeys learn of each other by signal: wait until `check` holds (real time, bounded). */
export async function eventually(
  journeys: Journeys,
  kind: JourneyKind,
  id: string,
  check: (status: JourneyStatus) => boolean,
  what: string,
): Promise<JourneyStatus> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const status = await journeys.status(kind, id).catch(() => undefined);
    if (status && check(status)) return status;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${kind} ${id}: ${what} (last stage ${status?.stage})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface SentNotification {
  /** When the workflow asked for it, in the server's time. */
  at: string;
  activity: string;
  kind: string;
  about: string;
}

/** The notifications a journey asked for, from its history: what an auditor would see. */
export async function notificationsSent(client: Client, workflowId: string): Promise<SentNotification[]> {
  // Payloads are stored encrypted: read them as an auditor with the keyring would.
  const history = await decodeHistory(await client.workflow.getHandle(workflowId).fetchHistory(), testPrivacy().codec);
  const sent: SentNotification[] = [];
  for (const event of history.events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (!scheduled) continue;
    const input = defaultPayloadConverter.fromPayload<{ kind?: string; method?: string; params: { about?: string; sessionId?: string } }>(
      scheduled.input!.payloads![0]!,
    );
    const seconds = Number(event.eventTime!.seconds);
    const millis = Math.round((event.eventTime!.nanos ?? 0) / 1e6);
    sent.push({
      at: new Date(seconds * 1000 + millis).toISOString(),
      activity: scheduled.activityType!.name!,
      kind: input.kind ?? input.method ?? '',
      about: input.params.about ?? input.params.sessionId ?? '',
    });
  }
  return sent;
}
