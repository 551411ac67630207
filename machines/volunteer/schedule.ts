/**
 * When things fall due on a volunteer's journey: the policy's delays, the supervision cadence,
 * check renewal reminders. Pure functions of the context and the journey's clock.
 */
import { addDuration, addDurationMs, subtractDuration, type PolicyDuration } from '../duration';
import { eventTime, type SupervisionParams } from '../journey';
import type { SchemePolicy } from '../policy';
import { checkExpiresAt, isPeer, type RenewalReminder, type VolunteerContext } from './context';
import type { VolunteerEvent } from './events';

export type Args = { context: VolunteerContext; event: VolunteerEvent };

/** The journey's clock: the moment the interpreter applied the event. */
export const now = ({ context, event }: Args) => eventTime(event, context.startedAt);

/** A named delay of `duration` from the moment the state is entered. */
export const after = (pick: (policy: SchemePolicy) => PolicyDuration) => (args: Args) => {
  const from = Date.parse(now(args));
  return addDurationMs(from, pick(args.context.policy)) - from;
};

/** Calendar invitations need a length; the policy has no field for it yet. */
export const SUPERVISION_MINUTES = 60;

export const supervisionEvery = (context: VolunteerContext) =>
  isPeer(context) ? context.policy.volunteer.peerSupervisionEvery : context.policy.volunteer.supervisionEvery;

/** The first session on the cadence from `from` that is still in the future at `now`. */
export function nextSessionStart(from: string, every: PolicyDuration, nowIso: string): string {
  let next = addDuration(from, every);
  for (let i = 0; i < 1000 && next <= nowIso && next > from; i++) next = addDuration(next, every);
  return next > nowIso ? next : addDuration(nowIso, every);
}

/** Renewal reminders for a check, each the policy's interval before it expires; past ones are dropped. */
export function planReminders(context: VolunteerContext, nowIso: string): RenewalReminder[] {
  if (!context.check) return [];
  const expiresAt = checkExpiresAt(context.check);
  const planned = context.policy.volunteer.checkRenewalRemindersBefore
    .map((before) => ({ before: before.text, at: subtractDuration(expiresAt, before) }))
    .filter((r) => Date.parse(r.at) >= Date.parse(nowIso))
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return planned.filter((r, i) => i === 0 || r.at !== planned[i - 1]!.at);
}

export const nextReminder = (context: VolunteerContext) => context.renewalReminders[context.renewalRemindersSent];

export const currentSession = (context: VolunteerContext): SupervisionParams | undefined =>
  context.supervision.current && { ...context.supervision.current, durationMinutes: SUPERVISION_MINUTES };

export const attendanceDueAt = (context: VolunteerContext) =>
  context.supervision.current
    ? addDuration(context.supervision.current.startsAt, context.policy.volunteer.supervisionAttendanceGrace)
    : context.startedAt;
