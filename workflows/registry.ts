/** Every journey the interpreter can run, by kind. */
import type { JourneyDefinition, JourneyKind } from '../machines/journey';
import { matchJourney } from '../machines/match';
import { volunteerJourney } from '../machines/volunteer';
import { youngPersonJourney } from '../machines/young-person';

export const journeys: Record<JourneyKind, JourneyDefinition> = {
  youngPerson: youngPersonJourney,
  volunteer: volunteerJourney,
  match: matchJourney,
};
