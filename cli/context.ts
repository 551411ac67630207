/**
 * What a command runs with: where to write, the policy in force, the acting person, and the
 * journeys client, connected only when a command needs Temporal (help and `policy` never do).
 */
import { Client, Connection } from '@temporalio/client';
import {
  AccessDeniedError,
  AuthenticationError,
  AuthorizedJourneys,
  actorOf,
  claimedPrincipal,
  demand,
  principalOf,
  principalRoles,
  readUsersFile,
  userWithToken,
  type Permission,
  type Principal,
  type PrincipalRole,
} from '../access';
import { actorSchema, type Actor } from '../machines/journey';
import type { SchemePolicy } from '../machines/policy';
import { connectionOptions, loadConfig, type MentorflowConfig } from '../config';
import { loadPolicyFile } from '../config/policy-file';
import { openPrivacy, type Privacy } from '../privacy';
import { stringOf, type ParsedArgs } from './args';
import { CliRefusal, TemporalUnreachableError, UsageError } from './errors';
import { issueReasons } from '../contracts/refusals';

/** The default address of the dev server that `npm start` runs. */
export const DEFAULT_TEMPORAL_ADDRESS = 'localhost:7233';

export interface Output {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Input extends AsyncIterable<unknown> {
  isTTY?: boolean;
}

/**
 * Who is using the CLI (docs/privacy.md "Roles"). With a users file, the principal its token names
 * (`users`); without one, whoever MENTORFLOW_AS or --as claims, authenticated by nobody
 * (`singleOperator`), or, when nobody is claimed, the local operator as a co-ordinator who may
 * read but not record (no event may be recorded by nobody).
 */
export interface Identity {
  principal: Principal;
  mode: 'users' | 'singleOperator';
  /** Someone named: a token, or a claim. Only a named person records events. */
  named: boolean;
  usersFile: string;
}

/** The principal of the local operator when nobody is named (single-operator mode only). */
export const LOCAL_OPERATOR: Principal = { id: 'operator', role: 'coordinator', personalData: true };

export interface RunCliOptions {
  /** A connected client (tests); without it the CLI connects from the configuration. */
  client?: Client;
  /** The keyring and person keys (tests); without them, the configured ones (never created here). */
  privacy?: Privacy;
  taskQueue?: string;
  /** The policy in force; without it, the policy file from the configuration. */
  policy?: SchemePolicy;
  /** Where the policy came from, for `policy show`. */
  policySource?: string;
  stdout?: Output;
  stderr?: Output;
  /** Where confirmations are read (erase); default the process's stdin. */
  stdin?: Input;
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
  private journeysClient?: AuthorizedJourneys;
  private openedPrivacy?: Privacy;
  private identified?: Identity;

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

  /** The scheme's keyring, codec and person keys: the main job makes them, the CLI only opens them. */
  privacy(): Privacy {
    this.openedPrivacy ??= this.options.privacy ?? openPrivacy(this.configuration().privacy);
    return this.openedPrivacy;
  }

  /** Where confirmations are read. */
  stdin(): Input {
    return this.options.stdin ?? process.stdin;
  }

  /**
   * The Temporal client itself, connecting on first use: for what the journeys API does not cover
   * (finding a journey's kind, exporting histories). Not for a referrer, who sees their own
   * referrals only, through `journeys()`.
   */
  async client(): Promise<Client> {
    const { principal } = this.identity();
    if (principal.role === 'referrer') {
      throw new AccessDeniedError(principal, undefined, 'may not look journeys up directly (e.g. --id, or an id without its yp- prefix)');
    }
    return (await this.connection()).client;
  }

  /** The journeys API as the person using the CLI may use it: every call checked (access/). */
  async journeys(): Promise<AuthorizedJourneys> {
    if (!this.journeysClient) {
      const identity = this.identity();
      const { client, taskQueue } = await this.connection();
      this.journeysClient = new AuthorizedJourneys(
        {
          client,
          taskQueue,
          policy: this.policy().policy,
          personalData: this.privacy().personalData,
          ...(this.options.indexed === false ? { indexed: false } : {}),
        },
        identity.principal,
        { singleOperator: identity.mode === 'singleOperator' },
      );
    }
    return this.journeysClient;
  }

  /**
   * Who is using the CLI, worked out once from the users file, MENTORFLOW_TOKEN or --token, and
   * MENTORFLOW_AS or --as (see Identity). With a users file, a claim that is not the token's
   * person is refused: nobody acts as someone else.
   */
  identity(args?: ParsedArgs): Identity {
    // Worked out before --as was seen (e.g. a journey's kind looked up first): work it out again.
    if (this.identified && args && !this.identified.named && stringOf(args, 'as') && !this.journeysClient) this.identified = undefined;
    if (this.identified) {
      if (args) this.checkClaim(args, this.identified);
      return this.identified;
    }
    const usersFile = this.configuration().usersFile;
    const claim = (args && stringOf(args, 'as')) ?? this.env.MENTORFLOW_AS;
    const token = (args && stringOf(args, 'token')) ?? this.env.MENTORFLOW_TOKEN;
    const users = readUsersFile(usersFile);
    let identity: Identity;
    if (users) {
      if (!token) {
        throw new AuthenticationError(
          'ACCESS.NO_TOKEN',
          `this scheme has users (${usersFile}): say who you are with MENTORFLOW_TOKEN=<your token> (or --token); ask a co-ordinator for one`,
        );
      }
      const user = userWithToken(users, token);
      if (!user) {
        throw new AuthenticationError(
          'ACCESS.BAD_TOKEN',
          `the token given (MENTORFLOW_TOKEN or --token) is not the token of any user in ${usersFile}: mistyped, replaced, or from another scheme; ask a co-ordinator for a new one`,
        );
      }
      identity = { principal: principalOf(user), mode: 'users', named: true, usersFile };
    } else {
      if (token) {
        throw new AuthenticationError(
          'ACCESS.NO_USERS_FILE',
          `a token is given (MENTORFLOW_TOKEN or --token) but there is no users file at ${usersFile}: set MENTORFLOW_USERS to the scheme's users file`,
        );
      }
      if (claim) {
        const actor = parseActor(claim);
        if (!(principalRoles as readonly string[]).includes(actor.role)) {
          const message = `cannot act as ${actor.role}:${actor.id}: mentorflow's users are co-ordinators, lead co-ordinators, referrers and auditors (a co-ordinator records for young people and volunteers)`;
          throw new CliRefusal('ACCESS.DENIED', message, [message]);
        }
        const role = actor.role as PrincipalRole;
        identity = {
          // Nobody is authenticated here, so an auditor's claim never reaches personal data.
          principal: claimedPrincipal(role, actor.id),
          mode: 'singleOperator',
          named: true,
          usersFile,
        };
      } else {
        identity = { principal: LOCAL_OPERATOR, mode: 'singleOperator', named: false, usersFile };
      }
    }
    this.identified = identity;
    if (args) this.checkClaim(args, identity);
    return identity;
  }

  /** With a users file, --as or MENTORFLOW_AS may only repeat who the token says. */
  private checkClaim(args: ParsedArgs, identity: Identity): void {
    const claim = stringOf(args, 'as') ?? this.env.MENTORFLOW_AS;
    if (!claim) return;
    const claimed = parseActor(claim);
    const own = actorOf(identity.principal);
    if (identity.mode === 'users' && (claimed.role !== own.role || claimed.id !== own.id)) {
      throw new AuthenticationError(
        'ACCESS.NOT_YOU',
        `${stringOf(args, 'as') ? '--as' : 'MENTORFLOW_AS'} says ${claimed.role}:${claimed.id}, but your token is ${own.role}:${own.id}'s: with a users file you act as your token says (leave out --as and MENTORFLOW_AS)`,
      );
    }
    if (identity.mode === 'singleOperator' && identity.named && (claimed.role !== own.role || claimed.id !== own.id)) {
      throw new UsageError(`two people claimed at once (${claimed.role}:${claimed.id} and ${own.role}:${own.id})`);
    }
  }

  /** Throws AccessDeniedError unless the person using the CLI may. */
  authorize(permission: Permission, args?: ParsedArgs): Identity {
    const identity = this.identity(args);
    demand(identity.principal, permission, { singleOperator: identity.mode === 'singleOperator' });
    return identity;
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
      return { client: new Client({ connection, namespace: temporal.namespace, dataConverter: this.privacy().dataConverter }), taskQueue: this.options.taskQueue ?? temporal.taskQueue, connection };
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
   * The person acting: the token's user with a users file; else `--as role:id`, else
   * MENTORFLOW_AS. There is deliberately no default: every event in a child's history must say
   * truly who recorded it.
   */
  actor(args: ParsedArgs, command: string): Actor {
    const identity = this.identity(args);
    if (!identity.named) {
      throw new UsageError('say who is acting: --as coordinator:<your id> (or set MENTORFLOW_AS=coordinator:<your id>)', command);
    }
    return actorOf(identity.principal);
  }
}

/** "coordinator:co-1" -> { role: 'coordinator', id: 'co-1' }, validated with the journeys' actor schema. */
export function parseActor(text: string, command?: string): Actor {
  const colon = text.indexOf(':');
  const candidate = colon < 0 ? { role: text, id: '' } : { role: text.slice(0, colon), id: text.slice(colon + 1) };
  const parsed = actorSchema.safeParse(candidate);
  if (!parsed.success) {
    const reasons = issueReasons(parsed.error, 'contact');
    throw new UsageError(`"${text}" is not an acting person, written role:id (e.g. coordinator:co-1): ${reasons.join('; ')}`, command);
  }
  return parsed.data;
}
