/**
 * The `mentorflow` command. `runCli` takes the connection from its caller (tests inject a client,
 * a task queue and a policy); `main`, run by bin/mentorflow.js, builds it from the configuration.
 */
import { kebabCase, parseArgs, type OptionsSpec } from './args';
import { globalOptions, type Command } from './command';
import { CliContext, type RunCliOptions } from './context';
import { describeError, EXIT, UsageError } from './errors';
import { enquireCommand } from './commands/enquire';
import { exportEvaluationCommand } from './commands/export';
import { reportCommand } from './commands/report';
import { auditCommands } from './commands/audit';
import { importCommand } from './commands/import';
import { policyCheckCommand, policyShowCommand } from './commands/policy';
import { matchPlanCommand, shortlistCommand } from './commands/matching';
import { proposeMatchCommand } from './commands/propose-match';
import { caseloadCommand, dueCommand, statusCommand } from './commands/read';
import { aliasCommands, recordCommand } from './commands/record';
import { referCommand } from './commands/refer';
import { erasureCommands, eraseCommand, erasuresCommand, keysRotateCommand } from './commands/erase';
import { userCommands } from './commands/users';
import { permissionFor } from './access';

export type { RunCliOptions } from './context';

const mainCommands: Command[] = [
  referCommand,
  enquireCommand,
  recordCommand,
  proposeMatchCommand,
  shortlistCommand,
  matchPlanCommand,
  statusCommand,
  caseloadCommand,
  dueCommand,
  policyShowCommand,
  policyCheckCommand,
  importCommand,
  ...auditCommands,
  exportEvaluationCommand,
  reportCommand,
  ...erasureCommands,
  ...userCommands,
];

let allCommands: Command[] | undefined;
function commands(): Command[] {
  allCommands ??= [...mainCommands, ...aliasCommands()];
  return allCommands;
}

/** The command `argv` starts with (the longest name that matches), and the arguments after it. */
function findCommand(argv: readonly string[]): { command: Command; rest: string[] } | undefined {
  let best: { command: Command; words: number } | undefined;
  for (const command of commands()) {
    for (const name of [command.name, ...(command.aliases ?? [])]) {
      const words = name.split(' ');
      if (words.every((w, i) => argv[i] === w) && (!best || words.length > best.words)) best = { command, words: words.length };
    }
  }
  return best && { command: best.command, rest: argv.slice(best.words) };
}

/** Run the CLI; resolves with the exit code. Never throws: every failure is reported. */
export async function runCli(argv: readonly string[], options: RunCliOptions = {}): Promise<number> {
  const ctx = new CliContext(options);
  ctx.json = argv.includes('--json');
  try {
    if (argv.length === 0 || ['--help', '-h', 'help'].includes(argv[0]!)) {
      if (argv[0] === 'help' && argv.length > 1) return await runCli([...argv.slice(1), '--help'], options);
      ctx.out(generalHelp().join('\n'));
      return EXIT.ok;
    }
    const found = findCommand(argv);
    if (!found) {
      const group = commands().filter((c) => c.name.startsWith(`${argv[0]} `) || (c.aliases ?? []).some((a) => a.startsWith(`${argv[0]} `)));
      const hint = group.length > 0 ? ` (did you mean: ${[...new Set(group.flatMap((c) => [c.name, ...(c.aliases ?? [])]).filter((n) => n.startsWith(`${argv[0]} `)))].slice(0, 12).join(', ')}?)` : '';
      throw new UsageError(`unknown command "${argv.slice(0, 2).join(' ')}"${hint}`);
    }
    const { command, rest } = found;
    let spec: OptionsSpec = { ...globalOptions, ...command.options };
    const first = parseArgs(rest, spec, { lenient: true });
    let lenient = false;
    if (command.optionsFor) {
      const specific = command.optionsFor(first.positionals, first.values);
      if (specific) spec = { ...globalOptions, ...specific };
      else lenient = true;
    }
    if (first.values.help === true) {
      ctx.out(commandHelp(command, spec, command.helpFor?.(first.positionals, first.values)).join('\n'));
      return EXIT.ok;
    }
    const args = lenient ? first : parseArgs(rest, spec);
    ctx.json = args.values.json === true;
    // Who is asking, and may they: before the command does anything (docs/privacy.md "Roles").
    const permission = permissionFor(command, !mainCommands.includes(command));
    if (permission) ctx.authorize(permission, args);
    return await command.run(args, ctx);
  } catch (error) {
    const described = describeError(error);
    if (ctx.json) ctx.out(JSON.stringify({ error: { code: described.code, message: described.message, reasons: described.reasons } }, null, 2));
    const title = described.exitCode === EXIT.refused ? 'Refused' : 'Error';
    const lines = [`${title}: ${described.message}`];
    if (described.reasons.length > 1 || (described.reasons[0] && !described.message.includes(described.reasons[0]))) {
      lines.push(...described.reasons.map((r) => `  - ${r}`));
    }
    ctx.err(lines.join('\n'));
    return described.exitCode;
  } finally {
    await ctx.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Help

function generalHelp(): string[] {
  const groups: [string, Command[]][] = [
    ['Start journeys', [referCommand, enquireCommand]],
    ['Record events', [recordCommand, proposeMatchCommand]],
    ['Matching help (docs/matching.md)', [shortlistCommand, matchPlanCommand]],
    ['Read', [statusCommand, caseloadCommand, dueCommand]],
    ['Policy', [policyShowCommand, policyCheckCommand]],
    ['Import', [importCommand]],
    ['Audit (read-only; docs/audit.md)', auditCommands],
    ['Reports (docs/reports.md)', [reportCommand, exportEvaluationCommand]],
    ['Personal data (docs/privacy.md)', [eraseCommand, erasuresCommand, keysRotateCommand]],
    ['Users and roles (docs/privacy.md)', userCommands],
  ];
  const line = (name: string, summary: string) => `  ${name.padEnd(24)} ${summary}`;
  const aliases = commands().filter((c) => !mainCommands.includes(c));
  return [
    'mentorflow: workflow automation for mentoring and befriending schemes',
    '',
    'Usage: npx mentorflow <command> [arguments] [--json] [--help]',
    '',
    ...groups.flatMap(([title, list]) => [`${title}:`, ...list.map((c) => line(c.name, c.summary)), '']),
    'Record the common events by name (each also works after its kind: npx mentorflow match check-in ...):',
    ...aliases.map((c) => line(c.name, c.summary)),
    '',
    'Example:',
    '  export MENTORFLOW_AS=coordinator:co-1',
    '  YP=$(npx mentorflow refer --date-of-birth 2008-05-01 --care-experienced --referrer sw-17)',
    '  npx mentorflow contact $YP --method phone',
    '  npx mentorflow status $YP',
    '',
    'Environment: MENTORFLOW_TOKEN (who you are, with a users file), MENTORFLOW_AS (who is acting, without one:',
    'single-operator mode, nobody authenticated), MENTORFLOW_USERS, TEMPORAL_ADDRESS (default localhost:7233),',
    'TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE, TEMPORAL_TLS*, TEMPORAL_API_KEY, MENTORFLOW_POLICY. See docs/cli.md.',
    'Exit codes: 0 done, 1 error, 2 refused (the reasons are printed).',
  ];
}

function commandHelp(command: Command, spec: OptionsSpec, specific: string[] | undefined): string[] {
  const details = typeof command.details === 'function' ? command.details() : (command.details ?? []);
  const optionLines = Object.entries(spec).map(([name, o]) => {
    const flag = `--${kebabCase(name)}${o.short ? `, -${o.short}` : ''}${o.type === 'string' ? ` ${o.value ?? '<value>'}` : ''}${o.multiple ? ' ...' : ''}`;
    return [flag, o.description ?? ''] as const;
  });
  const width = Math.min(44, Math.max(...optionLines.map(([f]) => f.length)));
  return [
    `npx mentorflow ${command.name}: ${command.summary}`,
    '',
    `Usage: ${command.usage}`,
    ...(command.aliases && command.aliases.length > 0 ? [`Also: ${command.aliases.map((a) => `npx mentorflow ${a}`).join(', ')}`] : []),
    '',
    ...(specific ? specific : ['Options:', ...optionLines.map(([f, d]) => `  ${f.padEnd(width)}  ${d}`.trimEnd()), '']),
    ...(specific ? [] : ['Examples:', ...command.examples.map((e) => `  ${e}`), '']),
    ...(details.length > 0 && !specific ? [...details, ''] : []),
  ];
}

/** The bin's entry point: a real connection from the configuration, the process's streams. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  return runCli(argv, {});
}
