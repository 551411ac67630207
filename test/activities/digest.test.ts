/**
 * The digest activities against real collaborators: a Temporal dev server (it answers the
 * visibility query on MentorflowCoordinatorId, which the time-skipping server does not) with real
 * journeys, and a real SMTP server on loopback.
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDigestActivities, DIGEST_JOURNEYS_UNREADABLE, loadDigestTemplate, type DigestActivities } from '../../activities/digest';
import type { Digest } from '../../activities/digest/requests';
import { parseDirectory } from '../../activities/notifications/directory';
import { openDeliveryLog, type DeliveryLog } from '../../activities/notifications/delivery-log';
import { createMailer, type Mailer } from '../../activities/notifications/mailer';
import type { Journeys } from '../../client/journeys';
import { MentorflowCoordinatorId } from '../../contracts/search-attributes';
import { withJourneyWorker } from '../helpers/journey-worker';
import { eventually as journeyEventually, recordAll, referralStart, volunteerContact, volunteerStart } from '../helpers/scenario';
import { partText, startSmtpServer, type TestSmtpServer } from '../helpers/smtp';
import { useDevServerEnvironment } from '../helpers/temporal-env';
import { tempDir } from './notifications/fixtures';

const env = useDevServerEnvironment();

let smtp: TestSmtpServer;
let mailer: Mailer;

beforeAll(async () => {
  smtp = await startSmtpServer();
  mailer = createMailer({ smtp: smtp.smtp });
});

afterAll(async () => {
  mailer.close();
  await smtp.stop();
});

/** Fresh co-ordinator ids per test: journeys of earlier tests stay listed for a moment. */
function freshStaff() {
  const tag = randomUUID().slice(0, 6);
  const mine = `co-${tag}-a`;
  const other = `co-${tag}-b`;
  const directory = parseDirectory({
    scheme: { name: 'Riverside Mentoring', from: 'mentoring@riverside.example.org' },
    leadCoordinator: { id: `lead-${tag}`, name: 'Morgan Lead', email: 'morgan@riverside.example.org' },
    coordinators: [
      { id: mine, name: 'Alex Okafor', email: `alex-${tag}@riverside.example.org` },
      { id: other, name: 'Priya Shah', email: `priya-${tag}@riverside.example.org` },
    ],
  });
  return { mine, other, directory, mineEmail: `alex-${tag}@riverside.example.org` };
}

const openedLogs: DeliveryLog[] = [];
afterEach(async () => {
  await Promise.all(openedLogs.splice(0).map((log) => log.close()));
});

/** A delivery log of the test's own, closed after it. */
async function deliveryLogForTest(): Promise<DeliveryLog> {
  const log = await openDeliveryLog(await tempDir('digest'));
  openedLogs.push(log);
  return log;
}

async function digestActivities(directory: ReturnType<typeof parseDirectory>): Promise<DigestActivities> {
  return createDigestActivities({
    client: env().client,
    mailer,
    directory,
    template: await loadDigestTemplate(),
    deliveryLog: await deliveryLogForTest(),
    timeZone: 'Europe/London',
  });
}

const dob = '2008-05-01';

function referral(journeyId: string, coordinatorId: string) {
  return { ...referralStart(journeyId, new Date().toISOString(), dob), coordinatorId };
}

/** Visibility is eventually consistent: collect until every journey started is listed. */
async function collectWhen(activities: DigestActivities, coordinatorId: string, check: (d: Digest) => boolean): Promise<Digest> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    // A journey just started may not answer its first query in time (its worker is still warming
    // up): the activity then fails retryably, and Temporal would run it again, as this loop does.
    const digest = await activities.collectDigest({ coordinatorId, asOf: new Date().toISOString() }).catch((error: unknown) => {
      if (error instanceof ApplicationFailure && error.type === DIGEST_JOURNEYS_UNREADABLE && Date.now() < deadline) return undefined;
      throw error;
    });
    if (digest && check(digest)) return digest;
    if (Date.now() > deadline) throw new Error(`digest never matched: ${JSON.stringify(digest)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const ids = (items: Digest['due']) => items.map((i) => i.journey.id);

describe('collectDigest', () => {
  it("lists that co-ordinator's due and overdue items only, soonest first, with ids and stages and no personal data", async () => {
    const staff = freshStaff();
    const activities = await digestActivities(staff.directory);
    const tag = staff.mine.slice(3, 9);
    // A scheme whose first contact is due within two seconds: its journeys open a nudge at once.
    await withJourneyWorker(env(), { indexed: true, policy: { youngPerson: { firstContactWithin: '2 seconds' } } }, async (hurried) => {
      await withJourneyWorker(env(), { indexed: true }, async ({ journeys }) => {
        const start = (j: Journeys, id: string, coordinatorId = staff.mine) => j.start('youngPerson', referral(id, coordinatorId));
        await start(journeys, `yp-${tag}-1`);
        await new Promise((resolve) => setTimeout(resolve, 20));
        await start(journeys, `yp-${tag}-2`);
        await journeys.start('volunteer', { ...volunteerStart(`vol-${tag}`, new Date().toISOString()), coordinatorId: staff.mine }, { contact: volunteerContact });
        // Not ready yet: re-checked in eight weeks, beyond the digest's seven days.
        await start(journeys, `yp-${tag}-far`);
        await recordAll(journeys, 'youngPerson', `yp-${tag}-far`, [
          { type: 'contact.recorded', by: { role: 'coordinator', id: staff.mine }, method: 'phone' },
          { type: 'consent.recorded', by: { role: 'coordinator', id: staff.mine }, consent: 'given', ownGoals: ['a job'] },
          { type: 'readiness.assessed', by: { role: 'coordinator', id: staff.mine }, outcome: 'notReady' },
        ]);
        await start(journeys, `yp-${tag}-theirs`, staff.other);
        await start(hurried.journeys, `yp-${tag}-late`);
        await journeyEventually(hurried.journeys, 'youngPerson', `yp-${tag}-late`, (s) => s.openNudges.length > 0, 'first contact overdue');

        const digest = await collectWhen(activities, staff.mine, (d) => d.overdue.length >= 1 && d.due.length >= 2);

        expect(digest.coordinatorId).toBe(staff.mine);
        expect(digest.overdue.map((i) => [i.journey.id, i.what, i.stage])).toEqual([[`yp-${tag}-late`, 'first contact overdue', 'referral']]);
        expect(ids(digest.due)).toEqual(expect.arrayContaining([`yp-${tag}-1`, `yp-${tag}-2`]));
        expect(ids(digest.due).indexOf(`yp-${tag}-1`)).toBeLessThan(ids(digest.due).indexOf(`yp-${tag}-2`));
        expect(digest.due.find((i) => i.journey.id === `yp-${tag}-1`)).toMatchObject({
          what: 'first contact',
          stage: 'referral',
          journey: { kind: 'youngPerson', workflowId: `young-person-yp-${tag}-1` },
        });
        const times = digest.due.map((i) => Date.parse(i.at));
        expect(times).toEqual([...times].sort((a, b) => a - b));
        expect(ids(digest.due)).not.toContain(`yp-${tag}-far`);
        expect([...ids(digest.due), ...ids(digest.overdue)]).not.toContain(`yp-${tag}-theirs`);
        expect(digest.unreadable).toEqual([]);
        const serialised = JSON.stringify(digest);
        expect(serialised).not.toContain(dob);
        expect(serialised).not.toContain(volunteerContact.firstName);
        expect(serialised).not.toContain(volunteerContact.email);

        // The other co-ordinator's digest has theirs only.
        const theirs = await collectWhen(activities, staff.other, (d) => d.due.length >= 1);
        expect(ids(theirs.due)).toEqual([`yp-${tag}-theirs`]);
        expect(theirs.overdue).toEqual([]);
      });
    });
  });

  it('names a journey that does not answer, and is retried when none answers', async () => {
    const staff = freshStaff();
    const tag = staff.mine.slice(3, 9);
    const activities = createDigestActivities({
      client: env().client,
      mailer,
      directory: staff.directory,
      template: await loadDigestTemplate(),
      deliveryLog: await deliveryLogForTest(),
      queryTimeoutMs: 1_000,
    });
    // A journey on a task queue no worker polls: listed as running, but it cannot answer.
    const stuck = await env().client.workflow.start('youngPersonJourney', {
      workflowId: `young-person-yp-${tag}-stuck`,
      taskQueue: `nobody-polls-${tag}`,
      args: [{ start: referral(`yp-${tag}-stuck`, staff.mine) }],
      typedSearchAttributes: [{ key: MentorflowCoordinatorId, value: staff.mine }],
    });
    try {
      const failure = await (async () => {
        const deadline = Date.now() + 20_000;
        for (;;) {
          const outcome = await activities.collectDigest({ coordinatorId: staff.mine, asOf: new Date().toISOString() }).catch((e: unknown) => e);
          if (outcome instanceof ApplicationFailure || Date.now() > deadline) return outcome;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      })();
      expect(failure).toMatchObject({ type: DIGEST_JOURNEYS_UNREADABLE, nonRetryable: false });

      await withJourneyWorker(env(), { indexed: true }, async ({ journeys }) => {
        await journeys.start('youngPerson', referral(`yp-${tag}-ok`, staff.mine));
        const digest = await collectWhen(activities, staff.mine, (d) => d.due.length > 0);
        expect(ids(digest.due)).toEqual([`yp-${tag}-ok`]);
        expect(digest.unreadable).toEqual([stuck.workflowId]);
      });
    } finally {
      await stuck.terminate('test finished');
    }
  });

  it('is empty for a co-ordinator with nothing on their caseload', async () => {
    const staff = freshStaff();
    const activities = await digestActivities(staff.directory);
    const digest = await activities.collectDigest({ coordinatorId: staff.mine, asOf: new Date().toISOString() });
    expect(digest).toMatchObject({ overdue: [], due: [], unreadable: [] });
  });
});

describe('sendDigest', () => {
  it('emails the co-ordinator a digest naming journeys by id and stage, never the young person', async () => {
    const staff = freshStaff();
    const activities = await digestActivities(staff.directory);
    const tag = staff.mine.slice(3, 9);
    await withJourneyWorker(env(), { indexed: true, policy: { youngPerson: { firstContactWithin: '2 seconds' } } }, async ({ journeys }) => {
      await journeys.start('youngPerson', referral(`yp-${tag}-late`, staff.mine));
      await journeyEventually(journeys, 'youngPerson', `yp-${tag}-late`, (s) => s.openNudges.length > 0, 'first contact overdue');
      const digest = await collectWhen(activities, staff.mine, (d) => d.overdue.length === 1);

      const receipt = await activities.sendDigest(digest);

      expect(receipt.alreadyDelivered).toBe(false);
      expect(receipt.deliveredTo).toBe('smtp');
      const mail = smtp.received.filter((m) => m.message.header('message-id') === receipt.messageId);
      expect(mail).toHaveLength(1);
      const { message, rcptTo } = mail[0]!;
      expect(rcptTo).toEqual([staff.mineEmail]);
      expect(message.header('subject')).toMatch(/^\[Riverside Mentoring\] Your digest for \w+ \d{1,2} \w+ \d{4}: 1 overdue, \d+ coming up$/);
      expect(message.header('auto-submitted')).toBe('auto-generated');
      expect(message.header('x-mentorflow-kind')).toBe('digest');
      const text = partText(message, 'text/plain')!;
      expect(text).toContain('Hello Alex Okafor,');
      expect(text).toMatch(new RegExp(`- first contact overdue: young person's journey yp-${tag}-late \\(referral\\), since \\w{3} \\d{1,2} \\w{3}, \\d\\d:\\d\\d \\(today\\)`));
      expect(text).toContain(`npx mentorflow due --coordinator ${staff.mine}`);
      expect(partText(message, 'text/html')).toContain(`<code>yp-${tag}-late</code>`);
      expect(mail[0]!.raw.toString('latin1')).not.toContain(dob);
    });
  });

  it('delivers once a day: a retry, or the schedule run again later that day, sends nothing more; the next day sends again', async () => {
    const staff = freshStaff();
    const activities = await digestActivities(staff.directory);
    const digest: Digest = {
      coordinatorId: staff.mine,
      asOf: '2025-06-03T07:00:00.000Z',
      horizonDays: 7,
      overdue: [],
      due: [
        {
          journey: { kind: 'youngPerson', id: 'yp-once', workflowId: 'young-person-yp-once' },
          stage: 'referral',
          what: 'first contact',
          at: '2025-06-04T09:00:00.000Z',
          overdue: false,
        },
      ],
      unreadable: [],
    };
    const toMe = () => smtp.received.filter((m) => m.rcptTo.includes(staff.mineEmail));

    const [first, concurrent] = await Promise.all([activities.sendDigest(digest), activities.sendDigest(digest)]);
    const again = await activities.sendDigest(digest);
    // 22:30 the same evening in London (21:30 UTC): still 3 June there.
    const evening = await activities.sendDigest({ ...digest, asOf: '2025-06-03T21:30:00.000Z' });
    expect(first.deliveryKey).toBe(`digest-${staff.mine}-2025-06-03`);
    expect([first.alreadyDelivered, concurrent.alreadyDelivered].sort()).toEqual([false, true]);
    expect(again).toMatchObject({ alreadyDelivered: true, messageId: first.messageId });
    expect(evening).toMatchObject({ alreadyDelivered: true, messageId: first.messageId });
    expect(toMe()).toHaveLength(1);

    // 23:30 UTC is half past midnight on 4 June in London: a new day, a new digest.
    const nextDay = await activities.sendDigest({ ...digest, asOf: '2025-06-03T23:30:00.000Z' });
    expect(nextDay).toMatchObject({ alreadyDelivered: false, deliveryKey: `digest-${staff.mine}-2025-06-04` });
    expect(nextDay.messageId).not.toBe(first.messageId);
    expect(toMe()).toHaveLength(2);
  });

  it('refuses a digest for a co-ordinator not in the directory (retried until they are added)', async () => {
    const staff = freshStaff();
    const activities = await digestActivities(staff.directory);
    const failure = await activities
      .sendDigest({ coordinatorId: 'co-unknown', asOf: new Date().toISOString(), horizonDays: 7, overdue: [], due: [], unreadable: [] })
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ type: 'EMAIL.UNKNOWN_COORDINATOR', nonRetryable: false });
  });
});
