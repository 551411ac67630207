/** Shared by `refer`, `volunteer enquire` and `import`: a journey's start input, checked before anything is started. */
import type { JourneyKind } from '../machines/journey';
import { journeys } from '../machines/registry';
import { CliRefusal } from './errors';
import { issueReasons } from '../contracts/refusals';

/** Validate a journey's start input with the journey's own schema; every problem names its field. */
export function checkStartInput(kind: JourneyKind, input: Record<string, unknown>, what: string): Record<string, unknown> {
  const parsed = journeys[kind].input.safeParse(input);
  if (parsed.success) return input;
  const reasons = issueReasons(parsed.error, 'input');
  throw new CliRefusal('EVENT.INVALID', `cannot ${what}: ${reasons.join('; ')}`, reasons);
}

/** "2025-03-01" -> "2025-03-01T00:00:00.000Z"; a full date-time is kept as it is. */
export function startOf(dateOrDateTime: string | undefined, now: Date): string {
  if (!dateOrDateTime) return now.toISOString();
  return /^\d{4}-\d{2}-\d{2}$/.test(dateOrDateTime) ? `${dateOrDateTime}T00:00:00.000Z` : dateOrDateTime;
}
