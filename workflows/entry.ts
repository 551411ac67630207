/**
 * Where the workflow code lives, and how it is bundled, for those who bundle or replay it from
 * Node: the worker (worker/create-worker.ts), the auditor's replayer (audit/replay.ts), the tests'
 * prebuilt bundle, the golden recorder and the benchmarks, so that what is tested and replayed is
 * what runs. Workflow code never imports this file; it is read by Node, not bundled. It sits here,
 * beside the code it points at, so that the audit need not reach up into worker/ to find it.
 */
export const workflowsPath = `${__dirname}/index.ts`;

/**
 * Webpack's pruning of unused exports and of side-effect-free modules nothing uses. Temporal's
 * bundler builds in development mode, without it: webpack then defines a getter for every export
 * of every module (zod's hundreds included), and every cached journey evaluates its own copy of
 * the bundle's modules. Pruned, a cached journey holds less heap (BENCHMARKS.md section 6).
 */
export function pruneUnusedExports<WebpackConfig extends { optimization?: object }>(config: WebpackConfig): WebpackConfig {
  return { ...config, optimization: { ...config.optimization, usedExports: true, sideEffects: true } };
}

/**
 * What every journey of a worker thread shares rather than evaluating its own copy: zod
 * (./shared-modules/zod.ts says how and why), then the journeys' machines and schemas
 * (./shared-modules/journeys.ts). Preloaded modules are frozen by the SDK, so zod's own modules
 * are bundled through a loader that keeps it working on frozen patterns, and the journeys' schemas
 * are settled before the freeze.
 */
export const sharedZodModule = `${__dirname}/shared-modules/zod.ts`;
export const sharedJourneysModule = `${__dirname}/shared-modules/journeys.ts`;
export const sharedModules = [sharedZodModule, sharedJourneysModule];

export function zodForSharing<WebpackConfig extends { module?: { rules?: unknown[] } }>(config: WebpackConfig): WebpackConfig {
  const zodOwnModule = { test: /[\\/]node_modules[\\/]zod[\\/].*\.js$/, use: [{ loader: `${__dirname}/shared-modules/frozen-regex-loader.cjs` }] };
  return { ...config, module: { ...config.module, rules: [...(config.module?.rules ?? []), zodOwnModule] } };
}

/** How the journeys' bundle is built: pruned, with zod shared by the journeys of a thread. */
export function journeyBundleConfig<WebpackConfig extends { optimization?: object; module?: { rules?: unknown[] } }>(config: WebpackConfig): WebpackConfig {
  return zodForSharing(pruneUnusedExports(config));
}

/** For a Worker or a replay worker that bundles `workflowsPath` itself. */
export const workflowBundlerOptions = { webpackConfigHook: journeyBundleConfig, preloadModules: sharedModules };
