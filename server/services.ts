/**
 * What the web app and the HTTP API run on: the same journeys client, permission table and users
 * file as the CLI (client/, access/). Nothing here decides what a journey does.
 */
import { existsSync } from 'node:fs';
import { AuthorizedJourneys, authenticateToken, type AccessOptions, type Principal } from '../access';
import type { JourneyClientOptions } from '../client/journeys';
import type { PayloadCodec } from '@temporalio/common';

export interface ServerDeps {
  journeys: JourneyClientOptions;
  /** The scheme's payload codec, to read a journey's history for its timeline. */
  codec?: PayloadCodec;
  /** The users file; without one, single-operator mode (loopback only). */
  usersFile: string;
  now?: () => Date;
  sessionIdleMinutes?: number;
  sessionMaxHours?: number;
  /** The daily digests' settings (absent where schedules are not managed, e.g. some tests). */
  digests?: DigestSettings;
}

/** A co-ordinator's daily digest: read and changed through the worker's schedules. */
export interface DigestSettings {
  get(coordinatorId: string): Promise<{ enabled: boolean; time: string } | undefined>;
  set(coordinatorId: string, settings: { enabled: boolean; time: string }): Promise<void>;
}

export class Services {
  private readonly authenticateWith: (token: string) => Principal | undefined;

  constructor(readonly deps: ServerDeps) {
    this.authenticateWith = authenticateToken(deps.usersFile);
  }

  now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** No users file: one operator on this machine, nobody authenticated (docs/privacy.md). */
  singleOperator(): boolean {
    return !existsSync(this.deps.usersFile);
  }

  accessOptions(): AccessOptions {
    return { singleOperator: this.singleOperator() };
  }

  /** The user whose token this is (the users file is reread, so a removed user is refused at once). */
  authenticate(token: string): Principal | undefined {
    if (this.singleOperator()) return undefined;
    return this.authenticateWith(token);
  }

  journeysFor(principal: Principal): AuthorizedJourneys {
    return new AuthorizedJourneys(this.deps.journeys, principal, this.accessOptions());
  }
}

/** Single-operator mode is for one person at this machine: requests from anywhere else are refused. */
export function isLoopback(ip: string): boolean {
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1' || ip.startsWith('127.');
}
