/**
 * The words of every nudge and escalation on a match: one line with no personal data, what to do
 * (the command that records it), and when it fell due. Only opaque ids and counts go in `facts`.
 */
import type { NotifyParams } from '../journey';
import type { MatchContext } from './context';
import type { ConcernCategory } from './events';
import {
  checkInDueAt,
  formalEndingDueAt,
  initialGoalsDueAt,
  meetingGapEscalateAt,
  meetingGapFrom,
  meetingGapNudgeAt,
  nextReviewDueAt,
} from './schedule';

const cli = (context: MatchContext, verb: string, options = '') =>
  `npx mentorflow match ${verb} ${context.journeyId}${options ? ` ${options}` : ''}`;

const facts = (context: MatchContext, more: NotifyParams['facts'] = {}) => ({
  matchId: context.journeyId,
  volunteerId: context.volunteerId,
  peer: context.peer,
  ...more,
});

export function initialGoalsOverdue(context: MatchContext): NotifyParams {
  return {
    about: 'initialGoalsOverdue',
    summary: `A match has no initial goals agreed ${context.policy.match.initialGoalsWithin.text} after it started`,
    whatToDo: `Agree initial goals with the mentor and young person (getting to know each other first is fine), then record them: ${cli(context, 'goals')}`,
    dueAt: initialGoalsDueAt(context),
    facts: facts(context),
  };
}

export function checkInOverdue(context: MatchContext): NotifyParams {
  const seen = context.checkIns.partiesThisRound;
  const outstanding = (['mentor', 'mentee'] as const).filter((party) => !seen.includes(party));
  return {
    about: 'checkInOverdue',
    summary:
      context.checkIns.completed === 0
        ? 'The first co-ordinator check-in on a match is overdue'
        : 'A co-ordinator check-in on a match is overdue',
    whatToDo: `Check in with the ${outstanding.join(' and ')}, then record it: ${cli(context, 'check-in', `--with ${outstanding.join(',')}`)}`,
    dueAt: checkInDueAt(context),
    facts: facts(context, { checkInsCompleted: context.checkIns.completed }),
  };
}

export function meetingGap(context: MatchContext): NotifyParams {
  return {
    about: 'meetingGap',
    summary: `No meeting logged on a match for ${context.policy.match.meetingGapNudgeAfter.text}`,
    whatToDo: `Ask the mentor how the match is going and log any meeting: ${cli(context, 'meeting', '--on YYYY-MM-DD')}`,
    dueAt: meetingGapNudgeAt(context),
    facts: facts(context, { meetingsLogged: context.meetings.count, gapSince: meetingGapFrom(context) }),
  };
}

export function meetingGapEscalated(context: MatchContext): NotifyParams {
  return {
    about: 'meetingGapEscalated',
    summary: `No meeting logged on a match for ${context.policy.match.meetingGapEscalateAfter.text}`,
    whatToDo: `Make sure the co-ordinator contacts the mentor and young person; decide whether the match goes on, or record an ending: ${cli(context, 'decide-ending')}`,
    dueAt: meetingGapEscalateAt(context),
    facts: facts(context, { meetingsLogged: context.meetings.count, gapSince: meetingGapFrom(context) }),
  };
}

export function reviewDue(context: MatchContext): NotifyParams {
  return {
    about: 'reviewDue',
    summary: `Review ${context.reviews.nextIndex + 1} of a match is due`,
    whatToDo: `Hold the review with the mentor and young person, then record its outcome: ${cli(context, 'review', '--outcome continue|end|rematch')}`,
    dueAt: nextReviewDueAt(context),
    facts: facts(context, { reviewsHeld: context.reviews.held }),
  };
}

export function volunteerCheckExpired(context: MatchContext): NotifyParams {
  return {
    about: 'volunteerCheckExpired',
    summary: "The mentor's safeguarding check has expired while they are in a match",
    whatToDo: `Arrange the renewal and record it on the volunteer's journey: npx mentorflow volunteer check ${context.volunteerId}`,
    dueAt: context.volunteerCheckExpiredSince,
    facts: facts(context),
  };
}

/** Told by the volunteer's journey: treated as a safeguarding matter, like a concern. */
export function volunteerCheckNotClear(context: MatchContext, at: string, holdsTheMatch: boolean): NotifyParams {
  return {
    about: 'volunteerCheckNotClear',
    summary: "The mentor's renewed safeguarding check is not clear while they are in a match",
    whatToDo: holdsTheMatch
      ? `Follow the scheme's safeguarding procedure now; the match is on hold until you record the outcome: ${cli(context, 'resolve-concern', '--outcome resume|end')}`
      : "Follow the scheme's safeguarding procedure now",
    dueAt: at,
    facts: facts(context),
  };
}

export function formalEndingOverdue(context: MatchContext): NotifyParams {
  return {
    about: 'formalEndingOverdue',
    summary: `A match ending decided ${context.policy.match.formalEndingNudgeAfter.text} ago has no formal record`,
    whatToDo: `Hold a closing meeting or send the ending letter, then record it: ${cli(context, 'end', '--method closingMeeting|letter --reason <reason> --planned|--unplanned --outcomes <codes>')}`,
    dueAt: formalEndingDueAt(context),
    facts: facts(context),
  };
}

const concernAbout: Record<ConcernCategory, string> = {
  complaint: 'complaintRaised',
  concern: 'concernRaised',
  safeguarding: 'safeguardingConcern',
};

/** A concern reaches the co-ordinator at once and directly, never through the mentor. */
export function concernRaised(
  context: MatchContext,
  concern: { category: ConcernCategory; raisedBy: string; at: string },
  holdsTheMatch: boolean,
): NotifyParams {
  const { category, raisedBy, at } = concern;
  const what = category === 'complaint' ? 'A complaint' : category === 'safeguarding' ? 'A safeguarding concern' : 'A concern';
  const source = raisedBy === 'youngPerson' ? 'by the young person' : 'by a co-ordinator';
  return {
    about: concernAbout[category],
    summary: `${what} was raised ${source} on a match`,
    whatToDo:
      category !== 'safeguarding'
        ? "Contact the young person directly (not through the mentor) and follow the scheme's complaints and concerns procedure"
        : holdsTheMatch
          ? `Follow the scheme's safeguarding procedure now; the match is on hold until you record the outcome: ${cli(context, 'resolve-concern', '--outcome resume|end')}`
          : "Follow the scheme's safeguarding procedure now",
    dueAt: at,
    facts: facts(context, { category, raisedBy }),
  };
}

/** A nudge nobody has acted on goes to the lead co-ordinator, with the original deadline. */
export function stillUnacted(notice: NotifyParams, context: MatchContext): NotifyParams {
  return {
    ...notice,
    summary: `Still not done ${context.policy.notifications.escalateUnactedNudgeAfter.text} after a nudge: ${notice.summary}`,
  };
}
