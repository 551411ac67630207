/**
 * Reading the scheme from the CLI, end to end on a dev server (it answers visibility queries over
 * the mentorflow search attributes): a co-ordinator's caseload, and what is due and overdue across
 * the scheme, soonest first; a journey's open nudges and since when.
 */
import { describe, expect, it } from 'vitest';
import { useDevServerEnvironment } from '../helpers/temporal-env';
import { withJourneyWorker, type WorkerHarness } from '../helpers/journey-worker';
import { bornYearsAgo, cli, eventually } from './run-cli';

const env = useDevServerEnvironment();

async function refer(h: WorkerHarness, coordinator: string, extra: string[] = []): Promise<string> {
  const run = await cli(h, ['refer', '--coordinator', coordinator, '--dob', bornYearsAgo(17), '--care-experienced', '--referrer', 'sw-1', ...extra]);
  expect(run.code, run.stderr).toBe(0);
  const id = run.stdout.trim();
  expect((await cli(h, ['status', id])).code).toBe(0); // the journey has begun
  return id;
}

type Listing = { journeyId: string; stage: string; nextDueAt: string | null; overdue?: boolean; what?: string | null };

describe('mentorflow CLI: caseload and due', () => {
  it('shows a journey as overdue from the moment its nudge opens, even once nothing more is due on it', async () => {
    // First contact due in 2 seconds; the unanswered nudge escalated 2 seconds later; then nothing is due.
    const policy = { youngPerson: { firstContactWithin: '2 seconds' }, notifications: { escalateUnactedNudgeAfter: '2 seconds' } };
    await withJourneyWorker(env(), { indexed: true, policy }, async (h) => {
      const late = await refer(h, 'co-late');
      const rows = await eventually(
        async () => (await cli(h, ['due', '--coordinator', 'co-late', '--json'])).json<{ due: (Listing & { overdueSince: string | null })[] }>().due,
        (r) => r.length === 1 && r[0]!.overdueSince !== null && r[0]!.nextDueAt === null,
      );
      expect(rows[0]).toMatchObject({ journeyId: late, overdue: true, what: 'overdue: first contact overdue' });
      const human = await cli(h, ['due', '--coordinator', 'co-late']);
      expect(human.stdout).toContain('1 journey with something due, 1 overdue:');
      expect(human.stdout).toMatch(new RegExp(`${late} +referral +co-late +OVERDUE since \\d{4}-\\d\\d-\\d\\d`));
      // Recording the contact closes the nudge, and the journey leaves the list.
      expect((await cli(h, ['contact', late, '--method', 'phone'])).code).toBe(0);
      await eventually(
        async () => (await cli(h, ['due', '--coordinator', 'co-late', '--json'])).json<{ due: Listing[] }>().due,
        (r) => r.length === 0,
      );
    });
  });

  it("lists a co-ordinator's caseload with stages and next due dates", async () => {
    await withJourneyWorker(env(), { indexed: true }, async (h) => {
      const a = await refer(h, 'co-case');
      const b = await refer(h, 'co-case', ['--consent', '--goal', 'a job']);
      expect((await cli(h, ['contact', b, '--method', 'phone'])).code).toBe(0);
      await refer(h, 'co-other');

      const listed = await eventually(
        async () => (await cli(h, ['caseload', 'co-case', '--json'])).json<{ journeys: Listing[] }>().journeys,
        (rows) => rows.length === 2 && rows.some((r) => r.stage === 'readiness'),
      );
      expect(listed.map((r) => [r.journeyId, r.stage]).sort()).toEqual([[a, 'referral'], [b, 'readiness']].sort());

      const human = await cli(h, ['caseload', 'co-case']);
      expect(human.code).toBe(0);
      expect(human.stdout).toContain('Co-ordinator co-case: 2 open journeys');
      expect(human.stdout).toMatch(new RegExp(`young-person +${a} +referral +co-case +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC \\(in \\d+ days?\\)`));

      // The acting co-ordinator's own caseload by default.
      const mine = await cli(h, ['caseload'], { env: { MENTORFLOW_AS: 'coordinator:co-other' } });
      expect(mine.stdout).toContain('Co-ordinator co-other: 1 open journey');
      expect((await cli(h, ['caseload', 'co-nobody'])).stdout).toContain("No open journeys on co-ordinator co-nobody's caseload.");
    });
  });

  it('lists what is due across the scheme soonest first, marks the overdue, and says what is due', async () => {
    await withJourneyWorker(env(), { indexed: true }, async (h) => {
      const later = await refer(h, 'co-due', ['--consent', '--goal', 'a job']);
      expect((await cli(h, ['contact', later, '--method', 'phone'])).code).toBe(0);
      expect((await cli(h, ['readiness', later, '--outcome', 'notReady'])).code).toBe(0); // re-check in 8 weeks
      const sooner = await refer(h, 'co-due'); // first contact within 5 working days

      const due = await eventually(
        async () => (await cli(h, ['due', '--coordinator', 'co-due', '--json'])).json<{ due: Listing[] }>().due,
        (rows) => rows.length === 2,
      );
      expect(due.map((r) => r.journeyId)).toEqual([sooner, later]);
      expect(due.map((r) => r.what)).toEqual(['first contact', 'readiness re-check']);
      expect(due.every((r) => r.overdue === false)).toBe(true);

      const human = await cli(h, ['due', '--coordinator', 'co-due']);
      expect(human.stdout).toContain('2 journeys with something due, 0 overdue:');
      expect(human.stdout.indexOf(sooner)).toBeLessThan(human.stdout.indexOf(later));

      // Six weeks on, the first contact is overdue and comes first, marked.
      const sixWeeks = new Date(Date.now() + 42 * 86_400_000);
      const overdue = await cli(h, ['due', '--coordinator', 'co-due'], { now: () => sixWeeks });
      expect(overdue.stdout).toContain('2 journeys with something due, 1 overdue:');
      expect(overdue.stdout).toMatch(new RegExp(`${sooner} +referral +co-due +OVERDUE \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC \\(\\d+ days overdue\\) +first contact`));
    });
  });

  it('shows an open nudge and since when, once a deadline has passed', async () => {
    await withJourneyWorker(env(), { indexed: true, policy: { youngPerson: { firstContactWithin: '2 seconds' } } }, async (h) => {
      const id = await refer(h, 'co-nudge');
      const status = await eventually(
        async () => (await cli(h, ['status', id, '--json'])).json<{ openNudges: { about: string; since: string }[] }>(),
        (s) => s.openNudges.length > 0,
      );
      expect(status.openNudges).toEqual([{ about: 'firstContactOverdue', since: expect.any(String) }]);
      const human = await cli(h, ['status', id]);
      expect(human.stdout).toMatch(/open nudges +First contact with a referred young person is overdue \(since \d{4}-\d\d-\d\d \d\d:\d\d UTC, (now|\d+ (second|minute)s? ago); firstContactOverdue\)/);
      expect(human.stdout).toMatch(/stage +referral +\(referral\.firstContactOverdue\)/);
      // Recording the contact closes the nudge.
      expect((await cli(h, ['contact', id, '--method', 'letter'])).stdout).not.toContain('Open nudges');
    });
  });
});
