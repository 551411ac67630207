/**
 * Fault 3: the mail server. Down while nudges fall due, then back; taking a message and dropping
 * the connection before answering (the one case where SMTP itself makes exactly-once impossible:
 * the sender cannot know the message went); answering 4xx and then 5xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultLoad, auditAfterFault, unexplainedCopies, type Outage } from './journeys-under-fault';
import { cutOffSends, deliveryLogOf, startFaultRig, type FaultRig, type WorkerProcess } from './rig';

let rig: FaultRig;
let worker: WorkerProcess;
beforeAll(async () => {
  rig = await startFaultRig({
    label: 'smtp',
    policy: { youngPerson: { firstContactWithin: '3 seconds' }, notifications: { escalateUnactedNudgeAfter: '1 hour' } },
  });
  worker = await rig.startWorker('a');
}, 120_000);
afterAll(async () => rig?.stop());

const deliveryLog = () => deliveryLogOf(worker);

describe('the mail server', () => {
  it('down for 8 s while nudges fall due: each one arrives once it is back, exactly once', async () => {
    const load = new FaultLoad(rig, { label: 'down', journeys: 10, everyMs: 400, contactWithinMs: 6_000 });
    const running = load.run();
    await new Promise((r) => setTimeout(r, 2_500));
    const from = Date.now();
    await rig.smtp.down();
    await new Promise((r) => setTimeout(r, 8_000));
    await rig.smtp.up();
    const outages: Outage[] = [{ from, to: Date.now() }];
    await running;
    const account = await load.account(rig.client, { outages, limitMs: 60_000 });

    expect(account.stageMismatches).toEqual([]);
    expect(account.nudgesDue).toBeGreaterThanOrEqual(5);
    expect(account.nudgesMissing).toEqual([]);
    expect(account.unexpected).toEqual([]);
    expect(account.duplicates).toBe(0);
    // Retries are at most 10 s apart (workflows/activity-options.ts): nothing waits for a long backoff.
    expect(Math.max(...account.afterRecoveryMs)).toBeLessThan(30_000);
  }, 180_000);

  it('takes a message and drops the connection before answering: sent again, one extra at most, and the delivery log says why', async () => {
    const before = rig.arrivals.length;
    rig.smtp.dropAfterDataNext(1);
    const load = new FaultLoad(rig, { label: 'drop', journeys: 3, everyMs: 300, contactEvery: 0, contactWithinMs: 0 });
    await load.run();
    const account = await load.account(rig.client, { outages: [], limitMs: 60_000 });

    expect(account.nudgesDue).toBe(3);
    expect(account.nudgesMissing).toEqual([]);
    // One message was taken, cut off, and sent again with the same Message-ID: a mail client shows one.
    expect(account.duplicates).toBe(1);
    const twice = rig.arrivals.slice(before).filter((a, _, all) => all.filter((b) => b.messageId === a.messageId).length === 2);
    expect(new Set(twice.map((a) => a.messageId)).size).toBe(1);
    const lines = deliveryLog().filter((l) => l.messageId === twice[0]!.messageId);
    expect(lines.map((l) => l.attempt ?? 'delivered')).toEqual(['started', 'failed', 'started', 'delivered']);
    expect(lines[1]!.error).toBe('ECONNECTION');
    expect(unexplainedCopies(account.duplicated, cutOffSends([worker]))).toEqual([]);
  }, 120_000);

  it('answers 4xx, then 5xx: retried once, then given up; the journey shows the failure and goes on', async () => {
    const before = rig.arrivals.length;
    rig.smtp.failDataNext([451, 554]);
    const load = new FaultLoad(rig, { label: 'refused', journeys: 1, everyMs: 0, contactEvery: 0, contactWithinMs: 0 });
    await load.run();
    const id = load.list[0]!.id;
    const until = Date.now() + 30_000;
    let status = await rig.journeys.status('youngPerson', id);
    while (status.failures.length === 0 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 200));
      status = await rig.journeys.status('youngPerson', id);
    }
    expect(status.failures).toHaveLength(1);
    expect(status.failures[0]).toMatchObject({ effect: 'nudgeCoordinator', about: 'firstContactOverdue', errorType: 'EMAIL.MESSAGE_REJECTED' });
    // The nudge never went; the co-ordinator is told so instead, by a message that did.
    const told = () => rig.arrivals.slice(before).filter((a) => a.journeyId === id).map((a) => a.about);
    while (told().length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    expect(told()).toEqual(['deliveryFailed']);
    // The journey goes on: first contact can still be recorded, and closes the nudge.
    const after = await rig.journeys.record('youngPerson', id, { type: 'contact.recorded', by: { role: 'coordinator', id: 'co-1' }, method: 'phone' });
    expect(after.openNudges).toEqual([]);
    expect(after.failures).toHaveLength(1);
    const attempts = deliveryLog().filter((l) => l.attempt === 'failed' && l.deliveryKey.includes(id));
    expect(attempts.map((l) => l.error)).toEqual(['451', '554']);
  }, 120_000);

  it('leaves histories that replay cleanly', async () => {
    const audit = await auditAfterFault(rig, { journeys: 14, nudged: [] });
    expect(audit.journeys).toBe(14);
    expect(audit.replayFailures).toEqual([]);
  }, 120_000);
});
