/** What eager.ts and lazy.ts both export: a loader of each journey's module (types only). */
export interface JourneyModules {
  youngPerson: () => typeof import('../young-person');
  volunteer: () => typeof import('../volunteer');
  match: () => typeof import('../match');
}
