/**
 * What every benchmark shares: the machine it ran on (and how loaded it was), percentiles, free
 * loopback ports, the Temporal servers (dev server on a temp data dir, time-skipping test server),
 * workflow bundles, activities that count what they send, a memory sampler, and a hard deadline
 * so that no benchmark can run on unattended.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client, Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { openActivities, type MentorflowActivities } from '../activities';
import { failureConverterPath, type Privacy } from '../privacy';
import { freshPrivacy } from '../test/helpers/privacy';
import { repoRoot } from '../config';
import { startDevServer, type DevServer } from '../worker/dev-server';
import { resolveTemporalBinaries } from '../config/temporal-paths.mjs';
import { mentorflowSearchAttributes } from '../contracts/search-attributes';
import { pruneUnusedExports, sharedJourneysModule, sharedZodModule, workflowsPath as entryWorkflowsPath, zodForSharing } from '../workflows/entry';

// ---------------------------------------------------------------------------------------------
// The machine and its load

export function machineLine(): string {
  const cpus = os.cpus();
  return [
    `nproc ${os.availableParallelism?.() ?? cpus.length}`,
    `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `node ${process.version}`,
    cpus[0]?.model.trim() ?? 'unknown cpu',
    new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
  ].join(', ');
}

/** "load 1.23 0.98 0.75" (1, 5 and 15 minute averages): other engineers' tests share the 2 cores. */
export function loadLine(): string {
  return `load ${os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')}`;
}

export function banner(title: string, command: string): void {
  console.log(`\n# ${title}`);
  console.log(`machine: ${machineLine()}`);
  console.log(`command: ${command}`);
  console.log(`${loadLine()} at start\n`);
}

// ---------------------------------------------------------------------------------------------
// Numbers

/** The p-th percentile (0-100) of values, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export const fmt = {
  n: (x: number, digits = 0) =>
    Number.isFinite(x) ? x.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : String(x),
  ms: (x: number) => `${x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0)} ms`,
  mb: (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`,
  kb: (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`,
  ratio: (x: number) => x.toFixed(2),
};

/** A fixed-width table on stdout. */
export function table(rows: (string | number)[][]): void {
  const text = rows.map((r) => r.map(String));
  const widths = text[0]!.map((_, i) => Math.max(...text.map((r) => (r[i] ?? '').length)));
  for (const row of text) console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
}

/** A small seeded PRNG (mulberry32), so a benchmark does the same work every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Run `task` over `items`, at most `limit` at once. */
export async function pool<T>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await task(items[i]!, i);
    }
  });
  await Promise.all(runners);
}

// ---------------------------------------------------------------------------------------------
// Bounded in time

/**
 * Stop the process after `ms`, whatever it is doing: run `cleanup` (stop servers), then exit 2.
 * Returns a function that disarms it.
 */
export function deadline(ms: number, what: string, cleanup: () => Promise<void> = async () => {}): () => void {
  const timer = setTimeout(() => {
    console.error(`\n[bench] ${what} exceeded its ${Math.round(ms / 1000)} s limit: stopping.`);
    const forced = setTimeout(() => process.exit(2), 15_000);
    forced.unref();
    cleanup()
      .catch(() => {})
      .finally(() => process.exit(2));
  }, ms);
  timer.unref();
  return () => clearTimeout(timer);
}

// ---------------------------------------------------------------------------------------------
// Memory

/** `global.gc`, from --expose-gc if given, else switched on here. */
export function gcFunction(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Samples RSS and V8 heap every `everyMs`, keeping the peaks. */
export function memorySampler(everyMs = 250) {
  const peak = { rss: 0, heapUsed: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    peak,
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// CPU: ours, and the Temporal server's

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on Linux). */
const TICKS_PER_S = 100;

function readStat(pid: number): { ppid: number; ms: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the command name (in parentheses, may hold spaces): state, ppid, ..., utime (14th), stime (15th).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), ms: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S };
  } catch {
    return undefined; // ended, or not Linux
  }
}

let descendants: number[] = [];
let readingsSinceScan = Infinity;
/** Every process under this one (the Temporal server it started), found by scanning /proc now and then. */
function scanDescendants(): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const parents = new Map<number, number>();
  for (const pid of entries) {
    const s = readStat(Number(pid));
    if (s) parents.set(Number(pid), s.ppid);
  }
  const ours = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (!ours.has(pid) && ours.has(ppid)) {
        ours.add(pid);
        grew = true;
      }
    }
  }
  ours.delete(process.pid);
  return [...ours];
}

/** CPU milliseconds (user + system) of the processes we started, and theirs (the Temporal servers), from /proc. */
function descendantsCpuMs(): number {
  // Scanning all of /proc is itself CPU in this process: once every 50 readings is enough.
  if (++readingsSinceScan >= 50) {
    descendants = scanDescendants();
    readingsSinceScan = 0;
  }
  return descendants.reduce((total, pid) => total + (readStat(pid)?.ms ?? 0), 0);
}

/**
 * CPU used so far: `oursMs` by this process (the worker's threads, the client, the activities),
 * `serverMs` by the processes it started (the Temporal server it runs). Subtract two readings for
 * a phase.
 */
export function cpuReading(): { oursMs: number; serverMs: number } {
  const u = process.cpuUsage();
  return { oursMs: (u.user + u.system) / 1000, serverMs: descendantsCpuMs() };
}

// ---------------------------------------------------------------------------------------------
// Temporal

let runtimeInstalled = false;
/**
 * Worker logs at WARN: the per-event INFO lines would otherwise fill the terminal. Core's own
 * warnings ("Task not found when completing": a task the server had already given up on, seen when
 * the machine is overloaded) are not printed either.
 */
export function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  // BENCH_CORE_LOG=WARN shows core's warnings (e.g. a workflow task failing), for a diagnosis.
  const core = process.env.BENCH_CORE_LOG === 'WARN' ? 'WARN' : 'ERROR';
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: { logging: { filter: { core, other: 'ERROR' }, forward: {} } },
  });
}

const silentLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** BENCH_WORKFLOWS: the workflows of another tree (e.g. a copy with a candidate fix), for an A/B run. */
export const journeyWorkflowsPath = process.env.BENCH_WORKFLOWS ?? path.join(repoRoot, 'workflows', 'index.ts');
export const baselineWorkflowsPath = path.join(repoRoot, 'bench', 'baseline-workflow.ts');

/**
 * The journeys' bundles are built as the product builds them (workflows/entry.ts): webpack's
 * pruning of unused exports, and zod, the machines and the schemas shared by the journeys of a
 * worker thread. For an A/B, BENCH_TREE_SHAKE=off builds them without the pruning,
 * BENCH_SHARE_JOURNEYS=off without sharing the machines and schemas, and BENCH_SHARE_ZOD=off
 * without sharing anything (each journey evaluating its own zod, as before). The bare baseline is
 * always bundled as the SDK does by default: it is bare Temporal.
 */
export const treeShake = process.env.BENCH_TREE_SHAKE !== 'off';
export const shareZod = process.env.BENCH_SHARE_ZOD !== 'off';
/** BENCH_SHARE_JOURNEYS=off: zod shared, but each journey evaluating its own machine and schemas (as before). */
export const shareJourneys = shareZod && process.env.BENCH_SHARE_JOURNEYS !== 'off';

/**
 * The bundler options of the journeys as the product builds them (workflows/entry.ts), with each
 * change that can be switched off for an A/B: for `workflowsPath`, which may be a copy's tree.
 */
export function journeyBundlerOptions(
  workflowsPath: string,
  options: { treeShake: boolean; shareZod: boolean; shareJourneys?: boolean },
): { preloadModules: string[]; webpackConfigHook: NonNullable<Parameters<typeof bundleWorkflowCode>[0]['webpackConfigHook']> } {
  return {
    // The shared modules of the tree being measured (BENCH_WORKFLOWS may point at a copy).
    preloadModules: options.shareZod
      ? [sharedZodModule, ...((options.shareJourneys ?? true) ? [sharedJourneysModule] : [])]
          .map((m) => path.join(path.dirname(workflowsPath), path.relative(path.dirname(entryWorkflowsPath), m)))
          // A copy of an older tree may not share its journeys yet.
          .filter((m) => existsSync(m))
      : [],
    webpackConfigHook: (config) => {
      const pruned = options.treeShake ? pruneUnusedExports(config) : config;
      return options.shareZod ? zodForSharing(pruned) : pruned;
    },
  };
}

/** Bundle workflows now (never a cached bundle, which may be stale while others edit the code). */
export async function bundle(
  workflowsPath: string,
  options: { treeShake?: boolean; shareZod?: boolean; shareJourneys?: boolean } = {},
): Promise<{ code: string; ms: number; bytes: number }> {
  const started = performance.now();
  const journeys = workflowsPath !== baselineWorkflowsPath;
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    logger: silentLogger,
    // The journeys' bundle as the product builds it: error messages encoded by the data converter.
    ...(workflowsPath === journeyWorkflowsPath ? { failureConverterPath } : {}),
    ...journeyBundlerOptions(workflowsPath, {
      treeShake: options.treeShake ?? (treeShake && journeys),
      shareZod: options.shareZod ?? (shareZod && journeys),
      shareJourneys: options.shareJourneys ?? shareJourneys,
    }),
  });
  return { code, ms: performance.now() - started, bytes: Buffer.byteLength(code) };
}

export function tempDir(label: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `mentorflow-bench-${label}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

import { freePort } from '../test/helpers/ports';

export { freePort };

export interface BenchServer {
  address: string;
  client: Client;
  connection: NativeConnection;
  namespace: string;
  stop(): Promise<void>;
}

/**
 * The dev server `npm start` runs (Temporal CLI `server start-dev`, SQLite file in a temp data
 * dir, the Mentorflow* search attributes), headless, on a free loopback port.
 */
export async function startBenchDevServer(label: string): Promise<BenchServer> {
  const data = tempDir(label);
  let server: DevServer;
  for (let attempt = 1; ; attempt++) {
    try {
      server = await startDevServer({ port: await freePort(), headless: true, ip: '127.0.0.1', dataDir: data.dir });
      break;
    } catch (error) {
      // Another process may take the free port between our check and the server's bind.
      if (attempt >= 3) throw error;
    }
  }
  const clientConnection = await Connection.connect({ address: server.address });
  const connection = await NativeConnection.connect({ address: server.address });
  const client = new Client({ connection: clientConnection, namespace: server.namespace });
  let stopping: Promise<void> | undefined;
  return {
    address: server.address,
    client,
    connection,
    namespace: server.namespace,
    stop: () =>
      (stopping ??= (async () => {
        await connection.close().catch(() => {});
        await clientConnection.close().catch(() => {});
        await server.stop();
        data.remove();
      })()),
  };
}

/** The time-skipping test server (Java), as the workflow tests use it, with the search attributes. */
export async function startTimeSkippingServer(): Promise<TestWorkflowEnvironment> {
  const { testServer, cacheDir } = resolveTemporalBinaries();
  if (!testServer) throw new Error(`No time-skipping test server in ${cacheDir}: run \`npm run setup:temporal\` first.`);
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: testServer } } });
  const searchAttributes = Object.fromEntries(
    mentorflowSearchAttributes.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)!]),
  );
  await env.connection.operatorService.addSearchAttributes({ namespace: env.namespace ?? 'default', searchAttributes });
  return env;
}

// ---------------------------------------------------------------------------------------------
// Privacy

let privacy: Privacy | undefined;
/** A keyring and person keys for the benchmarks, made once per process in a temp dir (as the tests do). */
export function benchPrivacy(): Privacy {
  privacy ??= freshPrivacy();
  return privacy;
}

// ---------------------------------------------------------------------------------------------
// Activities

export interface CountedActivities {
  activities: MentorflowActivities;
  /** Calls that succeeded, by activity and by `kind/about`. */
  counts: { total: number; failed: number; byActivity: Record<string, number>; byMatter: Record<string, number> };
  /** Milliseconds spent in each successful call. */
  durations: number[];
  /** Closes the delivery log and the mailer. */
  close(): Promise<void>;
}

/**
 * The real activities (templates, delivery log, outbox or SMTP), each call counted and timed: the
 * number of messages a scheme would send.
 */
export async function countedActivities(options: { dataDir: string; smtp?: { host: string; port: number } }): Promise<CountedActivities> {
  const opened = await openActivities({
    dataDir: options.dataDir,
    outboxDir: path.join(options.dataDir, 'outbox'),
    directoryFile: path.join(repoRoot, 'config', 'directory.example.yaml'),
    openPersonal: (sealed) => benchPrivacy().personalData.open(sealed),
    ...(options.smtp ? { smtp: { host: options.smtp.host, port: options.smtp.port, secure: false } } : {}),
  });
  const real = opened.activities;
  const counts: CountedActivities['counts'] = { total: 0, failed: 0, byActivity: {}, byMatter: {} };
  const durations: number[] = [];
  const wrap = <A, R>(name: string, fn: (a: A) => Promise<R>) =>
    async (input: A): Promise<R> => {
      const started = performance.now();
      try {
        const result = await fn(input);
        durations.push(performance.now() - started);
        counts.total += 1;
        counts.byActivity[name] = (counts.byActivity[name] ?? 0) + 1;
        const request = input as { kind?: string; method?: string; params?: { about?: string } };
        const matter = `${request.kind ?? request.method ?? name}/${request.params?.about ?? 'supervision'}`;
        counts.byMatter[matter] = (counts.byMatter[matter] ?? 0) + 1;
        return result;
      } catch (error) {
        counts.failed += 1;
        throw error;
      }
    };
  const activities: MentorflowActivities = {
    ...real,
    sendNotification: wrap('sendNotification', real.sendNotification),
    sendSupervisionInvitation: wrap('sendSupervisionInvitation', real.sendSupervisionInvitation),
  };
  return { activities, counts, durations, close: opened.close };
}

/** A client of the server (dev or time-skipping) with the keyring's data converter: journeys as the product runs them. */
export function encryptingClient(server: { client: Client; namespace?: string }): Client {
  return new Client({ connection: server.client.connection, namespace: server.namespace ?? 'default', dataConverter: benchPrivacy().dataConverter });
}
