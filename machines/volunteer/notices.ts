/**
 * Every nudge and reminder on a volunteer's journey: the matter, when it fell due, and the facts
 * that word it (presentation/notices.ts holds the words). Facts are counts, dates, opaque ids and
 * the policy's durations only, never personal data.
 */
import { addDuration } from '../duration';
import { unactedEscalation, type NotifyParams } from '../journey';
import { checkExpiresAt, type VolunteerContext } from './context';
import { vettingUnmet } from './gates';
import { attendanceDueAt, nextReminder, now, type Args } from './schedule';

export const vettingPending = (args: Args): NotifyParams => {
  const { context } = args;
  const wait = context.policy.volunteer.vettingPendingNudgeAfter;
  return {
    about: 'vettingPending',
    dueAt: addDuration(context.vettingSince ?? context.startedAt, wait),
    facts: { waited: wait.text, unmet: vettingUnmet(context, now(args)).join('; ') },
  };
};

export const checkRenewalFacts = (context: VolunteerContext) => ({
  expiresOn: context.check?.expiresOn ?? '',
  checkType: context.check?.checkType ?? 'other',
  before: nextReminder(context)?.before ?? '',
});

export const checkRenewalReminder = ({ context }: Args): NotifyParams => {
  const facts = checkRenewalFacts(context);
  return {
    about: 'checkRenewal',
    dueAt: context.check ? checkExpiresAt(context.check) : context.startedAt,
    facts,
  };
};

export const checkRenewalNudge = ({ context }: Args): NotifyParams => {
  const facts = checkRenewalFacts(context);
  return {
    about: 'checkRenewal',
    dueAt: context.check ? checkExpiresAt(context.check) : context.startedAt,
    facts,
  };
};

export const checkExpiredNudge = (context: VolunteerContext, matchId?: string): NotifyParams => ({
  about: 'checkExpired',
  dueAt: context.check ? checkExpiresAt(context.check) : context.startedAt,
  facts: { expiresOn: context.check?.expiresOn ?? '', ...(matchId ? { matchId } : {}) },
});

export const checkNotClearNudge = (context: VolunteerContext, matchId?: string): NotifyParams => ({
  about: 'checkNotClear',
  ...(matchId ? { facts: { matchId } } : {}),
});

export const supervisionMissed = ({ context }: Args): NotifyParams => ({
  about: 'supervisionMissed',
  ...(context.supervision.current ? { dueAt: context.supervision.current.startsAt } : {}),
  facts: { sessionId: context.supervision.current?.sessionId ?? '' },
});

export const supervisionAttendanceNotRecorded = ({ context }: Args): NotifyParams => ({
  about: 'supervisionAttendanceNotRecorded',
  dueAt: attendanceDueAt(context),
  facts: { sessionId: context.supervision.current?.sessionId ?? '' },
});

/** The same matter, told to the lead co-ordinator when a nudge has gone unanswered. */
export const escalation =
  (nudge: (args: Args) => NotifyParams) =>
  (args: Args): NotifyParams => {
    return unactedEscalation(nudge(args), args.context.policy.notifications.escalateUnactedNudgeAfter);
  };
