/**
 * A breach seeded on purpose on journeys run here (a late first contact, a missed check-in, an
 * ending never recorded), exported from the server, is found with the right journey, rule and
 * date; a clean journey reports none.
 */
import { describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { complianceReport } from '../../audit/compliance/report';
import { fetchJourneyHistories } from '../../audit/export';
import { decodeHistory } from '../../audit/history-events';
import { testPrivacy } from '../helpers/privacy';
import { groupJourneys, readRun, type Journey } from '../../audit/journey-history';
import type { Journeys } from '../../client/journeys';
import { addDuration, parseDuration } from '../../machines/duration';
import { simulatedClock, useTimeSkippingEnvironment } from '../helpers/temporal-env';
import { withJourneyWorker } from '../helpers/journey-worker';
import {
  coordinator,
  dateOf,
  eventually,
  recordAll,
  referralStart,
  volunteerContact,
  volunteerPathway,
  volunteerStart,
  youngPersonToWaiting,
} from '../helpers/scenario';

const after = (from: string, duration: string) => addDuration(from, parseDuration(duration)!);

const env = useTimeSkippingEnvironment();

const { nowIso, until } = simulatedClock(env);

async function exported(client: Client, workflowIds: string[]): Promise<Journey[]> {
  const runs = [];
  // Stored encrypted: read with the keyring, as an auditor's `mentorflow audit` does.
  for (const id of workflowIds) for (const { history } of await fetchJourneyHistories(client, id)) runs.push(readRun(await decodeHistory(history, testPrivacy().codec)));
  return groupJourneys(runs);
}

/** A volunteer and a young person matched; resolves with when the match started. */
async function activeMatch(journeys: Journeys, matchId: string): Promise<string> {
  const t0 = await nowIso();
  await journeys.start('volunteer', volunteerStart('vol-1', t0), { contact: volunteerContact });
  const path = volunteerPathway(dateOf(t0));
  await recordAll(journeys, 'volunteer', 'vol-1', [...path.toVetting, ...path.vetting, ...path.training, ...path.suitability]);
  await journeys.start('youngPerson', referralStart('yp-1', t0));
  await recordAll(journeys, 'youngPerson', 'yp-1', youngPersonToWaiting);
  await journeys.proposeMatch({ youngPersonId: 'yp-1', volunteerId: 'vol-1', by: coordinator, matchId });
  await eventually(journeys, 'youngPerson', 'yp-1', (s) => s.stage === 'matchProposed', 'proposal');
  await journeys.record('match', matchId, { type: 'introduction.held', by: coordinator, format: 'personalMeeting' });
  const active = await journeys.record('match', matchId, { type: 'youngPerson.accepted', by: { role: 'youngPerson', id: 'yp-1' } });
  await eventually(journeys, 'volunteer', 'vol-1', (s) => s.stage === 'matched', 'matched');
  return active.facts.matchStartedAt as string;
}

/** Day by day from `from`: the day's actions, then supervision attendance once a session has begun. */
async function days(journeys: Journeys, from: string, last: number, plan: Record<number, () => Promise<unknown>>): Promise<void> {
  for (let day = 1; day <= last; day++) {
    await until(after(from, `${day} days`));
    await plan[day]?.();
    const next = (await journeys.status('volunteer', 'vol-1').catch(() => undefined))?.facts.nextSupervision as { sessionId: string; startsAt: string } | null | undefined;
    if (next && next.startsAt <= (await nowIso())) {
      await journeys.record('volunteer', 'vol-1', { type: 'supervision.attended', by: coordinator, sessionId: next.sessionId });
    }
  }
}

describe('a breach seeded on purpose', () => {
  it('a first contact nine days after the referral: one breach, on the young person, dated five working days after the referral', async () => {
    await withJourneyWorker(env(), {}, async ({ journeys, client }) => {
      const referredAt = await nowIso();
      await journeys.start('youngPerson', referralStart('yp-seed', referredAt));
      await until(after(referredAt, '9 days'));
      const contacted = await journeys.record('youngPerson', 'yp-seed', { type: 'contact.recorded', by: coordinator, method: 'phone' });

      const report = complianceReport(await exported(client, ['young-person-yp-seed']), { asOf: await nowIso() });
      expect(report.breaches).toEqual([
        expect.objectContaining({
          rule: 'youngPerson.firstContact',
          workflowId: 'young-person-yp-seed',
          journeyId: 'yp-seed',
          date: after(referredAt, '5 working days'),
          doneAt: contacted.facts.firstContactAt,
          mentor: 'recruitment',
          aps: 'referral',
        }),
      ]);
    });
  });

  it('a second first-month check-in never held: one breach, on the match, dated the end of its first month', async () => {
    await withJourneyWorker(env(), {}, async ({ journeys, client }) => {
      const startedAt = await activeMatch(journeys, 'm-seed');
      const m = 'm-seed';
      const meeting = async () => journeys.record('match', m, { type: 'meeting.logged', by: coordinator, on: dateOf(await nowIso()) });
      let dueAfterFirst = '';
      await days(journeys, startedAt, 36, {
        2: async () => {
          await journeys.record('match', m, { type: 'goals.agreed', by: coordinator });
          await meeting();
        },
        5: async () => {
          const status = await journeys.record('match', m, { type: 'checkIn.recorded', by: coordinator, with: ['mentor', 'mentee'] });
          dueAfterFirst = status.due.find((d) => d.what === 'check-in')!.dueAt;
        },
        9: meeting,
        16: meeting,
        23: meeting,
        30: meeting,
      });

      const report = complianceReport(await exported(client, ['match-m-seed', 'volunteer-vol-1', 'young-person-yp-1']), { asOf: await nowIso() });
      // The journey's own deadline and the audit's agree: the end of the first month.
      expect(dueAfterFirst).toBe(after(startedAt, '1 month'));
      expect(report.breaches).toEqual([
        expect.objectContaining({ rule: 'match.checkIns', workflowId: 'match-m-seed', date: dueAfterFirst, matchId: 'm-seed' }),
      ]);
      expect(report.breaches[0]!.detail).toMatch(/^check-in 2 of 2 in the first month, due by .+: not held by .+$/);
    });
  });

  it('an ending decided and never formally recorded: one breach, on the match, dated fourteen days after the decision', async () => {
    await withJourneyWorker(env(), {}, async ({ journeys, client }) => {
      const startedAt = await activeMatch(journeys, 'm-end');
      const m = 'm-end';
      let decided = { at: '', recordDue: '' };
      await days(journeys, startedAt, 29, {
        2: () => journeys.record('match', m, { type: 'goals.agreed', by: coordinator }),
        3: async () => journeys.record('match', m, { type: 'meeting.logged', by: coordinator, on: dateOf(await nowIso()) }),
        5: () => journeys.record('match', m, { type: 'checkIn.recorded', by: coordinator, with: ['mentor', 'mentee'] }),
        12: async () => {
          const status = await journeys.record('match', m, { type: 'ending.decided', by: coordinator, reason: 'movedAway', planned: false, rematch: false });
          decided = { at: status.facts.endingDecidedAt as string, recordDue: status.due.find((d) => d.what === 'formal ending record')!.dueAt };
        },
      });

      const report = complianceReport(await exported(client, ['match-m-end', 'volunteer-vol-1', 'young-person-yp-1']), { asOf: await nowIso() });
      expect(decided.recordDue).toBe(after(decided.at, '14 days'));
      expect(report.breaches).toEqual([
        expect.objectContaining({ rule: 'match.formalEnding', workflowId: 'match-m-end', date: decided.recordDue, mentor: 'closure' }),
      ]);
      expect(report.figures).toMatchObject({ endingsDecided: 1, endingsFormallyRecorded: 0, shareEndingsFormallyRecorded: 0 });
    });
  });

  it('a clean journey reports none: contact the next day, a match started and followed on time', async () => {
    await withJourneyWorker(env(), {}, async ({ journeys, client }) => {
      const startedAt = await activeMatch(journeys, 'm-ok');
      const m = 'm-ok';
      const meeting = async () => journeys.record('match', m, { type: 'meeting.logged', by: coordinator, on: dateOf(await nowIso()) });
      const checkIn = () => journeys.record('match', m, { type: 'checkIn.recorded', by: coordinator, with: ['mentor', 'mentee'] });
      await days(journeys, startedAt, 33, { 2: () => journeys.record('match', m, { type: 'goals.agreed', by: coordinator }), 3: meeting, 7: checkIn, 10: meeting, 17: meeting, 21: checkIn, 24: meeting, 31: meeting });

      const report = complianceReport(await exported(client, ['match-m-ok', 'volunteer-vol-1', 'young-person-yp-1']), { asOf: await nowIso() });
      expect(report.breaches).toEqual([]);
      expect(report.rules.find((r) => r.id === 'match.checkIns')!.checked).toBe(2);
      expect(report.rules.find((r) => r.id === 'volunteer.supervision')!.checked).toBe(1);
    });
  });
});
