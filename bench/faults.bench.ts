/**
 * The fault soak: the fault tests' rig (test/faults/rig.ts: the dev server on its SQLite file, two
 * worker processes running worker/main.ts on one task queue, a real SMTP server on loopback)
 * under a steady load of referrals, first-contact deadlines (4 s) and first contacts recorded by
 * Update, with a fault injected every few seconds in turn:
 *
 *   a worker SIGKILLed (and started again), the mail server down (for BENCH_SMTP_OUTAGE_S),
 *   the dev server stopped with SIGTERM, the dev server SIGKILLed, the mail server taking a
 *   message and dropping the connection, the other worker SIGKILLed.
 *
 * Beside it, in the same run and on the same rig, the same load with no fault (the baseline).
 * Counted for each, never assumed (test/faults/journeys-under-fault.ts): journeys missing or in a
 * stage a pure run of the machine does not give; Updates lost or applied twice; nudges due that
 * never arrived; copies of a message (by Message-ID) and whether a cut-off send explains each;
 * the delay from each deadline to its nudge, and from the end of an outage for deadlines that
 * fell during one.
 *
 *   npm run bench:faults                                   (about 5 minutes: 1 quiet, 2 with each fault once)
 *   BENCH_FAULTS_MINUTES=60 BENCH_FAULT_EVERY_S=180 BENCH_SMTP_OUTAGE_S=600 npm run bench:faults   (the hour's soak)
 *
 * Updates counted are the first contacts recorded (one per journey that records one); the load's
 * referrals are workflow starts.
 */
import { cutOffSends, startFaultRig, type FaultRig, type WorkerProcess } from '../test/faults/rig';
import { FaultLoad, unexplainedCopies, type Account, type Outage } from '../test/faults/journeys-under-fault';
import { banner, deadline, fmt, loadLine, median, percentile, quietRuntime, table } from './common';

/** The phase with faults; by default long enough for each of the six faults once. */
const MINUTES = Number(process.env.BENCH_FAULTS_MINUTES ?? 2);
/** The baseline phase before it, the same load with no fault. */
const QUIET_MINUTES = Number(process.env.BENCH_QUIET_MINUTES ?? 1);
const FAULT_EVERY_S = Number(process.env.BENCH_FAULT_EVERY_S ?? 20);
const SMTP_OUTAGE_S = Number(process.env.BENCH_SMTP_OUTAGE_S ?? 10);
const REFER_EVERY_MS = Number(process.env.BENCH_REFER_EVERY_MS ?? 500);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Fault = { name: string; inject(rig: FaultRig, workers: WorkerProcess[]): Promise<void> };

const restartWorker = (index: number): Fault['inject'] => async (rig, workers) => {
  const worker = workers[index]!;
  await worker.kill('SIGKILL');
  workers[index] = await rig.startWorker(worker.name);
};

const faults: Fault[] = [
  { name: 'worker a SIGKILL', inject: restartWorker(0) },
  {
    name: `SMTP down ${SMTP_OUTAGE_S} s`,
    inject: async (rig) => {
      await rig.smtp.down();
      await sleep(SMTP_OUTAGE_S * 1000);
      await rig.smtp.up();
    },
  },
  { name: 'dev server SIGTERM', inject: (rig) => rig.restartServer('SIGTERM', 1_000) },
  { name: 'dev server SIGKILL', inject: (rig) => rig.restartServer('SIGKILL', 1_000) },
  { name: 'SMTP drops after DATA', inject: async (rig) => rig.smtp.dropAfterDataNext(1) },
  { name: 'worker b SIGKILL', inject: restartWorker(1) },
];

interface PhaseResult {
  label: string;
  faults: string[];
  loads: FaultLoad[];
  accounts: Account[];
  copiesUnexplained: number;
  ms: number;
  load: string;
}

async function phase(rig: FaultRig, workers: WorkerProcess[], label: string, withFaults: boolean, minutes: number): Promise<PhaseResult> {
  const started = Date.now();
  const loads: FaultLoad[] = [];
  const outages: Outage[] = [];
  const injected: string[] = [];
  const perCycle = Math.max(2, Math.round((FAULT_EVERY_S * 1000) / REFER_EVERY_MS));
  for (let cycle = 0; Date.now() - started < minutes * 60_000; cycle++) {
    const load = new FaultLoad(rig, { label: `${label}-${cycle}`, journeys: perCycle, everyMs: REFER_EVERY_MS, contactWithinMs: 8_000 });
    loads.push(load);
    const running = load.run();
    if (withFaults) {
      await sleep(FAULT_EVERY_S * 1000 * (0.3 + 0.4 * Math.random()));
      const fault = faults[cycle % faults.length]!;
      const from = Date.now();
      await fault.inject(rig, workers);
      outages.push({ from, to: Date.now() });
      injected.push(fault.name);
      console.log(`  ${new Date().toISOString().slice(11, 19)} ${fault.name} (${fmt.ms(Date.now() - from)})`);
    }
    await running;
  }
  const load = loadLine().replace('load ', '');
  const accounts: Account[] = [];
  for (const load of loads) accounts.push(await load.account(rig.client, { outages, limitMs: 120_000 }));
  const copiesUnexplained = unexplainedCopies(accounts.flatMap((a) => a.duplicated), cutOffSends(workers)).length;
  return { label, faults: injected, loads, accounts, copiesUnexplained, ms: Date.now() - started, load };
}

async function main(): Promise<void> {
  banner(
    `Fault soak: ${QUIET_MINUTES} min without faults, then ${MINUTES} min with one every ~${FAULT_EVERY_S} s; two workers, dev server, SMTP on loopback`,
    'npm run bench:faults',
  );
  quietRuntime();
  const rig = await startFaultRig({
    label: 'soak',
    policy: { youngPerson: { firstContactWithin: '4 seconds' }, notifications: { escalateUnactedNudgeAfter: '1 hour' } },
  });
  const disarm = deadline((QUIET_MINUTES + MINUTES + 15) * 60_000, 'bench:faults', () => rig.stop());
  try {
    rig.smtp.slowReplies(100);
    const workers = await Promise.all([rig.startWorker('a'), rig.startWorker('b')]);
    const baseline = await phase(rig, workers, 'quiet', false, QUIET_MINUTES);
    const faulted = await phase(rig, workers, 'faults', true, MINUTES);

    const rows: (string | number)[][] = [
      ['phase', 'faults', 'journeys', 'Updates', 'nudges due', 'lost: journeys / stages / Updates / nudges', 'Updates twice', 'copies (unexplained)', 'delay p50', 'p99', 'max', 'after recovery max', 'load at end'],
    ];
    for (const r of [baseline, faulted]) {
      const sum = (f: (a: Account) => number) => r.accounts.reduce((n, a) => n + f(a), 0);
      const delays = r.accounts.flatMap((a) => a.delaysMs);
      const after = r.accounts.flatMap((a) => a.afterRecoveryMs);
      rows.push([
        r.label,
        r.faults.length,
        sum((a) => a.journeys),
        sum((a) => a.updateAttempts - a.updateRetries),
        sum((a) => a.nudgesDue),
        `${sum((a) => a.missing.length)} / ${sum((a) => a.stageMismatches.length)} / ${sum((a) => a.updatesLost.length + a.updatesUnsettled.length)} / ${sum((a) => a.nudgesMissing.length)}`,
        sum((a) => a.updatesTwice.length),
        `${sum((a) => a.duplicates)} (${r.copiesUnexplained})`,
        fmt.ms(median(delays)),
        fmt.ms(percentile(delays, 99)),
        fmt.ms(Math.max(...delays)),
        fmt.ms(Math.max(...after)),
        r.load,
      ]);
    }
    table(rows);
    const p99 = (r: PhaseResult) => percentile(r.accounts.flatMap((a) => a.delaysMs), 99);
    console.log(`\nfaults injected: ${faulted.faults.join(', ')}`);
    console.log(`nudge delay p99 with faults against without: ${fmt.ms(p99(faulted))} vs ${fmt.ms(p99(baseline))} (ratio ${fmt.n(p99(faulted) / p99(baseline), 1)})`);
    console.log(`worst delay after recovery: ${fmt.ms(Math.max(...faulted.accounts.flatMap((a) => a.afterRecoveryMs)))} (target <= 15 s)`);
    const stagesWrong = faulted.accounts.flatMap((a) => a.stageMismatches);
    if (stagesWrong.length > 0) console.log(`stage mismatches:\n  ${stagesWrong.join('\n  ')}`);
  } finally {
    await rig.stop();
    disarm();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
