/**
 * The journeys' modules in the workflow bundle: each is evaluated the first time a journey of its
 * kind asks for it, not when the bundle is loaded. Temporal keeps a module cache per workflow, so
 * each cached journey keeps whatever modules it evaluated: a young person's journey should not
 * also evaluate, and keep, the volunteer's and the match's machines and schemas (BENCHMARKS.md,
 * section 6). webpack bundles each `require` below but evaluates it only when it runs; the
 * workflow bundle takes this file through the `browser` field of package.json here, Node takes
 * eager.ts. Keep the two files exporting the same loaders.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- a require in a function is what keeps a module's evaluation lazy in webpack's bundle */
import type { JourneyModules } from './types';

export const journeyModules: JourneyModules = {
  youngPerson: () => require('../young-person') as ReturnType<JourneyModules['youngPerson']>,
  volunteer: () => require('../volunteer') as ReturnType<JourneyModules['volunteer']>,
  match: () => require('../match') as ReturnType<JourneyModules['match']>,
};
