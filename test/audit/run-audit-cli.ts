/**
 * Runs one `audit` command in-process, as `mentorflow` would (the same option parsing and error
 * reporting), capturing what it prints. The audit commands are tested here directly so that these
 * tests do not depend on how cli/main.ts lists its commands.
 */
import type { Client } from '@temporalio/client';
import { parseArgs } from '../../cli/args';
import { globalOptions, type Command } from '../../cli/command';
import { CliContext } from '../../cli/context';
import { describeError } from '../../cli/errors';
import { testPrivacy } from '../helpers/privacy';
import { Capture, NO_USERS_FILE } from '../cli/run-cli';

export interface AuditCliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function auditCli(command: Command, argv: string[], options: { client?: Client; tty?: boolean } = {}): Promise<AuditCliRun> {
  const stdout = new Capture();
  const stderr = new Capture(options.tty ?? false);
  const ctx = new CliContext({ stdout, stderr, env: { MENTORFLOW_USERS: NO_USERS_FILE }, privacy: testPrivacy(), ...(options.client ? { client: options.client, taskQueue: 'unused' } : {}) });
  let code: number;
  try {
    const args = parseArgs(argv, { ...globalOptions, ...command.options });
    ctx.json = args.values.json === true;
    code = await command.run(args, ctx);
  } catch (error) {
    const described = describeError(error);
    ctx.err(`Error: ${described.message}`);
    code = described.exitCode;
  } finally {
    await ctx.close();
  }
  return { code, stdout: stdout.text, stderr: stderr.text };
}
