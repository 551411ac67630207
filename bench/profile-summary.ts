/**
 * Where the CPU went, from the `.cpuprofile` files `node --cpu-prof` writes (one per thread: the
 * main thread runs the client, the SDK and the activities; the workflow thread runs the bundle).
 * Samples in the workflow bundle are attributed to the module they fall in (the bundle is built
 * again here, identically, to map its lines to modules), the rest to their script.
 *
 *   BENCH_ONLY=journey BENCH_ROUNDS=1 node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/throughput.bench.ts
 *   npx tsx bench/profile-summary.ts /tmp/prof
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { bundle, fmt, journeyWorkflowsPath, table } from './common';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Line (0-based) -> module path, from webpack's `/***\/ "./path"` markers at the start of each module. */
function moduleLines(code: string): (line: number) => string {
  const starts: { line: number; module: string }[] = [];
  code.split('\n').forEach((text, line) => {
    const m = /^\/\*\*\*\/ "(.+?)"/.exec(text);
    if (m) starts.push({ line, module: m[1]! });
  });
  return (line) => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = '(bundle runtime)';
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]!.line <= line) {
        found = starts[mid]!.module;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}

/** Group a module path into something a reader can act on. */
function groupOf(module: string): string {
  const m = module.replace(/^\.\//, '');
  if (m.includes('node_modules/zod')) return 'zod';
  if (m.includes('node_modules/xstate')) return 'xstate';
  if (m.includes('node_modules/@temporalio')) return '@temporalio/workflow (SDK in the sandbox)';
  if (m.includes('node_modules/')) return `other: ${m.split('node_modules/')[1]!.split('/')[0]}`;
  return m;
}

function summarise(file: string, moduleOf: (line: number) => string): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const interval = profile.timeDeltas.reduce((a, b) => a + b, 0) / Math.max(1, profile.samples.length) / 1000;
  const totalMs = profile.samples.length * interval;

  const self = new Map<string, number>();
  const underRequire = { ms: 0 };
  const idle = new Set(['(idle)', '(program)', '(garbage collector)']);
  let busyMs = 0;
  for (const id of profile.samples) {
    const node = byId.get(id)!;
    const frame = node.callFrame;
    let key: string;
    if (idle.has(frame.functionName)) key = frame.functionName;
    else if (/workflow-bundle-/.test(frame.url)) key = groupOf(moduleOf(frame.lineNumber));
    else if (frame.url.includes('node_modules/')) key = `main: ${frame.url.split('node_modules/')[1]!.split('/').slice(0, 2).join('/')}`;
    else key = frame.url ? `main: ${path.relative(process.cwd(), frame.url.replace('file://', ''))}` : `(native) ${frame.functionName || '?'}`;
    self.set(key, (self.get(key) ?? 0) + interval);
    if (frame.functionName !== '(idle)') busyMs += interval;
    // Inclusive: any webpack require on the stack means a module being evaluated.
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      if (byId.get(n)!.callFrame.functionName === '__webpack_require__') {
        underRequire.ms += interval;
        break;
      }
    }
  }
  console.log(`\n${path.basename(file)}: ${fmt.n(totalMs)} ms sampled, ${fmt.n(busyMs)} ms busy`);
  const rows = [...self.entries()].filter(([k]) => k !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, 18);
  table([['self time', 'ms', '% of busy'], ...rows.map(([k, v]) => [k, fmt.n(v), `${((v / Math.max(1, busyMs)) * 100).toFixed(1)}%`])]);
  if (underRequire.ms > 0) {
    console.log(`under __webpack_require__ (module evaluation, inclusive): ${fmt.n(underRequire.ms)} ms, ${((underRequire.ms / Math.max(1, busyMs)) * 100).toFixed(1)}% of busy`);
  }
}

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: tsx bench/profile-summary.ts <dir of .cpuprofile files>');
  const { code } = await bundle(journeyWorkflowsPath);
  const moduleOf = moduleLines(code);
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort()) summarise(path.join(dir, name), moduleOf);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
