/**
 * The audit's outputs for people (Markdown) and for tools (CSV, JSON). Everything shown is already
 * free of personal data (./redact.ts): codes, dates, counts and opaque ids.
 */
import type { ComplianceReport } from './compliance/report';
import type { MachineCoverage } from './coverage';
import type { RunReplayResult } from './replay';
import type { Timeline, TimelineEntry } from './timeline';

const kindWords = { youngPerson: 'young person', volunteer: 'volunteer', match: 'match' } as const;

/** A value as a Markdown table cell: pipes escaped, no line breaks. */
function cell(value: unknown): string {
  return String(value ?? '').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function when(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

function percent(share: number | null): string {
  return share === null ? 'n/a' : `${Math.round(share * 1000) / 10}%`;
}

// ---------------------------------------------------------------------------------------------
// CSV

/**
 * One CSV field (RFC 4180). A field that a spreadsheet would run as a formula (=, +, -, @) is
 * prefixed with an apostrophe, so opening an export in a spreadsheet runs nothing.
 */
export function csvField(value: unknown): string {
  let text = value === undefined || value === null ? '' : Array.isArray(value) ? value.join(';') : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

// ---------------------------------------------------------------------------------------------
// Timelines

function stageCell(entry: TimelineEntry): string {
  if (entry.stageBefore === entry.stageAfter) return entry.stageAfter ?? '';
  return `${entry.stageBefore ?? '(none)'} → ${entry.stageAfter ?? ''}`;
}

function who(entry: TimelineEntry): string {
  if (!entry.by) return '';
  return entry.by.role === 'system' ? (entry.by.id === 'mentorflow' ? 'mentorflow' : entry.by.id) : `${entry.by.role} ${entry.by.id}`;
}

function detailText(entry: TimelineEntry): string {
  return Object.entries(entry.details)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`)
    .join('; ');
}

export function timelineMarkdown(timeline: Timeline): string {
  const lines = [
    `# Timeline of ${timeline.workflowId}`,
    '',
    `- Journey: ${kindWords[timeline.kind]} ${timeline.journeyId}, scheme \`${timeline.schemeId}\`, machine version ${timeline.machineVersion}`,
    `- ${timeline.runs} run${timeline.runs === 1 ? '' : 's'}, from ${when(timeline.startedAt)} to ${when(timeline.lastEventAt)} UTC; ${
      timeline.ending === 'running' ? 'still running' : timeline.ending
    }, at stage **${timeline.stage ?? '(none)'}**`,
    '- Times are when the history recorded each event (UTC). Refused events (an unmet gate, invalid input) are never written to a history and cannot appear here.',
    '',
    '| # | when (UTC) | who | what | stage | details |',
    '|---:|---|---|---|---|---|',
    ...timeline.entries.map(
      (e) =>
        `| ${e.n}${timeline.runs > 1 ? ` (run ${e.run})` : ''} | ${when(e.at)} | ${cell(who(e))} | ${cell(e.what)}${e.ref ? ` (see #${e.ref})` : ''} | ${cell(stageCell(e))} | ${cell(detailText(e))} |`,
    ),
  ];
  if (timeline.issues.length > 0) {
    lines.push('', '## Where the history and the machine disagree', '');
    for (const issue of timeline.issues) lines.push(`- run ${issue.run}, event ${issue.eventId}: ${issue.message}`);
  }
  return `${lines.join('\n')}\n`;
}

export const timelineCsvHeader = [
  'workflowId',
  'kind',
  'journeyId',
  'n',
  'run',
  'eventId',
  'at',
  'entry',
  'event',
  'byRole',
  'byId',
  'what',
  'stageBefore',
  'stageAfter',
  'state',
  'ref',
  'details',
] as const;

export function timelineCsv(timelines: readonly Timeline[]): string {
  return csv(
    timelineCsvHeader,
    timelines.flatMap((t) =>
      t.entries.map((e) => [
        t.workflowId,
        t.kind,
        t.journeyId,
        e.n,
        e.run,
        e.eventId,
        e.at,
        e.kind,
        e.event,
        e.by?.role,
        e.by?.id,
        e.what,
        e.stageBefore,
        e.stageAfter,
        e.state,
        e.ref,
        Object.keys(e.details).length > 0 ? JSON.stringify(e.details) : '',
      ]),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Compliance

export function complianceMarkdown(report: ComplianceReport): string {
  const f = report.figures;
  const lines = [
    '# Compliance with the scheme policy',
    '',
    `As of ${when(report.asOf)} UTC, over ${report.journeys.youngPerson} young people, ${report.journeys.volunteer} volunteers and ${report.journeys.match} matches` +
      ` (scheme${report.schemes.length === 1 ? '' : 's'} ${report.schemes.map((s) => `\`${s}\``).join(', ')}).`,
    '',
    `**${report.breaches.length} breach${report.breaches.length === 1 ? '' : 'es'}** found.`,
    '',
    '## By rule',
    '',
    '| rule | the policy at the time | checked | breaches | met |',
    '|---|---|---:|---:|---:|',
    ...report.rules.map((r) => `| ${cell(r.title)} (\`${r.id}\`) | ${cell(r.clauses.join(' / ') || '—')} | ${r.checked} | ${r.breaches} | ${percent(r.metShare)} |`),
    '',
    "## By quality standard: MENTOR's Elements of Effective Practice",
    '',
    '| standard | rules | checked | breaches | met |',
    '|---|---|---:|---:|---:|',
    ...report.mentor.map((a) => `| ${cell(a.label.replace(/^MENTOR: /, ''))} | ${a.rules.map((r) => `\`${r}\``).join(', ') || '—'} | ${a.checked} | ${a.breaches} | ${percent(a.metShare)} |`),
    '',
    '## By quality standard: the UK Approved Provider Standard',
    '',
    '| requirement | rules | checked | breaches | met |',
    '|---|---|---:|---:|---:|',
    ...report.aps.map((a) => `| ${cell(a.label)} | ${a.rules.map((r) => `\`${r}\``).join(', ') || '—'} | ${a.checked} | ${a.breaches} | ${percent(a.metShare)} |`),
    '',
    '## Figures',
    '',
    `- Referrals: ${f.referrals} (${f.notEligible} not eligible); median days from referral to first contact: ${f.medianDaysReferralToFirstContact ?? 'n/a'}`,
    `- Young people matched: ${f.youngPeopleMatched}; median days from referral to match: ${f.medianDaysReferralToMatch ?? 'n/a'}`,
    `- Matches proposed: ${f.matchesProposed}, started: ${f.matchesStarted}, declined or withdrawn before the start: ${f.matchesDeclined}; median length of ended matches: ${f.medianMatchDays ?? 'n/a'} days`,
    `- Endings decided: ${f.endingsDecided}, formally recorded: ${f.endingsFormallyRecorded} (${percent(f.shareEndingsFormallyRecorded)}; on time ${percent(f.shareEndingsRecordedOnTime)}); unplanned (early closure): ${percent(f.shareEndingsUnplanned)}`,
    `- Reasons for ending: ${Object.entries(f.endingReasons).map(([k, v]) => `${k} ${v}`).join(', ') || 'none recorded'}`,
    `- Supervision sessions held: ${f.supervisionSessionsHeld} of ${f.supervisionSessionsDue} due`,
    '',
    '## Breaches',
    '',
  ];
  if (report.breaches.length === 0) lines.push('None.');
  else {
    lines.push('| date | journey | rule | what happened |', '|---|---|---|---|');
    for (const b of report.breaches) lines.push(`| ${b.date.slice(0, 10)} | ${b.workflowId} | \`${b.rule}\` | ${cell(b.detail)} |`);
  }
  lines.push('', '## Notes', '', ...report.notes.map((n) => `- ${n}`));
  return `${lines.join('\n')}\n`;
}

export const breachCsvHeader = ['date', 'workflowId', 'kind', 'journeyId', 'rule', 'mentorStandard', 'apsRequirement', 'dueAt', 'doneAt', 'matchId', 'sessionId', 'detail'] as const;

export function breachesCsv(report: ComplianceReport): string {
  return csv(
    breachCsvHeader,
    report.breaches.map((b) => [b.date, b.workflowId, b.kind, b.journeyId, b.rule, b.mentor, b.aps, b.dueAt, b.doneAt, b.matchId, b.sessionId, b.detail]),
  );
}

// ---------------------------------------------------------------------------------------------
// Replay and coverage

export function replayText(results: readonly RunReplayResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const where = `${r.workflowId}${r.run > 1 ? ` (run ${r.run})` : ''}`;
    if (r.ok) {
      lines.push(`ok      ${where}`);
      continue;
    }
    lines.push(`FAILED  ${where}${r.source ? `  [${r.source}]` : ''}`);
    if (!r.replay.ok) lines.push(`        ${r.replay.problem.plain}`);
    for (const issue of r.consistency) lines.push(`        event ${issue.eventId}: ${issue.message}`);
  }
  const failed = results.filter((r) => !r.ok).length;
  lines.push('', `${results.length - failed} of ${results.length} histories replay cleanly${failed > 0 ? `; ${failed} do not` : ''}.`);
  return `${lines.join('\n')}\n`;
}

export function coverageText(coverage: readonly MachineCoverage[]): string {
  return `${coverage
    .map(
      (c) =>
        `${c.kind} (version ${c.machineVersion}): ${c.visited.length} of ${c.states.length} states visited by ${c.runs} run${c.runs === 1 ? '' : 's'}` +
        (c.missing.length > 0 ? `; never visited: ${c.missing.join(', ')}` : ''),
    )
    .join('\n')}\n`;
}
