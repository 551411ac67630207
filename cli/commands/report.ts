/**
 * `report`: the scheme report for a period (reports/scheme.ts) from exported histories, as
 * Markdown, HTML with charts, CSV or JSON.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { reportCharts } from '../../reports/charts';
import { reportCsv, reportHtml, reportMarkdown } from '../../reports/format';
import { schemeReportInParallel } from '../../reports/scheme';
import { isoDateSchema } from '../../machines/journey';
import { stringOf } from '../args';
import type { Command } from '../command';
import { EXIT, UsageError } from '../errors';
import { fetchJourneys } from '../../audit/export';
import { progress } from '../import/progress';
import { journeysFrom } from './audit';

const formats = ['md', 'html', 'csv', 'json'] as const;

/** A day given as YYYY-MM-DD, as the instant it starts (UTC). */
function dayStart(value: string | undefined, flag: string): string {
  if (!value || !isoDateSchema.safeParse(value).success) throw new UsageError(`${flag} is a date, YYYY-MM-DD${value ? `, not "${value}"` : ''}`, 'report');
  return `${value}T00:00:00.000Z`;
}

export const reportCommand: Command = {
  name: 'report',
  summary: "the scheme report for a period: need, funnel, informal support, volunteers, matches, practice, nudges",
  usage: 'npx mentorflow report [<file|folder>...] --from <date> --to <date> [--coordinator <id>] [--eligible <n>] [--format md|html|csv|json] [--out <file>]',
  options: {
    from: { type: 'string', value: '<date>', description: 'the first day of the period (YYYY-MM-DD)' },
    to: { type: 'string', value: '<date>', description: 'the last day of the period, included (YYYY-MM-DD)' },
    coordinator: { type: 'string', value: '<id>', description: "one co-ordinator's journeys only" },
    eligible: { type: 'string', value: '<n>', description: 'eligible care leavers in the area in the period (for the need figure)' },
    format: { type: 'string', value: '<md|html|csv|json>', description: 'md (default), html with charts (prints cleanly), csv of every figure, json with the journeys each figure counts' },
    out: { type: 'string', value: '<file>', description: 'write to a file instead of the terminal' },
  },
  examples: [
    'npx mentorflow report --from 2026-04-01 --to 2027-03-31',
    'npx mentorflow report histories/ --from 2026-04-01 --to 2027-03-31 --eligible 120 --format html --out report.html',
  ],
  details: [
    'From history files (audit export), or without them straight from Temporal: the same histories give the same report.',
    'Young people and volunteers are followed as the cohort that started in the period, to its end; matches count',
    'those started (time to match) or ended (length, endings) in it; training, exits and nudges what happened in it',
    '(docs/reports.md).',
  ],
  async run(args, ctx) {
    const from = dayStart(stringOf(args, 'from'), '--from');
    const lastDay = dayStart(stringOf(args, 'to'), '--to');
    const to = new Date(Date.parse(lastDay) + 86_400_000).toISOString();
    if (to <= from) throw new UsageError('--to is on or after --from', 'report');
    const format = (stringOf(args, 'format') ?? (ctx.json ? 'json' : 'md')) as (typeof formats)[number];
    if (!formats.includes(format)) throw new UsageError(`--format is one of ${formats.join(', ')}`, 'report');
    const eligibleText = stringOf(args, 'eligible');
    const eligible = eligibleText === undefined ? undefined : Number(eligibleText);
    if (eligible !== undefined && (!Number.isInteger(eligible) || eligible < 0)) throw new UsageError('--eligible is a whole number', 'report');
    const coordinatorId = stringOf(args, 'coordinator');
    // From exported files, or (none given) straight from Temporal: the same histories, the same report.
    const journeys =
      args.positionals.length > 0 ? await journeysFrom(args, 'report', ctx) : await fetchJourneys({ client: await ctx.client(), codec: ctx.privacy().codec });
    // A bar at a terminal only: a script's stderr gets no line per journey.
    const bar = ctx.stderr.isTTY && journeys.length > 0 ? progress(ctx.stderr, journeys.length, 'Re-running the journeys over their histories') : undefined;
    const onProgress = () => bar?.tick('');
    const report = await schemeReportInParallel(journeys, { from, to, policy: ctx.policy().policy, onProgress, ...(coordinatorId ? { coordinatorId } : {}), ...(eligible !== undefined ? { eligibleCareLeavers: eligible } : {}) });
    bar?.done();
    const text =
      format === 'json' ? `${JSON.stringify(report, null, 2)}\n`
      : format === 'csv' ? reportCsv(report)
      : format === 'html' ? reportHtml(report, await reportCharts(report))
      : reportMarkdown(report);
    const out = stringOf(args, 'out');
    if (out) {
      mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
      writeFileSync(out, text);
      ctx.err(`Written to ${out}`);
    } else {
      ctx.stdout.write(text);
    }
    return EXIT.ok;
  },
};
