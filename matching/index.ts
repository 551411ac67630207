/**
 * Matching help (docs/matching.md): an explained shortlist for each young person waiting, and the
 * best assignment across the waiting list. Pure: the client loads the journeys, this ranks and
 * explains them, the co-ordinator decides and the young person chooses.
 */
export * from './candidates';
export * from './plan';
export * from './score';
export * from './shortlist';
