/** Runs the CLI in-process against a test worker's client, capturing what it prints. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { WorkerHarness } from '../helpers/journey-worker';
import { runCli } from '../../cli/main';
import { testPrivacy } from '../helpers/privacy';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for --json runs). */
  json<T = Record<string, unknown>>(): T;
}

/** Stands in for stdout or stderr, keeping what is written. */
export class Capture {
  text = '';
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  tty?: boolean;
}

/** A users file that does not exist (docs/privacy.md "Single-operator mode"). */
export const NO_USERS_FILE = path.join(mkdtempSync(path.join(tmpdir(), 'mentorflow-no-users-')), 'users.yaml');

/** `mentorflow <argv>` as co-ordinator co-1 unless the env says otherwise. */
export async function cli(harness: WorkerHarness | undefined, argv: string[], options: CliOptions = {}): Promise<CliRun> {
  const stdout = new Capture();
  const stderr = new Capture(options.tty ?? false);
  const code = await runCli(argv, {
    ...(harness ? { client: harness.client, taskQueue: harness.taskQueue, policy: harness.policy, privacy: harness.privacy } : { privacy: testPrivacy() }),
    stdout,
    stderr,
    // Single-operator mode unless the test says otherwise: never the users file of the clone's own .data.
    env: { MENTORFLOW_USERS: NO_USERS_FILE, ...(options.env ?? { MENTORFLOW_AS: 'coordinator:co-1' }) },
    ...(options.now ? { now: options.now } : {}),
  });
  return captured(code, stdout, stderr);
}

/** What a CLI run printed, with its exit code. */
export function captured(code: number, stdout: Capture, stderr: Capture): CliRun {
  return {
    code,
    stdout: stdout.text,
    stderr: stderr.text,
    json<T>() {
      return JSON.parse(stdout.text) as T;
    },
  };
}

/** A date of birth `years` years before today (UTC), so that ages hold whenever the tests run. */
export function bornYearsAgo(years: number, now = new Date()): string {
  const d = new Date(Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth(), 1));
  return d.toISOString().slice(0, 10);
}

/** Poll `fn` until `ok` (visibility is eventually consistent). */
export async function eventually<T>(fn: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (ok(value) || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
}
