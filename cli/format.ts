/** How journeys read at a terminal: dates with "in 3 days" / "2 days overdue", statuses, tables. */
import { plainWords } from '../presentation/words';
import type { JourneyListing } from '../client/journeys';
import type { JourneyStatus } from '../contracts/messages';
import { kindTitles, kindWords } from './kinds';

export { ago, formatInstant, isOverdue, relative } from '../client/time-words';
export { listingOverdue } from '../client/due-order';
import { ago, formatInstant, isOverdue, relative } from '../client/time-words';
import { openNudgesOf } from '../presentation/notices';
import { resolvingCommand } from './resolving-command';

/** A journey's status as a co-ordinator reads it. Only opaque ids, stages, dates and counts. */
/** A journey's personal values, opened or not (`Journeys.personal`), one per line: "  name: Jamie". */
export function formatPersonal(personal: Record<string, unknown>): string[] {
  const lines: string[] = [];
  const add = (label: string, value: unknown): void => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      if (value.length === 0) return;
      value.forEach((item, i) => add(`${label} ${i + 1}`, item));
    } else if (typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) add(key, inner);
    } else {
      lines.push(`  ${label}: ${String(value)}`);
    }
  };
  for (const [key, value] of Object.entries(personal)) add(key, value);
  return lines.length > 0 ? lines : ['  (none recorded)'];
}

export function formatStatus(status: JourneyStatus, now: Date): string[] {
  const lines = [
    `${kindTitles[status.kind]} ${status.journeyId}${status.ended ? ' (ended)' : ''}`,
    `  co-ordinator  ${status.coordinatorId}`,
    `  stage         ${status.stage}   (${status.state})`,
  ];
  if (status.due.length === 0) lines.push(`  due next      ${status.ended ? '-' : 'nothing scheduled'}`);
  status.due.forEach((d, i) => {
    const mark = isOverdue(d.dueAt, now) ? 'OVERDUE ' : '';
    lines.push(`  ${i === 0 ? 'due next     ' : '             '} ${mark}${d.what}: ${formatInstant(d.dueAt)} (${relative(d.dueAt, now)})`);
  });
  if (status.openNudges.length === 0) lines.push('  open nudges   none');
  openNudgesOf(status).forEach((n, i) => {
    lines.push(`  ${i === 0 ? 'open nudges  ' : '             '} ${n.summary} (since ${formatInstant(n.since)}, ${ago(n.since, now)}; ${n.about})`);
    lines.push(`                ${n.whatToDo}${n.resolvedBy ? `: ${resolvingCommand(n.resolvedBy)}` : ''}`);
  });
  if (status.decisions.length > 0) {
    lines.push('  decisions');
    for (const d of status.decisions) {
      lines.push(`    ${formatInstant(d.at)}  ${d.event}${d.outcome ? `: ${d.outcome}` : ''}  by ${d.by.role}:${d.by.id}`);
    }
  }
  if (status.failures.length > 0) {
    lines.push('  failures (effects that failed for good)');
    for (const f of status.failures) lines.push(`    ${formatInstant(f.at)}  ${f.effect}${f.about ? ` (${f.about})` : ''}: ${f.error}`);
  }
  if (status.unapplied.length > 0) {
    lines.push('  not applied (from linked journeys)');
    for (const u of status.unapplied) lines.push(`    ${formatInstant(u.at)}  ${u.event} from ${u.from}: ${u.reason}`);
  }
  const facts = Object.entries(status.facts).filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0));
  if (facts.length > 0) {
    lines.push('  facts');
    for (const [k, v] of facts) lines.push(`    ${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  }
  lines.push(`  updated       ${formatInstant(status.updatedAt)}`);
  return lines;
}

/** A short line after an event is recorded. */
export function formatAfterRecord(label: string, status: JourneyStatus, now: Date): string[] {
  const next = status.due[0];
  return [
    `Done: ${label} (${kindWords[status.kind]} ${status.journeyId}).`,
    `Stage: ${status.stage}.${next ? ` Next due: ${next.what}, ${formatInstant(next.dueAt)} (${relative(next.dueAt, now)}).` : ''}`,
    ...(status.openNudges.length > 0 ? [`Open nudges: ${status.openNudges.map((n) => plainWords(n.about)).join(', ')}.`] : []),
  ];
}

/** A plain text table; the first row is the header. */
export function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ').trimEnd());
}

export function listingRows(listings: JourneyListing[], now: Date, what?: Map<string, string>): string[][] {
  return listings.map((l) => [
    l.kind ? kindWords[l.kind] : '?',
    l.journeyId ?? l.workflowId,
    l.stage ?? '?',
    l.coordinatorId ?? '?',
    l.overdueSince
      ? `OVERDUE since ${formatInstant(l.overdueSince)} (${relative(l.overdueSince, now)})`
      : l.nextDueAt
        ? `${isOverdue(l.nextDueAt, now) ? 'OVERDUE ' : ''}${formatInstant(l.nextDueAt)} (${relative(l.nextDueAt, now)})`
        : '-',
    ...(what ? [what.get(l.workflowId) ?? ''] : []),
  ]);
}

