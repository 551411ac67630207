/**
 * What each nudge and reminder on a volunteer's journey says. Summaries carry counts, dates and
 * opaque ids only, never personal data.
 */
import { addDuration } from '../duration';
import type { NotifyParams } from '../journey';
import { checkExpiresAt, type VolunteerContext } from './context';
import { vettingUnmet } from './gates';
import { attendanceDueAt, nextReminder, now, type Args } from './schedule';

export const command = (context: VolunteerContext, verb: string, options = '') =>
  `npx mentorflow volunteer ${verb} ${context.journeyId}${options ? ` ${options}` : ''}`;
export const recordCheckCommand = (context: VolunteerContext) =>
  command(context, 'record-check', '--type PVG|enhancedDBS|other --issued-on <date> --reference <number> --decision clear');


export const vettingPending = (args: Args): NotifyParams => {
  const { context } = args;
  const wait = context.policy.volunteer.vettingPendingNudgeAfter;
  return {
    about: 'vettingPending',
    summary: `Vetting still pending after ${wait.text}: ${vettingUnmet(context, now(args)).join('; ')}`,
    whatToDo:
      `Chase the safeguarding check and references, then record them: ${recordCheckCommand(context)}; ` +
      command(context, 'record-reference', '--referee <ref> --satisfactory'),
    dueAt: addDuration(context.vettingSince ?? context.startedAt, wait),
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
    summary: `Your safeguarding check expires on ${facts.expiresOn}`,
    whatToDo: 'Apply to renew it now, and tell your co-ordinator when the renewed check is issued',
    dueAt: context.check ? checkExpiresAt(context.check) : context.startedAt,
    facts,
  };
};

export const checkRenewalNudge = ({ context }: Args): NotifyParams => {
  const facts = checkRenewalFacts(context);
  return {
    about: 'checkRenewal',
    summary: `A volunteer's safeguarding check expires on ${facts.expiresOn} (reminder ${facts.before} before)`,
    whatToDo: `Help the volunteer renew it, then record the renewed check: ${recordCheckCommand(context)}`,
    dueAt: context.check ? checkExpiresAt(context.check) : context.startedAt,
    facts,
  };
};

export const checkExpiredNudge = (context: VolunteerContext, matchId?: string): NotifyParams => ({
  about: 'checkExpired',
  summary: matchId
    ? `A volunteer's safeguarding check expired on ${context.check?.expiresOn} during match ${matchId}`
    : `A volunteer's safeguarding check expired on ${context.check?.expiresOn}: no new match until it is renewed`,
  whatToDo: matchId
    ? `Review match ${matchId} with the volunteer now, and record the renewed check: ${recordCheckCommand(context)}`
    : `Record the renewed check: ${recordCheckCommand(context)}`,
  dueAt: context.check ? checkExpiresAt(context.check) : context.startedAt,
  facts: { expiresOn: context.check?.expiresOn ?? '', ...(matchId ? { matchId } : {}) },
});

export const checkNotClearNudge = (context: VolunteerContext, matchId?: string): NotifyParams => ({
  about: 'checkNotClear',
  summary: matchId
    ? `A volunteer's safeguarding check was recorded as not clear during match ${matchId}`
    : "A volunteer's safeguarding check was recorded as not clear",
  whatToDo: matchId
    ? `Act on match ${matchId} now under your safeguarding procedure, then record the volunteer's exit or a clear check`
    : `Follow your safeguarding procedure, then record the outcome: ${command(context, 'record-exit', '--reason notSuitable')}`,
  ...(matchId ? { facts: { matchId } } : {}),
});

export const supervisionMissed = ({ context }: Args): NotifyParams => ({
  about: 'supervisionMissed',
  summary: `A volunteer missed supervision session ${context.supervision.current?.sessionId}`,
  whatToDo: `Contact the volunteer and arrange a catch-up; the next session is scheduled automatically: ${command(context, 'reschedule-supervision', '--session <sessionId> --starts-at <date-time>')}`,
  ...(context.supervision.current ? { dueAt: context.supervision.current.startsAt } : {}),
  facts: { sessionId: context.supervision.current?.sessionId ?? '' },
});

export const supervisionAttendanceNotRecorded = ({ context }: Args): NotifyParams => ({
  about: 'supervisionAttendanceNotRecorded',
  summary: `No attendance recorded for supervision session ${context.supervision.current?.sessionId}`,
  whatToDo: `Record it: ${command(context, 'record-supervision', `--session ${context.supervision.current?.sessionId} --attended|--missed`)}`,
  dueAt: attendanceDueAt(context),
  facts: { sessionId: context.supervision.current?.sessionId ?? '' },
});

/** The same matter, told to the lead co-ordinator when a nudge has gone unanswered. */
export const escalation =
  (nudge: (args: Args) => NotifyParams) =>
  (args: Args): NotifyParams => {
    const params = nudge(args);
    return { ...params, summary: `Still unresolved after a nudge: ${params.summary}` };
  };
