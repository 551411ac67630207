/** Moments and distances in time in a co-ordinator's words, the same in the CLI, the web app and the emails' callers. */
const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
const SECOND = 1_000;

/** "2025-01-08 09:00 UTC" */
export function formatInstant(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}

/** Units for "in 4 days": the first whose threshold the distance reaches. */
const units: [threshold: number, size: number, unit: string][] = [
  [730 * DAY, 365.25 * DAY, 'year'],
  [60 * DAY, 30.44 * DAY, 'month'],
  [DAY, DAY, 'day'],
  [HOUR, HOUR, 'hour'],
  [MINUTE, MINUTE, 'minute'],
  [SECOND, SECOND, 'second'],
];

/** "in 4 days", "3 hours overdue", "in 5 years", "now". */
export function relative(iso: string, now: Date): string {
  const ms = Date.parse(iso) - now.getTime();
  const distance = Math.abs(ms);
  const found = units.find(([threshold]) => distance >= threshold);
  if (!found) return 'now';
  const amount = plural(Math.round(distance / found[1]), found[2]);
  return ms >= 0 ? `in ${amount}` : `${amount} overdue`;
}

/** "3 days ago" for a moment in the past. */
export function ago(iso: string, now: Date): string {
  const text = relative(iso, now);
  return text.endsWith(' overdue') ? `${text.slice(0, -' overdue'.length)} ago` : text;
}

export function isOverdue(iso: string | null, now: Date): boolean {
  return iso !== null && Date.parse(iso) < now.getTime();
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}
