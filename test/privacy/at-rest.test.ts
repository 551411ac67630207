/**
 * Issue 8's first test: after a scheme's journeys have run on a real Temporal dev server, neither
 * the server's SQLite database nor the worker's log holds any of the people's names, dates of
 * birth, addresses, contact details or words. The bytes are searched, not the API.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import { createDevServerEnvironment } from '../helpers/temporal-env';
import { withJourneyWorker } from '../helpers/journey-worker';
import { coordinator, eventually, recordAll, volunteerPathway, youngPersonToWaiting } from '../helpers/scenario';

// Everything the worker and Temporal Core log in this process, at the most talkative level.
const logged: string[] = [];
Runtime.install({
  logger: new DefaultLogger('TRACE', (entry: LogEntry) => logged.push(`${entry.level} ${entry.message} ${JSON.stringify(entry.meta ?? {})}`)),
  telemetryOptions: { logging: { filter: { core: 'DEBUG', other: 'INFO' }, forward: {} } },
});

const dbDir = mkdtempSync(path.join(tmpdir(), 'mentorflow-at-rest-'));
const dbFilename = path.join(dbDir, 'temporal.sqlite');
let env: TestWorkflowEnvironment | undefined;
beforeAll(async () => {
  env = await createDevServerEnvironment({ dbFilename });
});
afterAll(async () => {
  await env?.teardown();
});

/** Unusual values, so that a hit can only be a leak. */
const youngPerson = {
  name: 'Jamie Quellington-Marsh',
  preferredName: 'Quelly',
  email: 'jamie.quellington@example.net',
  phone: '07700 900461',
  address: '14 Marrowfield Lane, Little Sibbering',
  dateOfBirth: '2008-05-17',
  goal: 'learn to ride a unicycle',
  notes: 'foster carer Mrs Pennywhistle prefers calls after six',
};
const volunteer = { email: 'robin.thistlewood@example.org', firstName: 'Thistlewood', dateOfBirth: '1983-09-27' };
const secrets = [
  youngPerson.name,
  'Quellington',
  youngPerson.preferredName,
  youngPerson.email,
  youngPerson.phone,
  'Marrowfield',
  youngPerson.dateOfBirth,
  'unicycle',
  'Pennywhistle',
  volunteer.email,
  volunteer.firstName,
  volunteer.dateOfBirth,
];

function databaseBytes(): Buffer {
  // The database and its write-ahead log and shared memory, whatever the server has written so far.
  const files = readdirSync(dbDir).filter((f) => f.startsWith('temporal.sqlite'));
  return Buffer.concat(files.map((f) => readFileSync(path.join(dbDir, f))));
}

describe('no personal data at rest', () => {
  it('after referral, vetting, matching and a supervision invitation, the database and the log hold none of it', async () => {
    await withJourneyWorker(env!, { policy: { youngPerson: { firstContactWithin: '2 seconds' } }, indexed: true }, async ({ journeys, outboxDir }) => {
      const today = new Date().toISOString();
      await journeys.start('youngPerson', {
        journeyId: 'yp-at-rest',
        coordinatorId: coordinator.id,
        startedAt: today,
        referral: {
          referredBy: { role: 'referrer', id: 'sw-1' },
          dateOfBirth: youngPerson.dateOfBirth,
          careExperienced: true,
          referrerNotes: youngPerson.notes,
          details: { name: youngPerson.name, preferredName: youngPerson.preferredName, email: youngPerson.email, phone: youngPerson.phone, address: youngPerson.address },
        },
      });
      await journeys.start(
        'volunteer',
        { journeyId: 'vol-at-rest', coordinatorId: coordinator.id, startedAt: today, volunteer: { type: 'traditional', dateOfBirth: volunteer.dateOfBirth, careExperienced: false } },
        { contact: { email: volunteer.email, firstName: volunteer.firstName } },
      );
      // The first-contact deadline passes: a nudge goes out (its email names no one).
      await eventually(journeys, 'youngPerson', 'yp-at-rest', (s) => s.openNudges.length > 0, 'the first-contact nudge');
      await recordAll(journeys, 'youngPerson', 'yp-at-rest', [
        youngPersonToWaiting[0]!,
        { type: 'consent.recorded', by: coordinator, consent: 'given', ownGoals: [youngPerson.goal] },
        ...youngPersonToWaiting.slice(2),
      ]);
      const pathway = volunteerPathway(today.slice(0, 10));
      await recordAll(journeys, 'volunteer', 'vol-at-rest', [...pathway.toVetting, ...pathway.vetting, ...pathway.training, ...pathway.suitability]);
      const { matchId } = await journeys.proposeMatch({ youngPersonId: 'yp-at-rest', volunteerId: 'vol-at-rest', by: coordinator, matchId: 'm-at-rest' });
      // The match journey is started by the volunteer's: wait until it has told the young person's.
      await eventually(journeys, 'youngPerson', 'yp-at-rest', (s) => s.stage === 'matchProposed', 'hears of the proposal');
      await journeys.record('match', matchId, { type: 'introduction.held', by: coordinator, format: 'personalMeeting' });
      await journeys.record('match', matchId, { type: 'youngPerson.accepted', by: coordinator });
      // The supervision invitation reaches the volunteer: their sealed address was opened by the activity.
      await eventually(
        journeys,
        'volunteer',
        'vol-at-rest',
        () => existsSync(outboxDir) && readdirSync(outboxDir).some((f) => readFileSync(path.join(outboxDir, f), 'utf8').includes(volunteer.email)),
        'a supervision invitation in the outbox',
      );
      // What a co-ordinator sees through mentorflow: everything, opened.
      expect(await journeys.personal('youngPerson', 'yp-at-rest', { granted: true })).toMatchObject({
        details: { name: youngPerson.name, phone: youngPerson.phone },
        dateOfBirth: youngPerson.dateOfBirth,
        ownGoals: [youngPerson.goal],
      });
    });
    await env!.teardown();
    env = undefined;

    const db = databaseBytes();
    const log = logged.join('\n');
    // The search is real: the database holds the journeys (opaque ids) and the log recorded events.
    expect(db.includes('young-person-yp-at-rest')).toBe(true);
    expect(db.includes('volunteer-vol-at-rest')).toBe(true);
    expect(log).toMatch(/journey event recorded/);
    for (const secret of secrets) {
      expect(db.includes(secret), `the database holds "${secret}"`).toBe(false);
      expect(db.includes(Buffer.from(secret, 'utf16le')), `the database holds "${secret}" (UTF-16)`).toBe(false);
      expect(log.includes(secret), `the log holds "${secret}"`).toBe(false);
    }
  });
});
