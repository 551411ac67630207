/** Shared set-up for the notification activity tests: a scheme directory, requests, fresh ids. */
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { parseDirectory, type SchemeDirectory } from '../../../activities/notifications/directory';
import type { NotificationRequest, SupervisionRequest } from '../../../activities/notifications/requests';

export const directory: SchemeDirectory = parseDirectory({
  scheme: { name: 'Riverside Mentoring', from: 'mentoring@riverside.example.org', replyTo: 'team@riverside.example.org' },
  leadCoordinator: { id: 'lead-1', name: 'Morgan Lead', email: 'morgan@riverside.example.org' },
  coordinators: [
    { id: 'co-1', name: 'Alex Okafor', email: 'alex@riverside.example.org' },
    { id: 'co-2', name: 'Priya Shah', email: 'priya@riverside.example.org', leadId: 'co-1' },
  ],
});

/** A young person's first name, given in facts: it must never reach a subject line. */
export const youngPersonFirstName = 'Jordan';
export const volunteerEmail = 'sam.volunteer@mail.example.net';

/** The clock of the tests: three days after the nudge below fell due. */
export const now = () => new Date('2025-06-05T08:00:00Z');

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), `mentorflow-${prefix}-`));
}

/** A fresh journey per test, with the delivery key the workflow would compute. */
export function freshJourney(kind: 'youngPerson' | 'volunteer' | 'match' = 'youngPerson') {
  const id = `${kind === 'youngPerson' ? 'yp' : kind === 'volunteer' ? 'vol' : 'match'}-${randomUUID().slice(0, 8)}`;
  const workflowId = `scheme-${kind}-${id}`;
  let effect = 0;
  return {
    journey: { kind, id, workflowId },
    nextKey: () => `${workflowId}/effect-${++effect}`,
  };
}

export function nudge(overrides: Partial<NotificationRequest> = {}): NotificationRequest {
  const { journey, nextKey } = freshJourney();
  return {
    deliveryKey: nextKey(),
    journey,
    kind: 'nudge',
    to: { coordinatorId: 'co-1' },
    params: {
      about: 'meetingGap',
      summary: 'No meeting logged for 21 days',
      whatToDo: `Record the next meeting: npx mentorflow record ${journey.id} meeting.logged`,
      dueAt: '2025-06-02T08:00:00Z',
      facts: { youngPersonFirstName, meetingsLogged: 4, lastMeetingOn: '2025-05-12' },
    },
    ...overrides,
  };
}

export function reminder(overrides: Partial<NotificationRequest> = {}): NotificationRequest {
  const { journey, nextKey } = freshJourney('volunteer');
  return {
    deliveryKey: nextKey(),
    journey,
    kind: 'reminder',
    to: { volunteer: { email: volunteerEmail, firstName: 'Sam' } },
    params: {
      about: 'checkRenewalDue',
      summary: 'Your PVG membership needs renewing',
      whatToDo: 'Apply to renew your PVG membership and tell your co-ordinator when it is done.',
      dueAt: '2025-07-05T00:00:00Z',
      facts: { checkExpiresOn: '2025-07-05', menteeFirstName: youngPersonFirstName },
    },
    ...overrides,
  };
}

export function supervision(overrides: Partial<SupervisionRequest> = {}): SupervisionRequest {
  const { journey, nextKey } = freshJourney('volunteer');
  return {
    deliveryKey: nextKey(),
    journey,
    volunteer: { email: volunteerEmail, firstName: 'Sam' },
    coordinatorId: 'co-2',
    method: 'REQUEST',
    // 10:00 in London (British Summer Time).
    params: { sessionId: `sup-${randomUUID().slice(0, 8)}`, startsAt: '2025-06-03T09:00:00Z', durationMinutes: 60, sequence: 0 },
    timeZone: 'Europe/London',
    ...overrides,
  };
}

/**
 * Call an activity as Temporal would: again after each retryable failure, never after a
 * non-retryable one. `between` runs after each failed attempt (e.g. to bring a server back).
 */
export async function retryLikeTemporal<T>(
  attempt: () => Promise<T>,
  options: { maxAttempts: number; between?: (failedAttempt: number) => Promise<void> | void },
): Promise<{ result: T; attempts: number; failures: ApplicationFailure[] }> {
  const failures: ApplicationFailure[] = [];
  for (let n = 1; ; n++) {
    try {
      return { result: await attempt(), attempts: n, failures };
    } catch (err) {
      if (!(err instanceof ApplicationFailure)) throw err;
      failures.push(err);
      if (err.nonRetryable || n >= options.maxAttempts) throw err;
      await options.between?.(n);
    }
  }
}
