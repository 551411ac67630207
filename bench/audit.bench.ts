/**
 * Audit: histories replayed per second, and timelines reconstructed per second. A small scheme
 * (bench/scheme/simulator.ts; default 150 young people, 45 volunteers, 12 months) runs on the
 * time-skipping server; every journey's history is exported; then
 * - `Worker.runReplayHistories` replays them all against the workflow bundle (an auditor's check
 *   that the code still explains the histories), beside the same number of bare-workflow
 *   histories (bench/baseline-workflow.ts, same number of Updates) replayed the same way;
 * - audit/ reads each history (`readRun`, `groupJourneys`) and builds its timeline
 *   (`journeyTimeline`: the machine re-run over the history, every event with its stage).
 * The journeys run encrypted, as the product runs them: the replay and the timelines decrypt every
 * payload with the keyring (the baseline's bare workflows are plain Temporal).
 *
 *   npm run bench:audit                           (3-5 minutes: most of it is making the histories)
 *   BENCH_HISTORIES=/tmp/histories npm run bench:audit   (keep the histories, as `mentorflow audit` reads them)
 *   BENCH_AB=1 npm run bench:audit   (also against the journeys each evaluating its own machine and
 *                                     schemas, as before they were shared, side by side)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DataConverter } from '@temporalio/common';
import type { History } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { decodeHistory } from '../audit/history-events';
import { historyToJSON } from '../audit/history-file';
import { groupJourneys, readRun } from '../audit/journey-history';
import { journeyTimeline } from '../audit/timeline';
import { Journeys } from '../client/journeys';
import { defaultPolicy } from '../machines/policy';
import { createJourneyWorker } from '../worker/create-worker';
import {
  banner,
  baselineWorkflowsPath,
  bundle,
  countedActivities,
  deadline,
  fmt,
  journeyWorkflowsPath,
  loadLine,
  pool,
  quietRuntime,
  startTimeSkippingServer,
  table,
  tempDir,
  benchPrivacy,
  encryptingClient,
} from './common';
import { simulateScheme } from './scheme/simulator';

const YOUNG_PEOPLE = Number(process.env.BENCH_YP ?? 150);
const VOLUNTEERS = Number(process.env.BENCH_VOL ?? 45);
const MONTHS = Number(process.env.BENCH_MONTHS ?? 12);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** BENCH_AB=1: also replay against the bundle with each journey's machine and schemas evaluated per journey (BENCH_SHARE_JOURNEYS=off). */
const AB = process.env.BENCH_AB === '1';

interface Replayed {
  histories: number;
  events: number;
  ms: number;
  failures: string[];
}

async function replay(code: string, histories: { workflowId: string; history: History }[], dataConverter?: DataConverter): Promise<Replayed> {
  const failures: string[] = [];
  const started = performance.now();
  for await (const result of Worker.runReplayHistories({ workflowBundle: { code }, ...(dataConverter ? { dataConverter } : {}) }, histories)) {
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  const ms = performance.now() - started;
  const events = histories.reduce((a, h) => a + (h.history.events?.length ?? 0), 0);
  return { histories: histories.length, events, ms, failures };
}

async function main(): Promise<void> {
  banner(
    `Audit: replaying the histories of a ${MONTHS}-month scheme of ${YOUNG_PEOPLE} young people and ${VOLUNTEERS} volunteers, ${ROUNDS} rounds`,
    'npm run bench:audit',
  );
  quietRuntime();
  const env = await startTimeSkippingServer();
  const data = tempDir('audit');
  const disarm = deadline(15 * 60_000, 'bench:audit', async () => {
    await env.teardown();
    data.remove();
  });
  try {
    const journeyBundle = await bundle(journeyWorkflowsPath);
    const baselineBundle = await bundle(baselineWorkflowsPath);
    // BENCH_AB=1: the same histories also replayed against a bundle with machines and schemas per journey (as before they were shared).
    const unsharedBundle = AB ? await bundle(journeyWorkflowsPath, { shareJourneys: false }) : undefined;
    const counted = await countedActivities({ dataDir: data.dir });
    const taskQueue = `bench-audit-${process.pid}`;
    const worker = await createJourneyWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      activities: counted.activities,
      workflowBundle: { code: journeyBundle.code },
      dataConverter: benchPrivacy().dataConverter,
    });
    // Encrypted as the product runs: the auditor's replay and timelines decrypt every payload.
    const journeys = new Journeys({ client: encryptingClient(env), taskQueue, policy: defaultPolicy, personalData: benchPrivacy().personalData });
    const made = performance.now();
    const stats = await worker.runUntil(simulateScheme(env, journeys, { youngPeople: YOUNG_PEOPLE, volunteers: VOLUNTEERS, months: MONTHS, seed: 7 }));
    console.log(
      `histories made: ${stats.workflowIds.length} journeys, ${stats.updates} Updates (${stats.refused} refused), ${counted.counts.total} messages, in ${fmt.n((performance.now() - made) / 1000, 1)} s`,
    );

    const histories: { workflowId: string; history: History }[] = [];
    await pool(stats.workflowIds, 8, async (workflowId) => {
      histories.push({ workflowId, history: await env.client.workflow.getHandle(workflowId).fetchHistory() });
    });
    histories.sort((a, b) => a.workflowId.localeCompare(b.workflowId));
    if (process.env.BENCH_HISTORIES) {
      mkdirSync(process.env.BENCH_HISTORIES, { recursive: true });
      for (const h of histories) writeFileSync(path.join(process.env.BENCH_HISTORIES, `${h.workflowId}.json`), historyToJSON(h.history));
      console.log(`histories written to ${process.env.BENCH_HISTORIES}`);
    }

    // The same number of bare-workflow histories with the same Updates, made on the same server.
    const baselineQueue = `bench-audit-baseline-${process.pid}`;
    const baselineWorker = await Worker.create({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue: baselineQueue,
      workflowBundle: { code: baselineBundle.code },
    });
    const updatesPerHistory = Math.max(1, Math.round(stats.updates / histories.length));
    const baselineHistories: { workflowId: string; history: History }[] = [];
    await baselineWorker.runUntil(
      pool(histories.slice(0, histories.length), 8, async (_h, i) => {
        const workflowId = `audit-baseline-${process.pid}-${i}`;
        const handle = await env.client.workflow.start('baselineJourney', { workflowId, taskQueue: baselineQueue, args: [{ policy: defaultPolicy }] });
        for (let u = 0; u < updatesPerHistory; u++) await handle.executeUpdate('record', { args: [{ type: 'meeting.logged', by: { role: 'coordinator', id: 'co-1' } }] });
        await handle.terminate('bench done');
        baselineHistories.push({ workflowId, history: await handle.fetchHistory() });
      }),
    );

    const rows: (string | number)[][] = [['round', 'what', 'histories', 'events', 'wall', 'histories/s', 'events/s', 'failures', 'load']];
    const totals = { journey: { h: 0, ms: 0, e: 0 }, baseline: { h: 0, ms: 0, e: 0 }, unshared: { h: 0, ms: 0, e: 0 } };
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [what, code, set, converter] of [
        ['journey', journeyBundle.code, histories, benchPrivacy().dataConverter],
        ['baseline', baselineBundle.code, baselineHistories, undefined],
        ...(unsharedBundle ? [['unshared', unsharedBundle.code, histories, benchPrivacy().dataConverter] as const] : []),
      ] as const) {
        const r = await replay(code, [...set], converter);
        totals[what].h += r.histories;
        totals[what].ms += r.ms;
        totals[what].e += r.events;
        rows.push([
          round,
          what,
          r.histories,
          r.events,
          `${fmt.n(r.ms / 1000, 2)} s`,
          fmt.n((r.histories / r.ms) * 1000, 1),
          fmt.n((r.events / r.ms) * 1000),
          r.failures.length,
          loadLine().replace('load ', ''),
        ]);
        for (const f of r.failures.slice(0, 3)) console.log(`  replay failure: ${f}`);
      }
    }
    console.log('');
    table(rows);
    const j = (totals.journey.h / totals.journey.ms) * 1000;
    const b = (totals.baseline.h / totals.baseline.ms) * 1000;
    console.log(
      `\njourney histories replayed: ${fmt.n(j, 1)}/s (${fmt.n((totals.journey.e / totals.journey.ms) * 1000)} events/s); bare workflow: ${fmt.n(b, 1)}/s; ratio ${fmt.ratio(j / b)}`,
    );
    // A journey's history holds more events than a bare workflow's with the same Updates (its
    // deadlines' timers, its notifications, its index upserts): per event is the replay's own speed.
    const perEvent = totals.journey.e / totals.journey.ms / (totals.baseline.e / totals.baseline.ms);
    console.log(
      `events per history: journey ${fmt.n(totals.journey.e / totals.journey.h, 1)}, bare ${fmt.n(totals.baseline.e / totals.baseline.h, 1)}; ratio journey/bare per event replayed ${fmt.ratio(perEvent)}`,
    );
    if (unsharedBundle) {
      const u = (totals.unshared.h / totals.unshared.ms) * 1000;
      console.log(`machines and schemas per journey (BENCH_AB): ${fmt.n(u, 1)}/s; ratio to bare ${fmt.ratio(u / b)}; shared/per journey ${fmt.ratio(j / u)}`);
    }

    // Timelines: offline, from the histories alone.
    const timelineRows: (string | number)[][] = [['round', 'journeys', 'decrypt + read + group', 'timelines', 'timelines/s', 'entries', 'load']];
    let timelineMs = 0;
    let timelineCount = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      const t0 = performance.now();
      const decoded = await Promise.all(histories.map(async (h) => readRun(await decodeHistory(h.history, benchPrivacy().codec), h.workflowId)));
      const grouped = groupJourneys(decoded);
      const t1 = performance.now();
      let entries = 0;
      for (const journey of grouped) entries += journeyTimeline(journey).entries.length;
      const t2 = performance.now();
      timelineMs += t2 - t1;
      timelineCount += grouped.length;
      timelineRows.push([
        round,
        grouped.length,
        fmt.ms(t1 - t0),
        fmt.ms(t2 - t1),
        fmt.n((grouped.length / (t2 - t1)) * 1000, 1),
        entries,
        loadLine().replace('load ', ''),
      ]);
    }
    console.log('');
    table(timelineRows);
    console.log(`\ntimelines reconstructed: ${fmt.n((timelineCount / timelineMs) * 1000, 1)}/s (audit/timeline.ts journeyTimeline)`);
    console.log(`${loadLine()} at end`);
  } finally {
    await env.teardown();
    data.remove();
    disarm();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
