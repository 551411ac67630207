/**
 * How the journeys' and the digest's email activities are timed and retried, chosen so that a
 * backlog goes out within seconds once the worker or the mail server is back (docs/faults.md):
 *
 * - A heartbeat timeout of 5 s beside the minute an attempt may take: the activities heartbeat
 *   every second (activities/heartbeat.ts), so an attempt on a worker that died is given up and
 *   retried on a live one after 5 s, not after the whole minute.
 * - Retries from 1 s, doubling, at most 10 s apart: after a mail server outage of any length the
 *   next attempt comes within 10 s of its return (with the 15 minutes' cap used before, a 60 s outage
 *   delayed the backlog by another 75 s). A failed attempt against a server that is down costs
 *   one refused connection; Temporal keeps no history for attempts, only for the outcome.
 */
import type { ActivityOptions } from '@temporalio/workflow';

export function emailActivityOptions(o: { giveUpAfter: string; nonRetryable: readonly string[]; attemptTimeout?: string }): ActivityOptions {
  return {
    startToCloseTimeout: o.attemptTimeout ?? '1 minute',
    heartbeatTimeout: '5 seconds',
    scheduleToCloseTimeout: o.giveUpAfter,
    retry: {
      initialInterval: '1 second',
      backoffCoefficient: 2,
      maximumInterval: '10 seconds',
      nonRetryableErrorTypes: [...o.nonRetryable],
    },
  };
}
