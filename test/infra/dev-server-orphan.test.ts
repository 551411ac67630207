/**
 * Issue 18: `kill -9` of `npm start` must not leave its dev server holding the ports, and a second
 * `npm start` on the same data dir is refused plainly. Real processes: the dev-server part of
 * `npm start` (test/fixtures/dev-server/npm-start-part.ts) on a throw-away data dir and free ports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports';
import { isAlive } from '../../worker/dev-server';

const fixture = path.join(__dirname, '../fixtures/dev-server/npm-start-part.ts');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

interface Started {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code, or with 'ready' once the dev server serves. */
  outcome: Promise<number | 'ready'>;
}

const started: ChildProcess[] = [];
const serverPids = new Set<number>();

/** `node --import tsx` rather than the tsx CLI: the pid we kill is the one that owns the server. */
function startPart(dataDir: string, port: number): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, dataDir, String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let output = '';
  const outcome = new Promise<number | 'ready'>((resolve) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/^ready$/m.test(output)) resolve('ready');
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => resolve(code ?? 1));
  });
  return { child, output: () => output, outcome };
}

function recorded(dataDir: string): { pid: number; ownerPid: number; watchdogPid: number } {
  const pids = JSON.parse(readFileSync(path.join(dataDir, 'temporal-server.pid'), 'utf8')) as { pid: number; ownerPid: number; watchdogPid: number };
  serverPids.add(pids.pid).add(pids.watchdogPid);
  return pids;
}

function kill9(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Pids whose command line names the data dir: a server even the pid file does not know of. */
function processesUsing(dataDir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(dataDir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function withDataDir(run: (dataDir: string, port: number) => Promise<void>): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'mentorflow-orphan-'));
  try {
    await run(dataDir, await freePort());
  } finally {
    for (const pid of processesUsing(dataDir)) serverPids.add(pid);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('npm start and its dev server, when npm start is killed', () => {
  afterEach(async () => {
    for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const pid of serverPids) kill9(pid);
    await waitFor('every process started by the test to be gone', () => [...serverPids].every((pid) => !isAlive(pid)), 5_000);
    serverPids.clear();
  });

  it('kill -9 of npm start takes its dev server down with it, and the next start succeeds', async () => {
    await withDataDir(async (dataDir, port) => {
      const first = startPart(dataDir, port);
      expect(await first.outcome, first.output()).toBe('ready');
      const servers = processesUsing(dataDir).filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('start-dev'));
      expect(servers.length).toBeGreaterThan(0);
      first.child.kill('SIGKILL');
      await waitFor('the dev server to stop with npm start', () => servers.every((pid) => !isAlive(pid)), 12_000).catch(() => {});

      const next = startPart(dataDir, port);
      expect(await next.outcome, next.output()).toBe('ready');
      expect(servers.filter(isAlive)).toEqual([]);
      recorded(dataDir);
    });
  });

  it('a dev server whose watchdog was killed too is recognised and reclaimed by the next start', async () => {
    await withDataDir(async (dataDir, port) => {
      const first = startPart(dataDir, port);
      expect(await first.outcome, first.output()).toBe('ready');
      const { pid, watchdogPid } = recorded(dataDir);
      kill9(watchdogPid);
      first.child.kill('SIGKILL');
      await waitFor('npm start and the watchdog to die', () => !isAlive(watchdogPid) && first.child.exitCode === null && first.child.signalCode !== null);
      expect(isAlive(pid)).toBe(true); // the real orphan of issue 18

      const next = startPart(dataDir, port);
      expect(await next.outcome, next.output()).toBe('ready');
      expect(next.output()).toContain(`left running by an earlier \`npm start\` (pid ${pid})`);
      expect(isAlive(pid)).toBe(false);
      recorded(dataDir);
    });
  });

  it('a second npm start on the same data dir is refused plainly, leaving the first running', async () => {
    await withDataDir(async (dataDir, port) => {
      const first = startPart(dataDir, port);
      expect(await first.outcome, first.output()).toBe('ready');
      const { pid } = recorded(dataDir);

      const second = startPart(dataDir, await freePort());
      expect(await second.outcome, second.output()).toBe(1);
      expect(second.output()).toContain(`Another \`npm start\` (pid ${first.child.pid}) is already running on the data dir ${dataDir}`);
      expect(second.output()).toContain(`kill ${first.child.pid}`);
      expect(isAlive(pid)).toBe(true);
      expect(first.child.exitCode).toBeNull();
    });
  });
});
