/**
 * The nudges the interpreter itself raises, when carrying out what the machine asked went wrong:
 * an effect that failed for good, news from a linked journey that could not apply.
 */
import type { NotifyParams } from '../machines/journey';
import type { Effect } from '../machines/runtime';
import type { EffectFailure, UnappliedEvent } from '../contracts/messages';

export function nudgeForFailedEffect(effect: Effect, failure: EffectFailure): NotifyParams {
  return {
    about: 'deliveryFailed',
    facts: {
      failedEffect: effect.type,
      ...(failure.about ? { failedAbout: failure.about } : {}),
      ...(failure.errorType ? { errorType: failure.errorType } : {}),
      error: failure.error,
    },
  };
}

export function nudgeForUnappliedNews(entry: UnappliedEvent): NotifyParams {
  return {
    about: 'linkedEventNotApplied',
    facts: { event: entry.event, from: entry.from, reason: entry.reason },
  };
}

