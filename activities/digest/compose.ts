/**
 * The values of a digest template: each item as one line (text) or one table row (HTML), with its
 * journey's opaque id and stage, what is due in the machine's words, and when, in the scheme's
 * time zone. Nothing here can name a young person: a digest holds no personal data to show.
 */
import type { StaffMember } from '../notifications/directory';
import { relativeDays } from '../notifications/compose';
import { escapeHtml, type Formatted, type TemplateVars } from '../notifications/render';
import type { Digest, DigestItem } from './requests';

const journeyWords: Record<DigestItem['journey']['kind'], string> = {
  youngPerson: "young person's journey",
  volunteer: "volunteer's journey",
  match: 'match',
};

/** "2025-06-03": the day of `iso` in `timeZone`. */
export function localDate(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

function parts(iso: string, timeZone: string, options: Intl.DateTimeFormatOptions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of new Intl.DateTimeFormat('en-GB', { timeZone, ...options }).formatToParts(new Date(iso))) {
    if (part.type !== 'literal') out[part.type] = part.value;
  }
  return out;
}

// Assembled from parts: ICU versions differ on the commas in between.

/** "Tuesday 3 June 2025". */
function longDate(iso: string, timeZone: string): string {
  const p = parts(iso, timeZone, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
}

/** "Tue 3 Jun, 10:00". */
function whenShort(iso: string, timeZone: string): string {
  const p = parts(iso, timeZone, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return `${p.weekday} ${p.day} ${p.month}, ${p.hour}:${p.minute}`;
}

function itemList(items: readonly DigestItem[], ctx: { timeZone: string; asOf: Date }): Formatted {
  const rows = items.map((item) => {
    const when = `${item.overdue ? 'since' : 'due'} ${whenShort(item.at, ctx.timeZone)} (${relativeDays(item.at, ctx.asOf, ctx.timeZone)})`;
    return { what: item.what, kindWords: journeyWords[item.journey.kind], id: item.journey.id, stage: item.stage, when };
  });
  return {
    text: rows.map((r) => `- ${r.what}: ${r.kindWords} ${r.id} (${r.stage}), ${r.when}`).join('\n'),
    html: rows.length
      ? [
          '<table role="presentation" cellpadding="4" style="border-collapse: collapse">',
          '<tr><th align="left">What</th><th align="left">Journey</th><th align="left">Stage</th><th align="left">When</th></tr>',
          ...rows.map(
            (r) =>
              `<tr><td valign="top">${escapeHtml(r.what)}</td><td valign="top">${escapeHtml(r.kindWords)} <code>${escapeHtml(r.id)}</code></td>` +
              `<td valign="top">${escapeHtml(r.stage)}</td><td valign="top">${escapeHtml(r.when)}</td></tr>`,
          ),
          '</table>',
        ].join('\n')
      : '',
  };
}

function idList(workflowIds: readonly string[]): Formatted {
  return {
    text: workflowIds.map((id) => `- ${id}`).join('\n'),
    html: workflowIds.length ? `<ul>${workflowIds.map((id) => `<li><code>${escapeHtml(id)}</code></li>`).join('')}</ul>` : '',
  };
}

export function digestVars(digest: Digest, coordinator: StaffMember, ctx: { schemeName: string; timeZone: string }): TemplateVars {
  const asOf = new Date(digest.asOf);
  return {
    schemeName: ctx.schemeName,
    recipientName: coordinator.name,
    date: longDate(digest.asOf, ctx.timeZone),
    overdueCount: digest.overdue.length,
    dueCount: digest.due.length,
    horizonDays: digest.horizonDays,
    overdue: itemList(digest.overdue, { timeZone: ctx.timeZone, asOf }),
    due: itemList(digest.due, { timeZone: ctx.timeZone, asOf }),
    unreadable: idList(digest.unreadable),
    command: `npx mentorflow due --coordinator ${digest.coordinatorId}`,
  };
}
