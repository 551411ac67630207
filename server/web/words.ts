/** Dates and times as a co-ordinator reads them on a page: "5 December 2026", "in 3 days", "2 days overdue" (the CLI's words). */
import { relative } from '../../client/time-words';

export function dateWords(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

export function dateTimeWords(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return `${dateWords(iso)}, ${date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' })} UTC`;
}

/** How far off a due date is, from `now`: "in 3 days", "2 hours overdue". */
export function dueWords(iso: string | null | undefined, now: Date): string {
  return iso ? relative(iso, now) : '';
}

export { plainWords as words, sentence } from '../../presentation/words';
