/**
 * Configuration of the worker, the CLI, the web app and the main job, from environment variables.
 * Validated once, here; every error names the variable. See README.md "Configuration".
 *
 * Beside the example files in config/ so that privacy/, cli/ and server/ can read it without
 * reaching into worker/: it imports nothing from worker/, cli/ or server/ (only Node, zod and
 * Temporal's connection types).
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ConnectionOptions } from '@temporalio/client';
import type { NativeConnectionOptions } from '@temporalio/worker';
import { issueReasons } from '../contracts/refusals';

export const repoRoot = path.resolve(__dirname, '..');

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('mentorflow'),
  TEMPORAL_TLS: flag.optional(),
  TEMPORAL_TLS_CERT_PATH: z.string().optional(),
  TEMPORAL_TLS_KEY_PATH: z.string().optional(),
  TEMPORAL_TLS_CA_PATH: z.string().optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  MENTORFLOW_DATA_DIR: z.string().default(path.join(repoRoot, '.data')),
  MENTORFLOW_POLICY: z.string().optional(),
  MENTORFLOW_DIRECTORY: z.string().optional(),
  MENTORFLOW_TEMPLATES_DIR: z.string().optional(),
  /** The scheme's keyring (privacy/keyring.ts); default <data dir>/keyring.json, made on the first `npm start`. */
  MENTORFLOW_KEYRING: z.string().optional(),
  /** The keyring's JSON itself, from a secrets manager: wins over MENTORFLOW_KEYRING. */
  MENTORFLOW_KEYRING_JSON: z.string().min(1).optional(),
  /** Each person's own key (privacy/person-keys.ts); default <data dir>/person-keys. */
  MENTORFLOW_PERSON_KEYS: z.string().optional(),
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  SMTP_SECURE: flag.optional(),
  SMTP_USER: z.string().optional(),
  SMTP_PASS: z.string().optional(),
  /** Journeys kept in the worker's memory between events (see worker/create-worker.ts). */
  MENTORFLOW_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).optional(),
  /** Who may use mentorflow, with which role (access/users.ts); default <data dir>/users.yaml. */
  MENTORFLOW_USERS: z.string().optional(),
  /** The codec server (privacy/codec-server.ts): on/off, port, address, and the browser origins allowed to call it. */
  MENTORFLOW_WEB: flag.optional(),
  MENTORFLOW_WEB_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  MENTORFLOW_WEB_HOST: z.string().min(1).optional(),
  /** The web app's address as co-ordinators reach it, for the links in their emails. */
  MENTORFLOW_WEB_URL: z.url({ protocol: /^https?$/, error: 'MENTORFLOW_WEB_URL is the web app\'s address, e.g. https://mentorflow.example.org' }).optional(),
  MENTORFLOW_CODEC_SERVER: flag.optional(),
  MENTORFLOW_CODEC_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  MENTORFLOW_CODEC_HOST: z.string().min(1).optional(),
  MENTORFLOW_CODEC_ORIGINS: z.string().optional(),
});

export interface TemporalConfig {
  /** Unset: the main job starts the embedded dev server. */
  address?: string;
  namespace: string;
  taskQueue: string;
  tls?: {
    serverName?: string;
    serverRootCACertificate?: Buffer;
    clientCertPair?: { crt: Buffer; key: Buffer };
  };
  apiKey?: string;
}

export interface SmtpConfig {
  host: string;
  port: number;
  secure: boolean;
  auth?: { user: string; pass: string };
}

export interface MentorflowConfig {
  temporal: TemporalConfig;
  dataDir: string;
  policyFile?: string;
  directoryFile: string;
  templatesDir?: string;
  /** Unset: every message goes to the outbox folder as an .eml file. */
  smtp?: SmtpConfig;
  outboxDir: string;
  maxCachedWorkflows?: number;
  privacy: PrivacyConfig;
  /** The users file (access/users.ts); when it does not exist, single-operator mode (nobody is authenticated). */
  usersFile: string;
  codecServer: CodecServerConfig;
  web: WebConfig;
}

/** The web app and HTTP API that `npm start` serves beside the worker (server/). */
export interface WebConfig {
  enabled: boolean;
  /** Default 127.0.0.1: this machine only (single-operator mode refuses other machines anyway). */
  host: string;
  /** Default 8080. */
  port: number;
  /**
   * Where co-ordinators reach the web app (MENTORFLOW_WEB_URL), for the links in their emails.
   * Default: this machine's address and port when the web app runs here; none when it is off.
   */
  publicUrl?: string;
}

/** The codec server the main job starts, for the Web UI and the Temporal CLI (docs/privacy.md). */
export interface CodecServerConfig {
  enabled: boolean;
  /** Default 127.0.0.1: this machine only. */
  host: string;
  /** Default 8234. */
  port: number;
  /** Browser origins allowed to call it; unset: the embedded Web UI's. */
  origins?: string[];
}

export interface PrivacyConfig {
  keyringFile: string;
  keyringJson?: string;
  personKeysDir: string;
}

export class ConfigError extends Error {
  readonly code = 'CONFIG.INVALID';
  constructor(problems: string[]) {
    super(`Configuration problem:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): MentorflowConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(issueReasons(parsed.error, 'configuration'));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const read = (variable: string, file: string | undefined): Buffer | undefined => {
    if (!file) return undefined;
    try {
      return readFileSync(file);
    } catch {
      problems.push(`${variable}: cannot read ${file}`);
      return undefined;
    }
  };
  const cert = read('TEMPORAL_TLS_CERT_PATH', e.TEMPORAL_TLS_CERT_PATH);
  const key = read('TEMPORAL_TLS_KEY_PATH', e.TEMPORAL_TLS_KEY_PATH);
  const ca = read('TEMPORAL_TLS_CA_PATH', e.TEMPORAL_TLS_CA_PATH);
  if ((cert && !key) || (key && !cert)) problems.push('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH go together');
  if (e.SMTP_USER && !e.SMTP_PASS) problems.push('SMTP_PASS is needed with SMTP_USER');
  if ((e.TEMPORAL_TLS || cert || e.TEMPORAL_API_KEY) && !e.TEMPORAL_ADDRESS) {
    problems.push('TLS and API-key settings need TEMPORAL_ADDRESS (the embedded dev server runs without them)');
  }
  const directoryFile = e.MENTORFLOW_DIRECTORY ?? defaultFile('directory');
  if (!existsSync(directoryFile)) problems.push(`MENTORFLOW_DIRECTORY: no file at ${directoryFile}`);
  if (e.MENTORFLOW_POLICY && !existsSync(e.MENTORFLOW_POLICY)) problems.push(`MENTORFLOW_POLICY: no file at ${e.MENTORFLOW_POLICY}`);
  if (problems.length > 0) throw new ConfigError(problems);

  // TLS is on when asked for, when client certificates are given, and always with an API key
  // (Temporal Cloud).
  const tlsOn = e.TEMPORAL_TLS ?? Boolean(cert || ca || e.TEMPORAL_API_KEY);
  const dataDir = path.resolve(e.MENTORFLOW_DATA_DIR);
  return {
    temporal: {
      ...(e.TEMPORAL_ADDRESS ? { address: e.TEMPORAL_ADDRESS } : {}),
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      ...(tlsOn
        ? {
            tls: {
              ...(e.TEMPORAL_TLS_SERVER_NAME ? { serverName: e.TEMPORAL_TLS_SERVER_NAME } : {}),
              ...(ca ? { serverRootCACertificate: ca } : {}),
              ...(cert && key ? { clientCertPair: { crt: cert, key } } : {}),
            },
          }
        : {}),
      ...(e.TEMPORAL_API_KEY ? { apiKey: e.TEMPORAL_API_KEY } : {}),
    },
    dataDir,
    ...(e.MENTORFLOW_POLICY ? { policyFile: path.resolve(e.MENTORFLOW_POLICY) } : existsSync(defaultFile('policy')) ? { policyFile: defaultFile('policy') } : {}),
    directoryFile: path.resolve(directoryFile),
    ...(e.MENTORFLOW_TEMPLATES_DIR ? { templatesDir: path.resolve(e.MENTORFLOW_TEMPLATES_DIR) } : {}),
    ...(e.SMTP_HOST
      ? {
          smtp: {
            host: e.SMTP_HOST,
            port: e.SMTP_PORT ?? (e.SMTP_SECURE ? 465 : 587),
            secure: e.SMTP_SECURE ?? false,
            ...(e.SMTP_USER && e.SMTP_PASS ? { auth: { user: e.SMTP_USER, pass: e.SMTP_PASS } } : {}),
          },
        }
      : {}),
    outboxDir: path.join(dataDir, 'outbox'),
    privacy: {
      keyringFile: path.resolve(e.MENTORFLOW_KEYRING ?? path.join(dataDir, 'keyring.json')),
      ...(e.MENTORFLOW_KEYRING_JSON ? { keyringJson: e.MENTORFLOW_KEYRING_JSON } : {}),
      personKeysDir: path.resolve(e.MENTORFLOW_PERSON_KEYS ?? path.join(dataDir, 'person-keys')),
    },
    ...(e.MENTORFLOW_MAX_CACHED_WORKFLOWS !== undefined ? { maxCachedWorkflows: e.MENTORFLOW_MAX_CACHED_WORKFLOWS } : {}),
    usersFile: path.resolve(e.MENTORFLOW_USERS ?? path.join(dataDir, 'users.yaml')),
    web: webConfig(e.MENTORFLOW_WEB ?? true, e.MENTORFLOW_WEB_HOST ?? '127.0.0.1', e.MENTORFLOW_WEB_PORT ?? 8080, e.MENTORFLOW_WEB_URL),
    codecServer: {
      enabled: e.MENTORFLOW_CODEC_SERVER ?? true,
      host: e.MENTORFLOW_CODEC_HOST ?? '127.0.0.1',
      port: e.MENTORFLOW_CODEC_PORT ?? 8234,
      ...(e.MENTORFLOW_CODEC_ORIGINS
        ? { origins: e.MENTORFLOW_CODEC_ORIGINS.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter((o) => o !== '') }
        : {}),
    },
  };
}

/**
 * A scheme's own file in config/ if it has one (git-ignored), else the example that ships with
 * mentorflow, so that a fresh clone runs.
 */
function defaultFile(name: 'policy' | 'directory'): string {
  const own = path.join(repoRoot, 'config', `${name}.yaml`);
  return existsSync(own) ? own : path.join(repoRoot, 'config', `${name}.example.yaml`);
}

/** Connection options for a Temporal client (CLI) or worker, from the configuration. */
export function connectionOptions(temporal: TemporalConfig, address: string): ConnectionOptions & NativeConnectionOptions {
  return {
    address,
    ...(temporal.tls ? { tls: temporal.tls } : {}),
    ...(temporal.apiKey ? { apiKey: temporal.apiKey } : {}),
  };
}

function webConfig(enabled: boolean, host: string, port: number, publicUrl: string | undefined): WebConfig {
  const local = ['127.0.0.1', '0.0.0.0', '::', '::1'].includes(host) ? 'localhost' : host;
  const url = publicUrl ?? (enabled && port !== 0 ? `http://${local}:${port}` : undefined);
  return { enabled, host, port, ...(url ? { publicUrl: url.replace(/\/+$/, '') } : {}) };
}
