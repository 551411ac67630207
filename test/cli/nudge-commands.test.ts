/**
 * The commands the nudges quote (machines/*: "then record it: npx mentorflow ...") are commands
 * this CLI understands, and they record the event the nudge is about. The Temporal client here is
 * a stand-in that only captures what would be sent: the end-to-end tests run the real thing.
 */
import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/main';
import { testPrivacy } from '../helpers/privacy';

interface Sent {
  workflowId: string;
  event: { type: string } & Record<string, unknown>;
}

function capturingClient(sent: Sent[]): Client {
  const status = { kind: 'volunteer', journeyId: 'x', stage: 's', due: [], openNudges: [], decisions: [], failures: [], unapplied: [], facts: {} };
  return {
    workflow: {
      getHandle: (workflowId: string) => ({
        executeUpdate: async (_update: unknown, { args }: { args: [Sent['event']] }) => {
          sent.push({ workflowId, event: args[0] });
          return status;
        },
      }),
    },
  } as unknown as Client;
}

async function quoted(commandLine: string): Promise<Sent> {
  const sent: Sent[] = [];
  const argv = commandLine.replace(/^npx mentorflow /, '').split(' ');
  let err = '';
  const code = await runCli(argv, {
    client: capturingClient(sent),
    taskQueue: 'unused',
    privacy: testPrivacy(),
    env: { MENTORFLOW_AS: 'coordinator:co-1' },
    stdout: { write: () => true },
    stderr: { write: (s: string) => (err += s) },
  });
  expect(code, `${commandLine}\n${err}`).toBe(0);
  expect(sent).toHaveLength(1);
  return sent[0]!;
}

describe('the commands the nudges quote', () => {
  it.each([
    ['npx mentorflow young-person record-contact yp-1 --method phone', 'young-person-yp-1', 'contact.recorded'],
    ['npx mentorflow young-person record-readiness yp-1 --outcome ready', 'young-person-yp-1', 'readiness.assessed'],
    ['npx mentorflow volunteer record-check vol-1 --type PVG --issued-on 2026-01-05 --reference PVG-1 --decision clear', 'volunteer-vol-1', 'check.recorded'],
    ['npx mentorflow volunteer check vol-1 --type enhancedDBS --issued-on 2026-01-05 --reference D-1 --decision pending', 'volunteer-vol-1', 'check.recorded'],
    ['npx mentorflow volunteer record-reference vol-1 --referee ref-1 --satisfactory', 'volunteer-vol-1', 'reference.received'],
    ['npx mentorflow volunteer record-exit vol-1 --reason notSuitable', 'volunteer-vol-1', 'exit.recorded'],
    ['npx mentorflow volunteer reschedule-supervision vol-1 --session vol-1-supervision-1 --starts-at 2026-12-01T10:00:00Z', 'volunteer-vol-1', 'supervision.rescheduled'],
    ['npx mentorflow volunteer record-supervision vol-1 --session vol-1-supervision-1 --attended', 'volunteer-vol-1', 'supervision.attended'],
    ['npx mentorflow volunteer record-supervision vol-1 --session vol-1-supervision-1 --missed', 'volunteer-vol-1', 'supervision.missed'],
    ['npx mentorflow match goals m-1', 'match-m-1', 'goals.agreed'],
    ['npx mentorflow match check-in m-1 --with mentor,mentee', 'match-m-1', 'checkIn.recorded'],
    ['npx mentorflow match meeting m-1 --on 2026-11-20', 'match-m-1', 'meeting.logged'],
    ['npx mentorflow match review m-1 --outcome continue', 'match-m-1', 'review.held'],
    ['npx mentorflow match decide-ending m-1 --reason goalsMet --planned --no-rematch', 'match-m-1', 'ending.decided'],
    ['npx mentorflow match end m-1 --method letter --reason lostContact --unplanned --outcomes none-known', 'match-m-1', 'ending.recorded'],
  ])('%s', async (commandLine, workflowId, type) => {
    const sent = await quoted(commandLine);
    expect(sent.workflowId).toBe(workflowId);
    expect(sent.event).toMatchObject({ type, by: { role: 'coordinator', id: 'co-1' } });
  });

  it('maps the short flags onto the fields', async () => {
    expect((await quoted('npx mentorflow volunteer record-check vol-1 --type PVG --issued-on 2026-01-05 --reference PVG-1 --decision clear')).event).toEqual({
      type: 'check.recorded',
      by: { role: 'coordinator', id: 'co-1' },
      checkType: 'PVG',
      issuedOn: '2026-01-05',
      referenceNumber: 'PVG-1',
      decision: 'clear',
    });
    expect((await quoted('npx mentorflow match end m-1 --method letter --reason lostContact --unplanned --outcomes none-known')).event).toMatchObject({
      planned: false,
      outcomes: ['none-known'],
    });
    expect((await quoted('npx mentorflow training-session vol-1 --hours 2.5 --topic safeguarding --topic endings')).event).toMatchObject({
      hours: 2.5,
      topics: ['safeguarding', 'endings'],
    });
  });
});
