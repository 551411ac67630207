/**
 * The rules a scheme's histories are checked against, each read from the policy the journey
 * started with (its start input) and from the journey's facts at each step, as the machine re-run
 * over the history gives them (../mirror.ts). Deadlines are computed with the machines' own
 * schedule and gate functions, so that an audit and the journeys agree on what was due when.
 */
import { addDuration } from '../../machines/duration';
import type { JourneyKind } from '../../machines/journey';
import type { MatchContext } from '../../machines/match';
import { checkInDueAt, firstMonthEndsAt, formalEndingDueAt, initialGoalsDueAt, nextReviewDueAt } from '../../machines/match/schedule';
import type { SchemePolicy } from '../../machines/policy';
import { checkExpiresAt, checkStatus, type VolunteerContext } from '../../machines/volunteer/context';
import { ageGapUnmet, peerCriteriaUnmet, type MatchProposal } from '../../machines/volunteer/gates';
import type { YoungPersonContext } from '../../machines/young-person';
import type { Journey } from '../journey-history';
import type { JourneyStep } from '../mirror';
import { daysBetween, dayOf, followDeadlines, type DeadlineOutcome } from './deadlines';
import type { ApsRequirement, MentorStandard } from './standards';

/** One journey as the rules read it: its steps over all its runs, and the policy it kept. */
export interface JourneyFacts {
  journey: Journey;
  kind: JourneyKind;
  journeyId: string;
  workflowId: string;
  policy: SchemePolicy;
  steps: JourneyStep[];
  lastEventAt: string;
}

export interface BreachDraft {
  /** When the breach happened: the deadline that passed, or the event that broke the rule. */
  date: string;
  dueAt?: string;
  /** When the duty was done after all, if it was. */
  doneAt?: string;
  detail: string;
  matchId?: string;
  sessionId?: string;
}

export interface RuleResult {
  /** How many times the rule applied (deadlines that fell due or were met, proposals made, ...). */
  checked: number;
  breaches: BreachDraft[];
  /**
   * For the rules about duties with a due date (check-ins, reviews, supervision, ...): each duty
   * checked, when it fell due and whether it was met on time, so that a report can say what was
   * held against what fell due in a period.
   */
  duties?: Duty[];
}

export interface Duty {
  dueAt: string;
  metOnTime: boolean;
}

export interface Rule {
  id: string;
  title: string;
  kind: JourneyKind;
  mentor: MentorStandard;
  aps: ApsRequirement;
  /** The rule as the policy in force states it. */
  clause(policy: SchemePolicy): string;
  check(facts: JourneyFacts, asOf: string): RuleResult;
}

const day = (iso: string | undefined) => (iso ? dayOf(iso) : '?');
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const lateBy = (dueAt: string, doneAt: string) => {
  const days = daysBetween(dueAt, doneAt);
  return days >= 1 ? `${plural(days, 'day')} late` : 'less than a day late';
};

function ofDeadlines(outcomes: DeadlineOutcome[], describe: (o: DeadlineOutcome) => string, extra: (o: DeadlineOutcome) => Partial<BreachDraft> = () => ({})): RuleResult {
  return {
    checked: outcomes.length,
    duties: outcomes.map((o) => ({ dueAt: o.dueAt, metOnTime: o.status === 'onTime' })),
    breaches: outcomes
      .filter((o) => o.status !== 'onTime')
      .map((o) => ({
        date: o.dueAt,
        dueAt: o.dueAt,
        ...(o.status === 'late' && o.resolvedBy ? { doneAt: o.resolvedBy.at } : {}),
        detail: describe(o),
        ...extra(o),
      })),
  };
}

/** "held on 2026-12-03, 2 days late" / "not held before the match ended on ..." / "not held by ...". */
function resolution(o: DeadlineOutcome, done: (step: JourneyStep) => boolean, what: string, asOf: string, otherwise: (step: JourneyStep) => string): string {
  if (o.status === 'overdue') return `not ${what} by ${day(asOf)}`;
  const step = o.resolvedBy!;
  return done(step) ? `${what} on ${day(step.at)}, ${lateBy(o.dueAt, step.at)}` : `not ${what}: ${otherwise(step)} on ${day(step.at)}`;
}

const stepWords = (step: JourneyStep): string => {
  switch (step.event?.type) {
    case 'ending.decided':
      return 'the ending was decided';
    case 'concern.raised':
      return 'the match was paused for a safeguarding concern';
    case 'review.held':
      return 'a review decided to end the match';
    case 'volunteer.exited':
      return 'the mentor stepped down';
    case 'journey.withdrawn':
      return 'the young person withdrew';
    case 'consent.recorded':
      return 'the young person declined';
    default:
      return `the journey moved on (${step.event?.type ?? step.trigger})`;
  }
};

const matchContext = (step: JourneyStep) => step.snapshot.context as MatchContext;
const inStages = (step: JourneyStep, stages: readonly string[]) => step.snapshot.status === 'active' && stages.includes(step.stageAfter);
const started = (step: JourneyStep) => matchContext(step).acceptedAt !== undefined;

/** When an imported journey was imported (its start, in the history), or undefined if it was not. */
export function importedAtOf(facts: Pick<JourneyFacts, 'journey' | 'steps'>): string | undefined {
  return facts.journey.runs[0]?.input.imported ? facts.steps[0]?.at : undefined;
}

// ---------------------------------------------------------------------------------------------
// Young people

const firstContact: Rule = {
  id: 'youngPerson.firstContact',
  title: 'First contact with a referred young person within the deadline',
  kind: 'youngPerson',
  mentor: 'recruitment',
  aps: 'referral',
  clause: (p) => `first contact within ${p.youngPerson.firstContactWithin.text} of the referral`,
  check(facts, asOf) {
    // An imported journey's earlier steps were recorded at the import, not when they happened:
    // its deadline counts from the import, as the journey's own timer did.
    const importedAt = importedAtOf(facts);
    const outcomes = followDeadlines(facts.steps, asOf, (step) => {
      const c = step.snapshot.context as YoungPersonContext;
      if (step.snapshot.status !== 'active' || c.firstContactAt || step.stageAfter !== 'referral') return undefined;
      return addDuration(importedAt ?? c.startedAt, c.policy.youngPerson.firstContactWithin);
    });
    return ofDeadlines(outcomes, (o) => {
      const c = o.setBy.snapshot.context as YoungPersonContext;
      const how = resolution(o, (s) => s.event?.type === 'contact.recorded', 'contacted', asOf, stepWords);
      const from = importedAt ? `referred on ${day(c.startedAt)} and imported on ${day(importedAt)}` : `referred on ${day(c.startedAt)}`;
      return `${from}, first contact due by ${day(o.dueAt)} (${c.policy.youngPerson.firstContactWithin.text}): ${how}`;
    });
  },
};

// ---------------------------------------------------------------------------------------------
// Volunteers: the gates at each match proposal, read from the volunteer's own history

interface Proposal {
  step: JourneyStep;
  before: VolunteerContext;
  matchId: string;
  /** What the proposal said of the young person and the age gap (no date of birth since sealing). */
  proposal: Pick<MatchProposal, 'youngPerson' | 'ageGap'>;
}

function proposals(facts: JourneyFacts): Proposal[] {
  const found: Proposal[] = [];
  facts.steps.forEach((step, i) => {
    if (step.trigger !== 'record' || step.outcome !== 'applied' || step.event?.type !== 'match.proposed' || i === 0) return;
    const event = step.event as unknown as { matchId?: string } & Pick<MatchProposal, 'youngPerson' | 'ageGap'>;
    found.push({
      step,
      before: facts.steps[i - 1]!.snapshot.context as VolunteerContext,
      matchId: String(event.matchId),
      proposal: { youngPerson: event.youngPerson, ...(event.ageGap ? { ageGap: event.ageGap } : {}) },
    });
  });
  return found;
}

function proposalRule(
  id: string,
  title: string,
  mentor: MentorStandard,
  aps: ApsRequirement,
  clause: (p: SchemePolicy) => string,
  unmet: (proposal: Proposal) => string[],
): Rule {
  return {
    id,
    title,
    kind: 'volunteer',
    mentor,
    aps,
    clause,
    check(facts) {
      const all = proposals(facts);
      return {
        checked: all.length,
        breaches: all.flatMap((proposal) => {
          const problems = unmet(proposal);
          return problems.length === 0
            ? []
            : [{ date: proposal.step.at, detail: `match ${proposal.matchId} proposed on ${day(proposal.step.at)} while ${problems.join('; ')}`, matchId: proposal.matchId }];
        }),
      };
    },
  };
}

const proposalVetting = proposalRule(
  'proposal.vetting',
  'No match proposed before a clear safeguarding check in force',
  'screening',
  'recruitmentAndSelection',
  () => 'a clear safeguarding check (PVG or enhanced DBS), in force on the day, before any match',
  ({ before, step }) => {
    const status = checkStatus(before.check, step.at);
    const words: Record<string, string> = {
      none: 'no safeguarding check was recorded',
      pending: 'the safeguarding check was pending',
      notClear: 'the safeguarding check was not clear',
      expired: `the safeguarding check had expired on ${before.check?.expiresOn}`,
    };
    return status === 'valid' ? [] : [words[status] ?? status];
  },
);

const proposalReferences = proposalRule(
  'proposal.references',
  'No match proposed before the required references',
  'screening',
  'recruitmentAndSelection',
  (p) => `${plural(p.volunteer.referencesRequired, 'satisfactory reference')} before any match`,
  ({ before }) => {
    const required = before.policy.volunteer.referencesRequired;
    const received = before.references.filter((r) => r.satisfactory).length;
    return received < required ? [`${received} of ${required} satisfactory references were received`] : [];
  },
);

const proposalTraining = proposalRule(
  'proposal.training',
  'No match proposed before the training hours and topics',
  'training',
  'inductionAndTraining',
  (p) => `at least ${p.volunteer.minimumTrainingHours} hours of training covering ${p.volunteer.requiredTrainingTopics.join(', ')}`,
  ({ before }) => {
    const { minimumTrainingHours, requiredTrainingTopics } = before.policy.volunteer;
    const problems: string[] = [];
    if (before.training.hours < minimumTrainingHours) problems.push(`training was ${before.training.hours} of ${minimumTrainingHours} hours`);
    const missing = requiredTrainingTopics.filter((t) => !before.training.topics.includes(t));
    if (missing.length > 0) problems.push(`training had not covered ${missing.join(', ')}`);
    return problems;
  },
);

const proposalSuitability = proposalRule(
  'proposal.suitability',
  'No match proposed before a suitability review found the volunteer ready',
  'screening',
  'recruitmentAndSelection',
  () => 'a suitability review at the end of training found the volunteer ready to be matched',
  ({ before }) =>
    before.suitability?.outcome === 'ready'
      ? []
      : [before.suitability ? `the suitability review had decided '${before.suitability.outcome}'` : 'no suitability review was recorded'],
);

const proposalPeerCriteria = proposalRule(
  'proposal.peerCriteria',
  "A peer mentor meets the peer criteria and the age gap",
  'matchingAndInitiating',
  'matching',
  (p) =>
    `peer mentors: care-experienced, left care at least ${p.volunteer.peerMinYearsSinceLeavingCare} years before, criteria confirmed` +
    `${p.volunteer.peerOwnSupportRequired ? ' with support of their own' : ''}, at least ${p.match.peerMinAgeGapYears} years older than the young person`,
  ({ before, step, proposal }) => {
    if (before.volunteer.type !== 'peer') return [];
    return [
      ...peerCriteriaUnmet(before.volunteer, before.policy, step.at, before.peerCriteria),
      ...ageGapUnmet(before.volunteer, proposal, before.policy),
    ];
  },
);

// ---------------------------------------------------------------------------------------------
// Volunteers: supervision and the safeguarding check

interface Session {
  sessionId: string;
  startsAt: string;
  /** Where the cadence put it, before any reschedule. */
  scheduledFor: string;
}

const supervisionHeld: Rule = {
  id: 'volunteer.supervision',
  title: 'Supervision held at the cadence while a volunteer is matched',
  kind: 'volunteer',
  mentor: 'monitoringAndSupport',
  aps: 'supportForMentors',
  clause: (p) =>
    `individual supervision every ${p.volunteer.supervisionEvery.text} (peer mentors every ${p.volunteer.peerSupervisionEvery.text}), ` +
    `attendance recorded within ${p.volunteer.supervisionAttendanceGrace.text}`,
  check(facts, asOf) {
    const breaches: BreachDraft[] = [];
    const duties: Duty[] = [];
    let checked = 0;
    let open: Session | undefined;
    let context: VolunteerContext | undefined;
    const every = (c: VolunteerContext) => (c.volunteer.type === 'peer' ? c.policy.volunteer.peerSupervisionEvery : c.policy.volunteer.supervisionEvery);
    const close = (session: Session, step: JourneyStep | undefined, c: VolunteerContext) => {
      const graceEnds = addDuration(session.startsAt, c.policy.volunteer.supervisionAttendanceGrace);
      const type = step?.event?.type;
      if (type === 'supervision.attended') {
        checked += 1;
        const periodLater = addDuration(session.scheduledFor, every(c));
        const late = Date.parse(step!.at) > Date.parse(periodLater);
        duties.push({ dueAt: session.scheduledFor, metOnTime: !late });
        if (late) {
          breaches.push({
            date: session.scheduledFor,
            dueAt: session.scheduledFor,
            doneAt: step!.at,
            detail: `supervision session ${session.sessionId}, due on ${day(session.scheduledFor)}, was held only on ${day(step!.at)} (a whole period of ${every(c).text} late)`,
            sessionId: session.sessionId,
          });
        }
      } else if (type === 'supervision.missed') {
        checked += 1;
        duties.push({ dueAt: session.startsAt, metOnTime: false });
        breaches.push({ date: session.startsAt, dueAt: session.startsAt, detail: `supervision session ${session.sessionId} on ${day(session.startsAt)} was missed`, sessionId: session.sessionId });
      } else if (Date.parse(session.startsAt) <= Date.parse(step?.at ?? asOf) && (step || Date.parse(graceEnds) < Date.parse(asOf))) {
        checked += 1;
        duties.push({ dueAt: session.startsAt, metOnTime: false });
        breaches.push({
          date: session.startsAt,
          dueAt: session.startsAt,
          detail: step
            ? `supervision session ${session.sessionId} on ${day(session.startsAt)} has no attendance recorded; the volunteer stopped being matched on ${day(step.at)}`
            : `supervision session ${session.sessionId} on ${day(session.startsAt)} has no attendance recorded by ${day(asOf)}`,
          sessionId: session.sessionId,
        });
      }
    };
    for (const step of facts.steps) {
      if (Date.parse(step.at) > Date.parse(asOf)) break;
      context = step.snapshot.context as VolunteerContext;
      const current = context.supervision.current;
      if (open && current?.sessionId !== open.sessionId) {
        close(open, step, context);
        open = undefined;
      }
      if (current && !open) open = { sessionId: current.sessionId, startsAt: current.startsAt, scheduledFor: current.startsAt };
      else if (current && open) open.startsAt = current.startsAt;
    }
    if (open && context) close(open, undefined, context);
    return { checked, breaches, duties };
  },
};

const checkActedUpon: Rule = {
  id: 'volunteer.checkActedUpon',
  title: 'An expired or not-clear safeguarding check acted upon while the volunteer has matches',
  kind: 'volunteer',
  mentor: 'screening',
  aps: 'safety',
  clause: (p) =>
    `a check that expires (or is found not clear) while the volunteer has a match is renewed, or the match ended, ` +
    `before the nudge is escalated (${p.notifications.escalateUnactedNudgeAfter.text})`,
  check(facts, asOf) {
    const outcomes = followDeadlines(facts.steps, asOf, (step) => {
      const c = step.snapshot.context as VolunteerContext;
      if (step.snapshot.status !== 'active' || c.matches.length === 0 || !c.check) return undefined;
      const escalate = c.policy.notifications.escalateUnactedNudgeAfter;
      if (step.snapshot.matches({ inScheme: { check: 'expired' } } as never)) return addDuration(checkExpiresAt(c.check), escalate);
      if (step.snapshot.matches({ inScheme: { check: 'notClear' } } as never)) return addDuration(c.check.recordedAt, escalate);
      return undefined;
    });
    return ofDeadlines(outcomes, (o) => {
      const c = o.setBy.snapshot.context as VolunteerContext;
      const what = c.check?.decision === 'notClear' ? `was recorded not clear on ${day(c.check.recordedAt)}` : `expired on ${c.check?.expiresOn}`;
      const matches = c.matches.map((m) => m.matchId).join(', ');
      const how = o.status === 'overdue' ? `not acted upon by ${day(asOf)}` : `acted upon only on ${day(o.resolvedBy!.at)}, ${lateBy(o.dueAt, o.resolvedBy!.at)}`;
      return `the safeguarding check ${what} during ${matches}: ${how}`;
    });
  },
};

// ---------------------------------------------------------------------------------------------
// Matches

const initialGoals: Rule = {
  id: 'match.initialGoals',
  title: 'Initial goals agreed within the policy time of the match starting',
  kind: 'match',
  mentor: 'matchingAndInitiating',
  aps: 'matching',
  clause: (p) => `initial goals within ${p.match.initialGoalsWithin.text} of the start ("getting to know each other first" counts)`,
  check(facts, asOf) {
    const outcomes = followDeadlines(facts.steps, asOf, (step) =>
      started(step) && !matchContext(step).goals.agreedAt && inStages(step, ['active', 'paused']) ? initialGoalsDueAt(matchContext(step)) : undefined,
    );
    return ofDeadlines(
      outcomes,
      (o) => `match started on ${day(matchContext(o.setBy).acceptedAt)}, goals due by ${day(o.dueAt)}: ${resolution(o, (s) => s.event?.type === 'goals.agreed', 'agreed', asOf, stepWords)}`,
      () => ({ matchId: facts.journeyId }),
    );
  },
};

const checkIns: Rule = {
  id: 'match.checkIns',
  title: 'Co-ordinator check-ins: two in the first month, then monthly',
  kind: 'match',
  mentor: 'monitoringAndSupport',
  aps: 'monitoring',
  clause: (p) =>
    `check-ins with mentor and mentee: the first within ${p.match.firstCheckInWithin.text}, ${p.match.checkInsInFirstMonth} in the first month, ` +
    `then at least every ${p.match.checkInEvery.text}`,
  check(facts, asOf) {
    const outcomes = followDeadlines(facts.steps, asOf, (step) => (started(step) && inStages(step, ['active']) ? checkInDueAt(matchContext(step)) : undefined));
    return ofDeadlines(
      outcomes,
      (o) => {
        const c = matchContext(o.setBy);
        const inFirstMonth = c.policy.match.checkInsInFirstMonth;
        const which =
          c.checkIns.completed === 0
            ? `the first check-in (within ${c.policy.match.firstCheckInWithin.text} of the start on ${day(c.acceptedAt)})`
            : c.checkIns.completed < inFirstMonth && o.dueAt === firstMonthEndsAt(c)
              ? `check-in ${c.checkIns.completed + 1} of ${inFirstMonth} in the first month`
              : `the monthly check-in (the last was on ${day(c.checkIns.lastCompletedAt)})`;
        return `${which}, due by ${day(o.dueAt)}: ${resolution(o, (s) => s.event?.type === 'checkIn.recorded', 'held', asOf, stepWords)}`;
      },
      () => ({ matchId: facts.journeyId }),
    );
  },
};

const reviews: Rule = {
  id: 'match.reviews',
  title: 'Reviews held when due',
  kind: 'match',
  mentor: 'monitoringAndSupport',
  aps: 'monitoring',
  clause: (p) => `reviews ${p.match.reviewsAfter.map((d) => d.text).join(', ')} after the start, then every ${p.match.reviewEvery.text}`,
  check(facts, asOf) {
    const outcomes = followDeadlines(facts.steps, asOf, (step) => (started(step) && inStages(step, ['active', 'paused']) ? nextReviewDueAt(matchContext(step)) : undefined));
    return ofDeadlines(
      outcomes,
      (o) => {
        const c = matchContext(o.setBy);
        const index = c.reviews.nextIndex;
        const scheduled = c.policy.match.reviewsAfter[index]?.text;
        const which = scheduled ? `the ${scheduled} review` : `review ${index + 1} (every ${c.policy.match.reviewEvery.text})`;
        return `${which}, due on ${day(o.dueAt)}: ${resolution(o, (s) => s.event?.type === 'review.held', 'held', asOf, stepWords)}`;
      },
      () => ({ matchId: facts.journeyId }),
    );
  },
};

const formalEnding: Rule = {
  id: 'match.formalEnding',
  title: 'Every ending formally recorded',
  kind: 'match',
  mentor: 'closure',
  aps: 'monitoring',
  clause: (p) => `every ending recorded formally (closing meeting or letter) within ${p.match.formalEndingNudgeAfter.text} of the decision`,
  check(facts, asOf) {
    const outcomes = followDeadlines(facts.steps, asOf, (step) => (inStages(step, ['endingDecided']) ? formalEndingDueAt(matchContext(step)) : undefined));
    return ofDeadlines(
      outcomes,
      (o) => {
        const ending = matchContext(o.setBy).ending;
        const why = ending?.reason ? ` (${ending.reason}, ${ending.planned ? 'planned' : 'unplanned'})` : '';
        const how =
          o.status === 'overdue'
            ? `no formal ending recorded by ${day(asOf)}`
            : o.resolvedBy?.event?.type === 'ending.recorded'
              ? `recorded on ${day(o.resolvedBy.at)}, ${lateBy(o.dueAt, o.resolvedBy.at)}`
              : `not recorded: ${stepWords(o.resolvedBy!)} on ${day(o.resolvedBy!.at)}`;
        return `ending decided on ${day(ending?.decidedAt)}${why}, formal record due by ${day(o.dueAt)}: ${how}`;
      },
      () => ({ matchId: facts.journeyId }),
    );
  },
};

export const rules: readonly Rule[] = [
  firstContact,
  proposalVetting,
  proposalReferences,
  proposalTraining,
  proposalSuitability,
  proposalPeerCriteria,
  initialGoals,
  checkIns,
  supervisionHeld,
  reviews,
  formalEnding,
  checkActedUpon,
];
