/**
 * `mentorflow erase` on a real dev server and worker: refused without a confirmation, then the
 * person's key is destroyed and the record listed; their journey still answers its status, their
 * personal fields read "[erased on …]" for everyone, and another person's data is untouched.
 */
import { describe, expect, it } from 'vitest';
import { useDevServerEnvironment } from '../helpers/temporal-env';
import { withJourneyWorker, type WorkerHarness } from '../helpers/journey-worker';
import { bornYearsAgo } from '../cli/run-cli';
import { journeysAs, run, testUsers } from './run';

const env = useDevServerEnvironment();

async function refer(h: WorkerHarness, who: NodeJS.ProcessEnv, goal: string): Promise<string> {
  const referred = await run(h, ['refer', '--dob', bornYearsAgo(18), '--care-experienced', '--referrer', 'sw-17', '--coordinator', 'co-1', '--goal', goal], who);
  expect(referred.code, referred.stderr).toBe(0);
  return referred.stdout.trim();
}

describe('mentorflow erase', () => {
  it('asks for the journey id, erases, records who and when; the journey stays; others are untouched', async () => {
    const users = testUsers();
    const lead = users.as('co-1');
    await withJourneyWorker(env(), { indexed: true }, async (h) => {
      const yp = await refer(h, lead, 'move to Leeds');
      const other = await refer(h, lead, 'a job in a bakery');
      const dob = bornYearsAgo(18);

      // No terminal and no --yes: refused, nothing erased.
      const script = await run(h, ['erase', yp, '--reason', 'retention period ended'], lead);
      expect(script.code).toBe(2);
      expect(script.stderr).toContain('Refused: erasure not confirmed: run it at a terminal and type the journey id, or add --yes in a script');
      // The plan names the fields, never their values.
      expect(script.stderr).toMatch(/personal fields:\s+dateOfBirth, ownGoals/);
      expect(script.stderr).not.toContain('move to Leeds');
      expect(script.stderr).not.toContain(dob);
      // At a terminal, typing another id stops it.
      const typo = await run(h, ['erase', yp, '--reason', 'retention period ended'], lead, { typed: other });
      expect(typo.code).toBe(2);
      expect(typo.stderr).toContain('erasure not confirmed (a different id was typed)');
      const coordinator = journeysAs(h, { id: 'co-1', role: 'leadCoordinator', personalData: true });
      expect(await coordinator.personal('youngPerson', yp)).toMatchObject({ ownGoals: ['move to Leeds'] });
      // Nor may a referrer or an auditor erase.
      expect((await run(h, ['erase', yp, '--reason', 'x', '--yes'], users.as('aud-2'))).code).toBe(2);

      // Typing the id erases.
      const erased = await run(h, ['erase', yp, '--reason', 'retention period ended', '--json'], lead, { typed: yp });
      expect(erased.code, erased.stderr).toBe(0);
      const record = erased.json<{ subject: string; erasedBy: unknown; erasedAt: string; reason: string; keyId: string }>();
      expect(record).toMatchObject({ subject: `young-person-${yp}`, erasedBy: { role: 'leadCoordinator', id: 'co-1' }, reason: 'retention period ended' });
      expect(erased.stdout).not.toContain('move to Leeds');
      const day = record.erasedAt.slice(0, 10);

      // The record is listed, for co-ordinators and auditors (not referrers).
      for (const who of ['co-2', 'aud-1']) {
        const listed = await run(h, ['erasures'], users.as(who));
        expect(listed.code, listed.stderr).toBe(0);
        expect(listed.stdout).toContain(`young-person-${yp}`);
        expect(listed.stdout).toContain('leadCoordinator:co-1');
        expect(listed.stdout).toContain('retention period ended');
      }
      expect((await run(h, ['erasures'], users.as('ref-1'))).code).toBe(2);

      // The journey still answers; its personal fields read "[erased on …]" for everyone.
      const status = await run(h, ['status', yp, '--json'], lead);
      expect(status.code, status.stderr).toBe(0);
      expect(status.json()).toMatchObject({ journeyId: yp, stage: 'referral' });
      expect(await coordinator.personal('youngPerson', yp)).toMatchObject({ dateOfBirth: `[erased on ${day}]`, ownGoals: [`[erased on ${day}]`] });
      const withPersonal = await run(h, ['status', yp, '--personal'], lead);
      expect(withPersonal.code, withPersonal.stderr).toBe(0);
      expect(withPersonal.stdout).toContain(`[erased on ${day}]`);
      expect(withPersonal.stdout).not.toContain('move to Leeds');
      // It still takes events that hold no personal data.
      expect((await run(h, ['contact', yp, '--method', 'phone'], lead)).code).toBe(0);

      // Someone else's data is untouched.
      expect(await coordinator.personal('youngPerson', other)).toMatchObject({ dateOfBirth: dob, ownGoals: ['a job in a bakery'] });

      // Erasing again says when it was done, and by whom.
      const again = await run(h, ['erase', yp, '--reason', 'again', '--yes'], lead);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain('was already erased');
      expect(again.stderr).toContain('by leadCoordinator co-1');
    });
  });

  it('erases with --yes in single-operator mode, as the named co-ordinator', async () => {
    const as = { MENTORFLOW_USERS: '/nonexistent/users.yaml', MENTORFLOW_AS: 'coordinator:co-3' };
    await withJourneyWorker(env(), { indexed: true }, async (h) => {
      const yp = await refer(h, as, 'swimming');
      const erased = await run(h, ['erase', yp, '--reason', 'asked to be forgotten', '--yes'], as);
      expect(erased.code, erased.stderr).toBe(0);
      expect(erased.stdout).toMatch(new RegExp(`^Erased: the personal data of young-person-${yp} \\(key [0-9a-f]+\\), erased on .* UTC by coordinator co-3; reason: asked to be forgotten\\.`));
      // Nobody named erases nothing.
      const nobody = await run(h, ['erase', yp, '--reason', 'x', '--yes'], { MENTORFLOW_USERS: '/nonexistent/users.yaml' });
      expect(nobody.code).toBe(1);
      expect(nobody.stderr).toContain('say who is acting');
    });
  });
});
