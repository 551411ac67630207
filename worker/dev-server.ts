/**
 * The embedded Temporal server of `npm start`: `temporal server start-dev` as a child process,
 * persisting to .data/temporal.sqlite, with the Web UI and the Mentorflow* search attributes.
 *
 * The CLI is the one found by scripts/temporal-binaries.mjs (PATH, or built once with Go). Without
 * one, falls back to the Temporal SDK, which downloads the CLI from temporal.download: that needs
 * internet access, and the SDK stops its server with SIGKILL rather than a clean shutdown.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { resolveTemporalBinaries } from '../config/temporal-paths.mjs';
import { mentorflowSearchAttributes } from '../contracts/search-attributes';

const repoRoot = path.resolve(__dirname, '..');

export interface DevServerOptions {
  /** gRPC port; default $TEMPORAL_DEV_PORT or 7233. */
  port?: number;
  /** Web UI port; default $TEMPORAL_DEV_UI_PORT or 8233. */
  uiPort?: number;
  /** No Web UI. */
  headless?: boolean;
  /** Address the server binds to; default 127.0.0.1 (this machine only). */
  ip?: string;
  namespace?: string;
  /** Default $MENTORFLOW_DATA_DIR or <repo>/.data. */
  dataDir?: string;
  /** SQLite file; default <dataDir>/temporal.sqlite. */
  dbFilename?: string;
  /** Server output (appended); default <dataDir>/temporal-server.log. */
  logFile?: string;
  /** Remote codec endpoint the Web UI uses to decode payloads (`--ui-codec-endpoint`). */
  uiCodecEndpoint?: string;
  /** How long to wait for the server to accept connections; default 60 s. */
  startTimeoutMs?: number;
  /** Temporal CLI to run instead of the one scripts/temporal-binaries.mjs found. */
  temporalCli?: string;
  /** More `temporal server start-dev` flags. */
  extraArgs?: string[];
}

export interface DevServer {
  /** host:port of the gRPC frontend. */
  address: string;
  namespace: string;
  /** URL of the Web UI, or null when headless. */
  uiUrl: string | null;
  logFile: string | null;
  /** Interrupts the server (SIGINT, then SIGTERM, then SIGKILL) and waits for it to exit. */
  stop(): Promise<void>;
}

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${name}=${raw} is not a port number`);
  return port;
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * The dev server's visibility calls per second (list, count) for the namespace. Its default is
 * low enough that a few pages of the web app at once (Caseload counts its way to a page:
 * client/due-order.ts) were held back by the server's rate limiter, about 2 s at a time, once a
 * few dozen calls had come in quick succession (measured; BENCHMARKS.md section 7). A cluster's
 * operator sets the same limit (`frontend.namespaceRPS.visibility`) in its dynamic config.
 */
export const devServerTuning: readonly string[] = ['--dynamic-config-value', 'frontend.namespaceRPS.visibility=500'];

/** The Web UI port `startDevServer` uses when given none: $TEMPORAL_DEV_UI_PORT or 8233. */
export function defaultUiPort(): number {
  return portFromEnv('TEMPORAL_DEV_UI_PORT', 8233);
}

/** The command line as logged: a codec endpoint's capability token (`/t/<token>`) is not written down. */
function redacted(args: string[]): string {
  return args.map((arg) => arg.replace(/\/t\/[^/\s]+/g, '/t/<token>')).join(' ');
}

/**
 * Whether a process with this pid is running (signal 0 checks without sending anything). A zombie
 * counts as dead: in a container whose init does not reap, a killed orphan stays one.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // The state follows the command name, which is in parentheses and may itself hold spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (not Linux): signal 0 is all we have
  }
}

/**
 * A dev server left by an earlier `npm start` on this data dir that died without stopping it (and
 * whose watchdog died too, or is still stopping it): stopped, so that this start can carry on.
 * Only when its owner is dead and /proc says the pid is still our `temporal server start-dev` on
 * this very database, so a reused pid or a server someone else runs is never touched.
 */
async function reclaimLeftOverServer(pidFile: string, dbFilename: string): Promise<void> {
  let recorded: { pid?: unknown; ownerPid?: unknown };
  try {
    recorded = JSON.parse(readFileSync(pidFile, 'utf8')) as typeof recorded;
  } catch {
    return;
  }
  const { pid, ownerPid } = recorded;
  if (typeof pid !== 'number' || typeof ownerPid !== 'number' || isAlive(ownerPid)) return;
  const ours = () => {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return argv.includes('start-dev') && argv.includes(dbFilename);
    } catch {
      return false;
    }
  };
  if (ours()) {
    console.log(`A Temporal dev server left running by an earlier \`npm start\` (pid ${pid}) was still holding its ports: stopping it, then carrying on.`);
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(pid, name);
      } catch {
        // Gone meanwhile.
      }
    };
    signal('SIGINT');
    const deadline = Date.now() + 15_000;
    while (ours() && Date.now() < deadline) {
      if (Date.now() > deadline - 5_000) signal('SIGKILL');
      await sleep(100);
    }
  }
  rmSync(pidFile, { force: true });
}

/** Waits until the frontend answers and the namespace exists. */
async function waitUntilServing(address: string, namespace: string, deadline: number, exited: () => string | null): Promise<void> {
  const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))];
  let lastError = 'not listening';
  while (Date.now() < deadline) {
    const exit = exited();
    if (exit) throw new Error(`the Temporal dev server exited (${exit}) before accepting connections`);
    if (await canConnect(host, port)) {
      let connection: Connection | undefined;
      try {
        connection = await Connection.connect({ address, connectTimeout: 2000 });
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
      } finally {
        await connection?.close().catch(() => {});
      }
    }
    await sleep(200);
  }
  throw new Error(`the Temporal dev server did not accept connections on ${address} in time (last error: ${lastError})`);
}

/** Starts the dev server and resolves once it serves the namespace. */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const port = options.port ?? portFromEnv('TEMPORAL_DEV_PORT', 7233);
  const uiPort = options.uiPort ?? defaultUiPort();
  const headless = options.headless ?? false;
  const ip = options.ip ?? '127.0.0.1';
  const host = ip === '0.0.0.0' || ip === '::' ? '127.0.0.1' : ip;
  const namespace = options.namespace ?? 'default';
  const dataDir = options.dataDir ?? process.env.MENTORFLOW_DATA_DIR ?? path.join(repoRoot, '.data');
  const dbFilename = options.dbFilename ?? path.join(dataDir, 'temporal.sqlite');
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const address = `${host}:${port}`;
  const uiUrl = headless ? null : `http://${host.includes(':') ? `[${host}]` : host}:${uiPort}`;
  mkdirSync(path.dirname(dbFilename), { recursive: true });
  const pidFile = path.join(dataDir, 'temporal-server.pid');
  await reclaimLeftOverServer(pidFile, dbFilename);

  const ports: [string, number][] = [['gRPC', port], ...(headless ? [] : [['Web UI', uiPort] as [string, number]])];
  for (const [what, p] of ports) {
    if (await canConnect(host, p)) {
      throw new Error(
        `Port ${p} (${what}) is already in use on ${host}: is another Temporal server or \`npm start\` running? ` +
          'Stop it, or choose other ports with TEMPORAL_DEV_PORT / TEMPORAL_DEV_UI_PORT.',
      );
    }
  }

  const cliArgs = [
    ...devServerTuning,
    ...(options.uiCodecEndpoint ? ['--ui-codec-endpoint', options.uiCodecEndpoint] : []),
    ...(options.extraArgs ?? []),
  ];
  const temporalCli = options.temporalCli ?? resolveTemporalBinaries().temporalCli;
  if (!temporalCli) return startWithSdkDownload({ port, uiPort, headless, ip, namespace, dbFilename, address, uiUrl, cliArgs });

  const logFile = options.logFile ?? path.join(dataDir, 'temporal-server.log');
  mkdirSync(path.dirname(logFile), { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    ip,
    '--port',
    String(port),
    ...(headless ? ['--headless'] : ['--ui-port', String(uiPort)]),
    '--db-filename',
    dbFilename,
    '--namespace',
    namespace,
    '--log-level',
    'warn',
    ...mentorflowSearchAttributes.flatMap((key) => ['--search-attribute', `${key.name}=${TypedSearchAttributes.toMetadataType(key.type)}`]),
    ...cliArgs,
  ];
  const logFd = openSync(logFile, 'a');
  writeSync(logFd, `\n--- ${new Date().toISOString()} ${temporalCli} ${redacted(args)}\n`);
  // Through the watchdog, so that the server stops when this process dies, even by kill -9: it
  // sees EOF on the stdin pipe we hold (why a pipe: worker/dev-server-watchdog.mjs).
  const watchdog = path.join(__dirname, 'dev-server-watchdog.mjs');
  const child = spawn(process.execPath, [watchdog, pidFile, String(process.pid), temporalCli, ...args], { stdio: ['pipe', logFd, logFd] });
  closeSync(logFd);

  let exitStatus: string | null = null;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitStatus = signal ?? `exit code ${code}`;
      resolve();
    });
    child.once('error', (error) => {
      exitStatus = error.message;
      resolve();
    });
  });
  // Do not leave a server behind if this process ends without calling stop(). Not SIGKILL: the
  // watchdog would die without stopping the server.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.removeListener('exit', killOnExit);
      if (exitStatus) return;
      child.kill('SIGINT');
      const escalate = [setTimeout(() => child.kill('SIGTERM'), 10_000), setTimeout(() => child.kill('SIGKILL'), 20_000)];
      await exited;
      escalate.forEach(clearTimeout);
    })();
    return stopping;
  };

  try {
    await waitUntilServing(address, namespace, Date.now() + startTimeoutMs, () => exitStatus);
  } catch (error) {
    await stop();
    const log = tail(logFile);
    throw new Error(`${(error as Error).message}. Command: ${temporalCli} ${redacted(args)}. Log ${logFile}${log ? `:\n${log}` : ' is empty.'}`, {
      cause: error,
    });
  }
  return { address, namespace, uiUrl, logFile, stop };
}

async function startWithSdkDownload(o: {
  port: number;
  uiPort: number;
  headless: boolean;
  ip: string;
  namespace: string;
  dbFilename: string;
  address: string;
  uiUrl: string | null;
  cliArgs: string[];
}): Promise<DevServer> {
  console.warn(
    '[dev-server] No Temporal CLI found (run `node scripts/temporal-binaries.mjs`, which builds one with Go). ' +
      'Letting the Temporal SDK download it from temporal.download: this needs internet access.',
  );
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ip: o.ip,
      port: o.port,
      ...(o.headless ? { ui: false } : { ui: true, uiPort: o.uiPort }),
      namespace: o.namespace,
      dbFilename: o.dbFilename,
      searchAttributes: mentorflowSearchAttributes,
      extraArgs: o.cliArgs,
    },
  });
  let stopping: Promise<void> | undefined;
  return {
    address: env.address,
    namespace: o.namespace,
    uiUrl: o.uiUrl,
    logFile: null,
    stop: () => (stopping ??= env.teardown()),
  };
}
