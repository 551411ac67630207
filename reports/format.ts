/**
 * The scheme report written out: Markdown for people (and trustees' papers), CSV of every figure
 * for a spreadsheet, and HTML that prints cleanly with its charts (./charts.ts). JSON is the
 * report itself.
 */
import { csv } from '../audit/format';
import type { Count, Distribution, FunnelStep, SchemeReport } from './scheme';

const day = (iso: string) => iso.slice(0, 10);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const pct = (share: number | null) => (share === null ? '-' : `${Math.round(share * 100)}%`);
const num = (n: number | null) => (n === null ? '-' : String(n));
const days = (d: Distribution) => (d.count === 0 ? 'none' : `median ${num(d.median)} days, mean ${num(d.mean)}, p90 ${num(d.p90)}, longest ${num(d.longest)} (${d.count})`);
const counts = (groups: Record<string, Count>) =>
  Object.keys(groups).length === 0 ? 'none' : Object.entries(groups).map(([k, c]) => `${k} ${c.count}`).join(', ');

/** The period as people say it: "2026-01-01 to 2026-03-31" (the end is exclusive in the data). */
export function periodWords(report: SchemeReport): string {
  const lastDay = new Date(Date.parse(report.period.to) - 1).toISOString();
  return `${day(report.period.from)} to ${day(lastDay)}${report.coordinatorId ? `, co-ordinator ${report.coordinatorId}` : ''}`;
}

function funnelTable(steps: readonly FunnelStep[]): string[] {
  return ['| step | count | from the step before |', '|---|---|---|', ...steps.map((s) => `| ${s.step} | ${s.count} | ${pct(s.conversion)} |`)];
}

export function reportMarkdown(report: SchemeReport): string {
  const { need, matches: m, volunteers: v, informalSupport: i, nudges: n } = report;
  return [
    `# Scheme report: ${periodWords(report)}`,
    '',
    `**${report.headline}.**`,
    '',
    '## Need',
    '',
    need.eligibleCareLeavers === null
      ? `Eligible care leavers in the area: not given (\`--eligible <n>\`). Referred: ${need.referred}; matched: ${need.matched}.`
      : `Eligible care leavers in the area: ${need.eligibleCareLeavers}; likely to want mentoring (one in ${need.ruleOfThumbDivisor}): ${need.likelyToWantMentoring}. Referred: ${need.referred}; matched: ${need.matched}.`,
    '',
    '## Young people referred in the period, to its end',
    '',
    ...funnelTable(report.funnel),
    '',
    `Withdrawals: ${counts(report.withdrawals)}.`,
    '',
    '## Informal support',
    '',
    `${plural(i.youngPeople.count, 'young person', 'young people')} supported informally (${plural(i.tasks, 'task')}, ${plural(i.groupActivities, 'group activity', 'group activities')}); ${i.movedToFormalMentoring.count} moved on to formal mentoring.`,
    '',
    '## Volunteers who enquired in the period, to its end',
    '',
    ...funnelTable(v.funnel),
    '',
    `Trained in the period: ${v.trainedInPeriod.count} (${v.trainedInPeriod.hours} hours; topics: ${Object.entries(v.trainedInPeriod.topics).map(([t, n]) => `${t} ${n}`).join(', ') || 'none'}). Exits: ${counts(v.exits)}; turnover ${v.turnoverPerYear === null ? '-' : `${Math.round(v.turnoverPerYear * 100)}% a year`}. Safeguarding checks expiring within 90 days of the period's end: ${v.checksExpiringWithin90Days.count}.`,
    '',
    '## Matches',
    '',
    `Started in the period: ${m.started.count}; time from referral to match: ${days(m.daysReferralToMatch)}.`,
    '',
    `Ended in the period: ${m.ended.count}; length: ${days(m.lengthDays)}. Early closures (shorter than ${m.earlyClosures.plannedLength}): ${m.earlyClosures.count} (${pct(m.earlyClosures.share)}). Planned ${m.planned.count}, unplanned ${m.unplanned.count}. Reasons: ${counts(m.endingReasons)}.`,
    '',
    `Endings decided in the period: ${m.endingsDecided.count}; formally recorded by its end: ${m.formalEndingRecorded.count} (${pct(m.formalEndingRecorded.share)}).`,
    '',
    '## Practice held against due (duties that fell due in the period; held means on time)',
    '',
    '| practice | due | held |',
    '|---|---|---|',
    ...report.practice.map((p) => `| ${p.title} | ${p.due} | ${p.held} |`),
    '',
    '## Nudges in the period',
    '',
    `Raised ${n.raised.count}, escalated ${n.escalated.count}, resolved ${n.resolved.count}; median time to resolve: ${n.medianHoursToResolve === null ? '-' : `${n.medianHoursToResolve} hours`}.`,
    '',
    'Every figure lists the journeys it counts in the JSON form (`--format json`): ids only.',
    '',
  ].join('\n');
}

/** Every figure as one row: section, figure, value, and the journeys it counts. */
export function reportCsv(report: SchemeReport): string {
  const rows: unknown[][] = [];
  const add = (section: string, figure: string, value: unknown, ids: readonly string[] = []) => rows.push([section, figure, value ?? '', ids.join(';')]);
  const addCount = (section: string, figure: string, c: Count) => add(section, figure, c.count, c.journeyIds);
  const addDistribution = (section: string, figure: string, d: Distribution) => {
    for (const key of ['count', 'mean', 'median', 'p90', 'longest'] as const) add(section, `${figure} ${key}`, d[key]);
  };
  add('need', 'eligible care leavers', report.need.eligibleCareLeavers);
  add('need', 'likely to want mentoring', report.need.likelyToWantMentoring);
  add('need', 'referred', report.need.referred);
  add('need', 'matched', report.need.matched);
  for (const s of report.funnel) add('young people', s.step, s.count, s.journeyIds);
  for (const [reason, c] of Object.entries(report.withdrawals)) addCount('withdrawals', reason, c);
  addCount('informal support', 'young people', report.informalSupport.youngPeople);
  add('informal support', 'tasks', report.informalSupport.tasks);
  add('informal support', 'group activities', report.informalSupport.groupActivities);
  addCount('informal support', 'moved to formal mentoring', report.informalSupport.movedToFormalMentoring);
  for (const s of report.volunteers.funnel) add('volunteers', s.step, s.count, s.journeyIds);
  addCount('volunteers', 'trained in the period', report.volunteers.trainedInPeriod);
  add('volunteers', 'training hours in the period', report.volunteers.trainedInPeriod.hours);
  for (const [topic, n] of Object.entries(report.volunteers.trainedInPeriod.topics)) add('training topics', topic, n);
  add('volunteers', 'turnover per year', report.volunteers.turnoverPerYear);
  for (const [reason, c] of Object.entries(report.volunteers.exits)) addCount('volunteer exits', reason, c);
  addCount('volunteers', 'checks expiring within 90 days', report.volunteers.checksExpiringWithin90Days);
  addCount('matches', 'started', report.matches.started);
  addDistribution('matches', 'days referral to match', report.matches.daysReferralToMatch);
  addCount('matches', 'ended', report.matches.ended);
  addDistribution('matches', 'length days', report.matches.lengthDays);
  addCount('matches', 'early closures', report.matches.earlyClosures);
  add('matches', 'early closure share', report.matches.earlyClosures.share);
  for (const [reason, c] of Object.entries(report.matches.endingReasons)) addCount('ending reasons', reason, c);
  addCount('matches', 'planned endings', report.matches.planned);
  addCount('matches', 'unplanned endings', report.matches.unplanned);
  addCount('matches', 'endings decided', report.matches.endingsDecided);
  addCount('matches', 'formal endings recorded', report.matches.formalEndingRecorded);
  for (const p of report.practice) {
    add('practice', `${p.title}: due`, p.due, p.journeyIds);
    add('practice', `${p.title}: held`, p.held, p.journeyIds);
  }
  addCount('nudges', 'raised', report.nudges.raised);
  addCount('nudges', 'escalated', report.nudges.escalated);
  addCount('nudges', 'resolved', report.nudges.resolved);
  add('nudges', 'median hours to resolve', report.nudges.medianHoursToResolve);
  add('headline', 'headline', report.headline);
  return csv(['section', 'figure', 'value', 'journeys'], rows);
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A standalone HTML page that prints cleanly: the Markdown report's sections as HTML tables and
 * paragraphs, and the charts as inline SVG (no script, no external file).
 */
export function reportHtml(report: SchemeReport, charts: readonly { id: string; title: string; svg: string }[]): string {
  const body = markdownToHtml(reportMarkdown(report));
  const figures = charts.map((c) => `<figure id="chart-${c.id}"><figcaption>${escapeHtml(c.title)}</figcaption>${c.svg}</figure>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Scheme report: ${escapeHtml(periodWords(report))}</title>
<style>
  body { font-family: Arial, Helvetica, sans-serif; color: #0b0c0c; max-width: 50em; margin: 2em auto; padding: 0 1em; line-height: 1.4; }
  table { border-collapse: collapse; margin: 0.5em 0 1em; }
  th, td { border-bottom: 1px solid #b1b4b6; padding: 0.3em 1em 0.3em 0; text-align: left; }
  figure { margin: 1em 0; break-inside: avoid; }
  figcaption { font-weight: bold; margin-bottom: 0.3em; }
  h2 { break-after: avoid; margin-top: 1.5em; }
  @media print { body { margin: 0; max-width: none; } a { color: inherit; text-decoration: none; } }
</style>
</head>
<body>
${body}
<h2>Charts</h2>
${figures}
</body>
</html>
`;
}

/** The small Markdown the report writes (headings, bold, tables, paragraphs), as HTML. */
function markdownToHtml(markdown: string): string {
  const inline = (text: string) => escapeHtml(text).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>').replace(/`(.+?)`/g, '<code>$1</code>');
  const out: string[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('# ')) out.push(`<h1>${inline(line.slice(2))}</h1>`);
    else if (line.startsWith('## ')) out.push(`<h2>${inline(line.slice(3))}</h2>`);
    else if (line.startsWith('|')) {
      const rows: string[][] = [];
      while (i < lines.length && lines[i]!.startsWith('|')) {
        if (!/^\|[-| ]+\|$/.test(lines[i]!)) rows.push(lines[i]!.slice(1, -1).split('|').map((c) => c.trim()));
        i++;
      }
      i--;
      const [head, ...rest] = rows;
      out.push(`<table><thead><tr>${head!.map((c) => `<th scope="col">${inline(c)}</th>`).join('')}</tr></thead><tbody>${rest.map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`);
    } else if (line.trim() !== '') out.push(`<p>${inline(line)}</p>`);
  }
  return out.join('\n');
}
