/**
 * The baseline for the throughput benchmark: a bare Temporal workflow that accepts the same
 * `record` Update (with a validator, as a journey has) and does nothing with it. Bundled on its
 * own, so its workflow code is Temporal's SDK and these few lines, nothing of ours.
 */
import { condition, defineUpdate, proxyActivities, setHandler, sleep } from '@temporalio/workflow';

export const recordEvent = defineUpdate<null, [unknown]>('record');

export async function baselineJourney(_input: unknown): Promise<void> {
  setHandler(recordEvent, () => null, { validator: (_event: unknown) => {} });
  // Open until terminated, like a journey waiting for its next event.
  await condition(() => false);
}

/** The nudge baseline's one activity: a plain email to the same SMTP server (bench/nudge-latency.bench.ts). */
export interface BaselineActivities {
  baselineSend(tag: string): Promise<void>;
}

const { baselineSend } = proxyActivities<BaselineActivities>({ startToCloseTimeout: '1 minute' });

/**
 * The baseline for the nudge benchmark's deadlines at one instant: a bare workflow that waits for
 * a deadline with one Temporal timer, then sends one plain email through an activity, as a nudge
 * does, and ends. Deadline to SMTP server for it is bare Temporal and nodemailer doing the same
 * path under the same burst, on the same server, with nothing of ours (no machine, no templates,
 * no encryption, no delivery log).
 */
export async function baselineDeadline(dueAtMs: number, tag: string): Promise<void> {
  await sleep(Math.max(1, dueAtMs - Date.now()));
  await baselineSend(tag);
}
