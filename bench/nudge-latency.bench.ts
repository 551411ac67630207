/**
 * Nudge latency: a policy with durations in seconds (first contact within 5 seconds) on the dev
 * server, a real worker with the real notification activities and a real SMTP server on loopback
 * (test/helpers/smtp.ts). For each young person referred and not contacted, the time from the
 * deadline to the nudge reaching the SMTP server; p50 and p99 (target p99 < 2 s), with the parts
 * read from each journey's history: timer fired, activity scheduled, started, delivered.
 *
 * Three loads: deadlines spread out (a few a second); a burst of new journeys whose deadlines
 * fall before all of them have even started (many referred in the same second, 5 s deadlines);
 * and many deadlines at the same instant on journeys already running (the realistic Monday
 * morning: reviews and check-ins falling due together on journeys started days before).
 * Beside the last, the baseline, same server, same run: as many bare workflows whose one timer is
 * due at one instant, each then sending one plain email through an activity to the same SMTP
 * server (bench/baseline-workflow.ts), and the ratio of our latency to it.
 *
 *   npm run bench:nudge                          (about 1 minute)
 *   BENCH_SPREAD=80 BENCH_BURST=80 npm run bench:nudge
 */
import type { Client } from '@temporalio/client';
import nodemailer from 'nodemailer';
import { Journeys } from '../client/journeys';
import { parsePolicy } from '../machines/policy';
import { startSmtpServer } from '../test/helpers/smtp';
import { createJourneyWorker } from '../worker/create-worker';
import { workflowIdFor } from '../contracts/ids';
import type { BaselineActivities } from './baseline-workflow';
import {
  banner,
  bundle,
  countedActivities,
  deadline,
  fmt,
  journeyWorkflowsPath,
  baselineWorkflowsPath,
  loadLine,
  median,
  percentile,
  quietRuntime,
  startBenchDevServer,
  table,
  tempDir,
  benchPrivacy,
  encryptingClient,
} from './common';

const SPREAD = Number(process.env.BENCH_SPREAD ?? 60);
const SPREAD_EVERY_MS = Number(process.env.BENCH_SPREAD_EVERY_MS ?? 250);
const BURST = Number(process.env.BENCH_BURST ?? 60);
const FIRST_CONTACT = '5 seconds';
/** For deadlines that fall together on journeys already running: long enough to start them all first. */
const COINCIDENT_WITHIN_S = Number(process.env.BENCH_COINCIDENT_WITHIN_S ?? 20);

const policy = parsePolicy({
  youngPerson: { firstContactWithin: FIRST_CONTACT },
  // No escalation inside the benchmark's window.
  notifications: { escalateUnactedNudgeAfter: '1 hour' },
});

interface Sample {
  id: string;
  /** The journey's own due time for first contact. */
  deadline: number;
  /** How much later than referral time + policy that due time is (0 since journeys count from the referral). */
  shift: number;
  received?: number;
}

interface Parts {
  timerFired: number[];
  scheduled: number[];
  started: number[];
  completed: number[];
}

const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
  t ? Number(t.seconds) * 1000 + (t.nanos ?? 0) / 1e6 : NaN;

/** Where the time went, from the journey's history (the server's clock, same machine). */
async function partsOf(client: Client, samples: Sample[]): Promise<Parts> {
  const parts: Parts = { timerFired: [], scheduled: [], started: [], completed: [] };
  for (const s of samples) {
    const history = await client.workflow.getHandle(workflowIdFor('youngPerson', s.id)).fetchHistory();
    const events = history.events ?? [];
    const fired = events.find((e) => e.timerFiredEventAttributes);
    const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes);
    const started = events.find((e) => e.activityTaskStartedEventAttributes);
    const completed = events.find((e) => e.activityTaskCompletedEventAttributes);
    parts.timerFired.push(ms(fired?.eventTime) - s.deadline);
    parts.scheduled.push(ms(scheduled?.eventTime) - s.deadline);
    parts.started.push(ms(started?.eventTime) - s.deadline);
    parts.completed.push(ms(completed?.eventTime) - s.deadline);
  }
  return parts;
}

async function main(): Promise<void> {
  banner(
    `Nudge latency: first contact within ${FIRST_CONTACT}; ${SPREAD} deadlines ${SPREAD_EVERY_MS} ms apart, then ${BURST} at once; real SMTP on loopback`,
    'npm run bench:nudge',
  );
  quietRuntime();
  const server = await startBenchDevServer('nudge');
  const smtp = await startSmtpServer();
  const disarm = deadline(6 * 60_000, 'bench:nudge', async () => {
    await smtp.stop();
    await server.stop();
  });
  const data = tempDir('nudge');
  try {
    // Stamp each message as it arrives (the helper keeps them in order, without a time).
    const arrivals = new Map<string, number>();
    const push = smtp.received.push.bind(smtp.received);
    smtp.received.push = (...mails) => {
      const now = Date.now();
      for (const mail of mails) {
        const id = /\(([^()]+)\)\s*$/.exec(mail.message.header('subject') ?? '')?.[1];
        if (id && !arrivals.has(id)) arrivals.set(id, now);
      }
      return push(...mails);
    };

    const { code } = await bundle(journeyWorkflowsPath);
    const { code: baselineCode } = await bundle(baselineWorkflowsPath);
    const baselineTimerLag: number[] = [];
    const baselineDelivered: number[] = [];
    const { activities, counts, durations } = await countedActivities({ dataDir: data.dir, smtp: { host: smtp.host, port: smtp.port } });
    const taskQueue = `bench-nudge-${process.pid}`;
    const worker = await createJourneyWorker({
      connection: server.connection,
      namespace: server.namespace,
      taskQueue,
      activities,
      workflowBundle: { code },
      // As the product runs: payloads encrypted, personal fields sealed.
      dataConverter: benchPrivacy().dataConverter,
    });
    const journeys = new Journeys({ client: encryptingClient(server), taskQueue, policy, personalData: benchPrivacy().personalData });
    const runId = Date.now().toString(36);

    const coincidentPolicy = parsePolicy({
      youngPerson: { firstContactWithin: `${COINCIDENT_WITHIN_S} seconds` },
      notifications: { escalateUnactedNudgeAfter: '1 hour' },
    });
    const coincidentJourneys = new Journeys({ client: encryptingClient(server), taskQueue, policy: coincidentPolicy, personalData: benchPrivacy().personalData });

    /**
     * Refer a young person; the deadline is the one the journey itself set (its status's `due`).
     * Journeys count it from the referral; `shift` is how far it is from referral time + policy,
     * which journeys from before `deadlines-from-journey-start` showed under a burst (they
     * counted from their first workflow task), and which should now be 0.
     */
    const refer = async (label: string, i: number, at?: Date): Promise<Sample> => {
      const id = `nudge-${label}-${runId}-${i}`;
      const startedAt = at ?? new Date();
      const client = at ? coincidentJourneys : journeys;
      await client.start('youngPerson', {
        journeyId: id,
        coordinatorId: 'co-1',
        startedAt: startedAt.toISOString(),
        referral: { referredBy: { role: 'referrer', id: 'sw-1' }, dateOfBirth: '2008-05-01', careExperienced: true },
      });
      const nominal = startedAt.getTime() + (at ? COINCIDENT_WITHIN_S * 1000 : 5_000);
      const due = (await client.status('youngPerson', id)).due[0];
      const deadline = due ? Date.parse(due.dueAt) : nominal;
      return { id, deadline, shift: deadline - nominal };
    };

    const waitFor = async (samples: Sample[], limitMs: number) => {
      const until = Date.now() + limitMs;
      while (Date.now() < until && samples.some((s) => !arrivals.has(s.id))) await new Promise((r) => setTimeout(r, 50));
      for (const s of samples) s.received = arrivals.get(s.id);
    };

    const results: { label: string; samples: Sample[]; parts: Parts; load: string }[] = [];
    await worker.runUntil(async () => {
      // Warm up: one journey through to its nudge.
      const warm = [await refer('warm', 0)];
      await waitFor(warm, 30_000);

      // Spread: a referral every SPREAD_EVERY_MS, so deadlines fall a few a second.
      const spread: Sample[] = [];
      for (let i = 0; i < SPREAD; i++) {
        spread.push(await refer('spread', i));
        await new Promise((r) => setTimeout(r, SPREAD_EVERY_MS));
      }
      await waitFor(spread, 60_000);
      results.push({ label: `spread (${fmt.n(1000 / SPREAD_EVERY_MS, 1)}/s)`, samples: spread, parts: await partsOf(server.client, spread), load: loadLine() });

      // Burst: all referred together; their deadlines fall within the time it takes to start them.
      const burst = await Promise.all(Array.from({ length: BURST }, (_, i) => refer('burst', i)));
      const spanMs = Math.max(...burst.map((s) => s.deadline)) - Math.min(...burst.map((s) => s.deadline));
      await waitFor(burst, 90_000);
      results.push({ label: `burst (${BURST} within ${fmt.n(spanMs)} ms)`, samples: burst, parts: await partsOf(server.client, burst), load: loadLine() });

      // The same number of referrals at one instant, with a deadline long enough for all of them to be
      // running (and cached) well before it.
      const t0 = new Date();
      const coincident = await Promise.all(Array.from({ length: BURST }, (_, i) => refer('same-instant', i, t0)));
      const startedWithinMs = Date.now() - t0.getTime();
      await waitFor(coincident, 90_000 + COINCIDENT_WITHIN_S * 1000);
      results.push({
        label: `one instant, ${BURST} referred together (due within ${fmt.n(Math.max(...coincident.map((c) => c.deadline)) - Math.min(...coincident.map((c) => c.deadline)))} ms; started in ${fmt.n(startedWithinMs)} ms)`,
        samples: coincident,
        parts: await partsOf(server.client, coincident),
        load: loadLine(),
      });

      if (process.env.BENCH_DEBUG) {
        const worst = [...coincident].sort((a, b) => (b.received ?? Infinity) - b.deadline - ((a.received ?? Infinity) - a.deadline))[0]!;
        const history = await server.client.workflow.getHandle(workflowIdFor('youngPerson', worst.id)).fetchHistory();
        console.log(`history of the slowest same-instant journey (ms from its deadline; received at ${worst.received! - worst.deadline}):`);
        for (const e of history.events ?? []) console.log(`  ${fmt.n(ms(e.eventTime) - worst.deadline)}  ${String(e.eventType)}`);
      }

      // Baseline, same server, same run: bare workflows, one timer each, all due at one instant.
      const baselineDue = Date.now() + COINCIDENT_WITHIN_S * 1000;
      const baselineQueue = `${taskQueue}-baseline`;
      const baselineWorker = await createJourneyWorker({
        connection: server.connection,
        namespace: server.namespace,
        taskQueue: baselineQueue,
        activities: baselineActivities(smtp),
        workflowBundle: { code: baselineCode },
      });
      const baselineIds = Array.from({ length: BURST }, (_, i) => `nudge-baseline-${runId}-${i}`);
      await baselineWorker.runUntil(async () => {
        const handles = await Promise.all(
          baselineIds.map((workflowId) =>
            server.client.workflow.start('baselineDeadline', { workflowId, taskQueue: baselineQueue, args: [baselineDue, workflowId] }),
          ),
        );
        await Promise.all(handles.map((h) => h.result()));
      });
      for (const workflowId of baselineIds) {
        const history = await server.client.workflow.getHandle(workflowId).fetchHistory();
        const fired = (history.events ?? []).find((e) => e.timerFiredEventAttributes);
        if (fired) baselineTimerLag.push(ms(fired.eventTime) - baselineDue);
        const received = arrivals.get(workflowId);
        if (received !== undefined) baselineDelivered.push(received - baselineDue);
      }
      if (process.env.BENCH_DEBUG) {
        const worst = [...burst].sort((a, b) => (b.received ?? Infinity) - b.deadline - ((a.received ?? Infinity) - a.deadline))[0]!;
        const history = await server.client.workflow.getHandle(workflowIdFor('youngPerson', worst.id)).fetchHistory();
        console.log(`history of the slowest burst journey (ms from its deadline; received at ${worst.received! - worst.deadline}):`);
        for (const e of history.events ?? []) console.log(`  ${fmt.n(ms(e.eventTime) - worst.deadline)}  ${String(e.eventType)}`);
      }
    });

    const rows: (string | number)[][] = [
      ['load', 'nudges', 'delivered', 'p50', 'p99', 'max', 'p50 timer fired', 'p50 act. scheduled', 'p50 act. started', 'p50 act. completed', 'p99 act. started', 'deadline shift p50/p99', 'load'],
    ];
    for (const r of results) {
      const lat = r.samples.filter((s) => s.received !== undefined).map((s) => s.received! - s.deadline);
      rows.push([
        r.label,
        r.samples.length,
        lat.length,
        fmt.ms(median(lat)),
        fmt.ms(percentile(lat, 99)),
        fmt.ms(Math.max(...lat)),
        fmt.ms(median(r.parts.timerFired)),
        fmt.ms(median(r.parts.scheduled)),
        fmt.ms(median(r.parts.started)),
        fmt.ms(median(r.parts.completed)),
        fmt.ms(percentile(r.parts.started, 99)),
        `${fmt.ms(median(r.samples.map((x) => x.shift)))} / ${fmt.ms(percentile(r.samples.map((x) => x.shift), 99))}`,
        r.load.replace('load ', ''),
      ]);
    }
    console.log('Time from the deadline to the nudge at the SMTP server (and, from the history, to each step on the way):');
    table(rows);
    console.log(
      `\nactivity calls: ${counts.total} ok, ${counts.failed} failed; time in the activity (render, SMTP, delivery log): p50 ${fmt.ms(median(durations))}, p99 ${fmt.ms(percentile(durations, 99))}`,
    );
    const p99 = percentile(
      results.flatMap((r) => r.samples.filter((s) => s.received !== undefined).map((s) => s.received! - s.deadline)),
      99,
    );
    console.log(`p99 over all loads: ${fmt.ms(p99)} (target < 2000 ms)`);
    console.log(
      `baseline, same run: ${baselineTimerLag.length} bare workflows, one timer each due at one instant, then one plain email each ` +
        `through an activity (bench/baseline-workflow.ts): timer fired p50 ${fmt.ms(median(baselineTimerLag))}, p99 ${fmt.ms(percentile(baselineTimerLag, 99))}; ` +
        `at the SMTP server (${baselineDelivered.length} delivered) p50 ${fmt.ms(median(baselineDelivered))}, p99 ${fmt.ms(percentile(baselineDelivered, 99))}`,
    );
    const instant = results.at(-1)!;
    const instantLatency = instant.samples.filter((x) => x.received !== undefined).map((x) => x.received! - x.deadline);
    console.log(
      `one instant, journeys against the baseline: p50 ${fmt.ms(median(instantLatency))} vs ${fmt.ms(median(baselineDelivered))} ` +
        `(ratio ${fmt.n(median(instantLatency) / median(baselineDelivered), 2)}), p99 ${fmt.ms(percentile(instantLatency, 99))} vs ` +
        `${fmt.ms(percentile(baselineDelivered, 99))} (ratio ${fmt.n(percentile(instantLatency, 99) / percentile(baselineDelivered, 99), 2)})`,
    );
    console.log(`${loadLine()} at end`);
  } finally {
    await smtp.stop();
    await server.stop();
    data.remove();
    disarm();
  }
}

/** The baseline's activity: one plain email per call, nodemailer straight to the same SMTP server. */
function baselineActivities(smtp: { host: string; port: number }): BaselineActivities {
  const transport = nodemailer.createTransport({ host: smtp.host, port: smtp.port, secure: false });
  return {
    async baselineSend(tag) {
      await transport.sendMail({ from: 'bench@example.org', to: 'co-1@example.org', subject: `baseline deadline (${tag})`, text: 'A deadline passed.' });
    },
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
