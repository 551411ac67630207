/**
 * The web app and API for tests: the real Fastify server on a loopback port over a worker harness
 * (test/helpers/journey-worker.ts), and Debian's chromium driven by playwright-core.
 */
import { existsSync, mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { buildServer } from '../../server/app';
import type { DigestSettings } from '../../server/services';
import type { WorkerHarness } from './journey-worker';

export interface WebHarness {
  app: FastifyInstance;
  url: string;
}

export async function startWeb(h: WorkerHarness, options: { usersFile?: string; digests?: DigestSettings; now?: () => Date } = {}): Promise<WebHarness> {
  const app = await buildServer({
    journeys: { client: h.client, taskQueue: h.taskQueue, policy: h.policy, personalData: h.privacy.personalData },
    codec: h.privacy.codec,
    usersFile: options.usersFile ?? path.join(mkdtempSync(path.join(tmpdir(), 'mentorflow-web-')), 'no-users.yaml'),
    ...(options.digests ? { digests: options.digests } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url };
}

/** Debian's chromium (CHROMIUM_PATH to use another). `.ci/run` installs it with apt when missing. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`no chromium found (tried ${candidates.join(', ')}): install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH`);
  return found;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

/** Where the browser tests leave screenshots for a person to look at (not committed). */
export function screenshotDir(): string {
  const dir = path.resolve(import.meta.dirname, '..', '..', '.cache', 'screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}
