/**
 * The baseline for the throughput benchmark: a bare Temporal workflow that accepts the same
 * `record` Update (with a validator, as a journey has) and does nothing with it. Bundled on its
 * own, so its workflow code is Temporal's SDK and these few lines, nothing of ours.
 */
import { condition, defineUpdate, setHandler, sleep } from '@temporalio/workflow';

export const recordEvent = defineUpdate<null, [unknown]>('record');

export async function baselineJourney(_input: unknown): Promise<void> {
  setHandler(recordEvent, () => null, { validator: (_event: unknown) => {} });
  // Open until terminated, like a journey waiting for its next event.
  await condition(() => false);
}

/**
 * The baseline for the nudge benchmark's deadlines at one instant: a bare workflow that waits for
 * a deadline with one Temporal timer and then ends. How late its TimerFired event is, is
 * Temporal's own timer latency under the same burst, measured on the same server.
 */
export async function baselineDeadline(dueAtMs: number): Promise<void> {
  await sleep(Math.max(1, dueAtMs - Date.now()));
}
