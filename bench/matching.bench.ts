/**
 * Matching help, once the journeys are loaded (pure, in process): the shortlist for one young
 * person against 300 volunteers, beside scoring the same 300 without judging any gate (the floor);
 * and the plan for 1,000 waiting young people x 300 volunteers at capacity 1 and 2, beside a
 * greedy assignment (best pair first) of the same allowed pairs, for time and for total worth.
 * Volunteer snapshots are real: each is driven through the volunteer machine by the same runtime
 * the workflow uses. Targets (issue 15): shortlist p95 < 50 ms; the plan < 2 s.
 *
 *   npm run bench:matching              (about a minute on 2 cores)
 *   BENCH_ITER=50 npm run bench:matching
 */
import { availabilitySlots } from '../machines/matching-profile';
import { parsePolicy } from '../machines/policy';
import { applyEvent, judge, startJourney } from '../machines/runtime';
import { pairUnmet, volunteerJourney, volunteerInputSchema } from '../machines/volunteer';
import {
  contextOf,
  matchPlan,
  proposalFor,
  proposingSide,
  scorePair,
  shortlist,
  volunteerStanding,
  waitingPriority,
  PROBE_MATCH_ID,
  type VolunteerCandidate,
  type YoungPersonCandidate,
} from '../matching';
import { banner, fmt, percentile, prng, table } from './common';

const ITER = Number(process.env.BENCH_ITER ?? 200);
const VOLUNTEERS = 300;
const WAITING = 1000;
const T0 = '2026-01-05T09:00:00.000Z';
const by = { role: 'coordinator' as const, id: 'co-1' };
const topics = ['mentor-role-and-boundaries', 'confidentiality', 'safeguarding', 'care-context', 'listening-and-communication', 'equality-and-diversity', 'endings'];
const interests = ['football', 'music', 'art', 'cooking', 'gaming', 'reading', 'swimming', 'cinema', 'dance', 'cycling', 'coding', 'fashion'];
const languages = ['english', 'polish', 'arabic', 'urdu', 'somali', 'romanian'];
const areas = Array.from({ length: 12 }, (_, i) => `area-${i}`);
const policy = parsePolicy({
  matching: { areas: areas.map((name, i) => ({ name, neighbours: [areas[(i + 1) % areas.length]!] })) },
});

const rand = prng(15);
const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)]!;
const some = <T>(items: readonly T[], max: number) => [...new Set(Array.from({ length: 1 + Math.floor(rand() * max) }, () => pick(items)))];

/** A volunteer driven through their journey to ready (85%) or left in training (15%). */
function volunteer(i: number, capacity: number): VolunteerCandidate {
  const journeyId = `vol-b${String(i).padStart(4, '0')}`;
  const peer = rand() < 0.3;
  const input = {
    ...volunteerInputSchema.parse({
      journeyId,
      coordinatorId: 'co-1',
      startedAt: T0,
      volunteer: peer
        ? { type: 'peer', dateOfBirth: '2000-03-10', careExperienced: true, leftCareOn: '2019-06-30' }
        : { type: 'traditional', dateOfBirth: '1975-04-12', careExperienced: false },
    }),
    policy,
  };
  let { snapshot, timers } = startJourney(volunteerJourney, input, T0);
  const record = (event: { type: string } & Record<string, unknown>) => {
    if (!judge(volunteerJourney, snapshot, { ...event, at: T0 }).accepted) throw new Error(`bench volunteer refused ${event.type}`);
    ({ snapshot, timers } = applyEvent(volunteerJourney, snapshot, timers, event, T0));
  };
  record({
    type: 'matchingProfile.recorded',
    by,
    interests: some(interests, 4),
    languages: some(languages, 2),
    area: pick(areas),
    availability: some(availabilitySlots, 6),
    gender: pick(['female', 'male', 'nonBinary']),
    capacity,
  });
  record({ type: 'infoSession.attended', by });
  record({ type: 'application.received', by });
  record({ type: 'interview.held', by, outcome: 'proceed', faceToFace: true });
  record({ type: 'check.recorded', by, checkType: 'PVG', issuedOn: '2026-01-02', referenceNumber: `PVG-${i}`, decision: 'clear' });
  record({ type: 'reference.received', by, refereeRef: 'ref-a', satisfactory: true });
  record({ type: 'reference.received', by, refereeRef: 'ref-b', satisfactory: true });
  if (rand() < 0.85) {
    record({ type: 'training.sessionLogged', by, hours: 20, topics });
    record({ type: 'training.completed', by });
    record({ type: 'suitability.reviewed', by, outcome: 'ready' });
    if (peer) record({ type: 'peerCriteria.confirmed', by, readyWillingAble: true, ownSupportInPlace: true });
  }
  const gender = (snapshot.context as { matchingProfile: { gender: string } }).matchingProfile.gender;
  return { journeyId, definition: volunteerJourney, snapshot, at: T0, dateOfBirth: peer ? '2000-03-10' : '1975-04-12', gender: gender as 'female' };
}

function youngPerson(i: number, volunteerIds: string[]): YoungPersonCandidate {
  const mentorType = pick(['either', 'either', 'peer', 'traditional'] as const);
  return {
    journeyId: `yp-b${String(i).padStart(5, '0')}`,
    waitingForMatch: true,
    preferredMentorType: mentorType,
    preferences: {
      mentorType,
      gender: pick(['noPreference', 'noPreference', 'female', 'male']),
      interests: some(interests, 4),
      languages: some(languages, 2),
      area: pick(areas),
      availability: some(availabilitySlots, 6),
    },
    waitingSince: new Date(Date.parse(T0) - Math.floor(rand() * 40) * 7 * 86_400_000).toISOString(),
    dateOfBirth: pick(['2006-02-01', '2008-05-01', '2003-11-20']),
    pastMatches: rand() < 0.1 ? [{ matchId: `m-past-${i}`, volunteerId: pick(volunteerIds), started: false, declinedByYoungPerson: true, safeguarding: false }] : [],
  };
}

function timed<T>(work: () => T): { ms: number; result: T } {
  const started = performance.now();
  const result = work();
  return { ms: performance.now() - started, result };
}

/** The baseline: every allowed pair, best worth first, taken while both sides are free. */
function greedyPlan(youngPeople: YoungPersonCandidate[], volunteers: VolunteerCandidate[]) {
  const places = new Map(volunteers.map((v) => [v.journeyId, volunteerStanding(v, by).places]));
  const pairs: { y: number; v: number; worth: number }[] = [];
  youngPeople.forEach((yp, y) => {
    const priority = waitingPriority(yp, policy, T0);
    volunteers.forEach((vol, v) => {
      if ((places.get(vol.journeyId) ?? 0) <= 0) return;
      const context = contextOf(vol);
      const proposal = proposalFor(yp, proposingSide(vol), { matchId: PROBE_MATCH_ID, on: vol.at });
      if (pairUnmet(context, proposal).length > 0) return;
      pairs.push({ y, v, worth: 1 + scorePair(yp, { context, gender: vol.gender! }, policy, T0).score + priority });
    });
  });
  pairs.sort((a, b) => b.worth - a.worth);
  const served = new Set<number>();
  let total = 0;
  let count = 0;
  for (const p of pairs) {
    const id = volunteers[p.v]!.journeyId;
    if (served.has(p.y) || places.get(id)! <= 0) continue;
    served.add(p.y);
    places.set(id, places.get(id)! - 1);
    total += p.worth;
    count++;
  }
  return { total, count };
}

function planWorth(plan: ReturnType<typeof matchPlan>): number {
  return plan.pairs.reduce((sum, p) => sum + 1 + p.score + p.waitingPriority, 0);
}

function main(): void {
  banner(`Matching help: shortlist against ${VOLUNTEERS} volunteers (${ITER} runs), plan for ${WAITING} x ${VOLUNTEERS}`, 'npm run bench:matching');
  const built = timed(() => Array.from({ length: VOLUNTEERS }, (_, i) => volunteer(i, 1)));
  const volunteers = built.result;
  const ids = volunteers.map((v) => v.journeyId);
  const youngPeople = Array.from({ length: WAITING }, (_, i) => youngPerson(i, ids));
  console.log(`${VOLUNTEERS} volunteer snapshots built through the machine in ${fmt.ms(built.ms)}; ${volunteers.filter((v) => volunteerStanding(v, by).places > 0).length} ready to be proposed\n`);

  // Warm up both paths, then measure them interleaved so that load affects both alike.
  for (let i = 0; i < 20; i++) {
    shortlist(youngPeople[i]!, volunteers, policy, { by });
    for (const v of volunteers) scorePair(youngPeople[i]!, { context: contextOf(v) }, policy, T0);
  }
  const ours: number[] = [];
  const floor: number[] = [];
  let shortlisted = 0;
  for (let i = 0; i < ITER; i++) {
    const yp = youngPeople[i % youngPeople.length]!;
    const s = timed(() => shortlist(yp, volunteers, policy, { by }));
    ours.push(s.ms);
    shortlisted += s.result.entries.length;
    floor.push(timed(() => volunteers.map((v) => scorePair(yp, { context: contextOf(v), gender: v.gender! }, policy, T0))).ms);
  }
  console.log('Shortlist for one young person (judged with each journey\'s judge, scored, sorted):');
  table([
    ['', 'p50', 'p95', 'max'],
    ['shortlist (gates + score)', fmt.ms(percentile(ours, 50)), fmt.ms(percentile(ours, 95)), fmt.ms(Math.max(...ours))],
    ['baseline: score only, no gates', fmt.ms(percentile(floor, 50)), fmt.ms(percentile(floor, 95)), fmt.ms(Math.max(...floor))],
    ['ratio', fmt.ratio(percentile(ours, 50) / percentile(floor, 50)), fmt.ratio(percentile(ours, 95) / percentile(floor, 95)), ''],
  ]);
  console.log(`mean shortlist length ${fmt.n(shortlisted / ITER, 1)} of ${VOLUNTEERS}; target p95 < 50 ms: ${percentile(ours, 95) < 50 ? 'met' : 'MISSED'}\n`);

  console.log(`Plan across the waiting list (${WAITING} young people):`);
  const rows: (string | number)[][] = [['capacity', 'plan', 'pairs', 'total worth', 'greedy', 'pairs', 'total worth', 'time ratio', 'worth ratio']];
  for (const capacity of [1, 2]) {
    const pool = capacity === 1 ? volunteers : Array.from({ length: VOLUNTEERS }, (_, i) => volunteer(i, capacity));
    const plan = timed(() => matchPlan(youngPeople, pool, policy, { by, now: T0 }));
    const greedy = timed(() => greedyPlan(youngPeople, pool));
    const worth = planWorth(plan.result);
    rows.push([
      capacity,
      fmt.ms(plan.ms),
      plan.result.pairs.length,
      fmt.n(worth, 1),
      fmt.ms(greedy.ms),
      greedy.result.count,
      fmt.n(greedy.result.total, 1),
      fmt.ratio(plan.ms / greedy.ms),
      fmt.ratio(worth / greedy.result.total),
    ]);
    console.log(`  capacity ${capacity}: ${fmt.ms(plan.ms)}; target < 2 s: ${plan.ms < 2000 ? 'met' : 'MISSED'}`);
  }
  table(rows);
  console.log('\n(total worth: the sum the plan maximises, 1 + score + waiting priority per pair; greedy takes the best pair first.)');
}

main();
