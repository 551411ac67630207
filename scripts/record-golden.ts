/**
 * Record the golden histories: run each scenario of test/golden/scenarios.ts with real journeys on
 * a fresh time-skipping Temporal server and a real worker (current code), then export every
 * journey's history to test/golden/<scenario>/. See test/golden/README.md.
 *
 *   npx tsx scripts/record-golden.ts             # every scenario
 *   npx tsx scripts/record-golden.ts lapses      # one (or more) by name
 *   GOLDEN_VERBOSE=1 npx tsx scripts/record-golden.ts volunteers   # say each simulated day on stderr
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { exportJourneys, listJourneyIds } from '../audit/export';
import { BUNDLE_PATH, withJourneyWorker } from '../test/helpers/journey-worker';
import { registerSearchAttributes } from '../worker/search-attributes';
import { scenarios } from '../test/golden/scenarios';
import { repoRoot } from '../config';
import { bundleJourneyWorkflows } from '../worker/create-worker';
import { resolveTemporalBinaries } from '../config/temporal-paths.mjs';
import { failureConverterPath } from '../privacy';
import { freshPrivacy } from '../test/helpers/privacy';

const goldenDir = path.join(repoRoot, 'test', 'golden');
const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

async function main(names: string[]): Promise<void> {
  const unknown = names.filter((n) => !scenarios.some((s) => s.name === n));
  if (unknown.length > 0) {
    throw new Error(`no scenario ${unknown.join(', ')} (scenarios: ${scenarios.map((s) => s.name).join(', ')})`);
  }
  // The worker's, the journeys' and Core's logs are not what this script is for.
  Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'WARN' }, forward: {} } } });
  const chosen = names.length > 0 ? scenarios.filter((s) => names.includes(s.name)) : scenarios;
  const { testServer, cacheDir } = resolveTemporalBinaries();
  if (!testServer) throw new Error(`no Temporal time-skipping test server in ${cacheDir}: run node scripts/temporal-binaries.mjs first`);

  // The worker harness takes the prebuilt test bundle when there is one: build it from the code
  // as it is now, so that the histories are the current code's.
  const { code } = await bundleJourneyWorkflows(quiet);
  mkdirSync(path.dirname(BUNDLE_PATH), { recursive: true });
  writeFileSync(BUNDLE_PATH, code);

  for (const scenario of chosen) {
    const started = performance.now();
    const env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: testServer } },
      client: { dataConverter: { failureConverterPath } },
    });
    try {
      if (scenario.indexed) await registerSearchAttributes(env.connection, 'default');
      const outDir = path.join(goldenDir, scenario.name);
      // Personal fields are sealed with person keys made for this recording and thrown away after
      // it (as if everyone were erased). Payloads are left unencrypted so that the files can be
      // read and replayed without a keyring; the encrypted form is tested by test/audit/export.test.ts.
      const recording = freshPrivacy();
      const summary = await withJourneyWorker(
        env,
        {
          privacy: { ...recording, dataConverter: { failureConverterPath } },
          ...(scenario.policy ? { policy: scenario.policy } : {}),
          ...(scenario.continueAsNewAfterEvents ? { continueAsNewAfterEvents: scenario.continueAsNewAfterEvents } : {}),
          ...(scenario.indexed ? { indexed: true } : {}),
        },
        async (harness) => {
          await scenario.run({ env, journeys: harness.journeys, client: harness.client });
          await settle(env.client);
          rmSync(outDir, { recursive: true, force: true });
          return exportJourneys({ client: env.client, outDir });
        },
      );
      if (summary.failed.length > 0) throw new Error(`could not export: ${summary.failed.map((f) => `${f.workflowId} (${f.error})`).join('; ')}`);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(`${scenario.name}: ${summary.journeys} journeys, ${summary.files.length} history files in ${path.relative(repoRoot, outDir)}/ (${seconds}s)`);
    } finally {
      await env.teardown();
    }
  }
}

/** Wait until no journey has a workflow task or an activity under way, so every history is whole. */
async function settle(client: Client): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ids = await listJourneyIds(client);
    const busy: string[] = [];
    for (const id of ids) {
      const { raw } = await client.workflow.getHandle(id).describe();
      if (raw.pendingWorkflowTask || (raw.pendingActivities?.length ?? 0) > 0) busy.push(id);
    }
    if (busy.length === 0) return;
    if (Date.now() > deadline) throw new Error(`journeys still busy after 30s: ${busy.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
