/**
 * The scheme report over 10,000 histories, beside the floor of re-running every journey's machine
 * over its history (audit/mirror.ts: what any figure from the histories must pay) in the same run.
 * Target (issue 16): < 20 s for 10,000 histories.
 *
 * Where the histories come from: BENCH_HISTORIES=<folder> reads exported histories, e.g. a
 * simulated scheme-year's (`BENCH_HISTORIES=<folder> npm run bench:scheme-year` writes them);
 * without it, the committed golden histories (test/golden/: every state of the three machines,
 * real Temporal histories). Either is copied under new journey ids until there are BENCH_N
 * histories: a simulated year of 10,000 journeys on the time-skipping server takes over an hour
 * on this machine (BENCHMARKS.md, section 9).
 *
 *   npm run bench:report              (BENCH_N=10000; about a minute)
 *   BENCH_HISTORIES=/tmp/year npm run bench:scheme-year && BENCH_HISTORIES=/tmp/year npm run bench:report
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { loadJourneys, type Journey } from '../audit/journey-history';
import { mirrorRun } from '../audit/mirror';
import { defaultPolicy } from '../machines/policy';
import { schemeReport, schemeReportInParallel } from '../reports/scheme';
import { repoRoot } from '../config';
import { banner, fmt, table } from './common';

const N = Number(process.env.BENCH_N ?? 10_000);

/** A golden scenario's journeys under new ids: the journeys and the ids that link them. */
function copyOf(journeys: readonly Journey[], suffix: string): Journey[] {
  const rename = (id: unknown) => (typeof id === 'string' ? `${id}-${suffix}` : id);
  return journeys.map((j) => ({
    ...j,
    journeyId: `${j.journeyId}-${suffix}`,
    workflowId: `${j.workflowId}-${suffix}`,
    runs: j.runs.map((run) => {
      const start = { ...run.input.start, journeyId: `${run.input.start.journeyId}-${suffix}` } as Record<string, unknown> & typeof run.input.start;
      if (j.kind === 'match') {
        start.youngPersonId = rename(start.youngPersonId);
        start.volunteerId = rename(start.volunteerId);
      }
      return { ...run, journeyId: `${run.journeyId}-${suffix}`, workflowId: `${run.workflowId}-${suffix}`, input: { ...run.input, start } };
    }),
  }));
}

function histories(): { journeys: Journey[]; source: string } {
  const folder = process.env.BENCH_HISTORIES ?? path.join(repoRoot, 'test', 'golden');
  const loaded = loadJourneys([folder]);
  const runsOf = (js: readonly Journey[]) => js.reduce((n, j) => n + j.runs.length, 0);
  // As they are if there are N already; else copied under new ids until there are.
  if (runsOf(loaded) >= N) return { journeys: loaded, source: folder };
  const journeys: Journey[] = [];
  for (let copy = 0; runsOf(journeys) < N; copy++) journeys.push(...copyOf(loaded, `c${copy}`));
  return { journeys, source: `${path.relative(process.cwd(), folder) || folder} copied ${Math.ceil(N / runsOf(loaded))} times` };
}

function timed<T>(work: () => T): { ms: number; result: T } {
  const started = performance.now();
  const result = work();
  return { ms: performance.now() - started, result };
}

async function timedAsync<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

async function main(): Promise<void> {
  banner(`Scheme report over ${fmt.n(N)} histories`, 'npm run bench:report');
  const loaded = timed(histories);
  const { journeys, source } = loaded.result;
  const runs = journeys.reduce((n, j) => n + j.runs.length, 0);
  const events = journeys.reduce((n, j) => n + j.runs.reduce((m, r) => m + (r.history.events?.length ?? 0), 0), 0);
  console.log(`${fmt.n(runs)} histories (${fmt.n(journeys.length)} journeys, ${fmt.n(events)} history events) from ${source}; read in ${fmt.ms(loaded.ms)}\n`);
  const options = { from: '2026-01-01T00:00:00.000Z', to: '2028-01-01T00:00:00.000Z', policy: defaultPolicy };
  const floor = timed(() => journeys.reduce((n, j) => n + j.runs.map(mirrorRun).length, 0));
  const report = timed(() => schemeReport(journeys, options));
  // What the CLI and the web app run: the journeys read on every core.
  const threads = Math.min(availableParallelism(), 8);
  const parallel = await timedAsync(() => schemeReportInParallel(journeys, { ...options, threads }));
  const same = JSON.stringify(parallel.result) === JSON.stringify(report.result);
  table([
    ['', 'time', 'histories/s', 'ratio to the floor'],
    [`scheme report, ${threads} threads (the CLI's and the web app's)`, fmt.ms(parallel.ms), fmt.n((runs / parallel.ms) * 1000), fmt.ratio(parallel.ms / floor.ms)],
    ['scheme report, one thread', fmt.ms(report.ms), fmt.n((runs / report.ms) * 1000), fmt.ratio(report.ms / floor.ms)],
    ['floor: every machine re-run over its history, one thread', fmt.ms(floor.ms), fmt.n((runs / floor.ms) * 1000), '1.00'],
  ]);
  console.log(`\nheadline: ${report.result.headline}`);
  console.log(`the ${threads}-thread report equals the one-thread report: ${same ? 'yes' : 'NO'}`);
  console.log(`target < 20 s (${threads} threads): ${parallel.ms < 20_000 ? 'met' : 'MISSED'}`);
  if (!same) process.exitCode = 1;
}

void main();
