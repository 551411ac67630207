/**
 * A large caseload file through the import's checks, as `mentorflow import --dry-run` runs them:
 * decoding (UTF-8 only), parsing the CSV, and planning every row (each row's events judged by its
 * journey's machine, purely). Rows are the example caseload's, repeated under new ids. The
 * baseline beside it is the parse alone (what any CSV reader pays).
 *
 *   npm run bench:import                  (100,000 rows, about a minute)
 *   BENCH_ROWS=10000 npm run bench:import
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeCsvFile, parseCsv } from '../client/import/csv';
import { planImport } from '../client/import/plan';
import { defaultPolicy } from '../machines/policy';
import { repoRoot } from '../config';
import { banner, fmt, loadLine, table } from './common';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);

function main(): void {
  banner(`Import checks over a ${fmt.n(ROWS)}-row caseload file (the example's rows repeated)`, 'npm run bench:import');
  const [header, ...rows] = readFileSync(path.join(repoRoot, 'examples', 'caseload.example.csv'), 'utf8').trimEnd().split('\n');
  const lines = [header!];
  for (let i = 0; i < ROWS; i++) lines.push(rows[i % rows.length]!.replace(/^([a-z]+)-ex-\d+/, (_, kind: string) => `${kind}-big-${i}`));
  const bytes = Buffer.from(`${lines.join('\r\n')}\r\n`);

  let started = performance.now();
  const csv = parseCsv(decodeCsvFile(bytes));
  const parseMs = performance.now() - started;
  started = performance.now();
  const plan = planImport(csv, { by: { role: 'coordinator', id: 'co-1' }, policy: defaultPolicy, now: new Date() });
  const planMs = performance.now() - started;
  const heap = process.memoryUsage();

  table([
    ['step', 'time', 'rows/s', 'ratio to the parse'],
    ['decode and parse (baseline)', fmt.ms(parseMs), fmt.n(ROWS / (parseMs / 1000)), '1.0'],
    ['plan every row (machines judge each event)', fmt.ms(planMs), fmt.n(ROWS / (planMs / 1000)), fmt.n(planMs / parseMs, 1)],
  ]);
  console.log(`\n${fmt.n(bytes.length / 1e6, 1)} MB; ${fmt.n(plan.rows.length)} rows planned, ${plan.bad.length} bad; heap ${fmt.n(heap.heapUsed / 2 ** 20)} MiB, RSS ${fmt.n(heap.rss / 2 ** 20)} MiB`);
  console.log(`${loadLine()} at end`);
}

main();
