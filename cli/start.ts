/** Shared by `refer`, `volunteer enquire` and `import`: a journey's start input, checked before anything is started. */
import type { Client } from '@temporalio/client';
import type { JourneyKind } from '../machines/journey';
import { workflowIdFor } from '../contracts/ids';
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

/**
 * Whether a journey with this id was ever started, running or ended. Starting an id whose journey
 * has ended would otherwise start it afresh (Temporal allows a new run once the last one closed),
 * so a second import after a young person withdrew would bring them back.
 */
export async function journeyExists(client: Client, kind: JourneyKind, journeyId: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowIdFor(kind, journeyId)).describe();
    return true;
  } catch (error) {
    if ((error as Error).name === 'WorkflowNotFoundError') return false;
    throw error;
  }
}
