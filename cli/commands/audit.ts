/**
 * `audit export|replay|timeline|compliance|coverage`: what an inspector, a funder or an evaluator
 * asks, answered from the journeys' histories (docs/audit.md). Only `export` talks to Temporal;
 * the others read history files and need no server.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  breachesCsv,
  complianceMarkdown,
  complianceReport,
  coverageOf,
  coverageText,
  exportJourneys,
  journeyTimeline,
  loadEncodedJourneys,
  mirrorRun,
  replayJourneys,
  replayText,
  timelineCsv,
  timelineMarkdown,
  type Journey,
} from '../../audit';
import { quietReplayLogs } from '../../audit/replay';
import { isoDateSchema, isoDateTimeSchema } from '../../machines/journey';
import { journeyOfWorkflowId, workflowIdFor } from '../../contracts/ids';
import { stringOf, type ParsedArgs } from '../args';
import { kindOption, type Command } from '../command';
import type { CliContext } from '../context';
import { EXIT, UsageError } from '../errors';
import { progress, type Progress } from '../import/progress';
import { kindFromPrefix, resolveKind } from '../kinds';

const formats = ['md', 'csv', 'json'] as const;
type Format = (typeof formats)[number];

const formatOption = {
  format: { type: 'string' as const, value: '<md|csv|json>', description: 'Markdown for people (default), CSV or JSON for tools' },
  out: { type: 'string' as const, value: '<file>', description: 'write to this file instead of stdout' },
};

function formatOf(args: ParsedArgs, command: string): Format {
  if (args.values.json === true) return 'json';
  const given = stringOf(args, 'format') ?? 'md';
  if (!(formats as readonly string[]).includes(given)) throw new UsageError(`--format is md, csv or json, not "${given}"`, command);
  return given as Format;
}

/** Write the output where asked: a file (the path is then printed on stderr) or stdout. */
function emit(ctx: CliContext, args: ParsedArgs, text: string): void {
  const out = stringOf(args, 'out');
  if (!out) {
    ctx.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    return;
  }
  mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  writeFileSync(out, text);
  ctx.err(`Written to ${out}`);
}

/**
 * The histories to read, decrypted with the scheme's keyring (exports hold payloads as Temporal
 * stores them: encrypted). Personal fields stay sealed with each person's own key.
 */
export async function journeysFrom(args: ParsedArgs, command: string, ctx: CliContext): Promise<Journey[]> {
  if (args.positionals.length === 0) throw new UsageError('give the history files or folders to read', command);
  const journeys = await loadEncodedJourneys(args.positionals, ctx.privacy().codec);
  if (journeys.length === 0) throw new UsageError(`no history files (*.json) in ${args.positionals.join(', ')}`, command);
  return journeys;
}

/** A bar on stderr, made when the total is first known. */
function lazyProgress(ctx: CliContext, label: string): { tick(done: number, total: number, note: string): void; done(): void } {
  let bar: Progress | undefined;
  return {
    tick(_done, total, note) {
      bar ??= progress(ctx.stderr, total, label);
      bar.tick(note);
    },
    done() {
      bar?.done();
    },
  };
}

export const auditExportCommand: Command = {
  name: 'audit export',
  summary: "export journeys' full histories (every run) to JSON files, for replay and audit",
  usage: 'npx mentorflow audit export [<journeyId|workflowId>...] [--query <visibility query>] --out <folder> [--json]',
  options: {
    ...kindOption,
    query: { type: 'string', value: '<query>', description: "a Temporal visibility query, e.g. \"MentorflowCoordinatorId = 'co-1'\" (default: every journey)" },
    out: { type: 'string', value: '<folder>', description: 'where to write the files (created if need be)' },
  },
  examples: [
    'npx mentorflow audit export yp-7k3m9q2x4d --out histories/',
    'npx mentorflow audit export --out histories/',
    "npx mentorflow audit export --query \"MentorflowJourneyKind = 'match' AND ExecutionStatus = 'Running'\" --out histories/",
  ],
  details: [
    'One file per run: <workflowId>.json, then <workflowId>.run-2.json, ... for a journey that continued as new.',
    'The files hold personal data (dates of birth, goals, contact addresses): keep them as you keep the case records.',
    'A server without visibility queries (the time-skipping test server) exports every journey, or the ones named.',
  ],
  async run(args, ctx) {
    const out = stringOf(args, 'out');
    if (!out) throw new UsageError('say where to write the histories: --out <folder>', 'audit export');
    const query = stringOf(args, 'query');
    if (query && args.positionals.length > 0) throw new UsageError('give journeys by id or by --query, not both', 'audit export');
    const client = await ctx.client();
    const workflowIds: string[] = [];
    for (const id of args.positionals) {
      if (journeyOfWorkflowId(id) && !kindFromPrefix(id)) workflowIds.push(id);
      else workflowIds.push(workflowIdFor(await resolveKind(id, stringOf(args, 'kind'), await ctx.journeys()), id));
    }
    const bar = lazyProgress(ctx, 'Exporting');
    const summary = await exportJourneys({
      client,
      outDir: out,
      ...(workflowIds.length > 0 ? { workflowIds } : {}),
      ...(query ? { query } : {}),
      onProgress: (done, total, workflowId) => bar.tick(done, total, workflowId),
    });
    bar.done();
    ctx.print(
      [
        `${summary.journeys} journey${summary.journeys === 1 ? '' : 's'} exported to ${out} (${summary.files.length} history file${summary.files.length === 1 ? '' : 's'})`,
        ...summary.failed.map((f) => `  not exported: ${f.workflowId}: ${f.error}`),
      ],
      summary,
    );
    return summary.failed.length > 0 ? EXIT.error : EXIT.ok;
  },
};

export const auditReplayCommand: Command = {
  name: 'audit replay',
  summary: 'replay exported histories against the current workflow code; say where any would break',
  usage: 'npx mentorflow audit replay <file|folder>... [--workflows <path>] [--json]',
  options: {
    workflows: { type: 'string', value: '<path>', description: 'the workflow code to replay against (default: workflows/index.ts)' },
  },
  examples: ['npx mentorflow audit replay histories/', 'npx mentorflow audit replay test/golden/ --json'],
  details: [
    'For each run of each journey: "ok", or where the current code would act differently (which event, what it',
    'does instead), or where the history no longer agrees with the machine (an edited file, a machine changed',
    'without a new version: docs/versioning.md). Exit code 1 if any history fails.',
  ],
  async run(args, ctx) {
    const journeys = (await journeysFrom(args, 'audit replay', ctx));
    quietReplayLogs();
    const bar = lazyProgress(ctx, 'Replaying');
    const workflows = stringOf(args, 'workflows');
    const results = await replayJourneys(journeys, {
      ...(workflows ? { workflowsPath: path.resolve(workflows) } : {}),
      codec: ctx.privacy().codec,
      onResult: (r, done, total) => bar.tick(done, total, `${r.workflowId}${r.ok ? '' : ' FAILED'}`),
    });
    bar.done();
    if (ctx.json) ctx.out(JSON.stringify(results, null, 2));
    else ctx.out(replayText(results).trimEnd());
    return results.every((r) => r.ok) ? EXIT.ok : EXIT.error;
  },
};

export const auditTimelineCommand: Command = {
  name: 'audit timeline',
  summary: "a journey's timeline from its history file(s), offline: who did what, when, stage before and after",
  usage: 'npx mentorflow audit timeline <file|folder>... [--journey <workflowId|journeyId>] [--format md|csv|json] [--out <file>]',
  options: {
    journey: { type: 'string', value: '<id>', description: 'only this journey (when a folder holds several)' },
    bookkeeping: { type: 'boolean', description: 'also list workflow-task and other bookkeeping events' },
    ...formatOption,
  },
  examples: [
    'npx mentorflow audit timeline histories/young-person-yp-7k3m9q2x4d.json',
    'npx mentorflow audit timeline histories/ --journey m-2b8d0f1h3k --format csv --out m-2b8d0f1h3k.csv',
  ],
  details: [
    'Every event in order: recorded events (role and opaque id of who recorded them), news from linked journeys,',
    'timers set, fired and cancelled, nudges, reminders and invitations asked for and delivered, child journeys.',
    'Refused events (an unmet gate, invalid input) are never written to a history and cannot appear.',
  ],
  async run(args, ctx) {
    const format = formatOf(args, 'audit timeline');
    const only = stringOf(args, 'journey');
    const journeys = (await journeysFrom(args, 'audit timeline', ctx)).filter((j) => !only || j.workflowId === only || j.journeyId === only);
    if (journeys.length === 0) throw new UsageError(`no history of journey ${only} there`, 'audit timeline');
    const timelines = journeys.map((j) => journeyTimeline(j, { includeBookkeeping: args.values.bookkeeping === true }));
    const text =
      format === 'json' ? JSON.stringify(timelines.length === 1 ? timelines[0] : timelines, null, 2) : format === 'csv' ? timelineCsv(timelines) : timelines.map(timelineMarkdown).join('\n');
    emit(ctx, args, text);
    return EXIT.ok;
  },
};

export const auditComplianceCommand: Command = {
  name: 'audit compliance',
  summary: 'check a set of histories against the policy each journey kept: breaches, summaries, figures',
  usage: 'npx mentorflow audit compliance <file|folder>... [--as-of <date>] [--format md|csv|json] [--out <file>]',
  options: {
    asOf: { type: 'string', value: '<date>', description: 'judge open deadlines at this date or time (default: the latest event in the set)' },
    ...formatOption,
  },
  examples: [
    'npx mentorflow audit compliance histories/',
    'npx mentorflow audit compliance histories/ --format csv --out breaches.csv',
  ],
  details: [
    'Rules: first contact; no match before vetting, references, training hours and topics, suitability (and the peer',
    'criteria); initial goals; check-ins two in month one then monthly; supervision at its cadence; reviews when due;',
    'every ending formally recorded; expired checks acted upon. Summaries per rule, per MENTOR standard and per APS',
    'requirement; figures such as median days from referral to match. CSV lists the breaches; JSON is the whole report.',
  ],
  async run(args, ctx) {
    const format = formatOf(args, 'audit compliance');
    const asOfText = stringOf(args, 'asOf');
    let asOf: string | undefined;
    if (asOfText) {
      if (isoDateSchema.safeParse(asOfText).success) asOf = `${asOfText}T23:59:59.999Z`;
      else if (isoDateTimeSchema.safeParse(asOfText).success) asOf = new Date(asOfText).toISOString();
      else throw new UsageError(`--as-of is a date (YYYY-MM-DD) or a date and time, not "${asOfText}"`, 'audit compliance');
    }
    const report = complianceReport((await journeysFrom(args, 'audit compliance', ctx)), asOf ? { asOf } : {});
    emit(ctx, args, format === 'json' ? JSON.stringify(report, null, 2) : format === 'csv' ? breachesCsv(report) : complianceMarkdown(report));
    return EXIT.ok;
  },
};

export const auditCoverageCommand: Command = {
  name: 'audit coverage',
  summary: 'which states of each journey machine a set of histories visits (e.g. the golden histories)',
  usage: 'npx mentorflow audit coverage <file|folder>... [--json]',
  options: {},
  examples: ['npx mentorflow audit coverage test/golden/'],
  details: ['States left at once by an eventless transition are never at rest, and are not counted.'],
  async run(args, ctx) {
    const coverage = coverageOf((await journeysFrom(args, 'audit coverage', ctx)).flatMap((j) => j.runs.map(mirrorRun)));
    ctx.print(coverageText(coverage).trimEnd(), coverage);
    return coverage.every((c) => c.missing.length === 0) ? EXIT.ok : EXIT.error;
  },
};

export const auditCommands: Command[] = [auditExportCommand, auditReplayCommand, auditTimelineCommand, auditComplianceCommand, auditCoverageCommand];
