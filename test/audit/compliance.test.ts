/**
 * Compliance of the golden histories against the policy each journey kept: the clean scenario
 * reports none; every lapse of the `lapses` scenario is found on its journey, under its rule, on
 * the day the policy set (dates read from the histories themselves).
 */
import { describe, expect, it } from 'vitest';
import { complianceReport } from '../../audit/compliance/report';
import { breachesCsv, complianceMarkdown } from '../../audit/format';
import { journeyTimeline } from '../../audit/timeline';
import { addDuration, parseDuration } from '../../machines/duration';
import { answerTo, goldenJourney, goldenJourneys } from './golden';

const after = (from: string, duration: string) => addDuration(from, parseDuration(duration)!);

describe('compliance of the golden histories', () => {
  it('the clean scenario: every rule checked, no breach, every ending formally recorded', () => {
    const report = complianceReport(goldenJourneys('clean'));
    expect(report.breaches).toEqual([]);
    for (const rule of report.rules.filter((r) => r.id !== 'volunteer.checkActedUpon')) expect(rule.checked, rule.id).toBeGreaterThan(0);
    expect(report.figures).toMatchObject({
      referrals: 1,
      medianDaysReferralToFirstContact: 1,
      medianDaysReferralToMatch: 7,
      matchesStarted: 1,
      endingsDecided: 1,
      endingsFormallyRecorded: 1,
      shareEndingsFormallyRecorded: 1,
      shareEndingsRecordedOnTime: 1,
      endingReasons: { goalsMet: 1 },
    });
    expect(report.figures.supervisionSessionsHeld).toBe(report.figures.supervisionSessionsDue);
  });

  it('the lapses scenario: each lapse on its journey, under its rule, on the day the policy set', () => {
    const yp = goldenJourney('young-person-yp-late');
    const match = goldenJourney('match-m-lapse');
    const volunteer = goldenJourney('volunteer-vol-lapse');
    const report = complianceReport(goldenJourneys('lapses'));

    // The dates, from the histories themselves: the referral, the journeys' own answers, the invitations sent.
    const referredAt = yp.runs[0]!.input.start.startedAt;
    const startedAt = answerTo(match, 'youngPerson.accepted').facts.matchStartedAt as string;
    const decidedAt = answerTo(match, 'ending.decided').facts.endingDecidedAt as string;
    const sessions = journeyTimeline(volunteer)
      .entries.filter((e) => e.kind === 'notificationRequested' && e.event === 'supervisionInvitation')
      .map((e) => e.details.startsAt as string);

    expect(report.breaches.map((b) => [b.date, b.workflowId, b.rule])).toEqual([
      [after(referredAt, '5 working days'), 'young-person-yp-late', 'youngPerson.firstContact'],
      [after(startedAt, '4 weeks'), 'match-m-lapse', 'match.initialGoals'],
      [after(startedAt, '1 month'), 'match-m-lapse', 'match.checkIns'],
      [sessions[0], 'volunteer-vol-lapse', 'volunteer.supervision'],
      [after(startedAt, '6 weeks'), 'match-m-lapse', 'match.reviews'],
      [sessions[1], 'volunteer-vol-lapse', 'volunteer.supervision'],
      [after(decidedAt, '14 days'), 'match-m-lapse', 'match.formalEnding'],
    ]);
    const [contact, , checkIn, missed, , unrecorded, ending] = report.breaches;
    expect(contact!.detail).toMatch(/^referred on \d{4}-\d\d-\d\d, first contact due by \d{4}-\d\d-\d\d \(5 working days\): contacted on \d{4}-\d\d-\d\d, 1 day late$/);
    expect(contact!.doneAt).toBe(answerTo(yp, 'contact.recorded').facts.firstContactAt);
    expect(checkIn!.detail).toMatch(/^check-in 2 of 2 in the first month, due by .+: held on .+, 9 days late$/);
    expect(missed!.detail).toMatch(/was missed$/);
    expect(unrecorded!.detail).toMatch(/has no attendance recorded by/);
    expect(ending!.detail).toMatch(/^ending decided on .+ \(lostContact, unplanned\), formal record due by .+: no formal ending recorded by .+$/);
    expect(ending!.doneAt).toBeUndefined();

    const area = (list: typeof report.mentor, key: string) => list.find((a) => a.area === key)!.breaches;
    expect(area(report.mentor, 'recruitment')).toBe(1);
    expect(area(report.mentor, 'matchingAndInitiating')).toBe(1);
    expect(area(report.mentor, 'monitoringAndSupport')).toBe(4);
    expect(area(report.mentor, 'closure')).toBe(1);
    expect(area(report.mentor, 'screening')).toBe(0);
    expect(area(report.aps, 'referral')).toBe(1);
    expect(area(report.aps, 'supportForMentors')).toBe(2);
    expect(area(report.aps, 'monitoring')).toBe(3);
    expect(report.figures.shareEndingsFormallyRecorded).toBe(0);
  });

  it('the recorded-late scenario: deadlines count from the referral, or from the import for an imported journey', () => {
    const report = complianceReport(goldenJourneys('recorded-late'));
    // Recorded ten days after the referral, contacted a day later: late, on the referral's deadline.
    expect(report.breaches.map((b) => [b.workflowId, b.rule])).toEqual([['young-person-yp-past-due', 'youngPerson.firstContact']]);
    const [late] = report.breaches;
    const referredOn = goldenJourney('young-person-yp-past-due').runs[0]!.input.start.startedAt;
    expect(late!.dueAt).toBe(addDuration(referredOn, parseDuration('5 working days')!));
    expect(late!.detail).toMatch(/^referred on \d{4}-\d{2}-\d{2}, first contact due by .+: contacted on .+ days late$/);
    // Imported two months after referral, its contact recorded at the import: not a breach, and not
    // counted in the time from referral to first contact (the import's date is not the contact's).
    expect(report.rules.find((r) => r.id === 'youngPerson.firstContact')).toMatchObject({ checked: 3, breaches: 1 });
    expect(report.figures.medianDaysReferralToFirstContact).toBe(7.5); // 4 and 11 days; not the import's 60
  });

  it('all golden histories together: only the lapses, whatever else the journeys went through', () => {
    const report = complianceReport(goldenJourneys());
    expect(new Set(report.breaches.map((b) => b.workflowId))).toEqual(
      new Set(['young-person-yp-late', 'match-m-lapse', 'volunteer-vol-lapse', 'young-person-yp-past-due', 'young-person-yp-indexed']),
    );
    expect(report.journeys).toEqual({ youngPerson: 10, volunteer: 9, match: 6 });
    // The peer volunteer's check expired mid-match and was renewed within the week.
    expect(report.rules.find((r) => r.id === 'volunteer.checkActedUpon')).toMatchObject({ checked: 1, breaches: 0 });
    const markdown = complianceMarkdown(report);
    expect(markdown).toContain('| Every ending formally recorded (`match.formalEnding`) |');
    expect(markdown).toContain('## By quality standard: the UK Approved Provider Standard');
    expect(breachesCsv(report).split('\r\n')[0]).toBe('date,workflowId,kind,journeyId,rule,mentorStandard,apsRequirement,dueAt,doneAt,matchId,sessionId,detail');
  });
});

