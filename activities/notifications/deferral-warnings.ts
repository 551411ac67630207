/**
 * One warning a minute while email is held up, instead of one per attempt. Attempts are retried
 * at most 10 s apart (workflows/activity-options.ts), so a mail server down for a day would
 * otherwise write thousands of stack traces per waiting message into the worker's log. Such
 * failures are marked BENIGN for the Temporal SDK (it logs them at DEBUG only); this says, in one
 * line, what is wrong and how many attempts met it.
 */
export function deferralWarnings(options: { warn?: (line: string) => void; everyMs?: number; now?: () => number } = {}) {
  const warn = options.warn ?? ((line: string) => console.warn(line));
  const everyMs = options.everyMs ?? 60_000;
  const now = options.now ?? Date.now;
  let lastAt = -Infinity;
  let since = 0;
  return {
    /** An attempt was deferred for this reason (no personal data: the failure's own message). */
    deferred(reason: string): void {
      since += 1;
      if (now() - lastAt < everyMs) return;
      warn(`[mentorflow] email held up: ${reason} (${since} attempt${since === 1 ? '' : 's'} since the last such warning; retried at most 10 s apart until it goes)`);
      lastAt = now();
      since = 0;
    },
  };
}
