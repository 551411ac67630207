/**
 * The journeys' machines and schemas, evaluated once per worker thread and shared by every journey
 * that thread runs, as zod is (./zod.ts), instead of once per cached journey: after zod, they were
 * most of a journey's heap (BENCHMARKS.md, section 6).
 *
 * Preloaded modules are deep-frozen by the SDK, so that no workflow can change what another sees.
 * Our machines and schemas are pure data and functions, so freezing them changes nothing for a
 * journey, once zod's lazily computed members are computed first (./settle.ts says which, and why).
 * Every version of every kind is loaded here, whichever kinds a thread's journeys are: each is
 * paid for once per thread, not once per journey. test/workflows/shared-journeys.test.ts checks
 * that a settled, frozen schema answers every input as a fresh one does.
 */
import * as match from '../../machines/match';
import * as volunteer from '../../machines/volunteer';
import * as youngPerson from '../../machines/young-person';
import { settleBeforeFreezing } from './settle';

// Every version's definition is an export of its kind's module (machines/registry.ts loads them from
// there). A version in a module of its own must be imported here too, or each journey of it
// evaluates its own copy.
settleBeforeFreezing([youngPerson, volunteer, match]);

export {};
