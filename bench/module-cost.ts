/**
 * What each cached journey pays for the modules it evaluates, module group by module group:
 * Temporal's reusable V8 context keeps a module cache per workflow (BENCHMARKS.md, section 6), so
 * every journey evaluates, and keeps, its own copy of each of our modules it loads. This script
 * builds a bundle of the tree being measured, loads it into the SDK's own reusable context
 * (`ReusableVMWorkflowCreator`, as the worker does), and for W simulated workflows, each with its
 * own module cache, evaluates the groups one after another (our shared machine modules with the
 * zod and XState they use, the workflow entry, then each journey's machine), measuring the heap each group adds
 * per workflow (after forced GC, every cache kept alive as a cached journey keeps it) and the CPU
 * time of each evaluation. No server, no worker: only the module cost, so it is quick and hardly
 * moved by the machine's load.
 *
 *   npx tsx bench/module-cost.ts                     (about 30 s; bundled as the product is)
 *   BENCH_WORKFLOWS=<tree>/workflows/index.ts npx tsx bench/module-cost.ts
 *   BENCH_TREE_SHAKE=off npx tsx bench/module-cost.ts   (without webpack's unused-export pruning)
 *   BENCH_SHARE_ZOD=off npx tsx bench/module-cost.ts    (each workflow evaluating its own zod)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { bundleWorkflowCode } from '@temporalio/worker';
import { ReusableVMWorkflowCreator } from '@temporalio/worker/lib/workflow/reusable-vm';
import { banner, fmt, gcFunction, journeyBundlerOptions, journeyWorkflowsPath, loadLine, median, shareJourneys, shareZod, table, treeShake } from './common';

const W = Number(process.env.BENCH_W ?? 60);
const tree = path.resolve(path.dirname(journeyWorkflowsPath), '..');

/**
 * Evaluated in this order, each on top of the ones before it (a module already evaluated costs
 * nothing again). zod and XState come with the first of our modules that imports them, as much of
 * them as webpack bundles for our imports.
 */
const groups: { name: string; request: string }[] = [
  { name: 'machines/journey.ts, with zod', request: path.join(tree, 'machines/journey') },
  { name: 'machines/runtime.ts, with XState', request: path.join(tree, 'machines/runtime') },
  { name: 'workflows/index.ts (what every journey evaluates at start)', request: path.join(tree, 'workflows/index') },
  { name: 'young person: machine and schemas', request: path.join(tree, 'machines/young-person') },
  { name: 'volunteer: machine and schemas', request: path.join(tree, 'machines/volunteer') },
  { name: 'match: machine and schemas', request: path.join(tree, 'machines/match') },
];

const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

async function probeBundle(): Promise<{ code: string }> {
  // The probe entry requires each group on demand; webpack evaluates a `require` only when it runs.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mentorflow-module-cost-'));
  const entry = path.join(dir, 'probe.ts');
  writeFileSync(
    entry,
    `/* eslint-disable */\ndeclare const require: (id: string) => unknown;\nexport const groups: Record<string, () => unknown> = {\n${groups
      .map((g) => `  ${JSON.stringify(g.name)}: () => require(${JSON.stringify(g.request)}),`)
      .join('\n')}\n};\n`,
  );
  try {
    // As the product bundles, unless switched off for an A/B (bench/common.ts).
    const asBuilt = journeyBundlerOptions(journeyWorkflowsPath, { treeShake, shareZod, shareJourneys });
    return await bundleWorkflowCode({
      workflowsPath: entry,
      logger: silent,
      preloadModules: asBuilt.preloadModules,
      // The probe lives in a temp dir: resolve packages from the measured tree.
      webpackConfigHook: (config) => {
        const built = asBuilt.webpackConfigHook(config);
        return { ...built, resolve: { ...built.resolve, modules: [...(built.resolve?.modules ?? []), path.join(tree, 'node_modules')] } };
      },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  banner(`Module cost per workflow: ${W} simulated workflows, each with its own module cache, tree ${tree}${shareZod ? ', zod shared' : ', zod per workflow'}${treeShake ? ', pruned' : ', not pruned'}`, 'npx tsx bench/module-cost.ts');
  const gc = gcFunction();
  const heap = () => {
    for (let i = 0; i < 3; i++) gc();
    return process.memoryUsage().heapUsed;
  };
  const { code } = await probeBundle();
  // The worker's own parsing of a bundle: the inline source map, then the code without it.
  const mapAt = code.lastIndexOf('//# sourceMappingURL=data:');
  const sourceMap = JSON.parse(Buffer.from(code.slice(code.indexOf('base64,', mapAt) + 7), 'base64').toString());
  const creator = await ReusableVMWorkflowCreator.create({ code: code.slice(0, mapAt), sourceMap, filename: 'probe-bundle.js' }, 10_000, new Set(), undefined);
  // The creator's V8 context (protected in the SDK's types): where the worker runs every workflow.
  const context = (creator as unknown as { context: vm.Context }).context as Record<string, unknown>;
  const evaluate = (moduleCache: Map<string, unknown>, group: string) => {
    context.__TEMPORAL_ACTIVATOR__ = { moduleCache };
    try {
      vm.runInContext(`__TEMPORAL__.importWorkflows().groups[${JSON.stringify(group)}]()`, context);
    } finally {
      delete context.__TEMPORAL_ACTIVATOR__;
    }
  };
  // Warm up (JIT, the lazily compiled functions of the script), with caches thrown away.
  for (let i = 0; i < 5; i++) {
    const cache = new Map<string, unknown>();
    for (const g of groups) evaluate(cache, g.name);
  }
  const caches = Array.from({ length: W }, () => new Map<string, unknown>());
  const rows: (string | number)[][] = [['group (cumulative)', 'heap per workflow', 'total so far', 'CPU per evaluation (median)', 'modules']];
  const start = heap();
  let before = start;
  let modulesBefore = 0;
  for (const g of groups) {
    const times: number[] = [];
    for (const cache of caches) {
      const t = performance.now();
      evaluate(cache, g.name);
      times.push(performance.now() - t);
    }
    const after = heap();
    const modules = caches[0]!.size;
    if (process.env.BENCH_VERBOSE) console.log(g.name, [...caches[0]!.keys()].slice(modulesBefore).join(' '));
    rows.push([g.name, fmt.kb((after - before) / W), fmt.kb((after - start) / W), fmt.ms(median(times)), `+${modules - modulesBefore}`]);
    before = after;
    modulesBefore = modules;
  }
  console.log('');
  table(rows);
  console.log(`\n${caches[0]!.size} modules evaluated per workflow in all; ${loadLine()} at end`);
  await creator.destroy();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
