/**
 * Fault 5: disk trouble an operator can cause. The outbox folder unwritable while nudges fall
 * due; the delivery log unopenable at start; the keyring missing or corrupt at start. Each gives a
 * clear error; the worker neither sends without its records nor loops losing work; once the
 * operator puts it right, the journeys carry on and every nudge goes out once.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflowIdFor } from '../../contracts/ids';
import { FaultLoad } from './journeys-under-fault';
import { startFaultRig, type FaultRig } from './rig';

let rig: FaultRig;
beforeAll(async () => {
  rig = await startFaultRig({
    label: 'disk',
    policy: { youngPerson: { firstContactWithin: '2 seconds' }, notifications: { escalateUnactedNudgeAfter: '1 hour' } },
  });
}, 120_000);
afterAll(async () => rig?.stop());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The outbox's .eml files for a journey (no SMTP: the worker writes messages to its outbox folder). */
function outboxFiles(outbox: string): string[] {
  return existsSync(outbox) ? readdirSync(outbox).filter((name) => name.endsWith('.eml')) : [];
}

describe('disk trouble', () => {
  it('an outbox folder that cannot be written at start: refused, saying which folder', async () => {
    const outbox = path.join(rig.root, 'worker-outbox-start', 'outbox');
    mkdirSync(path.dirname(outbox), { recursive: true });
    // A file where the folder should be: as root, a permission bit would not stop the worker.
    writeFileSync(outbox, 'not a folder');
    const worker = rig.spawnWorker('outbox-start', { SMTP_HOST: '' });
    expect(await worker.exited).toBe('exit code 1');
    expect(worker.output()).toContain(`The outbox folder ${outbox} cannot be written (EEXIST)`);
  }, 60_000);

  it('an outbox folder that stops being writable: retried, said in the log, and each nudge written once when it can be', async () => {
    const worker = await rig.startWorker('outbox', { SMTP_HOST: '' });
    const outbox = path.join(worker.dataDir, 'outbox');
    rmSync(outbox, { recursive: true, force: true });
    writeFileSync(outbox, 'not a folder');
    const load = new FaultLoad(rig, { label: 'outbox', journeys: 3, everyMs: 200, contactEvery: 0, contactWithinMs: 0 });
    await load.run();
    // The deadlines pass: the deliveries are being retried, not given up or lost.
    const attempts = async () =>
      Promise.all(load.list.map(async (j) => ((await rig.client.workflow.getHandle(workflowIdFor('youngPerson', j.id)).describe()).raw.pendingActivities ?? []).map((a) => a.attempt ?? 0)));
    const until = Date.now() + 30_000;
    while ((await attempts()).some((a) => a.length !== 1 || a[0]! < 2) && Date.now() < until) await sleep(250);
    for (const pending of await attempts()) {
      expect(pending).toHaveLength(1);
      expect(pending[0]).toBeGreaterThanOrEqual(2);
    }
    expect(worker.output()).toMatch(/outbox folder could not be written/);

    rmSync(outbox);
    const written = Date.now() + 30_000;
    while (outboxFiles(outbox).length < 3 && Date.now() < written) await sleep(200);
    await sleep(1_500);
    expect(outboxFiles(outbox)).toHaveLength(3);
    await worker.kill('SIGTERM');
  }, 120_000);

  it('a delivery log that cannot be opened: the worker refuses to start, saying which file and why', async () => {
    const dataDir = path.join(rig.root, 'worker-log');
    mkdirSync(path.join(dataDir, 'deliveries.jsonl'), { recursive: true });
    const worker = rig.spawnWorker('log');
    expect(await worker.exited).toBe('exit code 1');
    expect(worker.output()).toContain(`The delivery log ${path.join(dataDir, 'deliveries.jsonl')} cannot be opened for writing (EISDIR)`);
    expect(worker.output()).not.toMatch(/\n\s+at /); // a message, not a stack trace
  }, 60_000);

  it('a keyring missing where journeys exist: refused, no new keyring made; restored, the backlog goes out', async () => {
    const first = await rig.startWorker('keys');
    const load = new FaultLoad(rig, { label: 'keys', journeys: 2, everyMs: 100, contactEvery: 0, contactWithinMs: 0 });
    await load.run();
    await load.account(rig.client, { outages: [], limitMs: 30_000 });
    await first.kill('SIGTERM');

    // Referred while no worker runs; their nudges fall due meanwhile.
    const later = new FaultLoad(rig, { label: 'keys-later', journeys: 2, everyMs: 100, contactEvery: 0, contactWithinMs: 0 });
    await later.run();
    const keyring = path.join(rig.root, 'keys', 'keyring.json');
    renameSync(keyring, `${keyring}.backup`);
    const refused = rig.spawnWorker('keys');
    expect(await refused.exited).toBe('exit code 1');
    expect(refused.output()).toContain(`The keyring ${keyring} is missing, but journeys already exist here`);
    expect(existsSync(keyring)).toBe(false);

    writeFileSync(keyring, '{ this is not a keyring');
    const corrupt = rig.spawnWorker('keys');
    expect(await corrupt.exited).toBe('exit code 1');
    expect(corrupt.output()).toContain(`the keyring (${keyring}) is not JSON`);

    renameSync(`${keyring}.backup`, keyring);
    await rig.startWorker('keys');
    const account = await later.account(rig.client, { outages: [], limitMs: 30_000 });
    expect(account.nudgesDue).toBe(2);
    expect(account.nudgesMissing).toEqual([]);
    expect(account.duplicates).toBe(0);
  }, 180_000);
});
