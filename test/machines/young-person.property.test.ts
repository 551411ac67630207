/**
 * Property tests for the young person's journey: whatever people record (valid, or schema-valid
 * but out of turn), whatever other journeys tell it and however time passes, the journey never
 * throws and never reaches a state the practice forbids.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnyMachineSnapshot } from 'xstate';
import { addDuration } from '../../machines/duration';
import { parsePolicy, type SchemePolicyInput } from '../../machines/policy';
import { applyEvent, judge, openNudgesOf, persist, restoreSnapshot, type Effect } from '../../machines/runtime';
import {
  youngPersonInputSchema,
  youngPersonJourney,
  youngPersonLinkedEvents,
  youngPersonRecordedEvents,
  type YoungPersonContext,
} from '../../machines/young-person';
import { JourneySimulator } from '../helpers/journey-simulator';

// ---------------------------------------------------------------------------------------------
// What may happen

const NOTES = 'Referrer note: lives at 12 Elm Street, recently moved placement';
const GOALS = ['learn to cook', 'find a college course', 'make friends', 'get a flat'] as const;
const DATES_OF_BIRTH = ['1996-02-29', '2000-01-10', '2004-07-15', '2008-06-01', '2009-12-31', '2012-03-03'] as const;
const MATCH_IDS = ['m-1', 'm-2'] as const;

const actor = fc.constantFrom(
  { role: 'coordinator', id: 'co-1' },
  { role: 'leadCoordinator', id: 'lead-1' },
  { role: 'youngPerson', id: 'yp-1' },
  { role: 'referrer', id: 'ref-1' },
  { role: 'volunteer', id: 'vol-1' },
  { role: 'auditor', id: 'aud-1' },
);
const goals = fc.array(fc.constantFrom(...GOALS), { maxLength: 3 });
/** Callers may send a time; the runtime must ignore it and stamp its own. */
const untrustedAt = fc.option(fc.constantFrom('1999-01-01T00:00:00Z', '2099-12-31T23:59:59+01:00'), { nil: undefined });

const withMeta = <T extends object>(arb: fc.Arbitrary<T>) =>
  fc.tuple(arb, actor, untrustedAt).map(([event, by, at]) => ({ ...event, by, ...(at ? { at } : {}) }));

const recordedEvent = withMeta(
  // Weighted so that many journeys get far (events that end a journey are rare), while every
  // event still comes at every stage, in turn or out of it.
  fc.oneof(
    { weight: 20, arbitrary: fc.record({ type: fc.constant('contact.recorded'), method: fc.constantFrom('phone', 'inPerson', 'video', 'message', 'letter') }) },
    // Given with goals, given without goals (refused at the gate), or declined.
    { weight: 25, arbitrary: fc.record({ type: fc.constant('consent.recorded'), consent: fc.constant('given'), ownGoals: goals }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('consent.recorded'), consent: fc.constant('declined'), ownGoals: goals }) },
    { weight: 25, arbitrary: fc.record({ type: fc.constant('readiness.assessed'), outcome: fc.constantFrom('ready', 'ready', 'notReady') }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('readiness.assessed'), outcome: fc.constant('declined') }) },
    { weight: 6, arbitrary: fc.record({ type: fc.constant('informalTask.recorded'), task: fc.constantFrom('health', 'education', 'employment', 'housing', 'money', 'other') }) },
    { weight: 3, arbitrary: fc.record({ type: fc.constant('groupActivity.attended') }) },
    {
      weight: 20,
      arbitrary: fc.record(
        {
          type: fc.constant('preferences.recorded'),
          mentorType: fc.constantFrom('peer', 'traditional', 'either'),
          gender: fc.constantFrom('female', 'male', 'nonBinary', 'noPreference'),
          languages: fc.array(fc.constantFrom('en', 'cy', 'gd', 'pl', 'ar'), { maxLength: 2 }),
          interests: fc.array(fc.constantFrom('football', 'music', 'cooking'), { maxLength: 2 }),
          area: fc.constantFrom('north', 'south'),
        },
        { requiredKeys: ['type', 'mentorType'] },
      ),
    },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('journey.withdrawn'), reason: fc.constantFrom('youngPersonChoice', 'movedAway', 'noLongerEligible', 'lostContact', 'other') }) },
  ),
).map((event) => youngPersonRecordedEvents.parse(event));

const matchId = fc.constantFrom(...MATCH_IDS);
const linkedEvent = withMeta(
  fc.oneof(
    { weight: 3, arbitrary: fc.record({ type: fc.constant('match.proposed'), matchId, volunteerId: fc.constantFrom('vol-1', 'vol-2') }) },
    { weight: 3, arbitrary: fc.record({ type: fc.constant('match.started'), matchId }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('match.declined'), matchId }) },
    { weight: 3, arbitrary: fc.record({ type: fc.constant('match.ended'), matchId, outcome: fc.constantFrom('rematch', 'ended') }) },
  ),
).map((event) => youngPersonLinkedEvents.parse(event));

const timePasses = fc.oneof(
  fc.constantFrom('1 second', '30 seconds', '1 hour', '1 day', '2 days', '5 working days', '1 week', '6 weeks', '8 weeks', '3 months'),
  fc.integer({ min: 0, max: 70 * 86_400_000 }),
);

type Command =
  | { kind: 'record'; event: { type: string } & Record<string, unknown> }
  | { kind: 'tell'; event: { type: string } & Record<string, unknown> }
  | { kind: 'advance'; by: string | number };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 5, arbitrary: recordedEvent.map((event) => ({ kind: 'record' as const, event })) },
  { weight: 3, arbitrary: linkedEvent.map((event) => ({ kind: 'tell' as const, event })) },
  { weight: 2, arbitrary: timePasses.map((by) => ({ kind: 'advance' as const, by })) },
);

const policy: fc.Arbitrary<SchemePolicyInput> = fc.record(
  {
    youngPerson: fc.record(
      {
        maxAgeAtReferral: fc.constantFrom(21, 25),
        careExperienceRequired: fc.boolean(),
        firstContactWithin: fc.constantFrom('30 seconds', '2 days', '5 working days'),
        readinessRecheckAfter: fc.constantFrom('1 hour', '2 weeks', '8 weeks'),
        matchWaitNudgeAfter: fc.constantFrom('1 day', '6 weeks'),
      },
      { requiredKeys: [] },
    ),
    notifications: fc.record({ escalateUnactedNudgeAfter: fc.constantFrom('1 hour', '7 days') }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

const journeyStart = fc.record({
  // Whole seconds between 2025 and the end of 2027.
  startedAt: fc.integer({ min: 1_735_689_600, max: 1_830_297_600 }).map((s) => new Date(s * 1000).toISOString()),
  dateOfBirth: fc.constantFrom(...DATES_OF_BIRTH),
  careExperienced: fc.constantFrom(true, true, true, false),
  selfReferral: fc.boolean(),
  consentGiven: fc.option(fc.boolean(), { nil: undefined }),
  ownGoals: fc.option(goals, { nil: undefined }),
  policy,
});
type JourneyStart = typeof journeyStart extends fc.Arbitrary<infer T> ? T : never;

function begin(s: JourneyStart): JourneySimulator {
  const input = youngPersonInputSchema.parse({
    journeyId: 'yp-1',
    coordinatorId: 'co-1',
    startedAt: s.startedAt,
    referral: {
      referredBy: s.selfReferral ? { role: 'youngPerson', id: 'yp-1' } : { role: 'referrer', id: 'ref-1' },
      dateOfBirth: s.dateOfBirth,
      careExperienced: s.careExperienced,
      ...(s.consentGiven === undefined ? {} : { consentGiven: s.consentGiven }),
      ...(s.ownGoals === undefined ? {} : { ownGoals: s.ownGoals }),
      ...(s.selfReferral ? {} : { referrerNotes: NOTES }),
    },
  });
  return new JourneySimulator(youngPersonJourney, { ...input, policy: parsePolicy(s.policy) }, s.startedAt);
}

// ---------------------------------------------------------------------------------------------
// What must always hold

const STAGES = [
  'referral',
  'readiness',
  'informalSupport',
  'preferences',
  'waitingForMatch',
  'matchProposed',
  'inMatch',
  'mentored',
  'closed',
  'notEligible',
];
/** Stages that can only be reached with first contact, consent and the young person's own goals. */
const PAST_REFERRAL = ['readiness', 'informalSupport', 'preferences', 'waitingForMatch', 'matchProposed', 'inMatch', 'mentored'];
const PERSONAL = [NOTES, ...GOALS, ...DATES_OF_BIRTH];

/** A matter a nudge or escalation is about, and whether it is still unresolved. */
const stillDue: Record<string, (snapshot: AnyMachineSnapshot) => boolean> = {
  firstContactOverdue: (s) =>
    s.matches({ referral: 'firstContactOverdue' } as never) && (s.context as YoungPersonContext).firstContactAt === undefined,
  readinessRecheckDue: (s) => s.matches({ readiness: { informalSupport: 'recheckDue' } } as never),
  matchWaitTooLong: (s) =>
    s.matches({ waitingForMatch: 'waitedTooLong' } as never) && (s.context as YoungPersonContext).proposedMatchId === undefined,
};

/**
 * Fails the property with the rule that was broken. (Thousands of steps are checked per run, so
 * this is a plain throw rather than `expect`; fast-check then shrinks and prints the sequence.)
 */
function holds(condition: boolean, rule: string, detail?: unknown): void {
  if (!condition) throw new Error(`broken: ${rule}${detail === undefined ? '' : `\n${JSON.stringify(detail, null, 2)}`}`);
}

function contextOf(sim: JourneySimulator): YoungPersonContext {
  return sim.snapshot.context as YoungPersonContext;
}

/** "youngPerson.referral.awaitingFirstContact" -> { referral: 'awaitingFirstContact' } */
function stateValueOfId(stateId: string): unknown {
  const path = stateId.split('.').slice(1);
  return path.reduceRight<unknown>((inner, key) => (inner === undefined ? key : { [key]: inner }), undefined);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function checkInvariants(sim: JourneySimulator, newEffects: readonly Effect[]): void {
  const { snapshot } = sim;
  const context = contextOf(sim);
  const stage = sim.stage;
  const state = { stage, value: snapshot.value, context: { ...context, policy: undefined } };
  holds(STAGES.includes(stage), 'the stage is one of the documented stages', state);

  holds(
    !PAST_REFERRAL.includes(stage) ||
      (context.consent === 'given' && context.ownGoals.length > 0 && context.firstContactAt !== undefined),
    "never past referral without first contact, the young person's consent and their own goals",
    state,
  );
  holds(!context.preferences || context.readySince !== undefined, 'preferences only once assessed ready', state);
  holds(
    !['waitingForMatch', 'matchProposed', 'inMatch', 'mentored'].includes(stage) || context.preferences !== undefined,
    'matching only once preferences are recorded',
    state,
  );
  holds(stage !== 'matchProposed' || context.proposedMatchId !== undefined, 'a proposed match has an id', state);
  holds(
    stage !== 'inMatch' || (context.currentMatchId !== undefined && context.proposedMatchId === undefined),
    'in a match means one current match and no pending proposal',
    state,
  );
  holds(stage !== 'mentored' || context.pastMatchIds.length > 0, 'mentored means at least one past match', state);

  const ended = snapshot.status === 'done';
  holds(ended === (context.closure !== undefined), 'a journey has ended exactly when its closure is recorded', state);
  holds(!ended || (sim.timers.length === 0 && sim.openNudges.length === 0), 'an ended journey has no timers or nudges', {
    ...state,
    timers: sim.timers,
  });

  for (const about of openNudgesOf(snapshot)) {
    holds(stillDue[about]?.(snapshot) === true, `the open nudge '${about}' is about something still unresolved`, state);
  }

  holds(sim.timers.length <= 1, 'at most one timer is pending', sim.timers);
  for (const timer of sim.timers) {
    const stateId = timer.id.slice(`xstate.after.${timer.delayName}.`.length);
    holds(snapshot.matches(stateValueOfId(stateId) as never), 'a pending timer belongs to the state the journey is in', {
      ...state,
      timer,
    });
    holds(Date.parse(timer.dueAt) >= Date.parse(sim.now), 'no timer is left unfired after it fell due', { now: sim.now, timer });
  }

  for (const effect of newEffects) {
    holds(['nudgeCoordinator', 'escalateToLead'].includes(effect.type), 'the journey only nudges and escalates', effect);
    const params = effect.params as { about: string; dueAt?: string };
    holds(stillDue[params.about]?.(snapshot) === true, 'a nudge is never sent after its cause was resolved', { ...state, effect });
    holds(!params.dueAt || Date.parse(params.dueAt) <= Date.parse(sim.now), 'a nudge is never sent early', { now: sim.now, effect });
    if (params.about === 'firstContactOverdue') {
      const due = addDuration(context.startedAt, context.policy.youngPerson.firstContactWithin);
      holds(params.dueAt === due, 'first contact falls due by the policy deadline', { due, effect });
    }
  }

  const outward = JSON.stringify([youngPersonJourney.summary(snapshot), newEffects, stage]);
  for (const value of PERSONAL) {
    holds(!outward.includes(value), 'the summary, stage and nudges carry no personal data', { value, outward });
  }
}

/** The snapshot survives persisting and restoring (continue-as-new). */
function checkRestores(sim: JourneySimulator): void {
  const restored = restoreSnapshot(youngPersonJourney, persist(youngPersonJourney, sim.snapshot));
  holds(same(restored.value, sim.snapshot.value) && same(restored.context, sim.snapshot.context), 'a persisted journey restores as it was');
}

/** An accepted event that changes nothing is only a fact recorded again, word for word. */
function restatesKnownFacts(context: YoungPersonContext, event: Record<string, unknown>): boolean {
  if (event.type === 'consent.recorded') {
    return context.consent === event.consent && same(context.ownGoals, event.ownGoals);
  }
  if (event.type === 'preferences.recorded' && context.preferences) {
    const { type: _t, by: _b, at: _a, ...preferences } = event;
    return same(Object.entries(context.preferences).sort(), Object.entries(preferences).sort());
  }
  return false;
}

/** Apply one command, checking that the gate's verdict and the machine agree, then the invariants. */
function step(sim: JourneySimulator, cmd: Command): void {
  const before = sim.snapshot;
  const contextBefore = contextOf(sim);
  const stageBefore = sim.stage;
  const effectsBefore = sim.effects.length;
  if (cmd.kind === 'advance') {
    sim.advance(cmd.by);
  } else if (cmd.kind === 'tell') {
    sim.tell(cmd.event);
    const matchId = cmd.event.matchId as string;
    const mine = matchId === contextBefore.currentMatchId || matchId === contextBefore.proposedMatchId;
    const unchanged = same(sim.snapshot.value, before.value) && same(sim.snapshot.context, before.context);
    if (cmd.event.type !== 'match.proposed') {
      holds(mine || unchanged, 'a linked event about another match is not applied', { matchId, before: before.value, cmd });
    } else {
      holds(stageBefore === 'waitingForMatch' || unchanged, 'a proposal only lands on a young person waiting for one', {
        stageBefore,
        cmd,
      });
    }
  } else {
    const now = sim.now;
    const verdict = judge(youngPersonJourney, before, { ...cmd.event, at: now });
    const applied = applyEvent(youngPersonJourney, before, sim.timers, cmd.event, now);
    const unchanged =
      same(applied.snapshot.value, before.value) &&
      same(applied.snapshot.context, before.context) &&
      applied.effects.length === 0 &&
      applied.timersSet.length === 0 &&
      applied.timersCancelled.length === 0;
    const detail = { stageBefore, value: before.value, event: cmd.event, verdict };
    if (verdict.accepted) {
      holds(!unchanged || restatesKnownFacts(contextBefore, cmd.event), 'what the gate accepts, the machine acts on', detail);
    } else {
      holds(unchanged, 'what the gate refuses, the machine would not have acted on', { ...detail, after: applied.snapshot.value });
      holds(verdict.reasons.length > 0 && verdict.message.startsWith('cannot '), 'a refusal says why', detail);
      for (const value of PERSONAL) holds(!verdict.message.includes(value), 'a refusal carries no personal data', detail);
    }
    holds(sim.record(cmd.event).accepted === verdict.accepted, 'recording follows the verdict', detail);
    if (verdict.accepted && cmd.event.type === 'preferences.recorded') {
      holds(['preferences', 'waitingForMatch'].includes(stageBefore), 'preferences are never recorded before ready', detail);
    }
    if (verdict.accepted && cmd.event.type === 'readiness.assessed') {
      holds(['readiness', 'informalSupport'].includes(stageBefore), 'readiness is assessed only after referral', detail);
    }
    if (verdict.accepted && cmd.event.type === 'contact.recorded') {
      holds(contextOf(sim).firstContactAt === now, "the journey's clock is the runtime's, never the caller's", detail);
    }
  }
  checkInvariants(sim, sim.effects.slice(effectsBefore).map((e) => e.effect));
}

/** Age in whole years on the day of `atIso`, worked out independently of the machine. */
function ageOn(dateOfBirth: string, atIso: string): number {
  const [y, m, d] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const at = new Date(atIso);
  const hadBirthday = at.getUTCMonth() + 1 > m || (at.getUTCMonth() + 1 === m && at.getUTCDate() >= d);
  return at.getUTCFullYear() - y - (hadBirthday ? 0 : 1);
}

const journeys = fc.array(command, { maxLength: 60, size: 'max' });

describe("the young person's journey under random events", () => {
  it('never throws and never reaches a state the practice forbids', () => {
    fc.assert(
      fc.property(journeyStart, journeys, (start, commands) => {
        const sim = begin(start);
        checkInvariants(sim, sim.effects.map((e) => e.effect));
        for (const cmd of commands) step(sim, cmd);
        checkRestores(sim);
      }),
      { numRuns: 200 },
    );
  });

  it('is eligible exactly when the policy says so, and an ineligible journey stays closed', () => {
    fc.assert(
      fc.property(journeyStart, fc.array(command, { maxLength: 10 }), (start, commands) => {
        const sim = begin(start);
        const eligible = sim.stage !== 'notEligible';
        const { minAgeAtReferral, maxAgeAtReferral, careExperienceRequired } = contextOf(sim).policy.youngPerson;
        const age = ageOn(start.dateOfBirth, start.startedAt);
        expect(eligible).toBe(
          age >= minAgeAtReferral && age <= maxAgeAtReferral && (start.careExperienced || !careExperienceRequired),
        );
        if (!eligible) {
          for (const cmd of commands) step(sim, cmd);
          expect(sim.stage).toBe('notEligible');
          expect(sim.context.closure.reason).toBe('notEligible');
          expect(sim.notified).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reaches every stage and every nudge across the generated journeys (the generators are not too timid)', () => {
    const reached = new Set<string>();
    fc.assert(
      fc.property(journeyStart, journeys, (start, commands) => {
        const sim = begin(start);
        for (const cmd of commands) {
          if (cmd.kind === 'record') sim.record(cmd.event);
          else if (cmd.kind === 'tell') sim.tell(cmd.event);
          else sim.advance(cmd.by);
          reached.add(sim.stage);
          for (const about of sim.openNudges) reached.add(`nudge:${about}`);
        }
      }),
      { numRuns: 300, seed: 20260109 },
    );
    expect([...reached].sort()).toEqual(
      [...STAGES, 'nudge:firstContactOverdue', 'nudge:readinessRecheckDue', 'nudge:matchWaitTooLong'].sort(),
    );
  });
});
