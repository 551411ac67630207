/**
 * What a command runs with: where to write, the policy in force, the acting person, and the
 * journeys client, connected only when a command needs Temporal (help and `policy` never do).
 */
import { Client, Connection } from '@temporalio/client';
import { Journeys } from '../client/journeys';
import { actorSchema, type Actor } from '../machines/journey';
import type { SchemePolicy } from '../machines/policy';
import { connectionOptions, loadConfig, type MentorflowConfig } from '../worker/config';
import { loadPolicyFile } from '../worker/policy-file';
import { stringOf, type ParsedArgs } from './args';
import { TemporalUnreachableError, UsageError } from './errors';

/** The default address of the dev server that `npm start` runs. */
export const DEFAULT_TEMPORAL_ADDRESS = 'localhost:7233';

export interface Output {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface RunCliOptions {
  /** A connected client (tests); without it the CLI connects from the configuration. */
  client?: Client;
  taskQueue?: string;
  /** The policy in force; without it, the policy file from the configuration. */
  policy?: SchemePolicy;
  /** Where the policy came from, for `policy show`. */
  policySource?: string;
  stdout?: Output;
  stderr?: Output;
  env?: NodeJS.ProcessEnv;
  /** Whether the server has the mentorflow search attributes (the dev server of `npm start` has). */
  indexed?: boolean;
  now?: () => Date;
}

export class CliContext {
  readonly stdout: Output;
  readonly stderr: Output;
  readonly env: NodeJS.ProcessEnv;
  json = false;
  private config?: MentorflowConfig;
  private loadedPolicy?: { policy: SchemePolicy; source: string };
  private connected?: Promise<{ client: Client; taskQueue: string; connection?: Connection }>;
  private journeysClient?: Journeys;

  constructor(private readonly options: RunCliOptions) {
    this.stdout = options.stdout ?? process.stdout;
    this.stderr = options.stderr ?? process.stderr;
    this.env = options.env ?? process.env;
  }

  now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** A line for the person at the terminal (or the script's stdout). */
  out(text = ''): void {
    this.stdout.write(`${text}\n`);
  }

  /** Notes, progress and errors: stderr, so that stdout stays clean for scripts. */
  err(text = ''): void {
    this.stderr.write(`${text}\n`);
  }

  /** Human text, or the JSON value with `--json`. */
  print(human: string | string[], json: unknown): void {
    if (this.json) this.out(JSON.stringify(json, null, 2));
    else this.out(Array.isArray(human) ? human.join('\n') : human);
  }

  configuration(): MentorflowConfig {
    this.config ??= loadConfig(this.env);
    return this.config;
  }

  policy(): { policy: SchemePolicy; source: string } {
    if (!this.loadedPolicy) {
      if (this.options.policy) {
        this.loadedPolicy = { policy: this.options.policy, source: this.options.policySource ?? 'given by the caller' };
      } else {
        const file = this.configuration().policyFile;
        this.loadedPolicy = { policy: loadPolicyFile(file), source: file ?? 'mentorflow defaults (no policy file)' };
      }
    }
    return this.loadedPolicy;
  }

  /** The Temporal client, connecting on first use. */
  async client(): Promise<Client> {
    return (await this.connection()).client;
  }

  async journeys(): Promise<Journeys> {
    if (!this.journeysClient) {
      const { client, taskQueue } = await this.connection();
      this.journeysClient = new Journeys({
        client,
        taskQueue,
        policy: this.policy().policy,
        ...(this.options.indexed === false ? { indexed: false } : {}),
      });
    }
    return this.journeysClient;
  }

  private connection(): Promise<{ client: Client; taskQueue: string; connection?: Connection }> {
    this.connected ??= (async () => {
      if (this.options.client) {
        return { client: this.options.client, taskQueue: this.options.taskQueue ?? this.configuration().temporal.taskQueue };
      }
      const { temporal } = this.configuration();
      const address = temporal.address ?? DEFAULT_TEMPORAL_ADDRESS;
      const connection = await Connection.connect({ ...connectionOptions(temporal, address), connectTimeout: '5 seconds' }).catch(
        (error: Error) => {
          throw new TemporalUnreachableError(address, error.message);
        },
      );
      return { client: new Client({ connection, namespace: temporal.namespace }), taskQueue: this.options.taskQueue ?? temporal.taskQueue, connection };
    })();
    return this.connected;
  }

  /** Close a connection this context opened (never one a caller gave). */
  async close(): Promise<void> {
    if (!this.connected) return;
    const { connection } = await this.connected.catch(() => ({ connection: undefined }));
    await connection?.close();
  }

  /**
   * The person acting: `--as role:id`, else MENTORFLOW_AS. There is deliberately no default: every
   * event in a child's history must say truly who recorded it.
   */
  actor(args: ParsedArgs, command: string): Actor {
    const text = stringOf(args, 'as') ?? this.env.MENTORFLOW_AS;
    if (!text) {
      throw new UsageError('say who is acting: --as coordinator:<your id> (or set MENTORFLOW_AS=coordinator:<your id>)', command);
    }
    return parseActor(text, command);
  }
}

/** "coordinator:co-1" -> { role: 'coordinator', id: 'co-1' }, validated with the journeys' actor schema. */
export function parseActor(text: string, command?: string): Actor {
  const colon = text.indexOf(':');
  const candidate = colon < 0 ? { role: text, id: '' } : { role: text.slice(0, colon), id: text.slice(colon + 1) };
  const parsed = actorSchema.safeParse(candidate);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new UsageError(`"${text}" is not an acting person, written role:id (e.g. coordinator:co-1): ${reasons.join('; ')}`, command);
  }
  return parsed.data;
}
