/**
 * The fault rig: the real parts of a small scheme's server, each one a thing a test can break.
 *
 * - The Temporal dev server (the CLI's, with its SQLite file), started as `npm start` starts it
 *   (worker/dev-server.ts), on ports of its own, and restartable on the same file and port after a
 *   SIGTERM or a SIGKILL.
 * - Workers as processes of their own: `worker/main.ts`, the very program `npm start` runs, pointed
 *   at that server by TEMPORAL_ADDRESS (so no dev server of its own), with the web app and codec
 *   server off. Each has its data folder (delivery log, outbox); all share one keyring, as the
 *   workers of one scheme do. They can be killed with SIGKILL and started again.
 * - A real SMTP server on loopback (test/helpers/smtp.ts) that stamps each message's arrival and
 *   can go down, defer, or drop the connection after taking a message.
 * - The client a co-ordinator's web app uses (client/journeys.ts), on the same keyring.
 *
 * Used by the fault tests (short) and by the soak script (bench/faults.bench.ts, long).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Journeys } from '../../client/journeys';
import { parsePolicy, type SchemePolicy } from '../../machines/policy';
import { openPrivacy, type Privacy } from '../../privacy';
import { repoRoot } from '../../config';
import { startDevServer, type DevServer } from '../../worker/dev-server';
import { freePort } from '../helpers/ports';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../helpers/smtp';

export interface Arrival {
  at: number;
  messageId: string;
  /** The X-Mentorflow-About header: which matter (firstContactOverdue, ...). */
  about: string;
  /** The journey id the subject ends with, "(...)". */
  journeyId: string | undefined;
  mail: ReceivedMail;
}

export interface WorkerProcess {
  readonly name: string;
  readonly pid: number;
  readonly dataDir: string;
  /** Everything it printed, stdout and stderr. */
  output(): string;
  /** Resolves with the exit code or signal when the process ends. */
  readonly exited: Promise<string>;
  kill(signal: NodeJS.Signals): Promise<string>;
}

/** One line of a worker's delivery log: a delivery, or a note about an attempt. */
export interface DeliveryLogLine {
  deliveryKey: string;
  messageId: string;
  attempt?: 'started' | 'failed';
  error?: string;
  deliveredAt?: string;
}

export function deliveryLogOf(worker: Pick<WorkerProcess, 'dataDir'>): DeliveryLogLine[] {
  let text: string;
  try {
    text = readFileSync(path.join(worker.dataDir, 'deliveries.jsonl'), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as DeliveryLogLine];
      } catch {
        return []; // cut off by a kill
      }
    });
}

/** Failures after which the message may still have reached the server: the connection was lost mid-session. */
const LOST_MID_SESSION = new Set(['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'unknown']);

/**
 * Sends that were cut off, by Message-ID, once per such attempt: an attempt that started and was
 * neither recorded as delivered nor failed cleanly (refused connection, 4xx, 5xx) before the next
 * attempt, or ever: the worker died, or the connection was lost mid-session. Only these may have
 * reached the mail server without the worker knowing, so only these can explain a copy.
 */
export function cutOffSends(workers: readonly Pick<WorkerProcess, 'dataDir'>[], killed: readonly { worker: Pick<WorkerProcess, 'dataDir'>; at: number }[] = []): string[] {
  const cut: string[] = [];
  // A worker killed just after a send it had recorded, before Temporal heard the activity was done:
  // another worker, with a delivery log of its own, retries it. Counted for what the killed
  // worker had recorded in its last 2 s.
  for (const { worker, at } of killed) {
    for (const line of deliveryLogOf(worker)) {
      const when = Date.parse(line.deliveredAt ?? '');
      if (!line.attempt && when <= at && when >= at - 2_000) cut.push(line.messageId);
    }
  }
  for (const worker of workers) {
    const open = new Set<string>();
    for (const line of deliveryLogOf(worker)) {
      if (line.attempt === 'started') {
        if (open.has(line.messageId)) cut.push(line.messageId);
        open.add(line.messageId);
      } else if (line.attempt === 'failed' && LOST_MID_SESSION.has(line.error ?? 'unknown')) {
        if (open.delete(line.messageId)) cut.push(line.messageId);
      } else open.delete(line.messageId);
    }
    cut.push(...open);
  }
  return cut;
}

export interface FaultRig {
  readonly root: string;
  readonly policy: SchemePolicy;
  readonly taskQueue: string;
  readonly address: string;
  readonly client: Client;
  readonly journeys: Journeys;
  readonly privacy: Privacy;
  readonly smtp: TestSmtpServer;
  /** Every message the SMTP server took, in order, with when. */
  readonly arrivals: Arrival[];
  /** Start a worker process; resolves once it says it is running. */
  startWorker(name: string, env?: Record<string, string>): Promise<WorkerProcess>;
  /** Start a worker process without waiting for it (e.g. one expected to refuse to start). */
  spawnWorker(name: string, env?: Record<string, string>): WorkerProcess;
  /** Stop the dev server with `signal` (SIGTERM, or SIGKILL: no chance to clean up) and start it again on the same file and port. */
  restartServer(signal: 'SIGTERM' | 'SIGKILL', downForMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const READY = 'mentorflow is running.';

export async function startFaultRig(options: { policy: unknown; label: string }): Promise<FaultRig> {
  const root = mkdtempSync(path.join(tmpdir(), `mentorflow-faults-${options.label}-`));
  const policy = parsePolicy(options.policy);
  const policyFile = path.join(root, 'policy.json');
  writeFileSync(policyFile, JSON.stringify(options.policy));
  const keyring = { keyringFile: path.join(root, 'keys', 'keyring.json'), personKeysDir: path.join(root, 'keys', 'person-keys') };
  const privacy = openPrivacy(keyring, { create: true });
  const serverDir = path.join(root, 'temporal');
  const port = await freePort();
  const startServer = () => startDevServer({ dataDir: serverDir, port, headless: true, namespace: 'default' });
  let server: DevServer = await startServer();
  const address = server.address;
  const taskQueue = `faults-${options.label}`;

  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: 'default', dataConverter: privacy.dataConverter });
  const journeys = new Journeys({ client, taskQueue, policy, personalData: privacy.personalData });

  const smtp = await startSmtpServer();
  const arrivals: Arrival[] = [];
  const push = smtp.received.push.bind(smtp.received);
  smtp.received.push = (...mails: ReceivedMail[]) => {
    const at = Date.now();
    for (const mail of mails) {
      arrivals.push({
        at,
        messageId: mail.message.header('message-id') ?? '',
        about: mail.message.header('x-mentorflow-about') ?? '',
        journeyId: /\(([^()]+)\)\s*$/.exec(mail.message.header('subject') ?? '')?.[1],
        mail,
      });
    }
    return push(...mails);
  };

  const workers: WorkerProcess[] = [];
  const spawnWorker = (name: string, env: Record<string, string> = {}): WorkerProcess => {
    const dataDir = path.join(root, `worker-${name}`);
    mkdirSync(dataDir, { recursive: true });
    // `node --import tsx` rather than the tsx command: the pid is the worker's own, so SIGKILL
    // reaches the worker and not a launcher that would leave it running.
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'worker', 'main.ts')], {
      cwd: repoRoot,
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: address,
        TEMPORAL_NAMESPACE: 'default',
        TEMPORAL_TASK_QUEUE: taskQueue,
        MENTORFLOW_DATA_DIR: dataDir,
        MENTORFLOW_POLICY: policyFile,
        MENTORFLOW_KEYRING: keyring.keyringFile,
        MENTORFLOW_PERSON_KEYS: keyring.personKeysDir,
        MENTORFLOW_WEB: 'false',
        MENTORFLOW_CODEC_SERVER: 'false',
        SMTP_HOST: smtp.host,
        SMTP_PORT: String(smtp.port),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? `exit code ${code}`)));
    const worker: WorkerProcess = {
      name,
      pid: child.pid!,
      dataDir,
      output: () => output,
      exited,
      async kill(signal) {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        return exited;
      },
    };
    workers.push(worker);
    return worker;
  };

  const startWorker = async (name: string, env: Record<string, string> = {}): Promise<WorkerProcess> => {
    const worker = spawnWorker(name, env);
    const ended = worker.exited.then((how) => {
      throw new Error(`worker ${name} ended (${how}) before it was running:\n${worker.output()}`);
    });
    const until = Date.now() + 90_000;
    while (!worker.output().includes(READY)) {
      if (Date.now() > until) throw new Error(`worker ${name} did not start within 90 s:\n${worker.output()}`);
      await Promise.race([ended, new Promise((r) => setTimeout(r, 50))]);
    }
    ended.catch(() => {});
    return worker;
  };

  const restartServer = async (signal: 'SIGTERM' | 'SIGKILL', downForMs = 0): Promise<void> => {
    const { pid } = JSON.parse(readFileSync(path.join(serverDir, 'temporal-server.pid'), 'utf8')) as { pid: number };
    process.kill(pid, signal);
    // The watchdog ends with the server it runs; stop() then only waits for that.
    await server.stop();
    if (downForMs > 0) await new Promise((r) => setTimeout(r, downForMs));
    server = await startServer();
  };

  return {
    root,
    policy,
    taskQueue,
    address,
    client,
    journeys,
    privacy,
    smtp,
    arrivals,
    startWorker,
    spawnWorker,
    restartServer,
    async stop() {
      await Promise.all(workers.map((w) => w.kill('SIGTERM')));
      await connection.close();
      await smtp.stop();
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
