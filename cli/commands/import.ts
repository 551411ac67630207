/**
 * `import <csv>`: an existing caseload from a spreadsheet. Every row is checked first; nothing
 * starts while any row is bad (unless --skip-bad-rows). Each person's journey is started and
 * brought to their stage by recording the events that lead there. Running the same file again
 * starts nothing twice: a journey's id is the row's `id`, and an import interrupted half-way
 * through a row carries on from the events already recorded.
 */
import { readFileSync } from 'node:fs';
import { booleanOf, refuseExtraArguments, stringOf, type ParsedArgs } from '../args';
import { asOption, type Command } from '../command';
import type { CliContext } from '../context';
import { CliRefusal, EXIT, UsageError } from '../errors';
import { kindWords } from '../kinds';
import { decodeCsvFile, parseCsv, CsvSyntaxError } from '../../client/import/csv';
import { importColumns, planImport, type BadRow } from '../../client/import/plan';
import { importRows, type RowResult } from '../../client/import/run';

export type { RowResult };
import { progress } from '../import/progress';

export const importCommand: Command = {
  name: 'import',
  summary: 'import an existing caseload from a CSV file (checked first; safe to run twice)',
  usage: 'npx mentorflow import <file.csv> [--skip-bad-rows] [--dry-run] [--json]',
  options: {
    ...asOption,
    skipBadRows: { type: 'boolean', description: 'import the good rows even when some are bad (the bad ones are reported)' },
    dryRun: { type: 'boolean', description: 'check every row and say what would be done; start nothing' },
    concurrency: { type: 'string', value: '<n>', description: 'rows imported at the same time (default 4)' },
  },
  examples: [
    'npx mentorflow import examples/caseload.example.csv --as coordinator:co-1 --dry-run',
    'npx mentorflow import caseload.csv --as coordinator:co-1',
  ],
  details: () => [
    'One row per person. The columns (the header names them; case, spaces and hyphens do not matter;',
    'other columns are ignored and never stored):',
    ...importColumns.map((c) => `  ${c.name.padEnd(18)} ${c.for === 'all' ? '' : `${c.for}: `}${c.needed}. ${c.meaning}`),
    '',
    'Each journey is started and brought to its stage by recording the events that lead there, as the',
    'acting person (--as), e.g. young person waitingForMatch = contact, consent with own goals, ready,',
    'preferences; volunteer available = information session, application, face-to-face interview,',
    'clear check, references, training, suitability review (and the peer-mentor criteria).',
    'Deadlines run from the import (a stage reached months ago is not overdue at once).',
    'Exit code 2 if a row is bad or refused (nothing starts while a row is bad, unless --skip-bad-rows).',
    'See docs/cli.md and examples/caseload.example.csv.',
  ],
  run: runImport,
};

async function runImport(args: ParsedArgs, ctx: CliContext): Promise<number> {
  const [file, ...extra] = args.positionals;
  if (!file) throw new UsageError('which file? import <file.csv>', 'import');
  refuseExtraArguments(extra, 'import');
  const by = ctx.actor(args, 'import');
  const concurrency = Number(stringOf(args, 'concurrency') ?? 4);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) throw new UsageError('--concurrency is a whole number from 1 to 32', 'import');

  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'import');
  }
  let csv;
  try {
    csv = parseCsv(decodeCsvFile(bytes));
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new CliRefusal(error.code, `${file}: ${error.message}`, [error.message]);
    throw error;
  }
  const plan = planImport(csv, { by, policy: ctx.policy().policy, now: ctx.now() });
  if (plan.ignoredColumns.length > 0) ctx.err(`Ignored columns (not read, never stored): ${plan.ignoredColumns.join(', ')}`);
  reportBadRows(ctx, plan.bad);

  const skip = booleanOf(args, 'skipBadRows') === true;
  const dryRun = booleanOf(args, 'dryRun') === true;
  if (plan.bad.length > 0 && !skip) {
    const summary = { file, rows: plan.rows.length + plan.bad.length, bad: plan.bad, started: 0, results: [] };
    ctx.print(
      `${plan.bad.length} of ${summary.rows} rows are bad: nothing was imported. Correct them, or import the others with --skip-bad-rows.`,
      summary,
    );
    return EXIT.refused;
  }
  if (dryRun) {
    ctx.print(
      [
        `${plan.rows.length} row${plan.rows.length === 1 ? '' : 's'} ready to import${plan.bad.length ? ` (${plan.bad.length} bad, to be skipped)` : ''}; nothing was started (--dry-run):`,
        ...plan.rows.map((r) => `  line ${r.line}: ${kindWords[r.kind]} ${r.id} -> ${r.stage} (${r.events.length} event${r.events.length === 1 ? '' : 's'})`),
      ],
      { file, dryRun: true, bad: plan.bad, rows: plan.rows.map((r) => ({ line: r.line, id: r.id, kind: r.kind, stage: r.stage, events: r.events.map((e) => e.type) })) },
    );
    return EXIT.ok;
  }

  const journeys = await ctx.journeys();
  const bar = progress(ctx.stderr, plan.rows.length, 'import');
  const results = await importRows(journeys, plan.rows, {
    concurrency,
    onRow: (row, result) => bar.tick(`line ${row.line} ${row.id} ${result.outcome}${result.stage ? ` (${result.stage})` : ''}`),
  });
  bar.done();

  const count = (o: RowResult['outcome']) => results.filter((r) => r.outcome === o).length;
  const failed = results.filter((r) => r.outcome === 'failed');
  for (const f of failed) ctx.err(`line ${f.line} (${f.id}): ${f.error!.message}`);
  const offStage = results.filter((r) => r.outcome !== 'failed' && r.outcome !== 'alreadyStarted' && r.stage && r.stage !== r.expectedStage);
  for (const r of offStage) ctx.err(`line ${r.line} (${r.id}): the journey is at stage ${r.stage}, not ${r.expectedStage} (its policy may differ)`);
  ctx.print(
    [
      `Imported ${file}: ${count('started')} started, ${count('alreadyStarted')} already started, ${count('resumed')} resumed, ${failed.length} failed` +
        (plan.bad.length ? `, ${plan.bad.length} bad rows skipped` : '') +
        '.',
    ],
    { file, started: count('started'), alreadyStarted: count('alreadyStarted'), resumed: count('resumed'), failed: failed.length, bad: plan.bad, results },
  );
  if (failed.length === 0) return EXIT.ok;
  return failed.some((f) => f.refused) ? EXIT.refused : EXIT.error;
}

function reportBadRows(ctx: CliContext, bad: BadRow[]): void {
  for (const row of bad) {
    ctx.err(`line ${row.line}${row.id ? ` (${row.id})` : ''}: ${row.reasons.join('; ')}`);
  }
}
