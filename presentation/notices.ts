/**
 * The words of every nudge, escalation and reminder, and the event that resolves each one.
 *
 * The machines name the matter (`about`) and give its facts (counts, dates, opaque ids, the
 * policy's durations); this table words it, once, for every channel: the emails (activities/),
 * the CLI's status and due lists, and the web app's Today and journey pages. Each channel then
 * shows the resolving event its own way: a link to the pre-filled form, or the command that
 * records it. Nothing here decides anything: whether a nudge is open is the machine's business.
 *
 * Histories recorded before the wording moved here carry `summary` and `whatToDo` in the effect
 * itself; those texts are what was sent then, so they are kept as they are.
 */
import type { JourneyStatus } from '../contracts/messages';
import type { JourneyKind, NotifyParams } from '../machines/journey';
import { plainWords, sentence } from './words';

type Facts = NonNullable<NotifyParams['facts']>;

/** Who reads the notice: the journey's co-ordinator, the lead (an escalation), or the volunteer. */
export type NoticeAudience = 'coordinator' | 'lead' | 'volunteer';

/** Who reads each kind of message the notification activity sends. */
export const noticeAudiences: Readonly<Record<string, NoticeAudience>> = { nudge: 'coordinator', escalation: 'lead', reminder: 'volunteer' };

/** The event that resolves a notice, on which journey, with the values already known. */
export interface ResolvingEvent {
  kind: JourneyKind;
  journeyId: string;
  /** The event type, e.g. "contact.recorded"; "match.proposed" has a page and a command of its own. */
  event: string;
  /** Values to pre-fill, by field name (the event schema's names). */
  values: Record<string, string | string[] | boolean>;
}

export interface NoticeWords {
  /** One line, no personal data. */
  summary: string;
  /** What to do, in words; each channel adds how (a link, a command). */
  whatToDo: string;
  /** Absent when no single event resolves it (follow a procedure, look at two journeys). */
  resolvedBy?: ResolvingEvent;
}

export interface NoticeInput {
  about: string;
  facts?: Facts;
  summary?: string;
  whatToDo?: string;
}

interface Wording {
  summary(facts: Facts, audience: NoticeAudience): string;
  whatToDo(facts: Facts, audience: NoticeAudience): string;
  resolvedBy?(facts: Facts, journey: JourneyRef): Omit<ResolvingEvent, 'values'> & { values?: ResolvingEvent['values'] } | undefined;
}

interface JourneyRef {
  kind: JourneyKind;
  id: string;
}

const text = (facts: Facts, key: string): string => (facts[key] === undefined ? '' : String(facts[key]));
/** `words` around a fact, or nothing when the fact is not given (e.g. an open nudge listed without its facts). */
const given = (facts: Facts, key: string, words: (value: string) => string): string => (facts[key] === undefined || facts[key] === '' ? '' : words(String(facts[key])));
const on = (journey: JourneyRef, event: string, values: ResolvingEvent['values'] = {}) => ({ kind: journey.kind, journeyId: journey.id, event, values });

const concern = (what: string): Wording => ({
  summary: (f) => `${what} was raised ${f.raisedBy === 'youngPerson' ? 'by the young person' : 'by a co-ordinator'} on a match`,
  whatToDo: (f) =>
    f.category === 'safeguarding'
      ? `Follow the scheme's safeguarding procedure now${f.holdsTheMatch ? '; the match is on hold until you record the outcome' : ''}`
      : "Contact the young person directly (not through the mentor) and follow the scheme's complaints and concerns procedure",
  resolvedBy: (f, j) => (f.category === 'safeguarding' && f.holdsTheMatch ? on(j, 'concern.resolved') : undefined),
});

const effectWords: Record<string, string> = {
  nudgeCoordinator: 'A nudge to the co-ordinator',
  escalateToLead: 'An escalation to the lead co-ordinator',
  remindVolunteer: 'A reminder to the volunteer',
  inviteToSupervision: 'A supervision invitation',
  cancelSupervision: 'A supervision cancellation',
  startMatchJourney: 'The start of a match journey',
  tellJourney: 'News for a linked journey',
};

/** Every matter a machine or the interpreter raises, by its `about`. */
export const noticeWordings: Readonly<Record<string, Wording>> = {
  // The young person's journey
  firstContactOverdue: {
    summary: () => 'First contact with a referred young person is overdue',
    whatToDo: () => 'Contact the young person, then record it',
    resolvedBy: (_, j) => on(j, 'contact.recorded'),
  },
  readinessRecheckDue: {
    summary: () => 'A young person in informal support is due a readiness re-check',
    whatToDo: () => 'Talk with the young person about readiness, then record it',
    resolvedBy: (_, j) => on(j, 'readiness.assessed'),
  },
  matchWaitTooLong: {
    summary: (f) => `A ready young person has waited ${text(f, 'waited') || 'too long'} without a match proposal`,
    whatToDo: () => 'Choose a volunteer from their shortlist and propose the match',
    resolvedBy: (_, j) => on(j, 'match.proposed', { youngPersonId: j.id }),
  },

  // The volunteer's journey
  vettingPending: {
    summary: (f) => `Vetting still pending${given(f, 'waited', (v) => ` after ${v}`)}${given(f, 'unmet', (v) => `: ${v}`)}`,
    whatToDo: () => 'Chase the safeguarding check and the references, then record each one as it arrives',
    resolvedBy: (_, j) => on(j, 'check.recorded'),
  },
  checkRenewal: {
    summary: (f, audience) =>
      audience === 'volunteer'
        ? `Your safeguarding check expires${given(f, 'expiresOn', (v) => ` on ${v}`) || ' soon'}`
        : `A volunteer's safeguarding check expires${given(f, 'expiresOn', (v) => ` on ${v}`) || ' soon'}${given(f, 'before', (v) => ` (reminder ${v} before)`)}`,
    whatToDo: (_, audience) =>
      audience === 'volunteer'
        ? 'Apply to renew it now, and tell your co-ordinator when the renewed check is issued'
        : 'Help the volunteer renew it, then record the renewed check',
    resolvedBy: (f, j) => on(j, 'check.recorded', f.checkType ? { checkType: String(f.checkType) } : {}),
  },
  checkExpired: {
    summary: (f) =>
      f.matchId
        ? `A volunteer's safeguarding check expired${given(f, 'expiresOn', (v) => ` on ${v}`)} during match ${text(f, 'matchId')}`
        : `A volunteer's safeguarding check expired${given(f, 'expiresOn', (v) => ` on ${v}`)}: no new match until it is renewed`,
    whatToDo: (f) => (f.matchId ? `Review match ${text(f, 'matchId')} with the volunteer now, and record the renewed check` : 'Record the renewed check'),
    resolvedBy: (_, j) => on(j, 'check.recorded'),
  },
  checkNotClear: {
    summary: (f) =>
      f.matchId
        ? `A volunteer's safeguarding check was recorded as not clear during match ${text(f, 'matchId')}`
        : "A volunteer's safeguarding check was recorded as not clear",
    whatToDo: (f) =>
      f.matchId
        ? `Act on match ${text(f, 'matchId')} now under your safeguarding procedure, then record the volunteer's exit or a clear check`
        : "Follow your safeguarding procedure, then record the outcome (the volunteer's exit, or a clear check)",
    resolvedBy: (f, j) => (f.matchId ? undefined : on(j, 'exit.recorded', { reason: 'notSuitable' })),
  },
  supervisionMissed: {
    summary: (f) => `A volunteer missed a supervision session${given(f, 'sessionId', (v) => ` (${v})`)}`,
    whatToDo: () => 'Contact the volunteer and arrange a catch-up; the next session is scheduled automatically, or move it',
    resolvedBy: (f, j) => on(j, 'supervision.rescheduled', f.sessionId ? { sessionId: text(f, 'sessionId') } : {}),
  },
  supervisionAttendanceNotRecorded: {
    summary: (f) => `No attendance recorded for a supervision session${given(f, 'sessionId', (v) => ` (${v})`)}`,
    whatToDo: () => 'Record whether the volunteer attended',
    resolvedBy: (f, j) => on(j, 'supervision.attended', f.sessionId ? { sessionId: text(f, 'sessionId') } : {}),
  },

  // The match
  initialGoalsOverdue: {
    summary: (f) => (f.within ? `A match has no initial goals agreed ${text(f, 'within')} after it started` : 'A match has no initial goals agreed yet'),
    whatToDo: () => 'Agree initial goals with the mentor and young person (getting to know each other first is fine), then record them',
    resolvedBy: (_, j) => on(j, 'goals.agreed'),
  },
  checkInOverdue: {
    summary: (f) => (f.checkInsCompleted === 0 ? 'The first co-ordinator check-in on a match is overdue' : 'A co-ordinator check-in on a match is overdue'),
    whatToDo: (f) => `Check in with the ${text(f, 'outstanding').split(',').filter(Boolean).join(' and ') || 'mentor and mentee'}, then record it`,
    resolvedBy: (f, j) => on(j, 'checkIn.recorded', f.outstanding ? { with: String(f.outstanding).split(',') } : {}),
  },
  meetingGap: {
    summary: (f) => `No meeting logged on a match${given(f, 'after', (v) => ` for ${v}`) || ' for a while'}`,
    whatToDo: () => 'Ask the mentor how the match is going and log any meeting',
    resolvedBy: (_, j) => on(j, 'meeting.logged'),
  },
  meetingGapEscalated: {
    summary: (f) => `No meeting logged on a match${given(f, 'after', (v) => ` for ${v}`) || ' for a long while'}`,
    whatToDo: () => 'Make sure the co-ordinator contacts the mentor and young person; decide whether the match goes on, or record an ending',
    resolvedBy: (_, j) => on(j, 'ending.decided'),
  },
  reviewDue: {
    summary: (f) => `${given(f, 'review', (v) => `Review ${v}`) || 'A review'} of a match is due`,
    whatToDo: () => 'Hold the review with the mentor and young person, then record its outcome',
    resolvedBy: (_, j) => on(j, 'review.held'),
  },
  volunteerCheckExpired: {
    summary: () => "The mentor's safeguarding check has expired while they are in a match",
    whatToDo: () => "Arrange the renewal and record it on the volunteer's journey",
    resolvedBy: (f) => (f.volunteerId ? { kind: 'volunteer', journeyId: String(f.volunteerId), event: 'check.recorded', values: {} } : undefined),
  },
  volunteerCheckNotClear: {
    summary: () => "The mentor's renewed safeguarding check is not clear while they are in a match",
    whatToDo: (f) => `Follow the scheme's safeguarding procedure now${f.holdsTheMatch ? '; the match is on hold until you record the outcome' : ''}`,
    resolvedBy: (f, j) => (f.holdsTheMatch ? on(j, 'concern.resolved') : undefined),
  },
  formalEndingOverdue: {
    summary: (f) => `A match ending decided${given(f, 'after', (v) => ` ${v}`) || ' some time'} ago has no formal record`,
    whatToDo: () => 'Hold a closing meeting or send the ending letter, then record it',
    resolvedBy: (_, j) => on(j, 'ending.recorded'),
  },
  complaintRaised: concern('A complaint'),
  concernRaised: concern('A concern'),
  safeguardingConcern: concern('A safeguarding concern'),

  // Raised by the interpreter itself (interpreter/system-nudges.ts)
  deliveryFailed: {
    summary: (f) => `${effectWords[text(f, 'failedEffect')] ?? 'Something this journey asked for'} could not be carried out`,
    whatToDo: () => 'Check the details on record (for example the email address), then follow up by hand',
  },
  linkedEventNotApplied: {
    summary: (f) => `News from a linked journey${given(f, 'event', (v) => ` (${v})`)} could not be applied to this journey`,
    whatToDo: (f) => `Check both journeys: this one and ${text(f, 'from') || 'the one it came from'}`,
  },
};

/** The words of a notice for its audience, and the event that resolves it. */
export function wordNotice(notice: NoticeInput, journey: JourneyRef, audience: NoticeAudience): NoticeWords {
  const facts = notice.facts ?? {};
  const wording = noticeWordings[notice.about];
  const resolved = wording?.resolvedBy?.(facts, journey);
  const resolvedBy = resolved ? { ...resolved, values: resolved.values ?? {} } : undefined;
  if (notice.summary && notice.whatToDo) {
    return { summary: notice.summary, whatToDo: notice.whatToDo, ...(resolvedBy ? { resolvedBy } : {}) };
  }
  // A matter this version does not word is still shown, by its name.
  const summary = wording ? wording.summary(facts, audience) : sentence(plainWords(notice.about));
  return {
    // The machines mark an escalation of a nudge nobody acted on with how long it waited.
    summary: facts.unactedFor ? `Still not done ${text(facts, 'unactedFor')} after a nudge: ${summary}` : summary,
    whatToDo: wording ? wording.whatToDo(facts, audience) : 'Open the journey and record what has been done',
    ...(resolvedBy ? { resolvedBy } : {}),
  };
}

/** An open nudge as a journey's status lists it, worded, with the event that resolves it. */
export interface OpenNudge extends NoticeWords {
  about: string;
  since: string;
}

/**
 * The nudges open on a journey, worded from its status. A status keeps no nudge's own facts, so
 * the journey's facts stand in for them (the volunteer of a match, the current session); a fact
 * it lacks leaves a placeholder in the resolving event, never a wrong value.
 */
export function openNudgesOf(status: Pick<JourneyStatus, 'kind' | 'journeyId' | 'openNudges' | 'facts'>): OpenNudge[] {
  const facts: Facts = {};
  for (const [key, value] of Object.entries(status.facts ?? {})) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') facts[key] = value;
  }
  return status.openNudges.map((nudge) => ({
    about: nudge.about,
    since: nudge.since,
    ...wordNotice({ about: nudge.about, facts }, { kind: status.kind, id: status.journeyId }, 'coordinator'),
  }));
}
