/**
 * Machines: pure transitions per second for each journey machine, through the same runtime the
 * workflow uses (machines/runtime.ts: `judge` then `applyEvent` for a recorded event, `applyEvent`
 * for a linked one, `fireTimer` for a deadline), beside a trivial XState machine measured the same
 * way; and the bytes of each persisted snapshot (JSON of `runtime.persist`), which is what
 * continue-as-new carries.
 *
 *   npm run bench:machines            (about a minute)
 */
import { setup, transition, initialTransition, type AnyMachineSnapshot } from 'xstate';
import { z } from 'zod';
import type { JourneyDefinition } from '../machines/journey';
import { matchJourney } from '../machines/match';
import { defaultPolicy } from '../machines/policy';
import { applyEvent, fireTimer, judge, persist, startJourney, type PendingTimer } from '../machines/runtime';
import { volunteerJourney } from '../machines/volunteer';
import { youngPersonJourney } from '../machines/young-person';
import { banner, deadline, fmt, loadLine, median, table } from './common';

const coordinator = { role: 'coordinator' as const, id: 'co-1' };
const DAY = 86_400_000;

/** One step of an episode: a recorded event (judged, then applied), a linked event, a timer, or time passing. */
type Step =
  | { record: { type: string } & Record<string, unknown> }
  | { tell: { type: string } & Record<string, unknown> }
  | { fire: string }
  | { wait: number };

interface Episode {
  name: string;
  definition: JourneyDefinition;
  input: (startedAt: string) => unknown;
  steps: (startedAt: string) => Step[];
}

const day = (iso: string, plusDays = 0) => new Date(Date.parse(iso) + plusDays * DAY).toISOString().slice(0, 10);

/** A young person: referral, informal support first, ready at the re-check, matched, mentored. */
const youngPerson: Episode = {
  name: 'youngPerson',
  definition: youngPersonJourney,
  input: (startedAt) => ({
    journeyId: 'yp-bench',
    coordinatorId: 'co-1',
    startedAt,
    policy: defaultPolicy,
    referral: { referredBy: { role: 'referrer', id: 'sw-1' }, dateOfBirth: '2008-05-01', careExperienced: true },
  }),
  steps: () => [
    { wait: 3 * DAY },
    { record: { type: 'contact.recorded', by: coordinator, method: 'phone' } },
    { record: { type: 'consent.recorded', by: coordinator, consent: 'given', ownGoals: ['find a college course'] } },
    { record: { type: 'readiness.assessed', by: coordinator, outcome: 'notReady' } },
    { wait: 7 * DAY },
    { record: { type: 'informalTask.recorded', by: coordinator, task: 'health' } },
    { record: { type: 'groupActivity.attended', by: coordinator } },
    { fire: 'readinessRecheckAfter' },
    { record: { type: 'readiness.assessed', by: coordinator, outcome: 'ready' } },
    { record: { type: 'preferences.recorded', by: coordinator, mentorType: 'either' } },
    { wait: 20 * DAY },
    { tell: { type: 'match.proposed', matchId: 'm-bench', volunteerId: 'vol-bench' } },
    { tell: { type: 'match.started', matchId: 'm-bench' } },
    { wait: 90 * DAY },
    { tell: { type: 'match.ended', matchId: 'm-bench', outcome: 'ended' } },
  ],
};

/** A volunteer: enquiry to available, matched with monthly supervision, match ends, steps down. */
const volunteer: Episode = {
  name: 'volunteer',
  definition: volunteerJourney,
  input: (startedAt) => ({
    journeyId: 'vol-bench',
    coordinatorId: 'co-1',
    startedAt,
    policy: defaultPolicy,
    volunteer: { type: 'traditional', dateOfBirth: '1980-03-01', careExperienced: false },
  }),
  steps: (startedAt) => {
    const supervision = (n: number, attended: boolean): Step[] => [
      { wait: 31 * DAY },
      { record: { type: attended ? 'supervision.attended' : 'supervision.missed', by: coordinator, sessionId: `vol-bench-supervision-${n}` } },
    ];
    return [
      { record: { type: 'infoSession.attended', by: coordinator } },
      { record: { type: 'application.received', by: coordinator } },
      { record: { type: 'interview.held', by: coordinator, outcome: 'proceed', faceToFace: true } },
      { wait: 10 * DAY },
      { record: { type: 'check.recorded', by: coordinator, checkType: 'PVG', issuedOn: day(startedAt, 10), referenceNumber: 'PVG-1', decision: 'clear' } },
      { record: { type: 'reference.received', by: coordinator, refereeRef: 'ref-1', satisfactory: true } },
      { record: { type: 'reference.received', by: coordinator, refereeRef: 'ref-2', satisfactory: true } },
      { record: { type: 'training.sessionLogged', by: coordinator, hours: 12, topics: ['mentor-role-and-boundaries', 'confidentiality', 'safeguarding', 'care-context'] } },
      { wait: 7 * DAY },
      { record: { type: 'training.sessionLogged', by: coordinator, hours: 8, topics: ['listening-and-communication', 'equality-and-diversity', 'endings'] } },
      { record: { type: 'training.completed', by: coordinator } },
      { record: { type: 'suitability.reviewed', by: coordinator, outcome: 'ready' } },
      {
        record: {
          type: 'match.proposed',
          by: coordinator,
          matchId: 'm-bench',
          youngPersonId: 'yp-bench',
          youngPerson: { dateOfBirth: '2008-05-01', waitingForMatch: true, preferredMentorType: 'either' },
        },
      },
      { tell: { type: 'match.started', matchId: 'm-bench' } },
      ...supervision(1, true),
      ...supervision(2, true),
      ...supervision(3, false),
      ...supervision(4, true),
      { tell: { type: 'match.ended', matchId: 'm-bench' } },
      { record: { type: 'exit.recorded', by: coordinator, reason: 'steppedDown' } },
    ];
  },
};

/** A match: introduced, accepted, four months of meetings, check-ins and reviews, a formal ending. */
const match: Episode = {
  name: 'match',
  definition: matchJourney,
  input: (startedAt) => ({
    journeyId: 'm-bench',
    youngPersonId: 'yp-bench',
    volunteerId: 'vol-bench',
    coordinatorId: 'co-1',
    peer: false,
    startedAt,
    policy: defaultPolicy,
  }),
  steps: (startedAt) => {
    const steps: Step[] = [
      { record: { type: 'introduction.held', by: coordinator, format: 'personalMeeting' } },
      { record: { type: 'youngPerson.accepted', by: { role: 'youngPerson', id: 'yp-bench' } } },
      { wait: 7 * DAY },
      { record: { type: 'goals.agreed', by: coordinator } },
      { record: { type: 'checkIn.recorded', by: coordinator, with: ['mentor', 'mentee'] } },
    ];
    let d = 7;
    for (let fortnight = 0; fortnight < 8; fortnight++) {
      steps.push({ wait: 14 * DAY });
      d += 14;
      steps.push({ record: { type: 'meeting.logged', by: coordinator, on: day(startedAt, d) } });
      if (fortnight % 2 === 0) steps.push({ record: { type: 'checkIn.recorded', by: coordinator, with: ['mentor', 'mentee'] } });
      if (fortnight === 2 || fortnight === 5) steps.push({ record: { type: 'review.held', by: coordinator, outcome: 'continue' } });
    }
    steps.push({ fire: 'meetingGapNudgeAfter' });
    steps.push({ record: { type: 'ending.decided', by: coordinator, reason: 'goalsMet', planned: true, rematch: false } });
    steps.push({ wait: 5 * DAY });
    steps.push({
      record: { type: 'ending.recorded', by: coordinator, method: 'closingMeeting', reason: 'goalsMet', planned: true, outcomes: ['goals-met'] },
    });
    return steps;
  },
};

/** The simplest XState machine: two states and one event. */
const toggleMachine = setup({ types: { events: {} as { type: 'toggle' } } }).createMachine({
  id: 'toggle',
  initial: 'off',
  states: { off: { on: { toggle: 'on' } }, on: { on: { toggle: 'off' } } },
});

/** The trivial machine as a journey, so the runtime's own overhead can be told apart from the machines'. */
const toggleJourney: JourneyDefinition = {
  kind: 'match',
  machine: toggleMachine,
  recordedEvents: z.object({ type: z.literal('toggle') }) as never,
  linkedEvents: z.object({ type: z.literal('toggle') }) as never,
  input: z.unknown(),
  personalFields: { input: [], events: {} },
  eventLabels: {},
  dueLabels: {},
  decisionEvents: [],
  unmetGates: () => [],
  stage: (s) => String(s.value),
  summary: () => ({}),
};

const toggle: Episode = {
  name: 'trivial (via runtime)',
  definition: toggleJourney,
  input: () => ({}),
  steps: () => Array.from({ length: 20 }, () => ({ record: { type: 'toggle', by: coordinator } })),
};

interface Run {
  transitions: number;
  snapshotBytes: number[];
  policyBytes: number;
}

const startedAt = '2026-01-05T09:00:00.000Z';
const stepCache = new Map<Episode, Step[]>();

/** The episode's steps, recorded events parsed once with the journey's schema (defaults filled in), as the workflow's validator does. */
function stepsOf(episode: Episode): Step[] {
  let steps = stepCache.get(episode);
  if (!steps) {
    steps = episode.steps(startedAt).map((step) =>
      'record' in step ? { record: episode.definition.recordedEvents.parse(step.record) as unknown as { type: string } & Record<string, unknown> } : step,
    );
    stepCache.set(episode, steps);
  }
  return steps;
}

/**
 * What the workflow does per Update besides the transition (workflows/journey.workflow.ts): the
 * validator parses and judges; the handler parses and judges again (validate), parses a third
 * time, applies, then builds the status it returns (stage, summary, due list).
 */
function workflowExtras(definition: JourneyDefinition, snapshot: AnyMachineSnapshot, raw: Record<string, unknown> & { type: string }, at: string): void {
  for (let i = 0; i < 3; i++) definition.recordedEvents.safeParse(raw);
  judge(definition, snapshot, { ...raw, at });
}

function statusLike(definition: JourneyDefinition, snapshot: AnyMachineSnapshot, timers: PendingTimer[]): unknown {
  return {
    stage: definition.stage(snapshot),
    facts: definition.summary(snapshot),
    due: [...timers].sort((a, b) => a.dueAt.localeCompare(b.dueAt)).map((t) => ({ what: definition.dueLabels[t.delayName], dueAt: t.dueAt })),
  };
}

/** One pass through an episode: every step counts as a transition (the start too). */
function runEpisode(episode: Episode, check: boolean, measureBytes: boolean, asWorkflow = false): Run {
  let nowMs = Date.parse(startedAt);
  const iso = () => new Date(nowMs).toISOString();
  const first = startJourney(episode.definition, episode.input(startedAt), startedAt);
  let snapshot: AnyMachineSnapshot = first.snapshot;
  let timers: PendingTimer[] = first.timers;
  let transitions = 1;
  const bytes: number[] = [];
  const measure = () => {
    if (measureBytes) bytes.push(Buffer.byteLength(JSON.stringify(persist(episode.definition, snapshot))));
  };
  measure();
  for (const step of stepsOf(episode)) {
    if ('wait' in step) {
      nowMs += step.wait;
      continue;
    }
    if ('fire' in step) {
      const timer = timers.find((t) => t.delayName === step.fire);
      if (!timer) {
        if (check) throw new Error(`${episode.name}: no pending '${step.fire}' timer (pending: ${timers.map((t) => t.delayName).join(', ')})`);
        continue;
      }
      nowMs = Math.max(nowMs, Date.parse(timer.dueAt));
      ({ snapshot, timers } = fireTimer(episode.definition, snapshot, timers, timer.id, iso()));
    } else if ('record' in step) {
      const verdict = judge(episode.definition, snapshot, { ...step.record, at: iso() });
      if (!verdict.accepted) {
        if (check) throw new Error(`${episode.name}: ${step.record.type} refused: ${verdict.message}`);
        continue;
      }
      if (asWorkflow) workflowExtras(episode.definition, snapshot, step.record, iso());
      ({ snapshot, timers } = applyEvent(episode.definition, snapshot, timers, step.record, iso()));
      if (asWorkflow) statusLike(episode.definition, snapshot, timers);
    } else {
      const before = snapshot;
      ({ snapshot, timers } = applyEvent(episode.definition, snapshot, timers, step.tell, iso()));
      if (check && snapshot === before) throw new Error(`${episode.name}: linked ${step.tell.type} changed nothing`);
    }
    transitions += 1;
    measure();
  }
  const context = snapshot.context as { policy?: unknown };
  return { transitions, snapshotBytes: bytes, policyBytes: context.policy ? Buffer.byteLength(JSON.stringify(context.policy)) : 0 };
}

/** Transitions per second over `seconds`, best of `rounds` (the least disturbed by other processes). */
function rate(episode: Episode, seconds: number, rounds: number, asWorkflow = false): { perSecond: number; rounds: number[] } {
  const results: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let transitions = 0;
    const started = performance.now();
    let elapsed = 0;
    while (elapsed < seconds * 1000) {
      transitions += runEpisode(episode, false, false, asWorkflow).transitions;
      elapsed = performance.now() - started;
    }
    results.push((transitions / elapsed) * 1000);
  }
  return { perSecond: Math.max(...results), rounds: results };
}

/** Raw XState: `transition()` on the trivial machine, no runtime around it. */
function rawXStateRate(seconds: number, rounds: number): number {
  const results: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let [snapshot] = initialTransition(toggleMachine);
    let transitions = 0;
    const started = performance.now();
    let elapsed = 0;
    while (elapsed < seconds * 1000) {
      for (let i = 0; i < 1000; i++) [snapshot] = transition(toggleMachine, snapshot, { type: 'toggle' });
      transitions += 1000;
      elapsed = performance.now() - started;
    }
    results.push((transitions / elapsed) * 1000);
  }
  return Math.max(...results);
}

function main(): void {
  const stop = deadline(5 * 60_000, 'bench:machines');
  banner('Machines: pure transitions per second and persisted snapshot size', 'npm run bench:machines');
  const seconds = Number(process.env.BENCH_SECONDS ?? 2);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

  // Every step of every episode must be accepted, or the figures would measure refusals.
  for (const episode of [youngPerson, volunteer, match, toggle]) runEpisode(episode, true, false);
  // Warm up the JIT on each.
  for (const episode of [youngPerson, volunteer, match, toggle]) rate(episode, 0.5, 1);

  const raw = rawXStateRate(seconds, rounds);
  const trivial = rate(toggle, seconds, rounds);
  const rows: (string | number)[][] = [
    ['machine', 'steps/episode', 'transitions/s', 'µs/transition', 'vs raw XState', 'vs trivial via runtime', 'with workflow extras/s', 'µs'],
  ];
  rows.push(['trivial, raw xstate transition()', 1, fmt.n(raw), (1e6 / raw).toFixed(2), '1.00', '-', '-', '-']);
  rows.push([toggle.name, 21, fmt.n(trivial.perSecond), (1e6 / trivial.perSecond).toFixed(2), fmt.ratio(trivial.perSecond / raw), '1.00', '-', '-']);
  const sizes: (string | number)[][] = [['machine', 'snapshots', 'min', 'median', 'max', 'final', 'policy in context']];
  for (const episode of [youngPerson, volunteer, match]) {
    const r = rate(episode, seconds, rounds);
    const w = rate(episode, seconds, rounds, true);
    const shape = runEpisode(episode, true, true);
    rows.push([
      episode.name,
      shape.transitions,
      fmt.n(r.perSecond),
      (1e6 / r.perSecond).toFixed(1),
      fmt.ratio(r.perSecond / raw),
      fmt.ratio(r.perSecond / trivial.perSecond),
      fmt.n(w.perSecond),
      (1e6 / w.perSecond).toFixed(1),
    ]);
    const b = shape.snapshotBytes;
    sizes.push([
      episode.name,
      b.length,
      `${Math.min(...b)} B`,
      `${median(b)} B`,
      `${Math.max(...b)} B`,
      `${b.at(-1)} B`,
      `${shape.policyBytes} B (${Math.round((shape.policyBytes / median(b)) * 100)}%)`,
    ]);
  }
  console.log(`Transitions per second (best of ${rounds} rounds of ${seconds} s; one transition = judge + applyEvent, or fireTimer):`);
  table(rows);
  console.log(
    '(workflow extras: per recorded event, the 3 zod parses and 2nd judge the workflow adds (validator + handler) and the status it returns)',
  );
  console.log('\nBytes per persisted snapshot (JSON of runtime.persist after each step):');
  table(sizes);
  console.log(`\n${loadLine()} at end`);
  stop();
}

main();
