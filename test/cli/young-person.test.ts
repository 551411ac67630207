/**
 * The CLI end to end on a real dev server and worker: refer, record (generic and by alias),
 * status, refusals with their unmet gates, and the exit codes.
 */
import { describe, expect, it } from 'vitest';
import { useDevServerEnvironment } from '../helpers/temporal-env';
import { withJourneyWorker } from '../helpers/journey-worker';
import type { WorkerHarness } from '../helpers/journey-worker';
import { bornYearsAgo, cli } from './run-cli';

/** Refer, and see that the journey answers its status. */
async function refer(h: WorkerHarness, args: string[]): Promise<string> {
  const run = await cli(h, ['refer', ...args]);
  expect(run.code, run.stderr).toBe(0);
  const id = run.stdout.trim();
  expect((await cli(h, ['status', id])).code).toBe(0);
  return id;
}

const env = useDevServerEnvironment();

describe('mentorflow CLI: a young person\'s journey', () => {
  it('refers a young person, printing a new opaque id, and shows the status', async () => {
    await withJourneyWorker(env(), { indexed: true }, async (h) => {
      const dob = bornYearsAgo(17);
      const referred = await cli(h, ['refer', '--date-of-birth', dob, '--care-experienced', '--referrer', 'sw-17', '--goal', 'a college course']);
      expect(referred.stderr).toContain('Referral recorded');
      expect(referred.code).toBe(0);
      const id = referred.stdout.trim();
      expect(id).toMatch(/^yp-[0-9a-z]{10}$/);
      expect(id).not.toContain(dob.slice(0, 4));

      const status = await cli(h, ['status', id]);
      expect(status.code).toBe(0);
      expect(status.stdout).toContain(`Young person's journey ${id}`);
      expect(status.stdout).toMatch(/stage\s+referral/);
      expect(status.stdout).toMatch(/due next\s+first contact: \d{4}-\d\d-\d\d \d\d:\d\d UTC \(in \d+ days?\)/);
      expect(status.stdout).not.toContain(dob);

      const json = (await cli(h, ['status', id, '--json'])).json<{ stage: string; journeyId: string; due: unknown[] }>();
      expect(json).toMatchObject({ stage: 'referral', journeyId: id });
      expect(json.due).toHaveLength(1);
    });
  });

  it('takes the name and contact details, shows them to a co-ordinator who asks, and to an auditor never', async () => {
    await withJourneyWorker(env(), { indexed: true }, async (h) => {
      const dob = bornYearsAgo(17);
      const id = await refer(h, ['--dob', dob, '--care-experienced', '--referrer', 'sw-17', '--name', 'Jamie Example', '--phone', '07700 900123']);
      // Not on screen unless asked for.
      expect((await cli(h, ['status', id])).stdout).not.toContain('Jamie');
      const personal = await cli(h, ['status', id, '--personal']);
      expect(personal.code, personal.stderr).toBe(0);
      expect(personal.stdout).toMatch(/Personal details:\n(.*\n)*\s+name: Jamie Example\n/);
      expect(personal.stdout).toContain('phone: 07700 900123');
      expect(personal.stdout).toContain(`dateOfBirth: ${dob}`);
      const auditor = await cli(h, ['status', id, '--personal'], { env: { MENTORFLOW_AS: 'auditor:aud-1' } });
      expect(auditor.code, auditor.stderr).toBe(0);
      expect(auditor.stdout).toContain('details: [personal data: not shown]');
      expect(auditor.stdout).toContain('dateOfBirth: [personal data: not shown]');
      expect(auditor.stdout).not.toMatch(/Jamie|07700|${dob}/);
      // Contact details without a name are refused before anything starts.
      const nameless = await cli(h, ['refer', '--dob', dob, '--care-experienced', '--referrer', 'sw-17', '--phone', '07700 900123']);
      expect(nameless.code).not.toBe(0);
      expect(nameless.stderr).toContain('contact details go with a name: --name <full name>');
    });
  });

  it('refuses a referral that is not eligible, with the reasons, before starting anything', async () => {
    await withJourneyWorker(env(), { indexed: true }, async (h) => {
      const run = await cli(h, ['refer', '--dob', bornYearsAgo(13), '--no-care-experienced', '--self', '--id', 'yp-too-young', '--json']);
      expect(run.code).toBe(2);
      expect(run.json()).toEqual({
        error: {
          code: 'REFERRAL.NOT_ELIGIBLE',
          message: expect.stringContaining('cannot refer: not eligible'),
          reasons: [expect.stringMatching(/^aged 1[23] at referral \(policy: 16 to 25\)$/), 'not care-experienced (policy: the scheme is for care-experienced young people)'],
        },
      });
      expect(run.stderr).toContain('Refused: cannot refer');
      const status = await cli(h, ['status', 'yp-too-young']);
      expect(status.code).toBe(1);
      expect(status.stderr).toContain('no journey young-person-yp-too-young');
    });
  });

  it('records events generically and by alias, and refuses a skipped gate naming every unmet gate (exit 2)', async () => {
    await withJourneyWorker(env(), { indexed: true }, async (h) => {
      const id = await refer(h, ['--dob', bornYearsAgo(18), '--care-experienced', '--referrer', 'referrer:pa-3']);

      const early = await cli(h, ['readiness', id, '--outcome', 'ready']);
      expect(early.code).toBe(2);
      expect(early.stderr).toContain('Refused: cannot record the readiness conversation: first contact not recorded');
      expect(early.stderr).toContain("  - the young person's own goals not recorded");

      const contact = await cli(h, ['record', id, 'contact.recorded', '--method', 'phone']);
      expect(contact.code).toBe(0);
      expect(contact.stdout).toContain('Done: record first contact');

      const consent = await cli(h, ['young-person', 'consent', id, '--consent', 'given', '--goal', 'find a flat', '--goal', 'cooking']);
      expect(consent.code).toBe(0);
      expect(consent.stdout).toContain('Stage: readiness');

      expect((await cli(h, ['record-readiness', id, '--outcome', 'ready'])).code).toBe(0);
      const prefs = await cli(h, ['preferences', id, '--mentor-type', 'either', '--languages', 'en,pl', '--json']);
      expect(prefs.code).toBe(0);
      expect(prefs.json()).toMatchObject({ stage: 'waitingForMatch', journeyId: id });

      const status = await cli(h, ['status', id]);
      expect(status.stdout).toContain('readiness.assessed: ready  by coordinator:co-1');
      expect(status.stdout).toMatch(/due next\s+match proposal \(waiting too long\)/);
    });
  });

  it('explains an invalid value and an unknown flag, and requires the acting person', async () => {
    await withJourneyWorker(env(), { indexed: true }, async (h) => {
      const id = await refer(h, ['--dob', bornYearsAgo(20), '--care-experienced', '--self', '--consent', '--goal', 'a job']);

      const invalid = await cli(h, ['contact', id, '--method', 'carrier-pigeon', '--json']);
      expect(invalid.code).toBe(2);
      expect(invalid.json<{ error: { code: string; reasons: string[] } }>().error).toMatchObject({
        code: 'EVENT.INVALID',
        reasons: [expect.stringMatching(/^method: /)],
      });

      const unknown = await cli(h, ['contact', id, '--method', 'phone', '--name', 'Alex']);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('unknown option --name');

      const nobody = await cli(h, ['contact', id, '--method', 'phone'], { env: {} });
      expect(nobody.code).toBe(1);
      expect(nobody.stderr).toContain('say who is acting: --as coordinator:<your id>');

      const asFlag = await cli(h, ['contact', id, '--method', 'phone', '--as', 'coordinator:co-2'], { env: {} });
      expect(asFlag.stderr).toBe('');
      expect(asFlag.code).toBe(0);
      const missing = await cli(h, ['record', id, 'readiness.assessed']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('give --outcome <ready|notReady|declined>');
    });
  });

  it('finds the journey of an id without a prefix', async () => {
    await withJourneyWorker(env(), { indexed: true }, async (h) => {
      expect(await refer(h, ['--dob', bornYearsAgo(19), '--care-experienced', '--self', '--id', 'legacy-0042'])).toBe('legacy-0042');
      const rec = await cli(h, ['record', 'legacy-0042', 'contact.recorded', '--method', 'video']);
      expect(rec.stderr).toBe('');
      expect(rec.code).toBe(0);
      expect((await cli(h, ['status', 'legacy-0042', '--json'])).json()).toMatchObject({ kind: 'youngPerson', journeyId: 'legacy-0042' });
      const again = await cli(h, ['refer', '--dob', bornYearsAgo(19), '--care-experienced', '--self', '--id', 'legacy-0042']);
      expect(again.stderr).toContain('was already started');
    });
  });
});
