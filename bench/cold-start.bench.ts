/**
 * Worker start to first Update accepted, from cold: a new Node process that loads the worker,
 * bundles the workflows (no prebuilt bundle), connects, and takes a journey's first event, beside
 * a bare Temporal workflow's worker doing the same in a process of its own, on the same dev
 * server, in turns. Target (issue 17): <= 10 s for the journeys.
 *
 *   npm run bench:cold-start                     (3 starts of each; ~1-2 min)
 *   BENCH_STARTS=5 npx tsx bench/cold-start.bench.ts
 *
 * Each start is measured from the process's own time origin (before any module is loaded: tsx,
 * the SDK, webpack and our code are all counted) to the moment the Update's answer arrives.
 */
import { spawn } from 'node:child_process';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { Journeys } from '../client/journeys';
import { defaultPolicy } from '../machines/policy';
import { createJourneyWorker } from '../worker/create-worker';
import { banner, baselineWorkflowsPath, benchPrivacy, countedActivities, fmt, loadLine, median, quietRuntime, startBenchDevServer, table, tempDir } from './common';

const STARTS = Number(process.env.BENCH_STARTS ?? 3);
const CHILD = process.env.BENCH_COLD_CHILD as 'journeys' | 'bare' | undefined;

interface ChildTimes {
  /** Process start to the worker created: every module loaded and the workflows bundled. */
  workerCreatedMs: number;
  /** Of which: Worker.create (the bundling, mostly). */
  bundleMs: number;
  /** Process start to the first Update's answer. */
  firstUpdateMs: number;
}

async function child(kind: 'journeys' | 'bare'): Promise<ChildTimes> {
  quietRuntime();
  const address = process.env.BENCH_ADDRESS!;
  const namespace = process.env.BENCH_NAMESPACE!;
  const taskQueue = `bench-cold-${kind}-${process.pid}`;
  const connection = await NativeConnection.connect({ address });
  const clientConnection = await Connection.connect({ address });
  const data = tempDir('cold-start');
  try {
    const creating = performance.now();
    let worker: Worker;
    let firstUpdate: () => Promise<unknown>;
    if (kind === 'journeys') {
      const privacy = benchPrivacy();
      const { activities } = await countedActivities({ dataDir: data.dir });
      worker = await createJourneyWorker({ connection, namespace, taskQueue, activities, dataConverter: privacy.dataConverter });
      const client = new Client({ connection: clientConnection, namespace, dataConverter: privacy.dataConverter });
      const journeys = new Journeys({ client, taskQueue, policy: defaultPolicy, personalData: privacy.personalData });
      const journeyId = `yp-cold${process.pid}`;
      firstUpdate = async () => {
        await journeys.start('youngPerson', {
          journeyId,
          coordinatorId: 'co-bench',
          startedAt: new Date().toISOString(),
          referral: { referredBy: { role: 'referrer', id: 'sw-bench' }, dateOfBirth: `${new Date().getUTCFullYear() - 17}-05-01`, careExperienced: true },
        });
        return journeys.record('youngPerson', journeyId, { type: 'contact.recorded', by: { role: 'coordinator', id: 'co-bench' }, method: 'phone' });
      };
    } else {
      worker = await Worker.create({ connection, namespace, taskQueue, workflowsPath: baselineWorkflowsPath });
      const client = new Client({ connection: clientConnection, namespace });
      firstUpdate = async () => {
        const handle = await client.workflow.start('baselineJourney', { taskQueue, workflowId: `bare-cold-${process.pid}`, args: [{}] });
        return handle.executeUpdate('record', { args: [{ type: 'contact.recorded' }] });
      };
    }
    const created = performance.now();
    let answered = 0;
    await worker.runUntil(async () => {
      await firstUpdate();
      answered = performance.now();
    });
    return { workerCreatedMs: created, bundleMs: created - creating, firstUpdateMs: answered };
  } finally {
    await clientConnection.close();
    await connection.close();
    data.remove();
  }
}

function startOnce(kind: 'journeys' | 'bare', server: { address: string; namespace: string }): Promise<ChildTimes> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...process.execArgv, __filename], {
      env: { ...process.env, BENCH_COLD_CHILD: kind, BENCH_ADDRESS: server.address, BENCH_NAMESPACE: server.namespace },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.on('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`${kind} start exited ${code}: ${out.slice(-500)}`));
      else resolve(JSON.parse(line) as ChildTimes);
    });
  });
}

async function main(): Promise<void> {
  banner(`Cold start to first Update accepted: ${STARTS} new worker processes of each, in turns`, 'npx tsx bench/cold-start.bench.ts');
  quietRuntime();
  const server = await startBenchDevServer('mentorflow-bench-cold');
  try {
    const times: Record<'journeys' | 'bare', ChildTimes[]> = { journeys: [], bare: [] };
    for (let i = 0; i < STARTS; i++) {
      // Which goes first alternates: the second start of a pair finds the page cache warmer.
      for (const kind of i % 2 === 0 ? (['journeys', 'bare'] as const) : (['bare', 'journeys'] as const)) {
        const t = await startOnce(kind, server);
        times[kind].push(t);
        console.log(`  ${kind.padEnd(8)} start ${i + 1}: worker created at ${fmt.ms(t.workerCreatedMs)} (Worker.create ${fmt.ms(t.bundleMs)}), first Update answered at ${fmt.ms(t.firstUpdateMs)}`);
      }
    }
    const m = (kind: 'journeys' | 'bare', key: keyof ChildTimes) => median(times[kind].map((t) => t[key]));
    table([
      ['figure (median of starts)', 'journeys', 'bare workflow', 'ratio', 'target'],
      ['process start to worker created', fmt.ms(m('journeys', 'workerCreatedMs')), fmt.ms(m('bare', 'workerCreatedMs')), fmt.n(m('journeys', 'workerCreatedMs') / m('bare', 'workerCreatedMs'), 2), ''],
      ['  of which Worker.create (bundling)', fmt.ms(m('journeys', 'bundleMs')), fmt.ms(m('bare', 'bundleMs')), fmt.n(m('journeys', 'bundleMs') / m('bare', 'bundleMs'), 2), ''],
      ['process start to first Update answered', fmt.ms(m('journeys', 'firstUpdateMs')), fmt.ms(m('bare', 'firstUpdateMs')), fmt.n(m('journeys', 'firstUpdateMs') / m('bare', 'firstUpdateMs'), 2), '<= 10 s'],
      ['  slowest start', fmt.ms(Math.max(...times.journeys.map((t) => t.firstUpdateMs))), fmt.ms(Math.max(...times.bare.map((t) => t.firstUpdateMs))), '', ''],
    ]);
    console.log(`  ${loadLine()}`);
  } finally {
    await server.stop();
  }
}

if (CHILD) {
  child(CHILD).then(
    (t) => {
      console.log(JSON.stringify(t));
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
