/**
 * The scheme report on the golden histories, with the figures worked out by hand from the
 * scenarios (test/golden/scenarios.ts): the pathways story (informal support then formal
 * mentoring, waiting too long, a declined proposal, a rematch ended early, a withdrawal, a referral
 * outside the age range), the volunteers' exits (one volunteer leaves twice), an empty period, and
 * the same report through the CLI in every format.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportCommand } from '../../cli/commands/report';
import { defaultPolicy } from '../../machines/policy';
import { reportCharts } from '../../reports/charts';
import { schemeReport } from '../../reports/scheme';
import { goldenDir, goldenJourneys } from '../audit/golden';
import { auditCli } from '../audit/run-audit-cli';

const period = { from: '2026-11-01T00:00:00.000Z', to: '2027-06-01T00:00:00.000Z', policy: defaultPolicy };
const ids = (c: { journeyIds: string[] }) => c.journeyIds;

describe('the scheme report', () => {
  const pathways = schemeReport(goldenJourneys('pathways'), { ...period, eligibleCareLeavers: 10 });

  it('follows the young people referred in the period to its end', () => {
    expect(pathways.funnel.map((s) => [s.step, s.count, s.conversion])).toEqual([
      ['referred', 2, null],
      ['first contact', 1, 0.5], // yp-too-old was never eligible: no contact
      ['consent', 1, 1],
      ['ready', 1, 1],
      ['proposed', 1, 1],
      ['matched', 1, 1],
      ['formally ended', 1, 1],
    ]);
    expect(ids(pathways.funnel[0]!)).toEqual(['yp-informal', 'yp-too-old']);
    expect(pathways.need).toEqual({ eligibleCareLeavers: 10, likelyToWantMentoring: 3, ruleOfThumbDivisor: 4, referred: 2, matched: 1 });
    expect(pathways.withdrawals).toEqual({ movedAway: { count: 1, journeyIds: ['yp-informal'] } });
  });

  it('counts informal support and the move to formal mentoring', () => {
    expect(pathways.informalSupport).toEqual({
      youngPeople: { count: 1, journeyIds: ['yp-informal'] },
      tasks: 1,
      groupActivities: 1,
      movedToFormalMentoring: { count: 1, journeyIds: ['yp-informal'] },
    });
  });

  it('gives time to match, match length, the early closure and how it ended', () => {
    const m = pathways.matches;
    // Referred 2026-11-23, matched 2027-03-06 (m-rematch; m-declined never started).
    expect(m.started).toEqual({ count: 1, journeyIds: ['m-rematch'] });
    expect(m.daysReferralToMatch).toEqual({ count: 1, mean: 103, median: 103, p90: 103, longest: 103 });
    // Ended at the formal ending 44 days after the start: shorter than the planned 6 months.
    expect(m.lengthDays).toEqual({ count: 1, mean: 44, median: 44, p90: 44, longest: 44 });
    expect(m.earlyClosures).toEqual({ count: 1, journeyIds: ['m-rematch'], share: 1, plannedLength: '6 months' });
    expect(m.endingReasons).toEqual({ youngPersonChoice: { count: 1, journeyIds: ['m-rematch'] } });
    expect([m.planned.count, m.unplanned.count]).toEqual([1, 0]);
    expect(m.formalEndingRecorded).toEqual({ count: 1, journeyIds: ['m-rematch'], share: 1 });
  });

  it("counts the volunteer's pathway, training, and the nudges of the period", () => {
    expect(pathways.volunteers.funnel.map((s) => s.count)).toEqual([1, 1, 1, 1, 1]);
    expect(pathways.volunteers.trainedInPeriod).toMatchObject({ count: 1, journeyIds: ['vol-path'], hours: 20 });
    // Every required topic, once (the one volunteer covered them all).
    expect(Object.values(pathways.volunteers.trainedInPeriod.topics)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(pathways.volunteers.turnoverPerYear).toBe(0);
    // The readiness re-check (due at 8 weeks, done on day 58) and the wait for a proposal (due at
    // 6 weeks of waiting, proposed a day later): both resolved, neither escalated.
    expect(pathways.nudges.raised).toEqual({ count: 2, journeyIds: ['yp-informal'] });
    expect(pathways.nudges.escalated.count).toBe(0);
    expect(pathways.nudges.resolved.count).toBe(2);
    expect(pathways.headline).toBe('1 mentor trained; 1 young person in formal and 1 in informal mentoring; relationships lasted 1.4 months on average');
  });

  it('counts every exit, a volunteer who left, returned and left again twice', () => {
    const volunteers = schemeReport(goldenJourneys('volunteers'), { ...period, from: '2026-01-01T00:00:00.000Z', to: '2028-01-01T00:00:00.000Z' });
    expect(volunteers.volunteers.exits).toEqual({
      notProceeded: { count: 1, journeyIds: ['vol-no'] },
      notSuitable: { count: 2, journeyIds: ['vol-alt', 'vol-notclear'] },
      steppedDown: { count: 1, journeyIds: ['vol-alt'] },
    });
    // Turnover: 3 exits of the 3 volunteers taken on past the interview (vol-no never was, and its
    // "not proceeded" is no turnover), over a two-year period: 0.5 a year.
    expect(volunteers.volunteers.turnoverPerYear).toBe(0.5);
  });

  it('counts practice held against what fell due in the period, each duty in the period it fell due in', () => {
    const practice = (r: ReturnType<typeof schemeReport>) => r.practice.map((p) => [p.rule, p.due, p.held, p.journeyIds]);
    // m-rematch started 2027-03-06: first check-in due within 2 weeks (03-20), the second within the
    // first month (04-06), then a month after the last (04-27, 05-10: the review on day 41 ended
    // it before that one fell due, so it counts as met); each held on time. The first review is
    // due at 6 weeks (04-17) and was held on day 41. vol-path's one session (04-06) was attended;
    // the next was cancelled when the match ended.
    expect(practice(pathways)).toEqual([
      ['match.checkIns', 4, 4, ['m-rematch']],
      ['match.reviews', 1, 1, ['m-rematch']],
      ['volunteer.supervision', 1, 1, ['vol-path']],
    ]);
    const april = schemeReport(goldenJourneys('pathways'), { ...period, from: '2027-04-01T00:00:00.000Z', to: '2027-05-01T00:00:00.000Z' });
    expect(practice(april)).toEqual([
      ['match.checkIns', 2, 2, ['m-rematch']],
      ['match.reviews', 1, 1, ['m-rematch']],
      ['volunteer.supervision', 1, 1, ['vol-path']],
    ]);
    // The lapses story, to 10 January 2027: m-lapse's check-in due 12-16 was held, the one due
    // 01-02 was late; vol-lapse's session of 01-02 has no attendance recorded. Its review (due
    // 01-13) falls after the period.
    const lapses = schemeReport(goldenJourneys('lapses'), { ...period, from: '2026-12-01T00:00:00.000Z', to: '2027-01-10T00:00:00.000Z' });
    expect(practice(lapses)).toEqual([
      ['match.checkIns', 2, 1, ['m-lapse']],
      ['match.reviews', 0, 0, []],
      ['volunteer.supervision', 1, 0, ['vol-lapse']],
    ]);
  });

  it('gives zeros for an empty period, not errors', () => {
    const empty = schemeReport(goldenJourneys(), { ...period, from: '2020-01-01T00:00:00.000Z', to: '2020-04-01T00:00:00.000Z' });
    expect(empty.funnel.every((s) => s.count === 0 && (s.conversion === null || s.conversion === 0))).toBe(true);
    expect(empty.matches.daysReferralToMatch).toEqual({ count: 0, mean: null, median: null, p90: null, longest: null });
    expect(empty.matches.earlyClosures.share).toBeNull();
    expect(empty.series.nudgesByMonth).toEqual([
      { month: '2020-01', raised: 0, escalated: 0 },
      { month: '2020-02', raised: 0, escalated: 0 },
      { month: '2020-03', raised: 0, escalated: 0 },
    ]);
    expect(empty.headline).toBe('0 mentors trained; 0 young people in formal and 0 in informal mentoring; no relationship ended');
  });

  it("one co-ordinator's report counts only their journeys", () => {
    const none = schemeReport(goldenJourneys('pathways'), { ...period, coordinatorId: 'co-nobody' });
    expect(none.funnel[0]!.count).toBe(0);
  });

  it('draws its charts as SVG that names itself', async () => {
    const charts = await reportCharts(pathways);
    expect(charts.map((c) => c.id)).toEqual(['funnel', 'time-to-match', 'match-length', 'nudges']);
    for (const chart of charts) {
      expect(chart.svg).toMatch(/^<svg role="img" aria-label="[^"]+" /);
      expect(chart.svg).not.toContain('<script');
    }
  });
});

describe('report, from the command line', () => {
  it('writes Markdown, CSV, JSON and HTML with charts from exported histories', async () => {
    const md = await auditCli(reportCommand, [path.join(goldenDir, 'pathways'), '--from', '2026-11-01', '--to', '2027-05-31']);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain('# Scheme report: 2026-11-01 to 2027-05-31');
    expect(md.stdout).toContain('**1 mentor trained; 1 young person in formal and 1 in informal mentoring; relationships lasted 1.4 months on average.**');
    const json = await auditCli(reportCommand, [path.join(goldenDir, 'pathways'), '--from', '2026-11-01', '--to', '2027-05-31', '--format', 'json']);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(JSON.stringify(pathwaysReport())));
    const csv = await auditCli(reportCommand, [path.join(goldenDir, 'pathways'), '--from', '2026-11-01', '--to', '2027-05-31', '--format', 'csv']);
    expect(csv.stdout).toContain('matches,early closures,1,m-rematch\r\n');
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'mentorflow-report-')), 'report.html');
    const html = await auditCli(reportCommand, [path.join(goldenDir, 'pathways'), '--from', '2026-11-01', '--to', '2027-05-31', '--format', 'html', '--out', out]);
    expect(html.code).toBe(0);
    const page = readFileSync(out, 'utf8');
    expect(page).toMatch(/^<!DOCTYPE html>/);
    expect((page.match(/<svg role="img"/g) ?? []).length).toBe(4);
  });

  it('explains a bad period', async () => {
    const bad = await auditCli(reportCommand, [goldenDir, '--from', '2027-01-01', '--to', 'march']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--to is a date, YYYY-MM-DD, not "march"');
    const backwards = await auditCli(reportCommand, [goldenDir, '--from', '2027-01-01', '--to', '2026-01-01']);
    expect(backwards.stderr).toContain('--to is on or after --from');
  });
});

function pathwaysReport() {
  return schemeReport(goldenJourneys('pathways'), { ...period, policy: defaultPolicy });
}
