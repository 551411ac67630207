/**
 * What each effect a journey machine names becomes on Temporal: an activity (email, calendar
 * invitation), a child workflow (a match journey) or a signal (news for a linked journey).
 */
import {
  ApplicationFailure,
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  getExternalWorkflowHandle,
  proxyActivities,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { nonRetryableNotificationErrors } from '../contracts/delivery-errors';
import type { DeliveryReceipt, NotificationRequest, SupervisionRequest } from '../activities/notifications/requests';
import type { Actor, JourneyKind } from '../machines/journey';
import type { Effect } from '../machines/runtime';
import { workflowIdFor, workflowTypes } from '../contracts/ids';
import { linkedEvent, type JourneyWorkflowInput } from '../contracts/messages';
import { currentVersions } from '../machines/registry';
import { emailActivityOptions } from './activity-options';

interface NotificationActivities {
  sendNotification(request: NotificationRequest): Promise<DeliveryReceipt>;
  sendSupervisionInvitation(request: SupervisionRequest): Promise<DeliveryReceipt>;
}

/**
 * Email may be down for hours: keep retrying for up to three days, then give up and surface the
 * failure. A rejected address will not get better, so it is not retried.
 */
const notifications = proxyActivities<NotificationActivities>(
  emailActivityOptions({ giveUpAfter: '3 days', nonRetryable: nonRetryableNotificationErrors }),
);

/** Carry out one effect of the journey `kind` started with `input`; `deliveryKey` is stable across retries. */
export async function carryOutEffect(kind: JourneyKind, input: JourneyWorkflowInput, effect: Effect, deliveryKey: string): Promise<void> {
  const journey = { kind: kind, id: input.start.journeyId, workflowId: workflowInfo().workflowId };
  const coordinatorId = input.start.coordinatorId;
  switch (effect.type) {
    case 'nudgeCoordinator':
      await notifications.sendNotification({ deliveryKey, journey, kind: 'nudge', to: { coordinatorId }, params: effect.params });
      return;
    case 'escalateToLead':
      await notifications.sendNotification({ deliveryKey, journey, kind: 'escalation', to: { lead: true, coordinatorId }, params: effect.params });
      return;
    case 'remindVolunteer':
      if (!input.contact) throw ApplicationFailure.nonRetryable('the volunteer has no contact address on record', 'CONTACT.MISSING');
      await notifications.sendNotification({ deliveryKey, journey, kind: 'reminder', to: { volunteer: input.contact }, params: effect.params });
      return;
    case 'inviteToSupervision':
    case 'cancelSupervision':
      if (!input.contact) throw ApplicationFailure.nonRetryable('the volunteer has no contact address on record', 'CONTACT.MISSING');
      await notifications.sendSupervisionInvitation({
        deliveryKey,
        journey,
        volunteer: input.contact,
        coordinatorId,
        method: effect.type === 'inviteToSupervision' ? 'REQUEST' : 'CANCEL',
        params: effect.params,
        timeZone: input.policy.timeZone,
      });
      return;
    case 'startMatchJourney': {
      const { matchId, youngPersonId, volunteerId, coordinatorId: matchCoordinator, peer } = effect.params;
      await startChild(workflowTypes.match, {
        workflowId: workflowIdFor('match', matchId),
        // The match outlives this run of the volunteer's journey (continue-as-new, exit).
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        args: [
          {
            start: { journeyId: matchId, coordinatorId: matchCoordinator, startedAt: now(), youngPersonId, volunteerId, peer },
            policy: input.policy,
            machineVersion: currentVersions.match,
            ...(input.indexed === false ? { indexed: false } : {}),
            ...(input.continueAsNewAfterEvents ? { continueAsNewAfterEvents: input.continueAsNewAfterEvents } : {}),
          } satisfies JourneyWorkflowInput,
        ],
      });
      return;
    }
    case 'tellJourney': {
      const by: Actor = { role: 'system', id: workflowInfo().workflowId };
      await getExternalWorkflowHandle(workflowIdFor(effect.params.kind, effect.params.journeyId)).signal(linkedEvent, {
        ...effect.params.event,
        by,
      });
      return;
    }
  }
}

/** The workflow's clock as an instant: Temporal makes `Date.now()` deterministic inside a workflow. */
export function now(): string {
  return new Date(Date.now()).toISOString();
}
