/** What eager.ts and lazy.ts both export: a loader of each journey's module (types only). */
export interface JourneyModules {
  youngPerson: () => typeof import('../../machines/young-person');
  volunteer: () => typeof import('../../machines/volunteer');
  match: () => typeof import('../../machines/match');
}
