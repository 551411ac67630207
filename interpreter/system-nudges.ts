/**
 * The nudges the interpreter itself raises, when carrying out what the machine asked went wrong:
 * an effect that failed for good, news from a linked journey that could not apply.
 */
import type { NotifyParams } from '../machines/journey';
import type { Effect } from '../machines/runtime';
import type { EffectFailure, UnappliedEvent } from '../contracts/messages';

const effectLabels: Record<Effect['type'], string> = {
  nudgeCoordinator: 'a nudge to the co-ordinator',
  escalateToLead: 'an escalation to the lead co-ordinator',
  remindVolunteer: 'a reminder to the volunteer',
  inviteToSupervision: 'a supervision invitation',
  cancelSupervision: 'a supervision cancellation',
  startMatchJourney: 'the start of a match journey',
  tellJourney: 'news for a linked journey',
};

export function nudgeForFailedEffect(effect: Effect, failure: EffectFailure): NotifyParams {
  return {
    about: 'deliveryFailed',
    summary: `${capitalise(effectLabels[effect.type])} could not be carried out`,
    whatToDo: 'Check the details on record (for example the email address), then follow up by hand.',
    facts: {
      failedEffect: effect.type,
      ...(failure.about ? { failedAbout: failure.about } : {}),
      ...(failure.errorType ? { errorType: failure.errorType } : {}),
      error: failure.error,
    },
  };
}

export function nudgeForUnappliedNews(entry: UnappliedEvent, journeyId: string): NotifyParams {
  return {
    about: 'linkedEventNotApplied',
    summary: `News from a linked journey (${entry.event}) could not be applied to this journey`,
    whatToDo: `Check both journeys: npx mentorflow status ${journeyId}`,
    facts: { event: entry.event, from: entry.from, reason: entry.reason },
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
