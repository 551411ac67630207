/**
 * Roles end to end, on a real dev server and worker, through the CLI as each person would use it
 * (a users file and their token), and through the journeys API: a referrer refers and follows
 * only their own referrals; an auditor reads and audits but records nothing, and sees personal
 * details only where granted; a token is who you are, and --as cannot make you someone else.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeHistory } from '../../audit/history-events';
import { SEALED_PLACEHOLDER } from '../../privacy';
import { useDevServerEnvironment } from '../helpers/temporal-env';
import { withJourneyWorker, type WorkerHarness } from '../helpers/journey-worker';
import { bornYearsAgo } from '../cli/run-cli';
import { journeysAs, run, testUsers, type TestUsers } from './run';

const env = useDevServerEnvironment();

type ErrorJson = { error: { code: string; message: string } };

async function referAs(h: WorkerHarness, env: NodeJS.ProcessEnv, args: string[]): Promise<string> {
  const referred = await run(h, ['refer', '--dob', bornYearsAgo(17), '--care-experienced', '--coordinator', 'co-1', ...args], env);
  expect(referred.code, referred.stderr).toBe(0);
  return referred.stdout.trim();
}

async function errorOf(h: WorkerHarness, argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; error: ErrorJson['error'] }> {
  const r = await run(h, [...argv, '--json'], env);
  return { code: r.code, error: r.json<ErrorJson>().error };
}

describe('roles with a users file', () => {
  it('a referrer refers in their own name and follows only their own referrals; another referral answers as one that does not exist', async () => {
    const users: TestUsers = testUsers();
    await withJourneyWorker(env(), { indexed: true }, async (h) => {
      const mine = await referAs(h, users.as('ref-1'), ['--referrer', 'ref-1', '--goal', 'learn to drive']);
      const theirs = await referAs(h, users.as('co-1'), ['--referrer', 'sw-17']);

      const status = await run(h, ['status', mine, '--json'], users.as('ref-1'));
      expect(status.code, status.stderr).toBe(0);
      expect(status.json()).toMatchObject({ journeyId: mine, stage: 'referral', facts: { referredBy: { role: 'referrer', id: 'ref-1' } } });

      // Another's referral, a journey that does not exist, a volunteer's id: the same answer.
      const other = await errorOf(h, ['status', theirs], users.as('ref-1'));
      const missing = await errorOf(h, ['status', 'yp-doesnotexist'], users.as('ref-1'));
      expect(other).toEqual({ code: 1, error: { code: 'JOURNEY.NOT_FOUND', message: `no journey young-person-${theirs}`, reasons: [`no journey young-person-${theirs}`] } });
      expect(missing.error.code).toBe('JOURNEY.NOT_FOUND');
      expect(missing.error.message.replace('yp-doesnotexist', theirs)).toBe(other.error.message);
      expect((await errorOf(h, ['status', mine], users.as('ref-2'))).error.code).toBe('JOURNEY.NOT_FOUND');
      expect((await errorOf(h, ['status', mine, '--kind', 'volunteer'], users.as('ref-1'))).error.code).toBe('JOURNEY.NOT_FOUND');

      // Not in someone else's name, and nothing else: no events, no listings, no erasure, no audit.
      const forOther = await errorOf(h, ['refer', '--dob', bornYearsAgo(17), '--care-experienced', '--coordinator', 'co-1', '--referrer', 'sw-17'], users.as('ref-1'));
      expect(forOther).toMatchObject({ code: 2, error: { code: 'ACCESS.DENIED', message: expect.stringContaining('referrer ref-1 may refer only in their own name') } });
      for (const argv of [
        ['contact', mine, '--method', 'phone'],
        ['record', mine, 'contact.recorded', '--method', 'phone'],
        ['caseload', 'co-1'],
        ['due'],
        ['erase', mine, '--reason', 'x', '--yes'],
        ['erasures'],
        ['audit', 'export', mine, '--out', mkdtempSync(path.join(tmpdir(), 'mf-export-'))],
        ['volunteer', 'enquire', '--type', 'traditional', '--dob', '1980-02-14', '--email', 'sam@example.org', '--coordinator', 'co-1'],
      ]) {
        const denied = await errorOf(h, argv, users.as('ref-1'));
        expect(denied, argv.join(' ')).toMatchObject({ code: 2, error: { code: 'ACCESS.DENIED', message: expect.stringContaining('a referrer may refer a young person and follow the progress of the referrals they made') } });
      }
      // The API says the same, and a referrer's personal view holds no personal data.
      const api = journeysAs(h, { id: 'ref-1', role: 'referrer', personalData: false });
      await expect(api.status('youngPerson', theirs)).rejects.toMatchObject({ code: 'JOURNEY.NOT_FOUND' });
      await expect(api.record('youngPerson', mine, { type: 'contact.recorded', by: { role: 'referrer', id: 'ref-1' }, method: 'phone' })).rejects.toMatchObject({ code: 'ACCESS.DENIED' });
      await expect(api.personal('youngPerson', theirs, { granted: true })).rejects.toMatchObject({ code: 'JOURNEY.NOT_FOUND' });
      const personal = await api.personal('youngPerson', mine, { granted: true });
      expect(JSON.stringify(personal)).not.toContain('learn to drive');
      expect(personal).toMatchObject({ dateOfBirth: SEALED_PLACEHOLDER, ownGoals: [SEALED_PLACEHOLDER] });
    });
  });

  it('an auditor reads and audits, records nothing, and sees personal details only where granted', async () => {
    const users = testUsers();
    await withJourneyWorker(env(), { indexed: true }, async (h) => {
      const yp = await referAs(h, users.as('co-1'), ['--referrer', 'sw-17', '--goal', 'a college course']);
      const vol = (await run(h, ['volunteer', 'enquire', '--type', 'traditional', '--dob', '1980-02-14', '--email', 'sam@example.org', '--coordinator', 'co-1'], users.as('co-1'))).stdout.trim();
      expect(vol).toMatch(/^vol-/);

      for (const argv of [
        ['contact', yp, '--method', 'phone'],
        ['record', yp, 'contact.recorded', '--method', 'phone'],
        ['refer', '--dob', bornYearsAgo(17), '--care-experienced', '--coordinator', 'co-1', '--referrer', 'sw-17'],
        ['propose-match', '--young-person', yp, '--volunteer', vol],
        ['erase', yp, '--reason', 'x', '--yes'],
        ['import', 'examples/caseload.example.csv'],
        ['users', 'add', '--id', 'aud-3', '--role', 'auditor'],
        ['keys', 'rotate'],
      ]) {
        const denied = await errorOf(h, argv, users.as('aud-1'));
        expect(denied, argv.join(' ')).toMatchObject({ code: 2, error: { code: 'ACCESS.DENIED', message: expect.stringMatching(/^auditor aud-1 may not .*: an auditor may only read/) } });
      }
      // Through the API too, whatever `by` says.
      const api = journeysAs(h, { id: 'aud-1', role: 'auditor', personalData: false });
      await expect(api.record('youngPerson', yp, { type: 'contact.recorded', by: { role: 'coordinator', id: 'co-1' }, method: 'phone' })).rejects.toMatchObject({ code: 'ACCESS.DENIED' });
      await expect(api.proposeMatch({ youngPersonId: yp, volunteerId: vol, by: { role: 'auditor', id: 'aud-1' } })).rejects.toMatchObject({ code: 'ACCESS.DENIED' });
      expect((await api.status('youngPerson', yp)).stage).toBe('referral');

      // Reading: status, listings, the audit commands, the erasure records, the users.
      const status = await run(h, ['status', yp], users.as('aud-1'));
      expect(status.code, status.stderr).toBe(0);
      expect(status.stdout).toContain(`Young person's journey ${yp}`);
      expect((await run(h, ['due', '--brief'], users.as('aud-1'))).code).toBe(0);
      expect((await run(h, ['caseload', 'co-1'], users.as('aud-1'))).code).toBe(0);
      const out = mkdtempSync(path.join(tmpdir(), 'mf-export-'));
      const exported = await run(h, ['audit', 'export', yp, vol, '--out', out], users.as('aud-1'));
      expect(exported.code, exported.stderr).toBe(0);
      const timeline = await run(h, ['audit', 'timeline', out, '--journey', yp], users.as('aud-1'));
      expect(timeline.code, timeline.stderr).toBe(0);
      expect(timeline.stdout).not.toContain('a college course');
      expect((await run(h, ['audit', 'compliance', out], users.as('aud-1'))).code).toBe(0);
      expect((await run(h, ['erasures'], users.as('aud-1'))).stdout).toContain('No personal data has been erased.');
      expect((await run(h, ['users', 'list'], users.as('aud-1'))).stdout).toContain('aud-2');

      // Personal details: placeholders for aud-1, opened for aud-2 (granted), whatever the caller asks.
      const hidden = await journeysAs(h, { id: 'aud-1', role: 'auditor', personalData: false }).personal('youngPerson', yp, { granted: true });
      expect(hidden).toMatchObject({ dateOfBirth: SEALED_PLACEHOLDER, ownGoals: [SEALED_PLACEHOLDER] });
      const shown = await journeysAs(h, { id: 'aud-2', role: 'auditor', personalData: true }).personal('youngPerson', yp, { granted: false });
      expect(shown).toMatchObject({ dateOfBirth: bornYearsAgo(17), ownGoals: ['a college course'] });
      // And through the CLI, as each auditor (status --personal).
      const cliHidden = await run(h, ['status', yp, '--personal', '--json'], users.as('aud-1'));
      expect(cliHidden.code, cliHidden.stderr).toBe(0);
      expect(cliHidden.stdout).not.toContain('a college course');
      expect((await run(h, ['status', yp, '--personal', '--json'], users.as('aud-2'))).stdout).toContain('a college course');
    });
  });

  it('a token is who you are: a wrong or missing token is a clear error, --as cannot impersonate, events carry the token\'s person', async () => {
    const users = testUsers();
    await withJourneyWorker(env(), { indexed: true }, async (h) => {
      const yp = await referAs(h, users.as('co-2'), ['--referrer', 'sw-17']);

      const wrong = await errorOf(h, ['status', yp], { MENTORFLOW_USERS: users.file, MENTORFLOW_TOKEN: 'mft_not-a-token' });
      expect(wrong).toMatchObject({ code: 1, error: { code: 'ACCESS.BAD_TOKEN', message: expect.stringContaining('is not the token of any user') } });
      const viaFlag = await errorOf(h, ['status', yp, '--token', `${users.tokens['co-2']}x`], { MENTORFLOW_USERS: users.file });
      expect(viaFlag.error.code).toBe('ACCESS.BAD_TOKEN');
      const none = await errorOf(h, ['status', yp], { MENTORFLOW_USERS: users.file, MENTORFLOW_AS: 'coordinator:co-2' });
      expect(none).toMatchObject({ code: 1, error: { code: 'ACCESS.NO_TOKEN', message: expect.stringContaining('MENTORFLOW_TOKEN') } });
      const noFile = await errorOf(h, ['status', yp], { MENTORFLOW_USERS: `${users.file}.missing`, MENTORFLOW_TOKEN: users.tokens['co-2'] });
      expect(noFile.error.code).toBe('ACCESS.NO_USERS_FILE');

      // --as or MENTORFLOW_AS naming someone else is refused; naming yourself is allowed.
      const flag = await errorOf(h, ['contact', yp, '--method', 'phone', '--as', 'coordinator:co-1'], users.as('co-2'));
      expect(flag).toMatchObject({ code: 1, error: { code: 'ACCESS.NOT_YOU', message: expect.stringContaining("--as says coordinator:co-1, but your token is coordinator:co-2's") } });
      const variable = await errorOf(h, ['contact', yp, '--method', 'phone'], { ...users.as('ref-1'), MENTORFLOW_AS: 'leadCoordinator:co-1' });
      expect(variable.error.code).toBe('ACCESS.NOT_YOU');
      const self = await run(h, ['contact', yp, '--method', 'phone', '--as', 'coordinator:co-2', '--json'], users.as('co-2'));
      expect(self.code, self.stderr).toBe(0);

      // The event records the token's person.
      const history = await decodeHistory(await h.client.workflow.getHandle(`young-person-${yp}`).fetchHistory(), h.privacy.codec);
      const recorded = (history.events ?? [])
        .flatMap((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.args?.payloads ?? [])
        .map((p) => JSON.parse(Buffer.from(p.data!).toString('utf8')) as { type: string; by: unknown });
      expect(recorded).toEqual([expect.objectContaining({ type: 'contact.recorded', by: { role: 'coordinator', id: 'co-2' } })]);
      const api = journeysAs(h, { id: 'co-2', role: 'coordinator', personalData: true });
      await expect(api.record('youngPerson', yp, { type: 'readiness.assessed', by: { role: 'coordinator', id: 'co-1' }, outcome: 'notReady' } as never)).rejects.toMatchObject({
        code: 'ACCESS.DENIED',
        message: expect.stringContaining('may record only in their own name (coordinator:co-2)'),
      });

      const whoami = await run(h, ['whoami', '--json'], users.as('aud-2'));
      expect(whoami.json()).toMatchObject({ id: 'aud-2', role: 'auditor', personalData: true, mode: 'users' });
    });
  });
});

describe('single-operator mode (no users file)', () => {
  it('MENTORFLOW_AS still names who acts, and the claimed role is enforced', async () => {
    const missingUsers = path.join(mkdtempSync(path.join(tmpdir(), 'mf-nousers-')), 'users.yaml');
    const as = (who: string): NodeJS.ProcessEnv => ({ MENTORFLOW_USERS: missingUsers, MENTORFLOW_AS: who });
    await withJourneyWorker(env(), { indexed: true }, async (h) => {
      const yp = await referAs(h, as('coordinator:co-1'), ['--referrer', 'sw-17']);
      const contact = await run(h, ['contact', yp, '--method', 'phone'], as('coordinator:co-1'));
      expect(contact.code, contact.stderr).toBe(0);
      const auditor = await errorOf(h, ['contact', yp, '--method', 'phone'], as('auditor:aud-9'));
      expect(auditor).toMatchObject({ code: 2, error: { code: 'ACCESS.DENIED' } });
      expect((await run(h, ['status', yp], as('auditor:aud-9'))).code).toBe(0);
      // Nobody is authenticated here, so an auditor's claim never opens personal data.
      const whoami = await run(h, ['whoami', '--json'], as('auditor:aud-9'));
      expect(whoami.json()).toMatchObject({ role: 'auditor', personalData: false, mode: 'singleOperator', named: true });
      expect((await errorOf(h, ['status', yp], as('referrer:ref-9'))).error.code).toBe('JOURNEY.NOT_FOUND');
      // Without anyone named, reading works (as before) and recording asks who is acting.
      expect((await run(h, ['status', yp], { MENTORFLOW_USERS: missingUsers })).code).toBe(0);
      const nobody = await run(h, ['contact', yp, '--method', 'phone'], { MENTORFLOW_USERS: missingUsers });
      expect(nobody.code).toBe(1);
      expect(nobody.stderr).toContain('say who is acting');
    });
  });
});
