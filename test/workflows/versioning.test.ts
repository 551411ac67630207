/**
 * Changing a machine while journeys are running (docs/versioning.md): a history recorded before
 * the change replays against the new code when the change is a new machine version, and replay
 * catches the same change made in place.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import webpack from 'webpack';
import { workflowBundlerOptions, workflowsPath } from '../../workflows/entry';
import { useTimeSkippingEnvironment } from '../helpers/temporal-env';
import { withJourneyWorker } from '../helpers/journey-worker';
import { coordinator, referralStart } from '../helpers/scenario';
import { testPrivacy } from '../helpers/privacy';
import { failureConverterPath } from '../../privacy';

const env = useTimeSkippingEnvironment();
const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** The workflow code as it would be after a change: `machines/registry.ts` swapped for `registry`. */
function bundleWithRegistry(registry: string): Promise<WorkflowBundleWithSourceMap> {
  const replacement = path.join(__dirname, '../fixtures/versioning', registry);
  return bundleWorkflowCode({
    workflowsPath,
    failureConverterPath,
    logger: silent,
    preloadModules: workflowBundlerOptions.preloadModules,
    webpackConfigHook: (config) => {
      const asBuilt = workflowBundlerOptions.webpackConfigHook(config);
      asBuilt.plugins = [...(asBuilt.plugins ?? []), new webpack.NormalModuleReplacementPlugin(/^\.\.\/machines\/registry$/, replacement)];
      return asBuilt;
    },
  });
}

describe('changing a machine while journeys run', () => {
  it('replays a history recorded before the change when the change is a new version, and fails when it is edited in place', async () => {
    const history = await withJourneyWorker(env(), {}, async ({ journeys, client }) => {
      const startedAt = new Date(await env().currentTimeMs()).toISOString();
      await journeys.start('youngPerson', referralStart('yp-v1', startedAt));
      await env().sleep('8 days');
      await journeys.record('youngPerson', 'yp-v1', { type: 'contact.recorded', by: coordinator, method: 'phone' });
      return client.workflow.getHandle('young-person-yp-v1').fetchHistory();
    });
    expect(history.events!.some((e) => e.timerFiredEventAttributes)).toBe(true);

    // The history is stored encrypted: replay reads it with the keyring, as the worker does.
    const { dataConverter } = testPrivacy();
    // Same code: replays (a control for the two cases below).
    const { workflowBundle } = await import('../helpers/journey-worker');
    await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter }, history, 'young-person-yp-v1')).resolves.toBeUndefined();

    const versioned = await bundleWithRegistry('registry-versioned.ts');
    await expect(Worker.runReplayHistory({ workflowBundle: versioned, dataConverter }, history, 'young-person-yp-v1')).resolves.toBeUndefined();

    const editedInPlace = await bundleWithRegistry('registry-edited-in-place.ts');
    await expect(Worker.runReplayHistory({ workflowBundle: editedInPlace, dataConverter }, history, 'young-person-yp-v1')).rejects.toThrow(
      /nondetermin|DeterminismViolation/i,
    );
  }, 120_000);
});
