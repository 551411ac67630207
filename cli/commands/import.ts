/**
 * `import <csv>`: an existing caseload from a spreadsheet. Every row is checked first; nothing
 * starts while any row is bad (unless --skip-bad-rows). Each person's journey is started and
 * brought to their stage by recording the events that lead there. Running the same file again
 * starts nothing twice: a journey's id is the row's `id`, and an import interrupted half-way
 * through a row carries on from the events already recorded.
 */
import { readFileSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import type { Journeys } from '../../client/journeys';
import type { JourneyKind } from '../../machines/journey';
import { workflowIdFor } from '../../workflows/ids';
import { booleanOf, refuseExtraArguments, stringOf, type ParsedArgs } from '../args';
import { asOption, type Command } from '../command';
import type { CliContext } from '../context';
import { CliRefusal, describeError, EXIT, UsageError } from '../errors';
import { kindWords } from '../kinds';
import { parseCsv, CsvSyntaxError } from '../import/csv';
import { importColumns, planImport, type BadRow, type PlannedRow } from '../import/plan';
import { journeyExists } from '../start';
import { progress } from '../import/progress';

export interface RowResult {
  line: number;
  id: string;
  kind: JourneyKind;
  /** started: new; alreadyStarted: found from an earlier import, nothing recorded; resumed: found half-imported, finished now. */
  outcome: 'started' | 'alreadyStarted' | 'resumed' | 'failed';
  /** Events recorded by this run. */
  recorded: number;
  /** The stage the journey reports now (null if it could not be asked). */
  stage: string | null;
  expectedStage: string;
  error?: { code: string; message: string; reasons: string[] };
  /** How the CLI would exit for this row's failure alone (2 refused, 1 error). */
  exitCode?: number;
}

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

  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'import');
  }
  let csv;
  try {
    csv = parseCsv(text);
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
  const client = await ctx.client();
  const bar = progress(ctx.stderr, plan.rows.length, 'import');
  const results: RowResult[] = [];
  const queue = [...plan.rows];
  const worker = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      const result = await importRow(journeys, client, row);
      results.push(result);
      bar.tick(`line ${row.line} ${row.id} ${result.outcome}${result.stage ? ` (${result.stage})` : ''}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, plan.rows.length)) }, worker));
  bar.done();
  results.sort((a, b) => a.line - b.line);

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
  return failed.some((f) => f.exitCode === EXIT.refused) ? EXIT.refused : EXIT.error;
}

function reportBadRows(ctx: CliContext, bad: BadRow[]): void {
  for (const row of bad) {
    ctx.err(`line ${row.line}${row.id ? ` (${row.id})` : ''}: ${row.reasons.join('; ')}`);
  }
}

/** Start one journey and record what brings it to its stage, carrying on where an earlier run stopped. */
async function importRow(journeys: Journeys, client: Client, row: PlannedRow): Promise<RowResult> {
  const result: RowResult = { line: row.line, id: row.id, kind: row.kind, outcome: 'started', recorded: 0, stage: null, expectedStage: row.stage };
  try {
    const existed = await journeyExists(client, row.kind, row.id);
    const started = existed
      ? { alreadyStarted: true }
      : await journeys.start(row.kind, row.input, { ...(row.contact ? { contact: row.contact } : {}), imported: true });
    // Ask the new journey for its status before sending it events: it has begun, and a worker is
    // polling (without one, this row fails here rather than half-way through its events).
    if (!started.alreadyStarted) await journeys.status(row.kind, row.id);
    let from = 0;
    if (started.alreadyStarted) {
      from = await eventsRecordedBefore(client, workflowIdFor(row.kind, row.id));
      result.outcome = from >= row.events.length ? 'alreadyStarted' : 'resumed';
    }
    for (const event of row.events.slice(from)) {
      await journeys.record(row.kind, row.id, event);
      result.recorded++;
    }
    result.stage = (await journeys.status(row.kind, row.id)).stage;
  } catch (error) {
    const d = describeError(error);
    result.outcome = 'failed';
    result.error = { code: d.code, message: d.message, reasons: d.reasons };
    result.exitCode = d.exitCode;
  }
  return result;
}

/**
 * How many events people have recorded on a journey, from its history (an accepted `record`
 * Update is an event; a refused one leaves no trace). A journey that has continued as new has
 * long outgrown its import: everything counts as recorded.
 */
async function eventsRecordedBefore(client: Client, workflowId: string): Promise<number> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  let count = 0;
  for (const event of history.events ?? []) {
    if (event.workflowExecutionStartedEventAttributes?.continuedExecutionRunId) return Number.POSITIVE_INFINITY;
    if (event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'record') count++;
  }
  return count;
}
