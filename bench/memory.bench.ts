/**
 * Worker memory per cached journey, and how it grows with open journeys: 0, 100, 500, 1000 young
 * people's journeys open (each referred, contacted and consented, so waiting in readiness with a
 * first-contact timer behind it), all kept in the worker's cache, the heap measured after forced
 * garbage collection; beside the bare baseline workflow (bench/baseline-workflow.ts) taking the
 * same Updates, on the same dev server.
 *
 * The worker runs its workflows on the main thread (`debugMode`, with the same reused V8 context
 * as in production) so that the V8 heap measured, and the garbage collection forced, are the
 * ones holding the journeys; in production they live in one worker thread's heap, which
 * `process.memoryUsage()` cannot see apart (BENCH_THREADED=1 measures that way: RSS only).
 *
 *   npm run bench:memory                          (5-10 minutes on 2 busy cores)
 *   BENCH_LEVELS=0,100,500,1000,2000 npm run bench:memory
 *   BENCH_AB=1 npm run bench:memory   (beside the journeys sharing less: each journey evaluating its
 *                                      own machine and schemas; its own zod too)
 */
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
  gcFunction,
  journeyWorkflowsPath,
  loadLine,
  pool,
  quietRuntime,
  startBenchDevServer,
  table,
  tempDir,
  type BenchServer,
  benchPrivacy,
  encryptingClient,
} from './common';

const LEVELS = (process.env.BENCH_LEVELS ?? '0,100,500,1000').split(',').map(Number);
const THREADED = process.env.BENCH_THREADED === '1';
/**
 * BENCH_AB=1: also, side by side, the journeys as they were bundled before each sharing landed:
 * each evaluating its own machine and schemas (BENCH_SHARE_JOURNEYS=off), then its own zod too
 * (BENCH_SHARE_ZOD=off).
 */
const AB = process.env.BENCH_AB === '1';
const abVariants = [
  { label: 'machines and schemas per journey', options: { shareJourneys: false } },
  { label: 'zod per journey', options: { shareZod: false } },
];
const CACHE = Math.max(...LEVELS) + 100;
const coordinator = { role: 'coordinator' as const, id: 'co-1' };
const events: RecordedEvent[] = [
  { type: 'contact.recorded', by: coordinator, method: 'phone' },
  { type: 'consent.recorded', by: coordinator, consent: 'given', ownGoals: ['find a college course'] },
];

const gc = gcFunction();
const settle = async () => {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 150));
  }
};

interface Level {
  open: number;
  cached: number;
  heapUsed: number;
  rss: number;
  external: number;
}

async function measure(
  label: string,
  worker: Worker,
  start: (id: string) => Promise<void>,
  update: (id: string, event: RecordedEvent) => Promise<void>,
): Promise<Level[]> {
  const levels: Level[] = [];
  let open = 0;
  const runId = Date.now().toString(36);
  await worker.runUntil(async () => {
    for (const target of LEVELS) {
      const ids = Array.from({ length: target - open }, (_, i) => `mem-${label}-${runId}-${open + i}`);
      await pool(ids, 16, async (id) => {
        await start(id);
        for (const event of events) await update(id, event);
      });
      open = target;
      await settle();
      const m = process.memoryUsage();
      const level = { open, cached: worker.getStatus().numCachedWorkflows, heapUsed: m.heapUsed, rss: m.rss, external: m.external };
      levels.push(level);
      console.log(`  ${label}: ${open} open, ${level.cached} cached, heap ${fmt.mb(level.heapUsed)}, RSS ${fmt.mb(level.rss)} (${loadLine()})`);
    }
  });
  return levels;
}

function startFor(id: string) {
  return {
    journeyId: id,
    coordinatorId: coordinator.id,
    startedAt: new Date().toISOString(),
    referral: { referredBy: { role: 'referrer' as const, id: 'sw-1' }, dateOfBirth: '2008-05-01', careExperienced: true },
  };
}

async function journeyLevels(server: BenchServer, code: string): Promise<Level[]> {
  const taskQueue = `bench-memory-journey-${process.pid}`;
  const data = tempDir('memory');
  const { activities } = await countedActivities({ dataDir: data.dir });
  // Encrypted as the product runs (the codec works on the worker's main thread, outside the journeys' heap).
  const common = { connection: server.connection, namespace: server.namespace, taskQueue, activities, workflowBundle: { code }, dataConverter: benchPrivacy().dataConverter };
  const worker = THREADED
    ? await createJourneyWorker({ ...common, maxCachedWorkflows: CACHE })
    : await Worker.create({
        ...common,
        debugMode: true,
        maxCachedWorkflows: CACHE,
        maxConcurrentActivityTaskExecutions: limits.maxConcurrentActivityTaskExecutions,
        maxConcurrentWorkflowTaskExecutions: limits.maxConcurrentWorkflowTaskExecutions,
      });
  const journeys = new Journeys({ client: encryptingClient(server), taskQueue, policy: defaultPolicy, personalData: benchPrivacy().personalData });
  try {
    return await measure(
      'journey',
      worker,
      async (id) => void (await journeys.start('youngPerson', startFor(id))),
      async (id, event) => void (await journeys.record('youngPerson', id, event)),
    );
  } finally {
    data.remove();
  }
}

async function baselineLevels(server: BenchServer, code: string): Promise<Level[]> {
  const taskQueue = `bench-memory-baseline-${process.pid}`;
  const worker = await Worker.create({
    connection: server.connection,
    namespace: server.namespace,
    taskQueue,
    workflowBundle: { code },
    ...(THREADED ? {} : { debugMode: true }),
    maxCachedWorkflows: CACHE,
    maxConcurrentWorkflowTaskExecutions: limits.maxConcurrentWorkflowTaskExecutions,
  });
  return measure(
    'baseline',
    worker,
    async (id) => {
      const input: JourneyWorkflowInput = { start: startFor(id), policy: defaultPolicy };
      await server.client.workflow.start('baselineJourney', { workflowId: id, taskQueue, args: [input] });
    },
    async (id, event) => void (await server.client.workflow.getHandle(id).executeUpdate('record', { args: [event] })),
  );
}

function growth(levels: Level[], key: 'heapUsed' | 'rss'): string[] {
  const base = levels[0]!;
  return levels.slice(1).map((l) => (l.open > base.open ? fmt.kb((l[key] - base[key]) / (l.open - base.open)) : '-'));
}

async function main(): Promise<void> {
  banner(
    `Worker memory per cached journey: ${LEVELS.join(', ')} open journeys, cache ${CACHE}, workflows on the ${THREADED ? 'worker thread (RSS only)' : 'main thread (debugMode)'}`,
    'npm run bench:memory',
  );
  quietRuntime();
  const server = await startBenchDevServer('memory');
  const disarm = deadline(25 * 60_000, 'bench:memory', () => server.stop());
  try {
    const journeyBundle = await bundle(journeyWorkflowsPath);
    const baselineBundle = await bundle(baselineWorkflowsPath);
    await settle();
    const baseline = await baselineLevels(server, baselineBundle.code);
    await settle();
    const journey = await journeyLevels(server, journeyBundle.code);
    // BENCH_AB=1: the journeys again, bundled as before each sharing landed, same run.
    const variants: { label: string; levels: Level[] }[] = [];
    for (const variant of AB ? abVariants : []) {
      await settle();
      variants.push({ label: variant.label, levels: await journeyLevels(server, (await bundle(journeyWorkflowsPath, variant.options)).code) });
    }

    const rows: (string | number)[][] = [['open journeys', ...LEVELS.map(String)]];
    rows.push(['journey: cached', ...journey.map((l) => l.cached)]);
    rows.push(['journey: heap', ...journey.map((l) => fmt.mb(l.heapUsed))]);
    rows.push(['journey: heap per journey (vs 0)', '-', ...growth(journey, 'heapUsed')]);
    rows.push(['journey: RSS', ...journey.map((l) => fmt.mb(l.rss))]);
    rows.push(['journey: RSS per journey (vs 0)', '-', ...growth(journey, 'rss')]);
    for (const { label, levels } of variants) {
      rows.push([`journey, ${label}: heap`, ...levels.map((l) => fmt.mb(l.heapUsed))]);
      rows.push([`journey, ${label}: heap per journey (vs 0)`, '-', ...growth(levels, 'heapUsed')]);
      rows.push([`journey, ${label}: RSS per journey (vs 0)`, '-', ...growth(levels, 'rss')]);
    }
    rows.push(['baseline: cached', ...baseline.map((l) => l.cached)]);
    rows.push(['baseline: heap', ...baseline.map((l) => fmt.mb(l.heapUsed))]);
    rows.push(['baseline: heap per workflow (vs 0)', '-', ...growth(baseline, 'heapUsed')]);
    rows.push(['baseline: RSS', ...baseline.map((l) => fmt.mb(l.rss))]);
    rows.push(['baseline: RSS per workflow (vs 0)', '-', ...growth(baseline, 'rss')]);
    console.log('');
    table(rows);
    const top = LEVELS.length - 1;
    const perJourney = (journey[top]!.heapUsed - journey[0]!.heapUsed) / Math.max(1, journey[top]!.open - journey[0]!.open);
    const perBaseline = (baseline[top]!.heapUsed - baseline[0]!.heapUsed) / Math.max(1, baseline[top]!.open - baseline[0]!.open);
    console.log(
      `\nheap per cached journey at ${LEVELS[top]}: ${fmt.kb(perJourney)}; bare workflow ${fmt.kb(perBaseline)}; ratio journey/baseline ${fmt.ratio(perJourney / perBaseline)}`,
    );
    for (const { label, levels } of variants) {
      const perVariant = (levels[top]!.heapUsed - levels[0]!.heapUsed) / Math.max(1, levels[top]!.open - levels[0]!.open);
      console.log(`${label} (BENCH_AB): ${fmt.kb(perVariant)} per cached journey; as built/${label} ${fmt.ratio(perJourney / perVariant)}`);
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
