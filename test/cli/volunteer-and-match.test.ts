/**
 * The volunteer's journey and the match from the CLI, end to end on a dev server and a real
 * worker: an enquiry taken through to ready, a match proposal refused (with every unmet gate)
 * before the volunteer is ready and accepted after, then the relationship recorded by alias.
 */
import { describe, expect, it } from 'vitest';
import { trainingTopics } from '../../machines/policy';
import { useDevServerEnvironment } from '../helpers/temporal-env';
import { withJourneyWorker, type WorkerHarness } from '../helpers/journey-worker';
import { bornYearsAgo, cli, eventually } from './run-cli';

const env = useDevServerEnvironment();
const today = () => new Date().toISOString().slice(0, 10);

async function ok(h: WorkerHarness, argv: string[]): Promise<string> {
  const run = await cli(h, argv);
  expect(run.code, `${argv.join(' ')}\n${run.stderr}`).toBe(0);
  return run.stdout;
}

/** A young person waiting for a match. */
async function waitingYoungPerson(h: WorkerHarness): Promise<string> {
  const id = (await ok(h, ['refer', '--dob', bornYearsAgo(17), '--care-experienced', '--self', '--consent', '--goal', 'a job'])).trim();
  await ok(h, ['status', id]); // the journey has begun
  await ok(h, ['contact', id, '--method', 'phone']);
  await ok(h, ['readiness', id, '--outcome', 'ready']);
  await ok(h, ['preferences', id, '--mentor-type', 'either']);
  return id;
}

describe("mentorflow CLI: a volunteer's journey and a match", () => {
  it('takes a volunteer through to ready; a match is refused before, proposed after, and recorded', async () => {
    await withJourneyWorker(env(), { indexed: true }, async (h) => {
      const vol = (
        await ok(h, ['volunteer', 'enquire', '--type', 'traditional', '--dob', bornYearsAgo(45), '--email', 'sam@example.org', '--first-name', 'Sam'])
      ).trim();
      expect(vol).toMatch(/^vol-[0-9a-z]{10}$/);
      await ok(h, ['status', vol]);
      const yp = await waitingYoungPerson(h);

      const early = await cli(h, ['propose-match', '--young-person', yp, '--volunteer', vol, '--json']);
      expect(early.code).toBe(2);
      const refusal = early.json<{ error: { code: string; message: string; reasons: string[] } }>().error;
      expect(refusal.message).toMatch(/^cannot propose a match: /);
      expect(refusal.reasons.length).toBeGreaterThan(0);
      expect(early.stderr).toContain('Refused: cannot propose a match');

      await ok(h, ['info-session', vol]);
      await ok(h, ['application', vol]);
      await ok(h, ['volunteer', 'interview', vol, '--outcome', 'proceed', '--face-to-face']);
      await ok(h, ['volunteer', 'record-check', vol, '--type', 'PVG', '--issued-on', today(), '--reference', 'PVG-1234', '--decision', 'clear']);
      await ok(h, ['reference', vol, '--referee', 'ref-1', '--satisfactory']);
      await ok(h, ['record-reference', vol, '--referee', 'ref-2', '--satisfactory']);
      await ok(h, ['training-session', vol, '--hours', '12', '--topics', trainingTopics.slice(0, 4).join(',')]);
      await ok(h, ['record', vol, 'training.sessionLogged', '--hours', '8.5', '--topics', trainingTopics[4]!, '--topics', trainingTopics.slice(5).join(',')]);
      await ok(h, ['training-complete', vol]);
      const ready = await cli(h, ['suitability', vol, '--outcome', 'ready', '--json']);
      expect(ready.json()).toMatchObject({ stage: 'available' });

      const proposed = await cli(h, ['propose-match', '--young-person', yp, '--volunteer', vol]);
      expect(proposed.code, proposed.stderr).toBe(0);
      const match = proposed.stdout.trim();
      expect(match).toMatch(/^m-[0-9a-z]{10}$/);
      expect(proposed.stderr).toContain(`Match ${match} proposed`);

      await ok(h, ['status', match]);
      await ok(h, ['introduction', match, '--format', 'groupEvent']);
      await ok(h, ['match', 'accept', match]);
      await ok(h, ['check-in', match, '--with', 'mentor,mentee']);
      await ok(h, ['meeting', match, '--on', today()]);
      const status = await cli(h, ['status', match, '--json']);
      expect(status.json()).toMatchObject({ kind: 'match', stage: 'active' });

      // The volunteer is now matched, with a supervision session on the calendar.
      // (The match tells the volunteer's journey it started: a signal, so allow it a moment.)
      const volunteer = await eventually(
        async () => (await cli(h, ['status', vol, '--json'])).json<{ stage: string; facts: { nextSupervision: { sessionId: string } | null } }>(),
        (v) => v.stage === 'matched',
      );
      expect(volunteer.stage).toBe('matched');
      const session = volunteer.facts.nextSupervision!.sessionId;
      const attended = await cli(h, ['volunteer', 'record-supervision', vol, '--session', session, '--attended', '--json']);
      expect(attended.code, attended.stderr).toBe(0);
      expect(attended.json()).toMatchObject({ facts: { supervisionAttended: 1 } });

      // Volunteers do not use mentorflow themselves (a co-ordinator records for them): the CLI
      // refuses the identity before the journey is asked (the journey's own rule, that a check-in
      // is the co-ordinator's, is tested in test/machines/match.test.ts).
      const asVolunteer = await cli(h, ['check-in', match, '--with', 'mentee', '--as', `volunteer:${vol}`]);
      expect(asVolunteer.code).toBe(2);
      expect(asVolunteer.stderr).toContain(`cannot act as volunteer:${vol}`);
    });
  });
});
