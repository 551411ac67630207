/**
 * How the CLI fails: one stable code per kind of failure, the reasons in a co-ordinator's words,
 * and an exit code a script can rely on (docs/cli.md "Exit codes"):
 *   0  done
 *   1  error: a mistake in the command, the configuration, a journey not found, Temporal unreachable
 *   2  refused: the system said no (invalid input, an unmet gate, not eligible, bad import rows,
 *      not allowed for your role: ACCESS.DENIED)
 * Authentication failures (no token, an unknown token, --as not the token's person) are errors (1).
 */
import { ConfigError } from '../config';
import { PolicyError } from '../machines/policy';
import { isTemporalUnreachable, JourneyNotFoundError, JourneyRefusedError } from '../client/journeys';
import { AccessDeniedError, AuthenticationError } from '../access/permissions';

export const EXIT = { ok: 0, error: 1, refused: 2 } as const;

/** A mistake in how the command was written: unknown option, missing argument. */
export class UsageError extends Error {
  readonly code = 'CLI.USAGE';
  constructor(
    message: string,
    /** The command whose help to point at. */
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The CLI refuses before anything reaches Temporal (e.g. a referral that is not eligible). */
export class CliRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly reasons: string[],
  ) {
    super(message);
    this.name = 'CliRefusal';
  }
}

/** The CLI could not connect to Temporal. */
export class TemporalUnreachableError extends Error {
  readonly code = 'TEMPORAL.UNREACHABLE';
  constructor(address: string, cause: string) {
    super(`cannot reach Temporal at ${address} (${cause}). Is mentorflow running (npm start), and is TEMPORAL_ADDRESS right?`);
    this.name = 'TemporalUnreachableError';
  }
}

export interface DescribedError {
  code: string;
  message: string;
  reasons: string[];
  exitCode: number;
}

/** Any failure as the CLI reports it. Messages carry opaque ids and rules, never personal data. */
export function describeError(error: unknown): DescribedError {
  if (error instanceof AccessDeniedError) {
    return { code: error.code, message: error.message, reasons: error.reasons, exitCode: EXIT.refused };
  }
  if (error instanceof AuthenticationError) {
    return { code: error.code, message: error.message, reasons: [error.message], exitCode: EXIT.error };
  }
  if (error instanceof JourneyRefusedError || error instanceof CliRefusal) {
    return { code: error.code, message: error.message, reasons: error.reasons, exitCode: EXIT.refused };
  }
  if (error instanceof UsageError) {
    const hint = error.command ? ` (see: npx mentorflow ${error.command} --help)` : ' (see: npx mentorflow --help)';
    return { code: error.code, message: `${error.message}${hint}`, reasons: [error.message], exitCode: EXIT.error };
  }
  if (error instanceof JourneyNotFoundError || error instanceof TemporalUnreachableError) {
    return { code: error.code, message: error.message, reasons: [error.message], exitCode: EXIT.error };
  }
  if (error instanceof PolicyError || error instanceof ConfigError) {
    const problems = error instanceof PolicyError ? [...error.problems] : error.message.split('\n').slice(1).map((l) => l.replace(/^\s*-\s*/, ''));
    return { code: error.code, message: error.message, reasons: problems, exitCode: EXIT.error };
  }
  const e = error as Error & { code?: unknown };
  if (isTemporalUnreachable(e)) {
    const message = `cannot reach Temporal (${e.message}). Is mentorflow running (npm start), and is TEMPORAL_ADDRESS right?`;
    return { code: 'TEMPORAL.UNREACHABLE', message, reasons: [message], exitCode: EXIT.error };
  }
  const message = e?.message ?? String(error);
  return { code: typeof e?.code === 'string' ? e.code : 'ERROR', message, reasons: [message], exitCode: EXIT.error };
}
