/**
 * A simulated scheme-year on the time-skipping server: 1,000 young people and 300 volunteers over
 * 12 simulated months (bench/scheme/simulator.ts states the rates, from DOMAIN.md), a real worker
 * with the real notification activities writing to an outbox in a temp dir, counted. Prints wall
 * time (and where it went: recording the days' events, or letting the server skip to the next
 * day), messages sent, and the worker's memory. Target: under 2 minutes.
 *
 *   npm run bench:scheme-year                     (several minutes on 2 cores: see BENCHMARKS.md)
 *   BENCH_SCALE=0.2 npm run bench:scheme-year     (200 young people, 60 volunteers)
 *   BENCH_MAX_CACHED=250 npm run bench:scheme-year    (the worker's default cache instead of one sized for the scheme)
 *   BENCH_HISTORIES=<folder> npm run bench:scheme-year  (also write every journey's history there, decrypted,
 *                                                      for `BENCH_HISTORIES=<folder> npm run bench:report`)
 *
 * The worker's cache is sized for the scheme, as a scheme would set MENTORFLOW_MAX_CACHED_WORKFLOWS:
 * every journey the scheme can have (young people, volunteers, and a match for at most 40% of the
 * young people), at the heap a cached journey was measured to take (BENCHMARKS.md, section 6).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fetchJourneyHistories, historyFileNames } from '../audit/export';
import { decodeHistory } from '../audit/history-events';
import { historyToJSON } from '../audit/history-file';
import { Journeys } from '../client/journeys';
import { defaultPolicy } from '../machines/policy';
import { createJourneyWorker, limits } from '../worker/create-worker';
import {
  banner,
  bundle,
  countedActivities,
  deadline,
  fmt,
  journeyWorkflowsPath,
  loadLine,
  memorySampler,
  median,
  percentile,
  pool,
  quietRuntime,
  startTimeSkippingServer,
  table,
  tempDir,
  benchPrivacy,
  encryptingClient,
} from './common';
import { simulateScheme } from './scheme/simulator';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const YOUNG_PEOPLE = Math.round(Number(process.env.BENCH_YP ?? 1000) * SCALE);
const VOLUNTEERS = Math.round(Number(process.env.BENCH_VOL ?? 300) * SCALE);
const MONTHS = Number(process.env.BENCH_MONTHS ?? 12);
/** Heap per cached journey, measured by `npm run bench:memory` (BENCHMARKS.md, section 6), for the cache's budget. */
const KIB_PER_JOURNEY = Number(process.env.BENCH_KIB_PER_JOURNEY ?? 95);
const SCHEME_JOURNEYS = YOUNG_PEOPLE + VOLUNTEERS + Math.ceil(YOUNG_PEOPLE * 0.4);
const MAX_CACHED = process.env.BENCH_MAX_CACHED ? Number(process.env.BENCH_MAX_CACHED) : Math.max(limits.maxCachedWorkflows, SCHEME_JOURNEYS);
const LIMIT_MS = Number(process.env.BENCH_LIMIT_S ?? 20 * 60) * 1000;
/** Where to write every journey's history after the year (see the top), if anywhere. */
const HISTORIES = process.env.BENCH_HISTORIES;
/** No simulated day finished for this long: stop and say where it stalled. */
const STALL_MS = Number(process.env.BENCH_STALL_S ?? 180) * 1000;

async function main(): Promise<void> {
  banner(
    `Scheme-year: ${YOUNG_PEOPLE} young people, ${VOLUNTEERS} volunteers, ${MONTHS} simulated months on the time-skipping server; ` +
      `worker cache ${MAX_CACHED} journeys (at most ~${fmt.n((MAX_CACHED * KIB_PER_JOURNEY) / 1024)} MiB of heap at ${KIB_PER_JOURNEY} KiB each)`,
    'npm run bench:scheme-year',
  );
  quietRuntime();
  const env = await startTimeSkippingServer();
  const data = tempDir('scheme-year');
  let progress = 'not started';
  let stopWorker = () => {};
  const disarm = deadline(LIMIT_MS, 'bench:scheme-year', async () => {
    // Stopped before the year was out: say how far it got, honestly.
    console.error(`[bench] reached when stopped: ${progress}`);
    stopWorker();
    await env.teardown().catch(() => {});
    data.remove();
  });
  try {
    const { code } = await bundle(journeyWorkflowsPath);
    const counted = await countedActivities({ dataDir: data.dir });
    const taskQueue = `bench-scheme-${process.pid}`;
    const worker = await createJourneyWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      activities: counted.activities,
      workflowBundle: { code },
      maxCachedWorkflows: MAX_CACHED,
      // Encrypted as the product runs.
      dataConverter: benchPrivacy().dataConverter,
    });
    stopWorker = () => {
      try {
        worker.shutdown();
      } catch {
        // already stopping
      }
    };
    const journeys = new Journeys({ client: encryptingClient(env), taskQueue, policy: defaultPolicy, personalData: benchPrivacy().personalData });
    const memory = memorySampler();
    const started = performance.now();
    let lastReport = started;
    let lastDay = started;
    let doing = () => 'starting';
    let oldestCalls = (): { what: string; since: number }[] => [];
    const watchdog = setInterval(() => {
      if (performance.now() - lastDay < STALL_MS) return;
      clearInterval(watchdog);
      console.error(`[bench] no simulated day finished for ${STALL_MS / 1000} s, stalled while ${doing()}; reached: ${progress}`);
      for (const call of oldestCalls()) console.error(`[bench]   waiting ${fmt.n((performance.now() - call.since) / 1000)} s on ${call.what}`);
      stopWorker();
      void env.teardown().catch(() => {}).finally(() => process.exit(3));
    }, 5_000);
    watchdog.unref();
    const stats = await worker.runUntil(
      simulateScheme(env, journeys, { youngPeople: YOUNG_PEOPLE, volunteers: VOLUNTEERS, months: MONTHS }, (day, s) => {
        lastDay = performance.now();
        doing = () => s.doing;
        oldestCalls = () => [...s.inFlight.values()].sort((a, b) => a.since - b.since).slice(0, 5);
        progress =
          `day ${day + 1} of the year after ${fmt.n((performance.now() - started) / 1000)} s: ${s.started.youngPerson} young people, ` +
          `${s.started.volunteer} volunteers, ${s.started.match} matches started; ${s.updates} Updates (${s.refused} refused), ` +
          `${counted.counts.total} messages; recording ${fmt.n(s.driveMs / 1000)} s (CPU ours ${fmt.n(s.cpu.drive.oursMs / 1000)} s, ` +
          `test server ${fmt.n(s.cpu.drive.serverMs / 1000)} s), skipping days ${fmt.n(s.sleepMs / 1000)} s (CPU ours ` +
          `${fmt.n(s.cpu.sleep.oursMs / 1000)} s, test server ${fmt.n(s.cpu.sleep.serverMs / 1000)} s); ` +
          `peak RSS ${fmt.mb(memory.peak.rss)}`;
        if (performance.now() - lastReport < 15_000) return;
        lastReport = performance.now();
        console.log(
          `  day ${day + 1}: ${fmt.n((performance.now() - started) / 1000)} s, ${s.updates} Updates (${s.refused} refused), ${counted.counts.total} messages, ` +
            `${worker.getStatus().numCachedWorkflows} cached, RSS ${fmt.mb(process.memoryUsage().rss)}, ${loadLine()}`,
        );
      }),
    );
    clearInterval(watchdog);
    const wallMs = performance.now() - started;
    const peak = memory.stop();
    const m = process.memoryUsage();
    const cached = worker.getStatus().numCachedWorkflows;

    console.log(`\nwall time: ${fmt.n(wallMs / 1000, 1)} s (target < 120 s) for ${stats.days} simulated days`);
    console.log(
      `  recording events: ${fmt.n(stats.driveMs / 1000, 1)} s; letting the server skip to the next day (timers, nudges, activities): ${fmt.n(stats.sleepMs / 1000, 1)} s`,
    );
    table([
      ['journeys started', 'young people', 'volunteers', 'matches', 'Updates', 'refused', 'Queries', 'Updates/s (wall)'],
      [
        stats.started.youngPerson + stats.started.volunteer + stats.started.match,
        stats.started.youngPerson,
        stats.started.volunteer,
        stats.started.match,
        stats.updates,
        stats.refused,
        stats.queries,
        fmt.n((stats.updates / wallMs) * 1000, 1),
      ],
    ]);
    const { drive, sleep } = stats.cpu;
    const share = (ms: number, wall: number) => `${fmt.n(ms / 1000, 1)} s (${Math.round((ms / Math.max(1, wall)) * 100)}% of a core)`;
    table([
      ['CPU while', 'wall', 'ours (worker, client, activities)', 'the test server (Java)'],
      ['recording events', `${fmt.n(stats.driveMs / 1000, 1)} s`, share(drive.oursMs, stats.driveMs), share(drive.serverMs, stats.driveMs)],
      ['skipping days', `${fmt.n(stats.sleepMs / 1000, 1)} s`, share(sleep.oursMs, stats.sleepMs), share(sleep.serverMs, stats.sleepMs)],
    ]);
    console.log(`Update latency (client side): p50 ${fmt.ms(median(stats.updateMs))}, p99 ${fmt.ms(percentile(stats.updateMs, 99))}`);
    if (stats.refused > 0) {
      console.log(`refused by type: ${JSON.stringify(stats.refusedByType)}`);
      for (const line of stats.firstRefusals) console.log(`  ${line}`);
    }
    console.log(`\nmessages sent: ${counted.counts.total} (${counted.counts.failed} failed attempts)`);
    console.log(`  by activity: ${JSON.stringify(counted.counts.byActivity)}`);
    console.log(
      `  by matter: ${Object.entries(counted.counts.byMatter)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    console.log(`  time in an activity: p50 ${fmt.ms(median(counted.durations))}, p99 ${fmt.ms(percentile(counted.durations, 99))}`);
    console.log(`\nscheme outcomes: ${JSON.stringify(stats.outcome)}`);
    console.log(
      `\nworker memory: peak RSS ${fmt.mb(peak.rss)}, peak main-thread heap ${fmt.mb(peak.heapUsed)}; at the end RSS ${fmt.mb(m.rss)}, heap ${fmt.mb(m.heapUsed)}, ${cached} journeys cached`,
    );
    if (HISTORIES) await writeHistories(env, stats.workflowIds, HISTORIES);
    console.log(`${loadLine()} at end`);
  } finally {
    await env.teardown();
    data.remove();
    disarm();
  }
}

/**
 * Every journey's history (each run), decrypted with this run's keyring (made for this process and
 * gone with it), as `mentorflow audit export` writes them: synthetic people, for the report's bench.
 */
async function writeHistories(env: Awaited<ReturnType<typeof startTimeSkippingServer>>, workflowIds: readonly string[], folder: string): Promise<void> {
  const started = performance.now();
  mkdirSync(folder, { recursive: true });
  let files = 0;
  await pool([...workflowIds], 8, async (workflowId) => {
    const runs = await fetchJourneyHistories(env.client, workflowId);
    for (const [i, name] of historyFileNames(workflowId, runs.length).entries()) {
      writeFileSync(path.join(folder, name), historyToJSON(await decodeHistory(runs[i]!.history, benchPrivacy().codec)));
      files++;
    }
  });
  console.log(`histories written to ${folder}: ${fmt.n(files)} files in ${fmt.n((performance.now() - started) / 1000, 1)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
