/**
 * The journeys' modules for Node (the CLI, the client library, the audit, the tests): imported
 * at once, as any module. The workflow bundle gets lazy.ts instead (see package.json here and
 * machines/registry.ts). Keep the two files exporting the same loaders.
 */
import * as match from '../match';
import * as volunteer from '../volunteer';
import * as youngPerson from '../young-person';
import type { JourneyModules } from './types';

export const journeyModules: JourneyModules = {
  youngPerson: () => youngPerson,
  volunteer: () => volunteer,
  match: () => match,
};
