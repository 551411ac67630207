/**
 * The digest without a server: what counts as due and overdue, the order, the day a digest
 * belongs to in the scheme's time zone, what the template shows, and the checks on a scheme's own
 * digest template.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { digestDeliveryKey } from '../../activities/digest';
import { buildDigest, nudgeWords } from '../../activities/digest/collect';
import { digestVars } from '../../activities/digest/compose';
import { loadDigestTemplate } from '../../activities/digest/template';
import { TemplateError } from '../../activities/notifications/templates';
import type { JourneyStatus } from '../../contracts/messages';

const asOf = '2025-06-03T07:00:00.000Z'; // 08:00 in London, a Tuesday

function status(overrides: Partial<JourneyStatus> & Pick<JourneyStatus, 'journeyId'>): JourneyStatus {
  return {
    kind: 'youngPerson',
    workflowId: `young-person-${overrides.journeyId}`,
    coordinatorId: 'co-1',
    stage: 'referral',
    state: 'referral.awaitingContact',
    ended: false,
    due: [],
    nextDueAt: null,
    openNudges: [],
    decisions: [],
    failures: [],
    unapplied: [],
    facts: { dateOfBirth: '2008-05-01' },
    updatedAt: asOf,
    ...overrides,
  };
}

describe('buildDigest', () => {
  const statuses: JourneyStatus[] = [
    status({ journeyId: 'yp-later', due: [{ what: 'first contact', dueAt: '2025-06-09T09:00:00Z' }] }),
    status({ journeyId: 'yp-soon', due: [{ what: 'first contact', dueAt: '2025-06-04T09:00:00Z' }] }),
    status({
      journeyId: 'yp-nudged',
      openNudges: [{ about: 'firstContactOverdue', since: '2025-06-01T09:00:00Z' }],
      due: [{ what: 'escalation of an unanswered nudge', dueAt: '2025-06-05T09:00:00Z' }],
    }),
    status({
      kind: 'volunteer',
      journeyId: 'vol-late',
      workflowId: 'volunteer-vol-late',
      stage: 'vetting',
      // Past its time, but the timer has not fired (the worker was away): overdue all the same.
      due: [{ what: 'vetting', dueAt: '2025-06-02T09:00:00Z' }],
    }),
    status({ journeyId: 'yp-far', due: [{ what: 'readiness re-check', dueAt: '2025-07-29T09:00:00Z' }] }),
    status({ journeyId: 'yp-other', coordinatorId: 'co-2', due: [{ what: 'first contact', dueAt: '2025-06-04T08:00:00Z' }] }),
    status({ journeyId: 'yp-ended', ended: true, openNudges: [{ about: 'firstContactOverdue', since: '2025-05-01T09:00:00Z' }] }),
  ];
  const digest = buildDigest('co-1', statuses, { asOf, horizonDays: 7, unreadable: ['match-m-2', 'match-m-1'] });

  it('lists open nudges and passed due times as overdue, longest overdue first', () => {
    expect(digest.overdue.map((i) => [i.journey.id, i.what, i.at])).toEqual([
      ['yp-nudged', 'first contact overdue', '2025-06-01T09:00:00.000Z'],
      ['vol-late', 'vetting', '2025-06-02T09:00:00.000Z'],
    ]);
    expect(digest.overdue.every((i) => i.overdue)).toBe(true);
  });

  it('lists what falls due within the horizon, soonest first, and nothing beyond it', () => {
    expect(digest.due.map((i) => [i.journey.id, i.what])).toEqual([
      ['yp-soon', 'first contact'],
      ['yp-nudged', 'escalation of an unanswered nudge'],
      ['yp-later', 'first contact'],
    ]);
    expect(digest.due.every((i) => !i.overdue)).toBe(true);
  });

  it("leaves out ended journeys and other co-ordinators' journeys, and keeps ids and stages only", () => {
    const ids = [...digest.overdue, ...digest.due].map((i) => i.journey.id);
    expect(ids).not.toContain('yp-other');
    expect(ids).not.toContain('yp-ended');
    expect(ids).not.toContain('yp-far');
    expect(JSON.stringify(digest)).not.toContain('2008-05-01');
    expect(digest.unreadable).toEqual(['match-m-1', 'match-m-2']);
  });

  it('puts a nudge in words', () => {
    expect(nudgeWords('firstContactOverdue')).toBe('first contact overdue');
    expect(nudgeWords('meeting_gap')).toBe('meeting gap');
  });
});

describe('the day a digest belongs to', () => {
  it("is the scheme's local day: half past midnight in London in summer is already the next day", () => {
    expect(digestDeliveryKey('co-1', '2025-06-03T07:00:00Z', 'Europe/London')).toBe('digest-co-1-2025-06-03');
    expect(digestDeliveryKey('co-1', '2025-06-03T23:30:00Z', 'Europe/London')).toBe('digest-co-1-2025-06-04');
    expect(digestDeliveryKey('co-1', '2025-06-03T23:30:00Z', 'UTC')).toBe('digest-co-1-2025-06-03');
  });
});

describe('the digest template', () => {
  const coordinator = { id: 'co-1', name: 'Alex Okafor', email: 'alex@example.org' };
  const digest = buildDigest(
    'co-1',
    [
      status({ journeyId: 'yp-soon', due: [{ what: 'first contact', dueAt: '2025-06-04T09:00:00Z' }] }),
      status({ journeyId: 'yp-nudged', openNudges: [{ about: 'firstContactOverdue', since: '2025-06-01T09:00:00Z' }] }),
    ],
    { asOf, horizonDays: 7 },
  );

  it('says what is overdue and what is coming up, with journeys, stages and local times', async () => {
    const template = await loadDigestTemplate();
    const message = template.render(digestVars(digest, coordinator, { schemeName: 'Riverside Mentoring', timeZone: 'Europe/London' }));
    expect(message.subject).toBe('[Riverside Mentoring] Your digest for Tuesday 3 June 2025: 1 overdue, 1 coming up');
    expect(message.subject).not.toContain('Alex');
    expect(message.text).toContain('Hello Alex Okafor,');
    expect(message.text).toContain(
      "Overdue, longest first:\n- first contact overdue: young person's journey yp-nudged (referral), since Sun 1 Jun, 10:00 (2 days ago)",
    );
    expect(message.text).toContain(
      "Coming up in the next 7 days, soonest first:\n- first contact: young person's journey yp-soon (referral), due Wed 4 Jun, 10:00 (tomorrow)",
    );
    expect(message.text).toContain('npx mentorflow due --coordinator co-1');
    expect(message.text).not.toContain('Nothing is due');
    expect(message.html).toContain('<code>yp-nudged</code>');
    expect(message.html).toContain('<title>[Riverside Mentoring] Your digest for Tuesday 3 June 2025: 1 overdue, 1 coming up</title>');
  });

  it('says so when nothing is due', async () => {
    const template = await loadDigestTemplate();
    const empty = buildDigest('co-1', [], { asOf, horizonDays: 7 });
    const message = template.render(digestVars(empty, coordinator, { schemeName: 'Riverside Mentoring', timeZone: 'Europe/London' }));
    expect(message.text).toContain('Nothing is due or overdue on your caseload.');
    expect(message.text).not.toContain('Overdue, longest first');
  });

  it("uses a scheme's own wording, and refuses a subject that would list journeys or name the recipient", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mentorflow-digest-template-'));
    await writeFile(path.join(dir, 'digest.txt'), 'Subject: Today: {{overdueCount}} late\n\nHi {{recipientName}}\n{{overdue}}\n');
    const own = await loadDigestTemplate({ templatesDir: dir });
    const message = own.render(digestVars(digest, coordinator, { schemeName: 'Riverside Mentoring', timeZone: 'Europe/London' }));
    expect(message.subject).toBe('Today: 1 late');
    expect(message.html).toContain('<p>Hi Alex Okafor<br>');

    await writeFile(path.join(dir, 'digest.txt'), 'Subject: {{recipientName}}: {{overdue}}\n\n{{facts}}\n');
    const refused = await loadDigestTemplate({ templatesDir: dir }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TemplateError);
    const problems = (refused as TemplateError).problems.join('\n');
    expect(problems).toContain('the subject uses {{recipientName}}');
    expect(problems).toContain('the subject uses {{overdue}}');
    expect(problems).toContain('the text uses {{facts}}, which a digest cannot show');
  });
});
