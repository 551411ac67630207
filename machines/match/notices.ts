/**
 * Every nudge and escalation on a match: the matter it is about, when it fell due, and the facts
 * that word it (presentation/notices.ts holds the words). Only opaque ids, counts, dates and the
 * policy's durations go in `facts`: never personal data.
 */
import { unactedEscalation, type NotifyParams } from '../journey';
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

const facts = (context: MatchContext, more: NotifyParams['facts'] = {}) => ({
  matchId: context.journeyId,
  volunteerId: context.volunteerId,
  peer: context.peer,
  ...more,
});

export function initialGoalsOverdue(context: MatchContext): NotifyParams {
  return {
    about: 'initialGoalsOverdue',
    dueAt: initialGoalsDueAt(context),
    facts: facts(context, { within: context.policy.match.initialGoalsWithin.text }),
  };
}

export function checkInOverdue(context: MatchContext): NotifyParams {
  const seen = context.checkIns.partiesThisRound;
  const outstanding = (['mentor', 'mentee'] as const).filter((party) => !seen.includes(party));
  return {
    about: 'checkInOverdue',
    dueAt: checkInDueAt(context),
    facts: facts(context, { checkInsCompleted: context.checkIns.completed, outstanding: outstanding.join(',') }),
  };
}

export function meetingGap(context: MatchContext): NotifyParams {
  return {
    about: 'meetingGap',
    dueAt: meetingGapNudgeAt(context),
    facts: facts(context, { after: context.policy.match.meetingGapNudgeAfter.text, meetingsLogged: context.meetings.count, gapSince: meetingGapFrom(context) }),
  };
}

export function meetingGapEscalated(context: MatchContext): NotifyParams {
  return {
    about: 'meetingGapEscalated',
    dueAt: meetingGapEscalateAt(context),
    facts: facts(context, { after: context.policy.match.meetingGapEscalateAfter.text, meetingsLogged: context.meetings.count, gapSince: meetingGapFrom(context) }),
  };
}

export function reviewDue(context: MatchContext): NotifyParams {
  return {
    about: 'reviewDue',
    dueAt: nextReviewDueAt(context),
    facts: facts(context, { review: context.reviews.nextIndex + 1, reviewsHeld: context.reviews.held }),
  };
}

export function volunteerCheckExpired(context: MatchContext): NotifyParams {
  return {
    about: 'volunteerCheckExpired',
    dueAt: context.volunteerCheckExpiredSince,
    facts: facts(context),
  };
}

/** Told by the volunteer's journey: treated as a safeguarding matter, like a concern. */
export function volunteerCheckNotClear(context: MatchContext, at: string, holdsTheMatch: boolean): NotifyParams {
  return {
    about: 'volunteerCheckNotClear',
    dueAt: at,
    facts: facts(context, { holdsTheMatch }),
  };
}

export function formalEndingOverdue(context: MatchContext): NotifyParams {
  return {
    about: 'formalEndingOverdue',
    dueAt: formalEndingDueAt(context),
    facts: facts(context, { after: context.policy.match.formalEndingNudgeAfter.text }),
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
  return {
    about: concernAbout[category],
    dueAt: at,
    facts: facts(context, { category, raisedBy, holdsTheMatch }),
  };
}

/** A nudge nobody has acted on goes to the lead co-ordinator, with the original deadline. */
export function stillUnacted(notice: NotifyParams, context: MatchContext): NotifyParams {
  return unactedEscalation(notice, context.policy.notifications.escalateUnactedNudgeAfter);
}
