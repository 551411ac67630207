/** Helpers for the access tests: a users file of test people, and the CLI run as one of them. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { addUser, AuthorizedJourneys, type Principal } from '../../access';
import { runCli } from '../../cli/main';
import type { WorkerHarness } from '../helpers/journey-worker';
import { Capture, captured, type CliRun } from '../cli/run-cli';

export interface TestUsers {
  file: string;
  tokens: Record<string, string>;
  /** The environment of the CLI run as `id` (its token). */
  as(id: string): NodeJS.ProcessEnv;
}

/** A users file with a lead co-ordinator co-1, referrers ref-1 and ref-2, auditors aud-1 (no personal data) and aud-2 (personal data). */
export function testUsers(): TestUsers {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'mentorflow-users-')), 'users.yaml');
  const tokens: Record<string, string> = {};
  const people: [string, Principal['role'], boolean?][] = [
    ['co-1', 'leadCoordinator'],
    ['co-2', 'coordinator'],
    ['ref-1', 'referrer'],
    ['ref-2', 'referrer'],
    ['aud-1', 'auditor', false],
    ['aud-2', 'auditor', true],
  ];
  for (const [id, role, personalData] of people) {
    tokens[id] = addUser(file, { id, role, ...(personalData !== undefined ? { personalData } : {}) }, 'test').token;
  }
  return { file, tokens, as: (id) => ({ MENTORFLOW_USERS: file, MENTORFLOW_TOKEN: tokens[id] }) };
}

/** `mentorflow <argv>` with this environment, and optionally a terminal on stdin that types `typed`. */
export async function run(h: WorkerHarness | undefined, argv: string[], env: NodeJS.ProcessEnv, terminal?: { typed: string }): Promise<CliRun> {
  const stdout = new Capture();
  const stderr = new Capture();
  const stdin = terminal ? Object.assign(Readable.from([`${terminal.typed}\n`]), { isTTY: true }) : Object.assign(Readable.from([]), { isTTY: false });
  const code = await runCli(argv, {
    ...(h ? { client: h.client, taskQueue: h.taskQueue, policy: h.policy, privacy: h.privacy } : {}),
    stdout,
    stderr,
    stdin,
    env,
  });
  return captured(code, stdout, stderr);
}

/** The journeys API as `principal` on the harness's server. */
export function journeysAs(h: WorkerHarness, principal: Principal): AuthorizedJourneys {
  return new AuthorizedJourneys({ client: h.client, taskQueue: h.taskQueue, policy: h.policy, personalData: h.privacy.personalData, indexed: false }, principal);
}
