/**
 * `import` end to end on a dev server and a real worker: a clean file, a file with bad rows
 * (reported by line and reason, nothing started), the same file twice (nothing duplicated), and
 * an import interrupted half-way through a row, finished by the second run.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RowResult } from '../../cli/commands/import';
import { repoRoot } from '../../config';
import { workflowIdFor } from '../../contracts/ids';
import { useDevServerEnvironment } from '../helpers/temporal-env';
import { withJourneyWorker } from '../helpers/journey-worker';
import { bornYearsAgo, cli } from './run-cli';

const env = useDevServerEnvironment();
const dir = mkdtempSync(path.join(tmpdir(), 'mentorflow-cli-import-'));
let files = 0;

const header = 'id,kind,coordinator,stage,date_of_birth,care_experienced,referred_by,contact_method,own_goals,mentor_type,Full name';

/** A caseload file with fresh ids (the dev server is shared by the tests of this file). */
function caseload(rows: ((prefix: string) => string)[]): { file: string; prefix: string } {
  files++;
  const prefix = `t${files}-${Date.now().toString(36)}`;
  const file = path.join(dir, `caseload-${files}.csv`);
  writeFileSync(file, [header, ...rows.map((r) => r(prefix))].join('\n') + '\n');
  return { file, prefix };
}

const dob = bornYearsAgo(18);
const clean = [
  (p: string) => `${p}-a,young-person,co-imp,referral,${dob},yes,sw-1,,,,Pat Example`,
  (p: string) => `${p}-b,young-person,co-imp,readiness,${dob},yes,self,phone,a job;a flat,,Sam Example`,
  (p: string) => `${p}-c,young-person,co-imp,informalSupport,${dob},yes,pa-2,video,a dentist,,Lee Example`,
  (p: string) => `${p}-d,young-person,co-imp,waitingForMatch,${dob},yes,sw-3,inPerson,"college, then work",either,Jo Example`,
];

type Summary = { started: number; alreadyStarted: number; resumed: number; failed: number; results: RowResult[]; bad: { line: number; reasons: string[] }[] };

describe('mentorflow import', () => {
  it('imports a clean file, each journey at its stage, with progress lines', async () => {
    await withJourneyWorker(env(), { indexed: true }, async (h) => {
      const { file, prefix } = caseload(clean);
      const run = await cli(h, ['import', file, '--json']);
      expect(run.code, run.stderr).toBe(0);
      const summary = run.json<Summary>();
      expect(summary).toMatchObject({ started: 4, alreadyStarted: 0, resumed: 0, failed: 0, bad: [] });
      expect(summary.results.map((r) => [r.line, r.id, r.outcome, r.stage, r.recorded])).toEqual([
        [2, `${prefix}-a`, 'started', 'referral', 0],
        [3, `${prefix}-b`, 'started', 'readiness', 2],
        [4, `${prefix}-c`, 'started', 'informalSupport', 3],
        [5, `${prefix}-d`, 'started', 'waitingForMatch', 4],
      ]);
      // Not a TTY: plain progress lines, with opaque ids and stages only.
      expect(run.stderr).toContain('Ignored columns (not read, never stored): full_name');
      expect(run.stderr).toMatch(new RegExp(`import: \\d/4 line 5 ${prefix}-d started \\(waitingForMatch\\)`));
      expect(run.stderr).not.toContain('Example');
      expect(run.stderr).not.toContain(dob);

      const status = (await cli(h, ['status', `${prefix}-d`, '--json'])).json<{ facts: { preferredMentorType: string; ownGoalsRecorded: number }; decisions: { by: { id: string } }[] }>();
      expect(status.facts).toMatchObject({ preferredMentorType: 'either', ownGoalsRecorded: 1 });
      expect(status.decisions.every((d) => d.by.id === 'co-1')).toBe(true);
    });
  });

  it('reports bad rows by line number and reason, and starts nothing', async () => {
    await withJourneyWorker(env(), { indexed: true }, async (h) => {
      const { file, prefix } = caseload([
        clean[0]!,
        (p) => `${p}-x,young-person,co-imp,waitingForMatch,${dob},yes,sw-1,phone,a job,,Al Example`,
        (p) => `${p}-y,young-person,co-imp,referral,${bornYearsAgo(12)},yes,sw-1,,,,Bo Example`,
        (p) => `${p}-z,young-person,co-imp,readiness,2008-02-30,perhaps,sw-1,pigeon,a job,,Cy Example`,
      ]);
      const run = await cli(h, ['import', file]);
      expect(run.code).toBe(2);
      expect(run.stdout).toContain('3 of 4 rows are bad: nothing was imported.');
      expect(run.stderr).toContain(`line 3 (${prefix}-x): mentor_type: needed`);
      expect(run.stderr).toMatch(new RegExp(`line 4 \\(${prefix}-y\\): eligibility: aged 1[12] at referral \\(policy: 16 to 25\\)`));
      expect(run.stderr).toContain(`line 5 (${prefix}-z): date_of_birth: not a date: write YYYY-MM-DD; care_experienced: write yes or no; contact_method: one of phone|inPerson|video|message|letter`);
      const status = await cli(h, ['status', `${prefix}-a`, '--kind', 'young-person']);
      expect(status.code).toBe(1);
      expect(status.stderr).toContain('no journey');

      // --skip-bad-rows imports the good one and reports the rest.
      const skipping = await cli(h, ['import', file, '--skip-bad-rows', '--json']);
      expect(skipping.code).toBe(0);
      const summary = skipping.json<Summary>();
      expect(summary.bad.map((b) => b.line)).toEqual([3, 4, 5]);
      expect(summary.results.map((r) => [r.line, r.outcome])).toEqual([[2, 'started']]);
    });
  });

  it('is safe to run twice: the second run finds every journey and records nothing again', async () => {
    await withJourneyWorker(env(), { indexed: true }, async (h) => {
      const { file, prefix } = caseload(clean);
      expect((await cli(h, ['import', file])).code).toBe(0);
      const histories = async () =>
        Promise.all(['a', 'b', 'c', 'd'].map(async (s) => (await h.client.workflow.getHandle(workflowIdFor('youngPerson', `${prefix}-${s}`)).fetchHistory()).events!.length));
      const before = await histories();

      const again = await cli(h, ['import', file]);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('0 started, 4 already started, 0 resumed, 0 failed');
      expect(await histories()).toEqual(before);
      const runs = await h.client.workflow.list({ query: `WorkflowId STARTS_WITH 'young-person-${prefix}'` });
      let count = 0;
      for await (const _ of runs) count++;
      expect(count).toBe(4);
    });
  });

  it('does not bring back a journey that has ended since the first run', async () => {
    await withJourneyWorker(env(), { indexed: true }, async (h) => {
      const { file, prefix } = caseload([clean[1]!]);
      expect((await cli(h, ['import', file])).code).toBe(0);
      const id = `${prefix}-b`;
      expect((await cli(h, ['withdraw', id, '--reason', 'youngPersonChoice'])).code).toBe(0);
      await h.client.workflow.getHandle(workflowIdFor('youngPerson', id)).result();

      const again = await cli(h, ['import', file, '--json']);
      expect(again.code, again.stderr).toBe(0);
      expect(again.json<Summary>().results).toEqual([expect.objectContaining({ id, outcome: 'alreadyStarted', recorded: 0, stage: 'closed' })]);
      const runs = await h.client.workflow.list({ query: `WorkflowId = 'young-person-${id}'` });
      let count = 0;
      for await (const _ of runs) count++;
      expect(count).toBe(1);

      // Nor does `refer` with that id.
      const referred = await cli(h, ['refer', '--id', id, '--dob', dob, '--care-experienced', '--self']);
      expect(referred.stderr).toContain(`A young person's journey ${id} was already started`);
    });
  });

  it('finishes a row an earlier run left half-imported', async () => {
    await withJourneyWorker(env(), { indexed: true }, async (h) => {
      const { file, prefix } = caseload([clean[3]!]);
      // An earlier run started the journey and recorded the first contact, then stopped.
      const id = `${prefix}-d`;
      await h.journeys.start('youngPerson', {
        journeyId: id,
        coordinatorId: 'co-imp',
        startedAt: new Date().toISOString(),
        referral: { referredBy: { role: 'referrer', id: 'sw-3' }, dateOfBirth: dob, careExperienced: true },
      });
      await h.journeys.status('youngPerson', id);
      await h.journeys.record('youngPerson', id, { type: 'contact.recorded', by: { role: 'coordinator', id: 'co-1' }, method: 'inPerson' });

      const run = await cli(h, ['import', file, '--json']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.json<Summary>().results).toEqual([
        expect.objectContaining({ id, outcome: 'resumed', recorded: 3, stage: 'waitingForMatch' }),
      ]);
    });
  });

  it('imports the example caseload, young people and volunteers each at their stage, and finds them all the second time', async () => {
    await withJourneyWorker(env(), { indexed: true }, async (h) => {
      const example = path.join(repoRoot, 'examples', 'caseload.example.csv');
      const first = await cli(h, ['import', example, '--json']);
      expect(first.code, first.stderr).toBe(0);
      const summary = first.json<Summary>();
      expect(summary.results.map((r) => `${r.id} ${r.outcome} ${r.stage}`)).toEqual([
        'yp-ex-0001 started referral',
        'yp-ex-0002 started readiness',
        'yp-ex-0003 started informalSupport',
        'yp-ex-0004 started waitingForMatch',
        'vol-ex-0001 started vetting',
        'vol-ex-0002 started training',
        'vol-ex-0003 started available',
        'vol-ex-0004 started available',
      ]);
      expect(first.stderr).not.toContain('@example.org');

      const second = await cli(h, ['import', example]);
      expect(second.code).toBe(0);
      expect(second.stdout).toContain('0 started, 8 already started, 0 resumed, 0 failed');

      // The imported are ready to be matched.
      const matched = await cli(h, ['propose-match', '--young-person', 'yp-ex-0004', '--volunteer', 'vol-ex-0003']);
      expect(matched.code, matched.stderr).toBe(0);
    });
  });

  it('draws a progress bar on a terminal', async () => {
    await withJourneyWorker(env(), { indexed: true }, async (h) => {
      const { file } = caseload(clean.slice(0, 2));
      const run = await cli(h, ['import', file], { tty: true });
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('\r\x1b[2Kimport [');
      expect(run.stderr).toMatch(/\] 2\/2 /);
      expect(run.stderr.endsWith('\n')).toBe(true);
    });
  });

  it('checks a file without starting anything with --dry-run', async () => {
    await withJourneyWorker(env(), { indexed: true }, async (h) => {
      const { file, prefix } = caseload(clean);
      const run = await cli(h, ['import', file, '--dry-run']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('4 rows ready to import; nothing was started (--dry-run):');
      expect(run.stdout).toContain(`line 5: young-person ${prefix}-d -> waitingForMatch (4 events)`);
      expect((await cli(h, ['status', `${prefix}-a`, '--kind', 'young-person'])).code).toBe(1);
    });
  });
});
