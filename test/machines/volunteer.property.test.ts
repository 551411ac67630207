/**
 * Property tests for the volunteer's journey: random sequences of events (accepted and refused,
 * in and out of stage) under random scheme policies, with random time passing. Whatever happens,
 * the journey never throws, never matches a volunteer who was not vetted, trained and found ready
 * (nor a peer mentor under the age gap), and never sends a nudge whose cause is already resolved.
 *
 * The rules are checked against a shadow of the facts kept here, independently of gates.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDuration, addDurationMs, wholeYearsBetween } from '../../machines/duration';
import type { NotifyParams } from '../../machines/journey';
import { parsePolicy, type SchemePolicy, type SchemePolicyInput } from '../../machines/policy';
import { persist, restoreSnapshot } from '../../machines/runtime';
import {
  volunteerInputSchema,
  volunteerJourney,
  volunteerLinkedEvents,
  volunteerRecordedEvents,
  type VolunteerContext,
  type VolunteerProfile,
} from '../../machines/volunteer';
import { JourneySimulator } from '../helpers/journey-simulator';

const T0 = '2026-01-05T09:00:00.000Z';
const DAY = 86_400_000;
const coordinator = { role: 'coordinator', id: 'co-7' } as const;
const TOPICS = ['safeguarding', 'confidentiality', 'endings'];
const STAGES = [
  'enquiry',
  'application',
  'interview',
  'vetting',
  'training',
  'suitabilityReview',
  'supportGroup',
  'peerCriteria',
  'available',
  'matched',
  'alternativeRole',
  'exited',
];

type Event = { type: string } & Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// What a step is: data, so fast-check can print and shrink it; dates are relative to the clock.

type Step =
  | { do: 'record'; event: EventSpec }
  | { do: 'tell'; type: 'match.started' | 'match.declined' | 'match.ended'; matchId: string }
  | { do: 'advance'; ms: number };

type EventSpec =
  | { type: 'infoSession.attended' | 'application.received' | 'training.completed' | 'volunteer.returned' }
  | { type: 'interview.held'; outcome: 'proceed' | 'notProceed'; faceToFace: boolean }
  | { type: 'check.recorded'; decision: 'clear' | 'notClear' | 'pending'; issuedDaysAgo: number; validDays?: number }
  | { type: 'reference.received'; refereeRef: string; satisfactory: boolean }
  | { type: 'training.sessionLogged'; hours: number; topics: string[] }
  | { type: 'suitability.reviewed'; outcome: 'ready' | 'peerSupportGroup' | 'alternativeRole' | 'notSuitable' }
  | { type: 'peerCriteria.confirmed'; ownSupportInPlace: boolean }
  | {
      type: 'match.proposed';
      matchId: string;
      youngPersonId: string;
      dateOfBirth: string;
      waitingForMatch: boolean;
      preferredMentorType: 'peer' | 'traditional' | 'either';
    }
  | { type: 'supervision.attended' | 'supervision.missed'; session: 'current' | 'other' }
  | { type: 'supervision.rescheduled'; session: 'current' | 'other'; inDays: number }
  | { type: 'exit.recorded'; reason: 'steppedDown' | 'movedAway' | 'notSuitable' | 'other' };

const matchIdArb = fc.constantFrom('m-1', 'm-2', 'm-3');

const eventArb: fc.Arbitrary<EventSpec> = fc.oneof(
  fc.constantFrom(
    { type: 'infoSession.attended' as const },
    { type: 'application.received' as const },
    { type: 'training.completed' as const },
    { type: 'volunteer.returned' as const },
  ),
  fc.record({
    type: fc.constant('interview.held' as const),
    outcome: fc.constantFrom('proceed' as const, 'proceed' as const, 'notProceed' as const),
    faceToFace: fc.boolean(),
  }),
  fc.record(
    {
      type: fc.constant('check.recorded' as const),
      decision: fc.constantFrom('clear' as const, 'clear' as const, 'notClear' as const, 'pending' as const),
      issuedDaysAgo: fc.integer({ min: -5, max: 2000 }),
      validDays: fc.integer({ min: 1, max: 2000 }),
    },
    { requiredKeys: ['type', 'decision', 'issuedDaysAgo'] },
  ),
  fc.record({
    type: fc.constant('reference.received' as const),
    refereeRef: fc.constantFrom('ref-a', 'ref-b', 'ref-c'),
    satisfactory: fc.boolean(),
  }),
  fc.record({
    type: fc.constant('training.sessionLogged' as const),
    hours: fc.constantFrom(0.5, 2, 6, 12),
    topics: fc.subarray(TOPICS),
  }),
  fc.record({
    type: fc.constant('suitability.reviewed' as const),
    outcome: fc.constantFrom('ready' as const, 'ready' as const, 'peerSupportGroup' as const, 'alternativeRole' as const, 'notSuitable' as const),
  }),
  fc.record({ type: fc.constant('peerCriteria.confirmed' as const), ownSupportInPlace: fc.boolean() }),
  fc.record({
    type: fc.constant('match.proposed' as const),
    matchId: matchIdArb,
    youngPersonId: fc.constantFrom('yp-1', 'yp-2', 'yp-3'),
    dateOfBirth: fc.constantFrom('2009-05-01', '2005-12-31', '2003-02-01', '1999-07-07'),
    waitingForMatch: fc.constantFrom(true, true, true, false),
    preferredMentorType: fc.constantFrom('either' as const, 'either' as const, 'peer' as const, 'traditional' as const),
  }),
  fc.record({
    type: fc.constantFrom('supervision.attended' as const, 'supervision.missed' as const),
    session: fc.constantFrom('current' as const, 'current' as const, 'other' as const),
  }),
  fc.record({
    type: fc.constant('supervision.rescheduled' as const),
    session: fc.constantFrom('current' as const, 'other' as const),
    inDays: fc.integer({ min: -5, max: 40 }),
  }),
  fc.record({
    type: fc.constant('exit.recorded' as const),
    reason: fc.constantFrom('steppedDown' as const, 'movedAway' as const, 'notSuitable' as const, 'other' as const),
  }),
);

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: eventArb.map((event) => ({ do: 'record' as const, event })) },
  {
    weight: 2,
    arbitrary: fc.record({
      do: fc.constant('tell' as const),
      type: fc.constantFrom('match.started' as const, 'match.started' as const, 'match.declined' as const, 'match.ended' as const),
      matchId: matchIdArb,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.oneof(
      fc.integer({ min: 0, max: 3 * DAY }),
      fc.integer({ min: 0, max: 60 * DAY }),
      fc.integer({ min: 0, max: 3 * 365 * DAY }),
    ).map((ms) => ({ do: 'advance' as const, ms })),
  },
);

const policyArb: fc.Arbitrary<SchemePolicyInput> = fc.record({
  volunteer: fc.record({
    referencesRequired: fc.integer({ min: 0, max: 3 }),
    minimumTrainingHours: fc.constantFrom(0, 2, 10, 20),
    requiredTrainingTopics: fc.subarray(TOPICS),
    checkValidFor: fc.constantFrom('1 year', '5 years'),
    checkRenewalRemindersBefore: fc.subarray(['60 days', '30 days', '7 days']),
    vettingPendingNudgeAfter: fc.constantFrom('10 days', '4 weeks'),
    peerMinYearsSinceLeavingCare: fc.integer({ min: 0, max: 3 }),
    peerOwnSupportRequired: fc.boolean(),
    supervisionEvery: fc.constantFrom('2 weeks', '1 month'),
    peerSupervisionEvery: fc.constantFrom('1 week', '2 weeks'),
    maxActiveMatches: fc.integer({ min: 1, max: 2 }),
  }),
  match: fc.record({ peerMinAgeGapYears: fc.integer({ min: 0, max: 4 }) }),
});

const volunteerArb: fc.Arbitrary<VolunteerProfile> = fc
  .record({
    type: fc.constantFrom('peer' as const, 'traditional' as const),
    dateOfBirth: fc.constantFrom('1970-05-05', '2001-02-03', '2004-08-09'),
    careExperienced: fc.boolean(),
    leftCareOn: fc.constantFrom(undefined, '2019-01-01', '2025-06-01'),
  })
  .map((v) => {
    const { leftCareOn, ...rest } = v;
    return v.careExperienced && leftCareOn ? { ...rest, leftCareOn } : rest;
  });

/** A prefix that takes the volunteer to available and into a match (when their gates allow). */
const HAPPY: EventSpec[] = [
  { type: 'infoSession.attended' },
  { type: 'application.received' },
  { type: 'interview.held', outcome: 'proceed', faceToFace: true },
  { type: 'check.recorded', decision: 'clear', issuedDaysAgo: 3 },
  { type: 'reference.received', refereeRef: 'ref-a', satisfactory: true },
  { type: 'reference.received', refereeRef: 'ref-b', satisfactory: true },
  { type: 'reference.received', refereeRef: 'ref-c', satisfactory: true },
  { type: 'training.sessionLogged', hours: 20, topics: TOPICS },
  { type: 'training.completed' },
  { type: 'suitability.reviewed', outcome: 'ready' },
  { type: 'peerCriteria.confirmed', ownSupportInPlace: true },
];
const HAPPY_MATCH: Step[] = [
  ...HAPPY.map((event) => ({ do: 'record' as const, event })),
  {
    do: 'record',
    event: {
      type: 'match.proposed',
      matchId: 'm-1',
      youngPersonId: 'yp-1',
      dateOfBirth: '2009-05-01',
      waitingForMatch: true,
      preferredMentorType: 'either',
    },
  },
  { do: 'tell', type: 'match.started', matchId: 'm-1' },
];

// ---------------------------------------------------------------------------------------------
// Turning a step into an event, against the clock and the journey as it is now.

const dateOnly = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function buildEvent(spec: EventSpec, sim: JourneySimulator): Event {
  const now = Date.parse(sim.now);
  const session = (which: 'current' | 'other') =>
    which === 'current' ? (sim.context.supervision.current?.sessionId ?? 'vol-1-supervision-1') : 'vol-1-supervision-99';
  const base = { by: coordinator };
  switch (spec.type) {
    case 'check.recorded': {
      const issued = now - spec.issuedDaysAgo * DAY;
      return {
        ...base,
        type: spec.type,
        checkType: 'PVG',
        issuedOn: dateOnly(issued),
        referenceNumber: `PVG-${spec.issuedDaysAgo}`,
        decision: spec.decision,
        ...(spec.validDays === undefined ? {} : { expiresOn: dateOnly(issued + spec.validDays * DAY) }),
      };
    }
    case 'match.proposed':
      return {
        ...base,
        type: spec.type,
        matchId: spec.matchId,
        youngPersonId: spec.youngPersonId,
        youngPerson: {
          dateOfBirth: spec.dateOfBirth,
          waitingForMatch: spec.waitingForMatch,
          preferredMentorType: spec.preferredMentorType,
        },
      };
    case 'supervision.attended':
    case 'supervision.missed':
      return { ...base, type: spec.type, sessionId: session(spec.session) };
    case 'supervision.rescheduled':
      return {
        ...base,
        type: spec.type,
        sessionId: session(spec.session),
        startsAt: new Date(now + spec.inDays * DAY).toISOString(),
      };
    case 'peerCriteria.confirmed':
      return { ...base, type: spec.type, readyWillingAble: true, ownSupportInPlace: spec.ownSupportInPlace };
    default:
      return { ...base, ...spec };
  }
}

// ---------------------------------------------------------------------------------------------
// The shadow: the facts as recorded, kept here, and the rules re-stated from DOMAIN.md.

interface Shadow {
  check?: { decision: string; expiresOn: string };
  references: Map<string, boolean>;
  hours: number;
  topics: Set<string>;
  suitability?: string;
  peerConfirmed?: { ownSupportInPlace: boolean };
  startedMatchIds: Set<string>;
}

function applyToShadow(shadow: Shadow, event: Event, policy: SchemePolicy): void {
  switch (event.type) {
    case 'check.recorded':
      // A check applied for never displaces a decision on record (clear, or not clear).
      if (!(event.decision === 'pending' && shadow.check && shadow.check.decision !== 'pending')) {
        const expiresOn =
          (event.expiresOn as string | undefined) ??
          addDuration(`${String(event.issuedOn)}T00:00:00.000Z`, policy.volunteer.checkValidFor).slice(0, 10);
        shadow.check = { decision: String(event.decision), expiresOn };
      }
      break;
    case 'reference.received':
      shadow.references.set(String(event.refereeRef), Boolean(event.satisfactory));
      break;
    case 'training.sessionLogged':
      shadow.hours += Number(event.hours);
      for (const t of event.topics as string[]) shadow.topics.add(t);
      break;
    case 'suitability.reviewed':
      shadow.suitability = String(event.outcome);
      break;
    case 'peerCriteria.confirmed':
      shadow.peerConfirmed = { ownSupportInPlace: Boolean(event.ownSupportInPlace) };
      break;
    case 'volunteer.returned':
      shadow.suitability = undefined;
      shadow.peerConfirmed = undefined;
      break;
  }
}

const vetted = (s: Shadow, p: SchemePolicy, now: string) =>
  s.check?.decision === 'clear' &&
  Date.parse(now) < Date.parse(`${s.check.expiresOn}T00:00:00.000Z`) &&
  [...s.references.values()].filter(Boolean).length >= p.volunteer.referencesRequired;

const trained = (s: Shadow, p: SchemePolicy) =>
  s.hours >= p.volunteer.minimumTrainingHours && p.volunteer.requiredTrainingTopics.every((t) => s.topics.has(t));

function peerReady(s: Shadow, v: VolunteerProfile, p: SchemePolicy, now: string): boolean {
  if (v.type !== 'peer') return true;
  const min = p.volunteer.peerMinYearsSinceLeavingCare;
  const separated = v.leftCareOn ? wholeYearsBetween(v.leftCareOn, now) >= min : min === 0;
  return (
    v.careExperienced &&
    separated &&
    s.peerConfirmed !== undefined &&
    (!p.volunteer.peerOwnSupportRequired || s.peerConfirmed.ownSupportInPlace)
  );
}

/** The mentor at least `years` older: their birthday that many years on falls on or before the young person's. */
function olderBy(volunteerDob: string, youngPersonDob: string, years: number): boolean {
  const shifted = `${String(Number(volunteerDob.slice(0, 4)) + years).padStart(4, '0')}${volunteerDob.slice(4)}`;
  return shifted <= youngPersonDob;
}

function mayPropose(
  s: Shadow,
  v: VolunteerProfile,
  p: SchemePolicy,
  context: VolunteerContext,
  event: Event,
  now: string,
): boolean {
  const yp = event.youngPerson as { dateOfBirth: string; waitingForMatch: boolean; preferredMentorType: string };
  return (
    vetted(s, p, now) &&
    trained(s, p) &&
    s.suitability === 'ready' &&
    peerReady(s, v, p, now) &&
    (v.type !== 'peer' || olderBy(v.dateOfBirth, yp.dateOfBirth, p.match.peerMinAgeGapYears)) &&
    yp.waitingForMatch &&
    (yp.preferredMentorType === 'either' || yp.preferredMentorType === v.type) &&
    context.matches.length < p.volunteer.maxActiveMatches
  );
}

// ---------------------------------------------------------------------------------------------

interface Run {
  sim: JourneySimulator;
  shadow: Shadow;
  volunteer: VolunteerProfile;
  policy: SchemePolicy;
}

function standingOf(sim: JourneySimulator): string | undefined {
  return ['valid', 'expired', 'notClear', 'none'].find((s) =>
    sim.snapshot.matches({ inScheme: { check: s } } as never),
  );
}

/** A rule of the journey; plain throws, because thousands of steps are checked per run. */
function holds(condition: boolean, rule: string): void {
  if (!condition) throw new Error(`broken: ${rule}`);
}

/** Everything that must hold after every step. `effectsFrom`: where this step's effects begin. */
function checkInvariants(run: Run, effectsFrom: number, cause: Cause): void {
  const { sim, shadow, volunteer, policy } = run;
  const context = sim.context as VolunteerContext;
  const now = sim.now;
  const stage = sim.stage;
  holds(STAGES.includes(stage), `a known stage (got '${stage}')`);
  holds(
    sim.timers.every((t) => t.dueAt >= now),
    'no timer is left behind the clock',
  );

  for (const { effect } of sim.effects.slice(effectsFrom)) {
    if (effect.type === 'startMatchJourney') {
      holds(cause.event?.type === 'match.proposed' && cause.accepted, 'only an accepted proposal starts a match');
      holds(
        mayPropose(shadow, volunteer, policy, cause.before!, cause.event!, now),
        'a match starts only when every rule held at that moment (vetting, references, training, suitability, peer criteria, age gap, the young person, capacity)',
      );
      shadow.startedMatchIds.add(effect.params.matchId);
    }
    if (effect.type === 'nudgeCoordinator' || effect.type === 'escalateToLead' || effect.type === 'remindVolunteer') {
      causeStillOpen(effect.params, sim, cause);
    }
  }

  // Matched only when vetted, trained, found ready (and a peer mentor's criteria met); a check
  // that has lapsed since is flagged by an open nudge.
  if (stage === 'matched') {
    holds(context.matches.some((m) => m.status === 'active'), 'matched means an active match');
    holds(trained(shadow, policy), 'matched means trained');
    holds(shadow.suitability === 'ready', 'matched means found ready at the suitability review');
    holds(
      [...shadow.references.values()].filter(Boolean).length >= policy.volunteer.referencesRequired,
      'matched means enough satisfactory references',
    );
    holds(volunteer.type !== 'peer' || shadow.peerConfirmed !== undefined, 'a matched peer mentor had their criteria confirmed');
    holds(
      vetted(shadow, policy, now) || sim.openNudges.some((n) => n === 'checkExpired' || n === 'checkNotClear'),
      'matched with a lapsed check only while a nudge about it is open',
    );
  }
  holds(
    context.matches.every((m) => shadow.startedMatchIds.has(m.matchId)),
    'every open match was proposed through the gates on this journey',
  );

  // The check region always tells the truth about the check in force.
  if (sim.snapshot.matches('inScheme' as never)) {
    const c = shadow.check;
    const truth =
      !c || c.decision === 'pending'
        ? 'none'
        : c.decision === 'notClear'
          ? 'notClear'
          : Date.parse(now) >= Date.parse(`${c.expiresOn}T00:00:00.000Z`)
            ? 'expired'
            : 'valid';
    holds(standingOf(sim) === truth, `the check region says '${standingOf(sim)}', the check is '${truth}'`);
  }

  // Open nudges are really overdue.
  if (sim.openNudges.includes('vettingPending')) {
    holds(stage === 'vetting' && !vetted(shadow, policy, now), 'a vetting nudge is open only while vetting is pending');
  }
  if (sim.openNudges.includes('supervisionAttendanceNotRecorded')) {
    const current = context.supervision.current!;
    holds(
      Date.parse(now) >= addDurationMs(Date.parse(current.startsAt), policy.volunteer.supervisionAttendanceGrace),
      'an attendance nudge is open only after the grace period',
    );
  }

  // The status carries no personal data, and the journey survives being persisted and restored.
  const summary = JSON.stringify(volunteerJourney.summary(sim.snapshot));
  holds(!summary.includes(volunteer.dateOfBirth), 'no date of birth in the status');
  // A whole value, not a prefix: a date-time on the same day, or a check issued that day, is no leak.
  const { check: _check, ...withoutCheckDates } = volunteerJourney.summary(sim.snapshot) as Record<string, unknown>;
  holds(!volunteer.leftCareOn || !JSON.stringify(withoutCheckDates).includes(`"${volunteer.leftCareOn}"`), 'no leaving-care date in the status');
  const restored = restoreSnapshot(volunteerJourney, persist(volunteerJourney, sim.snapshot));
  holds(JSON.stringify(restored.value) === JSON.stringify(sim.snapshot.value), 'a persisted journey restores to the same state');
}

interface Cause {
  event?: Event;
  accepted: boolean;
  before?: VolunteerContext;
}

/** A nudge or reminder is only ever sent about something still unresolved when it is sent. */
function causeStillOpen(params: NotifyParams, sim: JourneySimulator, cause: Cause): void {
  const context = sim.context as VolunteerContext;
  switch (params.about) {
    case 'vettingPending':
    case 'checkExpired':
    case 'checkNotClear':
      holds(sim.openNudges.includes(params.about), `'${params.about}' is sent only while it is open`);
      break;
    case 'supervisionAttendanceNotRecorded':
      holds(sim.openNudges.includes(params.about), `'${params.about}' is sent only while it is open`);
      holds(params.facts?.sessionId === context.supervision.current?.sessionId, 'about the session still scheduled');
      break;
    case 'checkRenewal':
      holds(
        standingOf(sim) === 'valid' && params.facts?.expiresOn === context.check?.expiresOn,
        'a renewal reminder is about the check in force, before it expires',
      );
      break;
    case 'supervisionMissed':
      holds(cause.event?.type === 'supervision.missed' && cause.accepted, 'a missed session is nudged when it is recorded');
      break;
    default:
      holds(false, `a notification about something known (got '${params.about}')`);
  }
}

function runJourney(volunteer: VolunteerProfile, policyInput: SchemePolicyInput, steps: Step[]): Run {
  const policy = parsePolicy(policyInput);
  const input = { ...volunteerInputSchema.parse({ journeyId: 'vol-1', coordinatorId: 'co-7', startedAt: T0, volunteer }), policy };
  const sim = new JourneySimulator(volunteerJourney, input, T0);
  const run: Run = {
    sim,
    volunteer,
    policy,
    shadow: { references: new Map(), hours: 0, topics: new Set(), startedMatchIds: new Set() },
  };
  checkInvariants(run, 0, { accepted: false });

  for (const step of steps) {
    if (step.do === 'advance') {
      // Timer by timer, so each timer's effects are judged at the moment they happen.
      const target = new Date(Date.parse(sim.now) + step.ms).toISOString();
      for (;;) {
        const next = [...sim.timers].sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
        if (!next || next.dueAt > target) break;
        const from = sim.effects.length;
        sim.advanceTo(next.dueAt);
        checkInvariants(run, from, { accepted: false });
      }
      sim.advanceTo(target);
      continue;
    }
    const event = step.do === 'record' ? buildEvent(step.event, sim) : { type: step.type, matchId: step.matchId };
    // The generator is honest: every event is one the edge would let through.
    const schema = step.do === 'record' ? volunteerRecordedEvents : volunteerLinkedEvents;
    holds(schema.safeParse({ by: coordinator, ...event }).success, `the generated ${event.type} passes the edge`);

    const before = sim.context as VolunteerContext;
    const from = sim.effects.length;
    let accepted = true;
    if (step.do === 'record') {
      const verdict = sim.record(event);
      accepted = verdict.accepted;
      if (!verdict.accepted) {
        holds(verdict.reasons.length > 0, 'a refusal gives its reasons');
        holds(sim.effects.length === from, 'a refused event has no effect');
      }
    } else {
      sim.tell(event);
    }
    if (accepted) applyToShadow(run.shadow, event, policy);
    checkInvariants(run, from, { event, accepted, before });
  }
  return run;
}

describe('the volunteer journey under random events and time', () => {
  it('never throws, never matches without every gate, never nudges about a resolved matter', () => {
    fc.assert(
      fc.property(volunteerArb, policyArb, fc.array(stepArb, { maxLength: 60 }), (volunteer, policy, steps) => {
        runJourney(volunteer, policy, steps);
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('holds the same from a volunteer made available, where matches and supervision happen', () => {
    let reachedMatched = 0;
    fc.assert(
      fc.property(volunteerArb, policyArb, fc.array(stepArb, { maxLength: 60 }), (volunteer, policy, steps) => {
        const run = runJourney(volunteer, policy, [...HAPPY_MATCH, ...steps]);
        if (run.sim.effects.some((e) => e.effect.type === 'inviteToSupervision')) reachedMatched++;
      }),
      { numRuns: 300 },
    );
    // The generator really does exercise matches and supervision.
    expect(reachedMatched).toBeGreaterThan(20);
  }, 60_000);
});
