/**
 * Fault 2: the Temporal dev server is restarted under a running worker, once stopped with SIGTERM
 * and once killed with SIGKILL (no chance to flush anything), with journeys mid-flight. The
 * worker reconnects by itself; the journeys carry on from the server's SQLite file; clients that
 * saw their requests fail send them again with the same Update id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultLoad, auditAfterFault, type Outage } from './journeys-under-fault';
import { startFaultRig, type FaultRig } from './rig';

let rig: FaultRig;
beforeAll(async () => {
  rig = await startFaultRig({
    label: 'server',
    policy: { youngPerson: { firstContactWithin: '4 seconds' }, notifications: { escalateUnactedNudgeAfter: '1 hour' } },
  });
}, 120_000);
afterAll(async () => rig?.stop());

describe('the dev server restarted under a running worker', () => {
  it('with SIGTERM and then SIGKILL: the worker reconnects by itself and nothing is lost or sent twice', async () => {
    const worker = await rig.startWorker('a');
    const load = new FaultLoad(rig, { label: 'server', journeys: 14, everyMs: 600, contactWithinMs: 9_000 });
    const running = load.run();
    const outages: Outage[] = [];
    for (const [signal, afterMs, downForMs] of [['SIGTERM', 3_000, 1_000], ['SIGKILL', 4_000, 2_000]] as const) {
      await new Promise((r) => setTimeout(r, afterMs));
      const from = Date.now();
      await rig.restartServer(signal, downForMs);
      outages.push({ from, to: Date.now() });
    }
    await running;
    const account = await load.account(rig.client, { outages, limitMs: 60_000 });

    // The same process throughout: it was never restarted, it reconnected.
    expect(await Promise.race([worker.exited, new Promise((r) => setTimeout(() => r('running'), 0))])).toBe('running');
    expect(account.missing).toEqual([]);
    expect(account.stageMismatches).toEqual([]);
    expect(account.updatesUnsettled).toEqual([]);
    expect(account.updatesLost).toEqual([]);
    expect(account.updatesTwice).toEqual([]);
    expect(account.nudgesDue).toBeGreaterThanOrEqual(7);
    expect(account.nudgesMissing).toEqual([]);
    expect(account.unexpected).toEqual([]);
    expect(account.duplicates).toBe(0);

    const audit = await auditAfterFault(rig, { journeys: load.list.length, nudged: account.nudged });
    expect(audit.journeys).toBe(14);
    expect(audit.replayFailures).toEqual([]);
    expect(audit.nudgedButNoBreach).toEqual([]);
  }, 240_000);
});
