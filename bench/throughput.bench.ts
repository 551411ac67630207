/**
 * Journey throughput on the local dev server (the one `npm start` runs, SQLite in a temp dir):
 * start N young people's journeys and drive each through K Updates, as co-ordinators recording
 * events would (one after another per journey, C journeys at once); beside a bare Temporal
 * workflow that accepts the same Updates and does nothing (bench/baseline-workflow.ts), on the
 * same server in the same run, in alternating rounds. Prints journeys/s, Updates/s, p50/p99
 * Update latency and the ratio journey/baseline (target >= 0.8).
 *
 *   npm run bench:throughput                      (3-5 minutes on 2 busy cores)
 *   BENCH_N=100 BENCH_K=10 BENCH_C=16 BENCH_ROUNDS=2 npm run bench:throughput
 */
import os from 'node:os';
import type { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { Journeys } from '../client/journeys';
import { defaultPolicy } from '../machines/policy';
import { createJourneyWorker, limits } from '../worker/create-worker';
import type { JourneyWorkflowInput, RecordedEvent } from '../contracts/messages';
import {
  banner,
  baselineWorkflowsPath,
  bundle,
  countedActivities,
  deadline,
  fmt,
  journeyWorkflowsPath,
  loadLine,
  median,
  percentile,
  pool,
  quietRuntime,
  startBenchDevServer,
  table,
  tempDir,
  type BenchServer,
  benchPrivacy,
  encryptingClient,
} from './common';

const N = Number(process.env.BENCH_N ?? 100);
const K = Number(process.env.BENCH_K ?? 10);
const C = Number(process.env.BENCH_C ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
/**
 * BENCH_CANDIDATE=<tree>/workflows/index.ts: a third side, the journeys of another tree (a copy
 * with a candidate fix), in the same rounds, so that the fix is compared under the same load.
 */
const CANDIDATE = process.env.BENCH_CANDIDATE;
/**
 * BENCH_AB=1 (without a candidate): the third side is this tree bundled with each journey
 * evaluating its own machine and schemas, as before they were shared (BENCH_SHARE_JOURNEYS=off).
 */
const AB = !CANDIDATE && process.env.BENCH_AB === '1';
const candidateName = CANDIDATE ?? 'machines and schemas per journey';
/** BENCH_ONLY=journey or baseline: one side only (e.g. under --cpu-prof); no ratio then. */
const ONLY = process.env.BENCH_ONLY;
/** Search attributes on (as `npm start`); BENCH_INDEXED=false measures without the upserts. */
const INDEXED = process.env.BENCH_INDEXED !== 'false';
/**
 * BENCH_PLAIN=1 adds a side: the same journeys without payload encryption, so that the codec's
 * cost shows in the same run. The journey side always encrypts, as the product does.
 */
const PLAIN = process.env.BENCH_PLAIN === '1';

const coordinator = { role: 'coordinator' as const, id: 'co-1' };

/** K events a co-ordinator records for a young person: informal support first, then ready. */
function eventsFor(k: number): RecordedEvent[] {
  const path: RecordedEvent[] = [
    { type: 'contact.recorded', by: coordinator, method: 'phone' },
    { type: 'consent.recorded', by: coordinator, consent: 'given', ownGoals: ['find a college course'] },
    { type: 'readiness.assessed', by: coordinator, outcome: 'notReady' },
    { type: 'informalTask.recorded', by: coordinator, task: 'health' },
    { type: 'groupActivity.attended', by: coordinator },
    { type: 'informalTask.recorded', by: coordinator, task: 'education' },
    { type: 'readiness.assessed', by: coordinator, outcome: 'ready' },
    { type: 'preferences.recorded', by: coordinator, mentorType: 'either' },
  ];
  const events = path.slice(0, k);
  // Beyond the path, the young person updates their preferences while waiting.
  while (events.length < k) events.push({ type: 'preferences.recorded', by: coordinator, mentorType: events.length % 2 ? 'peer' : 'traditional' });
  return events;
}

function startFor(journeyId: string) {
  return {
    journeyId,
    coordinatorId: coordinator.id,
    startedAt: new Date().toISOString(),
    referral: { referredBy: { role: 'referrer' as const, id: 'sw-1' }, dateOfBirth: '2008-05-01', careExperienced: true },
  };
}

interface Phase {
  label: string;
  wallMs: number;
  updateLatencies: number[];
  startLatencies: number[];
  journeys: number;
  updates: number;
  refusals: number;
  cpuMs: number;
  machineBusy: number;
  load: string;
}

/** CPU busy fraction of the whole machine (all processes, both cores) between two readings. */
function cpuTimes() {
  return os.cpus().reduce(
    (acc, c) => {
      const t = c.times;
      acc.busy += t.user + t.nice + t.sys + t.irq;
      acc.total += t.user + t.nice + t.sys + t.irq + t.idle;
      return acc;
    },
    { busy: 0, total: 0 },
  );
}

async function drive(
  label: string,
  n: number,
  events: RecordedEvent[],
  startOne: (journeyId: string) => Promise<void>,
  updateOne: (journeyId: string, event: RecordedEvent) => Promise<void>,
): Promise<Phase> {
  const ids = Array.from({ length: n }, (_, i) => `bench-${label}-${process.pid}-${Date.now().toString(36)}-${i}`);
  const updateLatencies: number[] = [];
  const startLatencies: number[] = [];
  let refusals = 0;
  const cpu0 = process.cpuUsage();
  const m0 = cpuTimes();
  const started = performance.now();
  await pool(ids, C, async (id) => {
    const s = performance.now();
    await startOne(id);
    startLatencies.push(performance.now() - s);
    for (const event of events) {
      const t = performance.now();
      try {
        await updateOne(id, event);
      } catch (error) {
        refusals += 1;
        if (refusals <= 3) console.error(`[${label}] ${id} ${event.type}: ${(error as Error).message}`);
      }
      updateLatencies.push(performance.now() - t);
    }
  });
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  const m1 = cpuTimes();
  return {
    label,
    wallMs,
    updateLatencies,
    startLatencies,
    journeys: n,
    updates: n * events.length,
    refusals,
    cpuMs: (cpu.user + cpu.system) / 1000,
    machineBusy: (m1.busy - m0.busy) / Math.max(1, m1.total - m0.total),
    load: loadLine(),
  };
}

async function baselinePhase(server: BenchServer, code: string, label: string, n: number, events: RecordedEvent[]): Promise<Phase> {
  const taskQueue = `bench-baseline-${label}-${process.pid}`;
  const worker = await Worker.create({
    connection: server.connection,
    namespace: server.namespace,
    taskQueue,
    workflowBundle: { code },
    maxCachedWorkflows: limits.maxCachedWorkflows,
    maxConcurrentActivityTaskExecutions: limits.maxConcurrentActivityTaskExecutions,
    maxConcurrentWorkflowTaskExecutions: limits.maxConcurrentWorkflowTaskExecutions,
  });
  const client: Client = server.client;
  return worker.runUntil(
    drive(
      label,
      n,
      events,
      async (id) => {
        const input: JourneyWorkflowInput = { start: startFor(id), policy: defaultPolicy, indexed: INDEXED };
        await client.workflow.start('baselineJourney', { workflowId: id, taskQueue, args: [input] });
      },
      async (id, event) => {
        await client.workflow.getHandle(id).executeUpdate('record', { args: [event] });
      },
    ),
  );
}

async function journeyPhase(
  server: BenchServer,
  code: string,
  label: string,
  n: number,
  events: RecordedEvent[],
  options: { encrypted: boolean } = { encrypted: true },
): Promise<Phase> {
  const taskQueue = `bench-journey-${label}-${process.pid}`;
  const data = tempDir('throughput');
  const { activities } = await countedActivities({ dataDir: data.dir });
  const privacy = benchPrivacy();
  const worker = await createJourneyWorker({
    connection: server.connection,
    namespace: server.namespace,
    taskQueue,
    activities,
    workflowBundle: { code },
    ...(options.encrypted ? { dataConverter: privacy.dataConverter } : {}),
  });
  // As the product runs: every payload encrypted with the keyring, personal fields sealed.
  const client = options.encrypted ? encryptingClient(server) : server.client;
  const journeys = new Journeys({ client, taskQueue, policy: defaultPolicy, personalData: privacy.personalData, indexed: INDEXED });
  try {
    return await worker.runUntil(
      drive(
        label,
        n,
        events,
        async (id) => {
          await journeys.start('youngPerson', startFor(id));
        },
        async (id, event) => {
          await journeys.record('youngPerson', id, event);
        },
      ),
    );
  } finally {
    data.remove();
  }
}

function describe(p: Phase): (string | number)[] {
  return [
    p.label,
    fmt.n(p.wallMs / 1000, 1) + ' s',
    fmt.n((p.journeys / p.wallMs) * 1000, 1),
    fmt.n((p.updates / p.wallMs) * 1000, 1),
    fmt.ms(median(p.updateLatencies)),
    fmt.ms(percentile(p.updateLatencies, 99)),
    fmt.ms(median(p.startLatencies)),
    `${fmt.n(p.cpuMs / p.updates, 2)} ms`,
    `${Math.round(p.machineBusy * 100)}%`,
    p.refusals,
    p.load.replace('load ', ''),
  ];
}

async function main(): Promise<void> {
  banner(
    `Journey throughput vs a bare Temporal workflow: N=${N} journeys x K=${K} Updates, ${C} journeys at once, ${ROUNDS} rounds, search attributes ${INDEXED ? 'on' : 'off'}`,
    'npm run bench:throughput',
  );
  quietRuntime();
  const server = await startBenchDevServer('throughput');
  const disarm = deadline(15 * 60_000, 'bench:throughput', () => server.stop());
  try {
    const [journeyBundle, baselineBundle] = [await bundle(journeyWorkflowsPath), await bundle(baselineWorkflowsPath)];
    console.log(
      `bundles: journeys ${fmt.kb(journeyBundle.bytes)} in ${fmt.n(journeyBundle.ms)} ms; baseline ${fmt.kb(baselineBundle.bytes)} in ${fmt.n(baselineBundle.ms)} ms`,
    );
    const candidateBundle = CANDIDATE ? await bundle(CANDIDATE) : AB ? await bundle(journeyWorkflowsPath, { shareJourneys: false }) : undefined;
    const events = eventsFor(K);
    // Warm up both (JIT, the server's SQLite, the task queues).
    if (ONLY !== 'journey') await baselinePhase(server, baselineBundle.code, 'warm-b', 20, events);
    if (ONLY !== 'baseline') await journeyPhase(server, journeyBundle.code, 'warm-j', 20, events);
    if (candidateBundle) await journeyPhase(server, candidateBundle.code, 'warm-c', 20, events);

    const phases: Phase[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      // Alternate which goes first, so a drift in the machine's load does not favour one side.
      const sides = ['baseline', 'journey', ...(candidateBundle ? ['candidate'] : []), ...(PLAIN ? ['plain'] : [])];
      const order = (round % 2 === 1 ? sides : [...sides].reverse()).filter((w) => !ONLY || w === ONLY);
      for (const which of order) {
        const phase =
          which === 'baseline'
            ? await baselinePhase(server, baselineBundle.code, `baseline-${round}`, N, events)
            : await journeyPhase(server, which === 'candidate' ? candidateBundle!.code : journeyBundle.code, `${which}-${round}`, N, events, {
                encrypted: which !== 'plain',
              });
        phases.push(phase);
        console.log(`  ${phase.label}: ${fmt.n((phase.updates / phase.wallMs) * 1000, 1)} Updates/s (${phase.load})`);
      }
    }
    console.log('');
    table([
      ['phase', 'wall', 'journeys/s', 'Updates/s', 'p50 Update', 'p99 Update', 'p50 start', 'our CPU/Update', 'machine busy', 'refused', 'load'],
      ...phases.map(describe),
    ]);
    const total = (which: string) => {
      const ps = phases.filter((p) => p.label.startsWith(which));
      const updates = ps.reduce((a, p) => a + p.updates, 0);
      const wall = ps.reduce((a, p) => a + p.wallMs, 0);
      return { perSecond: (updates / wall) * 1000, latencies: ps.flatMap((p) => p.updateLatencies), journeys: ps.reduce((a, p) => a + p.journeys, 0), wall };
    };
    if (ONLY) return;
    const b = total('baseline');
    const j = total('journey');
    console.log('\nAll rounds together:');
    table([
      ['', 'journeys/s', 'Updates/s', 'p50 Update', 'p99 Update'],
      ['baseline (bare workflow)', fmt.n((b.journeys / b.wall) * 1000, 1), fmt.n(b.perSecond, 1), fmt.ms(median(b.latencies)), fmt.ms(percentile(b.latencies, 99))],
      ['mentorflow journeys', fmt.n((j.journeys / j.wall) * 1000, 1), fmt.n(j.perSecond, 1), fmt.ms(median(j.latencies)), fmt.ms(percentile(j.latencies, 99))],
    ]);
    console.log(`\nratio journey/baseline, Updates/s: ${fmt.ratio(j.perSecond / b.perSecond)} (target >= 0.8)`);
    console.log(`ratio baseline/journey, p50 Update latency: ${fmt.ratio(median(b.latencies) / median(j.latencies))}`);
    if (candidateBundle) {
      const c = total('candidate');
      console.log(
        `candidate (${candidateName}): ${fmt.n(c.perSecond, 1)} Updates/s, p50 ${fmt.ms(median(c.latencies))}, p99 ${fmt.ms(percentile(c.latencies, 99))}; ` +
          `ratio candidate/baseline ${fmt.ratio(c.perSecond / b.perSecond)}, candidate/journey ${fmt.ratio(c.perSecond / j.perSecond)}`,
      );
    }
    if (PLAIN) {
      const p = total('plain');
      console.log(
        `journeys without payload encryption: ${fmt.n(p.perSecond, 1)} Updates/s, p50 ${fmt.ms(median(p.latencies))}; ` +
          `ratio encrypted/plain ${fmt.ratio(j.perSecond / p.perSecond)}, plain/baseline ${fmt.ratio(p.perSecond / b.perSecond)}`,
      );
    }
    console.log(`${loadLine()} at end`);
  } finally {
    await server.stop();
    disarm();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
