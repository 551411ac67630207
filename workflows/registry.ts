/** Every journey the interpreter can run, by kind. */
import type { JourneyDefinition, JourneyKind } from '../machines/journey';
import { youngPersonJourney } from '../machines/young-person';

export const journeys: Record<JourneyKind, JourneyDefinition> = {
  youngPerson: youngPersonJourney,
  // TEMPORARY until the volunteer and match machines land (this session): never started.
  volunteer: youngPersonJourney,
  match: youngPersonJourney,
};
