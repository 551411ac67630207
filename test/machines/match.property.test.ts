/**
 * Property tests for the match journey: whatever people record (schema-valid, in turn or out of
 * it), whatever the volunteer's journey tells it and however time passes, the journey never throws
 * and never reaches a state the practice forbids: closed without a formal ending record (unless
 * it never started), active without the young person's acceptance, or a nudge sent after its
 * cause was resolved. "Resolved" is judged by a small model of the facts kept by the test itself,
 * not by reading the machine's own bookkeeping.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDuration, type PolicyDuration } from '../../machines/duration';
import { parsePolicy, type SchemePolicy, type SchemePolicyInput } from '../../machines/policy';
import { applyEvent, judge, openNudgesOf, persist, restoreSnapshot, type Effect } from '../../machines/runtime';
import {
  matchInputSchema,
  matchJourney,
  matchLinkedEvents,
  matchRecordedEvents,
  matchStages,
  type MatchContext,
} from '../../machines/match';
import { JourneySimulator } from '../helpers/journey-simulator';
import { noticeWordings, wordNotice } from '../../presentation/notices';
import type { NotifyParams } from '../../machines/journey';

// ---------------------------------------------------------------------------------------------
// What may happen

const coordinators = [
  { role: 'coordinator', id: 'co-1' },
  { role: 'leadCoordinator', id: 'lead-1' },
] as const;
const youngPerson = { role: 'youngPerson', id: 'yp-1' } as const;
const mentor = { role: 'volunteer', id: 'vol-1' } as const;
const system = { role: 'system', id: 'mentorflow' } as const;

const byCoordinator = fc.constantFrom(...coordinators);
const byYoungPersonOrCoordinator = fc.constantFrom(youngPerson, ...coordinators);
const byAnyoneInTheMatch = fc.constantFrom(youngPerson, mentor, ...coordinators);

type Event = { type: string } & Record<string, unknown>;
type Command =
  | { kind: 'record'; event: Event }
  | { kind: 'meeting'; daysAgo: number; by: { role: string; id: string } }
  | { kind: 'tell'; event: Event }
  | { kind: 'advance'; by: string | number };

const endingReason = fc.constantFrom('goalsMet', 'youngPersonChoice', 'mentorWithdrew', 'movedAway', 'safeguarding', 'lostContact', 'other');

// Weighted so that many journeys get far (events that end a journey are rarer), while every event
// still comes at every stage, in turn or out of it.
const recordedEvent: fc.Arbitrary<Event> = fc
  .oneof(
    { weight: 12, arbitrary: fc.record({ type: fc.constant('introduction.held'), by: byCoordinator, format: fc.constantFrom('groupEvent', 'personalMeeting', 'paperProfile') }) },
    { weight: 12, arbitrary: fc.record({ type: fc.constant('youngPerson.accepted'), by: byYoungPersonOrCoordinator }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('youngPerson.declined'), by: byYoungPersonOrCoordinator, reason: fc.constantFrom('mentorNotRight', 'notReadyNow', 'changedMind', 'circumstancesChanged', 'other') }) },
    {
      weight: 4,
      arbitrary: fc.record(
        { type: fc.constant('goals.agreed'), by: byAnyoneInTheMatch, gettingToKnowEachOtherFirst: fc.boolean() },
        { requiredKeys: ['type', 'by'] },
      ),
    },
    { weight: 10, arbitrary: fc.record({ type: fc.constant('checkIn.recorded'), by: byCoordinator, with: fc.constantFrom(['mentor'], ['mentee'], ['mentor', 'mentee'], ['mentee', 'mentor']) }) },
    { weight: 6, arbitrary: fc.record({ type: fc.constant('review.held'), by: byCoordinator, outcome: fc.constantFrom('continue', 'continue', 'continue', 'continue', 'end', 'rematch') }) },
    { weight: 4, arbitrary: fc.record({ type: fc.constant('concern.raised'), by: byYoungPersonOrCoordinator, category: fc.constantFrom('complaint', 'concern', 'safeguarding') }) },
    {
      weight: 4,
      arbitrary: fc.record(
        { type: fc.constant('concern.resolved'), by: byCoordinator, outcome: fc.constantFrom('resume', 'resume', 'end'), rematch: fc.boolean() },
        { requiredKeys: ['type', 'by', 'outcome'] },
      ),
    },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('ending.decided'), by: byCoordinator, reason: endingReason, planned: fc.boolean(), rematch: fc.boolean() }) },
    {
      weight: 3,
      arbitrary: fc.record(
        {
          type: fc.constant('ending.recorded'),
          by: byCoordinator,
          method: fc.constantFrom('closingMeeting', 'letter'),
          reason: endingReason,
          planned: fc.boolean(),
          outcomes: fc.array(fc.constantFrom('none-known', 'confidence-up', 'housing-secured', 'college-place'), { minLength: 1, maxLength: 3 }),
          rematch: fc.boolean(),
        },
        { requiredKeys: ['type', 'by', 'method', 'reason', 'planned', 'outcomes'] },
      ),
    },
  )
  .map((event) => matchRecordedEvents.parse(event) as Event);

const linkedEvent: fc.Arbitrary<Event> = fc
  .oneof(
    { weight: 3, arbitrary: fc.constant({ type: 'volunteer.checkExpired' }) },
    { weight: 3, arbitrary: fc.constant({ type: 'volunteer.checkRenewed' }) },
    { weight: 1, arbitrary: fc.constant({ type: 'volunteer.checkNotClear' }) },
    { weight: 1, arbitrary: fc.constant({ type: 'volunteer.exited' }) },
  )
  .map((event) => matchLinkedEvents.parse({ ...event, by: system }) as Event);

const timePasses = fc.oneof(
  fc.constantFrom('1 minute', '1 hour', '1 day', '3 days', '1 week', '2 weeks', '3 weeks', '1 month', '6 weeks', '3 months'),
  fc.integer({ min: 0, max: 70 * 86_400_000 }),
);

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 10, arbitrary: recordedEvent.map((event) => ({ kind: 'record' as const, event })) },
  // A meeting a few days ago, today, or (refused at the gate) tomorrow.
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('meeting' as const), daysAgo: fc.integer({ min: -2, max: 40 }), by: byAnyoneInTheMatch }) },
  { weight: 2, arbitrary: linkedEvent.map((event) => ({ kind: 'tell' as const, event })) },
  { weight: 8, arbitrary: timePasses.map((by) => ({ kind: 'advance' as const, by })) },
);

const policy: fc.Arbitrary<SchemePolicyInput> = fc.record(
  {
    match: fc.record(
      {
        initialGoalsWithin: fc.constantFrom('1 week', '4 weeks'),
        firstCheckInWithin: fc.constantFrom('3 days', '2 weeks', '5 working days'),
        checkInsInFirstMonth: fc.integer({ min: 0, max: 3 }),
        checkInEvery: fc.constantFrom('2 weeks', '1 month', '6 weeks'),
        meetingGapNudgeAfter: fc.constantFrom('3 days', '21 days'),
        meetingGapEscalateAfter: fc.constantFrom('10 days', '42 days'),
        reviewsAfter: fc.constantFrom(['6 weeks', '3 months', '6 months'], ['1 month'], ['3 months', '2 weeks']),
        reviewEvery: fc.constantFrom('1 month', '6 months'),
        formalEndingNudgeAfter: fc.constantFrom('1 day', '14 days'),
      },
      { requiredKeys: [] },
    ),
    notifications: fc.record({ escalateUnactedNudgeAfter: fc.constantFrom('1 hour', '7 days') }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

const journeyStart = fc.record({
  // Whole seconds between 2025 and the end of 2027, at any time of day.
  startedAt: fc.integer({ min: 1_735_689_600, max: 1_830_297_600 }).map((s) => new Date(s * 1000).toISOString()),
  peer: fc.boolean(),
  policy,
});
type JourneyStart = typeof journeyStart extends fc.Arbitrary<infer T> ? T : never;

function begin(s: JourneyStart): JourneySimulator {
  const input = matchInputSchema.parse({
    journeyId: 'm-1',
    youngPersonId: 'yp-1',
    volunteerId: 'vol-1',
    coordinatorId: 'co-1',
    peer: s.peer,
    startedAt: s.startedAt,
  });
  return new JourneySimulator(matchJourney, { ...input, policy: parsePolicy(s.policy) }, s.startedAt);
}

// ---------------------------------------------------------------------------------------------
// The test's own model of the facts, from what the journey accepted

interface Facts {
  introduced: boolean;
  acceptedAt?: string;
  notStarted: boolean;
  goalsAgreed: boolean;
  /** The day of the latest meeting logged, and when the contact clocks last (re)started. */
  lastMeetingDay?: string;
  clockFrom?: string;
  checkIn: { seen: Set<string>; completed: number; lastAt?: string; resumed: boolean };
  reviewIndex: number;
  safeguardingOpen: boolean;
  checkExpired: boolean;
  decidedAt?: string;
  formallyEnded: boolean;
}

const newFacts = (): Facts => ({
  introduced: false,
  notStarted: false,
  goalsAgreed: false,
  checkIn: { seen: new Set(), completed: 0, resumed: false },
  reviewIndex: 0,
  safeguardingOpen: false,
  checkExpired: false,
  formallyEnded: false,
});

const ms = Date.parse;
const plus = (iso: string, d: PolicyDuration) => addDuration(iso, d);
const later = (a: string, b: string) => (ms(a) >= ms(b) ? a : b);

/** The practice's schedule, restated from DOMAIN.md and the policy, to judge the machine by. */
const due = {
  goals: (f: Facts, p: SchemePolicy) => plus(f.acceptedAt!, p.match.initialGoalsWithin),
  gapFrom: (f: Facts) => (f.lastMeetingDay ? later(f.clockFrom!, `${f.lastMeetingDay}T00:00:00.000Z`) : f.clockFrom!),
  meetingNudge: (f: Facts, p: SchemePolicy) => plus(due.gapFrom(f), p.match.meetingGapNudgeAfter),
  meetingEscalation: (f: Facts, p: SchemePolicy) => plus(due.gapFrom(f), p.match.meetingGapEscalateAfter),
  checkIn(f: Facts, p: SchemePolicy): string {
    const start = f.acceptedAt!;
    const firstMonthEnds = plus(start, p.match.checkInEvery);
    const { completed, lastAt } = f.checkIn;
    let at =
      completed === 0
        ? plus(start, p.match.firstCheckInWithin)
        : completed < p.match.checkInsInFirstMonth && ms(lastAt!) < ms(firstMonthEnds)
          ? firstMonthEnds
          : plus(lastAt!, p.match.checkInEvery);
    if (f.checkIn.resumed) at = later(at, plus(f.clockFrom!, p.match.firstCheckInWithin));
    return at;
  },
  review(index: number, f: Facts, p: SchemePolicy): string {
    const fixed = p.match.reviewsAfter.map((d) => plus(f.acceptedAt!, d)).sort();
    if (index < fixed.length) return fixed[index]!;
    const every = p.match.reviewEvery;
    return plus(fixed.at(-1)!, { ...every, amount: every.amount * (index - fixed.length + 1) });
  },
  formalEnding: (f: Facts, p: SchemePolicy) => plus(f.decidedAt!, p.match.formalEndingNudgeAfter),
};

/** Update the model with an event the journey applied, given the stage it was applied in. */
function learn(f: Facts, event: Event, stageBefore: string, now: string): void {
  const started = f.acceptedAt !== undefined;
  const open = !['declined', 'closed'].includes(stageBefore);
  switch (event.type) {
    case 'introduction.held':
      f.introduced = true;
      break;
    case 'youngPerson.accepted':
      f.acceptedAt = now;
      f.clockFrom = now;
      break;
    case 'youngPerson.declined':
      f.notStarted = true;
      break;
    case 'goals.agreed':
      f.goalsAgreed = true;
      break;
    case 'meeting.logged': {
      const day = event.on as string;
      if (!f.lastMeetingDay || day > f.lastMeetingDay) f.lastMeetingDay = day;
      break;
    }
    case 'checkIn.recorded':
      for (const party of event.with as string[]) f.checkIn.seen.add(party);
      if (f.checkIn.seen.size === 2) {
        f.checkIn.completed++;
        f.checkIn.lastAt = now;
        f.checkIn.seen = new Set();
      }
      break;
    case 'review.held': {
      let next = f.reviewIndex + 1;
      while (next < 5000 && ms(due.review(next, f, policyOf.current!)) <= ms(now)) next++;
      f.reviewIndex = next;
      if (event.outcome !== 'continue') f.decidedAt = now;
      break;
    }
    case 'concern.raised':
    case 'volunteer.checkNotClear':
      if ((event.type === 'volunteer.checkNotClear' || event.category === 'safeguarding') && stageBefore !== 'endingDecided' && open) {
        f.safeguardingOpen = true;
      }
      break;
    case 'concern.resolved':
      f.safeguardingOpen = false;
      if (event.outcome === 'resume' && started && stageBefore === 'paused') {
        f.clockFrom = now;
        f.checkIn.resumed = true;
      }
      if (event.outcome === 'end') {
        if (started && stageBefore === 'paused') f.decidedAt = now;
        if (!started) f.notStarted = true;
      }
      break;
    case 'volunteer.checkExpired':
      if (open) f.checkExpired = true;
      break;
    case 'volunteer.checkRenewed':
      if (open) f.checkExpired = false;
      break;
    case 'volunteer.exited':
      if (!started && open) f.notStarted = true;
      if (stageBefore === 'active' || stageBefore === 'paused') f.decidedAt ??= now;
      break;
    case 'ending.decided':
      f.decidedAt = now;
      break;
    case 'ending.recorded':
      f.formallyEnded = true;
      break;
  }
}

/** The policy of the journey under test, for the model's review schedule. */
const policyOf: { current?: SchemePolicy } = {};

// ---------------------------------------------------------------------------------------------
// What must always hold

const STARTED_STAGES = ['active', 'endingDecided', 'closed'];
const IMMEDIATE = ['complaintRaised', 'concernRaised', 'safeguardingConcern', 'volunteerCheckNotClear'];

function holds(condition: boolean, rule: string, detail?: unknown): void {
  if (!condition) throw new Error(`broken: ${rule}${detail === undefined ? '' : `\n${JSON.stringify(detail, null, 2)}`}`);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const contextOf = (sim: JourneySimulator) => sim.snapshot.context as MatchContext;

/** "match.active.goals.overdue" -> { active: { goals: 'overdue' } } */
function stateValueOfId(stateId: string): unknown {
  const path = stateId.split('.').slice(1);
  return path.reduceRight<unknown>((inner, key) => (inner === undefined ? key : { [key]: inner }), undefined);
}

/** Is the matter `about` still unresolved at `now`, by the model? */
function stillDue(about: string, f: Facts, p: SchemePolicy, now: string): boolean {
  const reached = (deadline: string) => ms(now) >= ms(deadline);
  switch (about) {
    case 'initialGoalsOverdue':
      return !f.goalsAgreed && reached(due.goals(f, p)) && f.decidedAt === undefined;
    case 'meetingGap':
      return !f.safeguardingOpen && reached(due.meetingNudge(f, p)) && f.decidedAt === undefined;
    case 'meetingGapEscalated':
      return !f.safeguardingOpen && reached(due.meetingEscalation(f, p)) && f.decidedAt === undefined;
    case 'checkInOverdue':
      return !f.safeguardingOpen && reached(due.checkIn(f, p)) && f.decidedAt === undefined;
    case 'reviewDue':
      return reached(due.review(f.reviewIndex, f, p)) && f.decidedAt === undefined;
    case 'volunteerCheckExpired':
      return f.checkExpired && f.decidedAt === undefined;
    case 'formalEndingOverdue':
      return !f.formallyEnded && reached(due.formalEnding(f, p));
    case 'safeguardingConcern':
      return f.safeguardingOpen;
    default:
      return false;
  }
}

function checkInvariants(sim: JourneySimulator, f: Facts, newEffects: readonly Effect[], applied?: Event): void {
  const { snapshot } = sim;
  const context = contextOf(sim);
  const stage = sim.stage;
  const p = context.policy;
  const state = { stage, now: sim.now, value: snapshot.value, context: { ...context, policy: undefined }, facts: { ...f, checkIn: { ...f.checkIn, seen: [...f.checkIn.seen] } } };

  holds((matchStages as readonly string[]).includes(stage), 'the stage is one of the documented stages', state);
  holds(snapshot.status !== 'error', 'the machine never errors', state);

  // Closed only through a formal ending record after the match started; otherwise "declined".
  holds(stage !== 'closed' || (f.formallyEnded && f.acceptedAt !== undefined && context.formalEnding !== undefined), 'closed only with a formal ending record of a match that started', state);
  holds(stage !== 'declined' || (f.acceptedAt === undefined && f.notStarted), 'declined only before the start', state);
  holds((snapshot.status === 'done') === ['closed', 'declined'].includes(stage), 'the journey ends exactly at closed or declined', state);
  // Active (or paused, ending) only after the young person, introduced, accepted.
  const started = STARTED_STAGES.includes(stage) || snapshot.matches('active' as never);
  holds(!started || (f.acceptedAt !== undefined && f.introduced), 'never active without an introduction and acceptance', state);
  holds(started || stage === 'declined' || f.acceptedAt === undefined, 'an accepted match is active, ending or closed', state);

  holds(
    snapshot.status !== 'done' || (sim.timers.length === 0 && sim.openNudges.length === 0),
    'an ended journey has no timers or open nudges',
    { ...state, timers: sim.timers },
  );
  if (stage === 'paused') {
    holds(!sim.timers.some((t) => /^(checkInDue|meetingGap)/.test(t.delayName)), 'while paused no meeting or check-in clock runs', sim.timers);
  }
  for (const about of openNudgesOf(snapshot)) {
    holds(stillDue(about, f, p, sim.now), `the open nudge '${about}' is about something still unresolved`, state);
  }
  for (const timer of sim.timers) {
    const stateId = timer.id.slice(`xstate.after.${timer.delayName}.`.length);
    holds(snapshot.matches(stateValueOfId(stateId) as never), 'a pending timer belongs to a state the journey is in', { ...state, timer });
    holds(ms(timer.dueAt) >= ms(sim.now), 'no timer is left unfired after it fell due', { now: sim.now, timer });
  }

  for (const effect of newEffects) {
    holds(effect.type !== 'remindVolunteer', 'nothing about a match is sent to the mentor', effect);
    if (effect.type === 'tellJourney') continue;
    holds(['nudgeCoordinator', 'escalateToLead'].includes(effect.type), 'the journey only nudges, escalates and tells other journeys', effect);
    const params = effect.params as NotifyParams;
    const words = wordNotice(params, { kind: 'match', id: 'm-1' }, effect.type === 'escalateToLead' ? 'lead' : 'coordinator');
    holds(
      params.about in noticeWordings && !!params.dueAt && !/undefined|null/.test(words.summary + words.whatToDo),
      'a nudge is worded (presentation/notices.ts), says what to do and when it fell due',
      { effect, words },
    );
    holds(ms(params.dueAt!) <= ms(sim.now), 'a nudge is never sent early', { now: sim.now, effect });
    if (IMMEDIATE.includes(params.about)) {
      holds(
        applied !== undefined && ['concern.raised', 'volunteer.checkNotClear'].includes(applied.type) && params.dueAt === sim.now,
        'a concern is passed on at once, when it is raised',
        { applied, effect },
      );
    } else {
      holds(stillDue(params.about, f, p, sim.now), 'a nudge is never sent after its cause was resolved', { ...state, effect });
    }
  }
}

function checkRestores(sim: JourneySimulator): void {
  const persisted = JSON.parse(JSON.stringify(persist(matchJourney, sim.snapshot)));
  const restored = restoreSnapshot(matchJourney, persisted);
  holds(same(restored.value, sim.snapshot.value) && same(restored.context, sim.snapshot.context), 'a persisted journey restores as it was');
  holds(same([...restored.tags].sort(), [...sim.snapshot.tags].sort()), 'a restored journey has the same open nudges');
}

/** Apply one command: the gate's verdict and the machine must agree; then the invariants. */
function step(sim: JourneySimulator, f: Facts, cmd: Command): void {
  const effectsBefore = sim.effects.length;
  const stageBefore = sim.stage;
  let applied: Event | undefined;
  if (cmd.kind === 'advance') {
    sim.advance(cmd.by);
  } else if (cmd.kind === 'tell') {
    const before = sim.snapshot;
    sim.tell(cmd.event);
    if (!same(before.context, sim.snapshot.context) || !same(before.value, sim.snapshot.value) || sim.effects.length > effectsBefore) {
      applied = cmd.event;
      learn(f, cmd.event, stageBefore, sim.now);
    }
  } else {
    const event =
      cmd.kind === 'meeting'
        ? (matchRecordedEvents.parse({
            type: 'meeting.logged',
            by: cmd.by,
            on: new Date(ms(sim.now) - cmd.daysAgo * 86_400_000).toISOString().slice(0, 10),
          }) as Event)
        : cmd.event;
    const before = sim.snapshot;
    const now = sim.now;
    const verdict = judge(matchJourney, before, { ...event, at: now });
    const trial = applyEvent(matchJourney, before, sim.timers, event, now);
    const unchanged =
      same(trial.snapshot.value, before.value) &&
      same(trial.snapshot.context, before.context) &&
      trial.effects.length === 0 &&
      trial.timersSet.length === 0 &&
      trial.timersCancelled.length === 0;
    const detail = { stageBefore, value: before.value, event, verdict };
    if (verdict.accepted) {
      holds(!unchanged, 'what the gate accepts, the machine acts on', detail);
    } else {
      holds(unchanged, 'what the gate refuses, the machine would not have acted on', { ...detail, after: trial.snapshot.value });
      holds(verdict.reasons.length > 0 && verdict.message.startsWith('cannot '), 'a refusal says why', detail);
    }
    holds(sim.record(event).accepted === verdict.accepted, 'recording follows the verdict', detail);
    if (verdict.accepted) {
      applied = event;
      learn(f, event, stageBefore, now);
    }
  }
  checkInvariants(sim, f, sim.effects.slice(effectsBefore).map((e) => e.effect), applied);
}

const journeys = fc.array(command, { maxLength: 80, size: 'max' });

function run(start: JourneyStart, commands: readonly Command[], each?: (sim: JourneySimulator) => void): JourneySimulator {
  const sim = begin(start);
  const facts = newFacts();
  policyOf.current = contextOf(sim).policy;
  checkInvariants(sim, facts, sim.effects.map((e) => e.effect));
  for (const cmd of commands) {
    step(sim, facts, cmd);
    each?.(sim);
  }
  checkRestores(sim);
  return sim;
}

describe('the match journey under random events', () => {
  it('never throws and never reaches a state the practice forbids', () => {
    fc.assert(
      fc.property(journeyStart, journeys, (start, commands) => {
        run(start, commands);
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('reaches every stage and every nudge across the generated journeys (the generators are not too timid)', () => {
    const reached = new Set<string>();
    fc.assert(
      fc.property(journeyStart, journeys, (start, commands) => {
        run(start, commands, (sim) => {
          reached.add(sim.stage);
          for (const about of sim.openNudges) reached.add(`nudge:${about}`);
          for (const { effect } of sim.effects) {
            if (effect.type !== 'tellJourney') reached.add(`${effect.type}:${(effect.params as { about: string }).about}`);
          }
        });
      }),
      { numRuns: 300, seed: 20260112 },
    );
    const nudges = ['initialGoalsOverdue', 'checkInOverdue', 'meetingGap', 'meetingGapEscalated', 'reviewDue', 'volunteerCheckExpired', 'formalEndingOverdue', 'safeguardingConcern'];
    expect([...reached].filter((r) => !r.includes(':')).sort()).toEqual([...matchStages].sort());
    for (const about of nudges) expect(reached, about).toContain(`nudge:${about}`);
    for (const about of ['complaintRaised', 'concernRaised', 'volunteerCheckNotClear']) expect(reached, about).toContain(`nudgeCoordinator:${about}`);
  }, 60_000);
});
