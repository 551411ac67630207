/**
 * zod, evaluated once per worker thread and shared by every journey that thread runs, instead of
 * once per cached journey (BENCHMARKS.md, section 6: zod and the first schemas built with it were
 * two thirds of a journey's heap).
 *
 * Temporal's reusable V8 context keeps a module cache per workflow, except for the modules the
 * bundle preloads (`bundlerOptions.preloadModules`, workflows/entry.ts): those are evaluated once,
 * before any workflow, and deep-frozen so that no workflow can change what another sees. The
 * journeys' machines and the schemas built with zod are shared too, preloaded after this module
 * (./journeys.ts).
 *
 * Imported, not required: the SDK's preload `require`s this module, and a bare `require('zod')`
 * would get zod's CommonJS build while our modules `import` its ES build, so nothing would be
 * shared. zod's lazily set state is settled here, before the freeze: its global config and
 * registry (kept on `globalThis`), and whether code generation is allowed (asked once, on the
 * first object schema parsed). What zod writes at parse time into its own shared objects is
 * made safe for the freeze at bundle time (./frozen-regex-loader.cjs).
 */
import { z } from 'zod';

const warmUp = z.object({ on: z.iso.date(), by: z.enum(['coordinator']), note: z.string().optional() });
warmUp.safeParse({ on: '2026-01-01', by: 'coordinator' });
warmUp.safeParse({ on: 'not a date', by: 'nobody' });

export {};
