/**
 * Every activity tells Temporal it is alive while it works, once a second. Why: when a worker dies
 * in the middle of a send (SIGKILL, a crash, a pulled plug), Temporal only learns it when the
 * activity's timeout passes. With a heartbeat timeout of a few seconds (workflows/activity-options.ts) that
 * is seconds, not the minute a send may legitimately take, so the nudge is retried on a live
 * worker almost at once (docs/faults.md).
 */
import { Context } from '@temporalio/activity';

export const HEARTBEAT_EVERY_MS = 1_000;

type AnyActivity = (...args: never[]) => Promise<unknown>;

/** The same activities, each heartbeating while it runs (outside an activity, e.g. in a unit test, it simply runs). */
export function heartbeating<A extends Record<string, AnyActivity>>(activities: A): A {
  return Object.fromEntries(Object.entries(activities).map(([name, activity]) => [name, withHeartbeat(activity)])) as A;
}

function withHeartbeat<F extends AnyActivity>(activity: F): F {
  return (async (...args: Parameters<F>) => {
    let context: Context | undefined;
    try {
      context = Context.current();
    } catch {
      context = undefined;
    }
    const beat = context ? setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS) : undefined;
    try {
      return await activity(...args);
    } finally {
      if (beat) clearInterval(beat);
    }
  }) as F;
}
