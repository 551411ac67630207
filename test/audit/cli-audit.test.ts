/**
 * The offline audit commands on the golden histories: replay (clean, and an edited file caught),
 * timeline, compliance and coverage in each format, and their mistakes explained.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditComplianceCommand, auditCoverageCommand, auditReplayCommand, auditTimelineCommand } from '../../cli/commands/audit';
import { goldenDir, goldenJourneys } from './golden';
import { auditCli } from './run-audit-cli';

const runs = () => goldenJourneys().reduce((n, j) => n + j.runs.length, 0);

describe('audit replay', () => {
  it('replays every golden history: one line each, exit 0', async () => {
    const { code, stdout } = await auditCli(auditReplayCommand, [goldenDir]);
    expect(code).toBe(0);
    expect(stdout).toContain('ok      young-person-yp-late\n');
    expect(stdout).toContain('ok      match-m-peer (run 2)\n');
    expect(stdout.trimEnd().split('\n').at(-1)).toBe(`${runs()} of ${runs()} histories replay cleanly.`);
  }, 60_000);

  it('names the file, the event and what changed when a history was edited; exit 1', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mentorflow-audit-'));
    const json = JSON.parse(readFileSync(path.join(goldenDir, 'lapses', 'young-person-yp-late.json'), 'utf8')) as { events: Record<string, unknown>[] };
    const started = json.events.find((e) => e.timerStartedEventAttributes) as { eventId: string; timerStartedEventAttributes: { startToFireTimeout: string } };
    started.timerStartedEventAttributes.startToFireTimeout = '86400s';
    const file = path.join(dir, 'young-person-yp-late.json');
    writeFileSync(file, JSON.stringify(json));
    const { code, stdout } = await auditCli(auditReplayCommand, [file]);
    expect(code).toBe(1);
    expect(stdout).toContain(`FAILED  young-person-yp-late  [${file}]\n`);
    expect(stdout).toMatch(new RegExp(`event ${started.eventId}: timer 'first contact due' in the history: for 86400s, the machine's runs 604800s`));
    expect(stdout).toContain('0 of 1 histories replay cleanly; 1 do not.');
  });

  it('--json: the results as data', async () => {
    const { code, stdout } = await auditCli(auditReplayCommand, [path.join(goldenDir, 'clean'), '--json']);
    expect(code).toBe(0);
    const results = JSON.parse(stdout) as { workflowId: string; ok: boolean }[];
    expect(results.map((r) => [r.workflowId, r.ok]).sort()).toEqual([
      ['match-m-clean', true],
      ['volunteer-vol-clean', true],
      ['young-person-yp-clean', true],
    ]);
  });

  it('explains a folder with no histories', async () => {
    const { code, stderr } = await auditCli(auditReplayCommand, [mkdtempSync(path.join(tmpdir(), 'mentorflow-empty-'))]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^Error: no history files \(\*\.json\) in /);
  });
});

describe('audit timeline', () => {
  it('one journey of a folder, in Markdown', async () => {
    const { code, stdout } = await auditCli(auditTimelineCommand, [path.join(goldenDir, 'lapses'), '--journey', 'yp-late']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^# Timeline of young-person-yp-late\n/);
    expect(stdout).toContain('| 1 | ');
    expect(stdout).toMatch(/\| referrer sw-1 \| Referral received \| \(none\) → referral \|/);
    expect(stdout).toMatch(/\| coordinator co-1 \| Recorded first contact \| referral \| method: phone; nudgesClosed: firstContactOverdue \|/);
  });

  it('CSV to a file, every journey of a folder', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'mentorflow-audit-')), 'timeline.csv');
    const { code, stderr } = await auditCli(auditTimelineCommand, [path.join(goldenDir, 'pathways'), '--format', 'csv', '--out', out]);
    expect(code).toBe(0);
    expect(stderr).toBe(`Written to ${out}\n`);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('workflowId,kind,journeyId,n,run,eventId,at,entry,event,byRole,byId,what,stageBefore,stageAfter,state,ref,details');
    expect(new Set(lines.slice(1).map((l) => l.split(',')[0]))).toEqual(
      new Set(['young-person-yp-too-old', 'young-person-yp-informal', 'volunteer-vol-path', 'match-m-declined', 'match-m-rematch']),
    );
  });

  it('JSON of one journey is its timeline', async () => {
    const { stdout } = await auditCli(auditTimelineCommand, [path.join(goldenDir, 'pathways', 'young-person-yp-too-old.json'), '--json']);
    const timeline = JSON.parse(stdout) as { stage: string; ending: string; entries: { kind: string }[] };
    expect(timeline.stage).toBe('notEligible');
    expect(timeline.ending).toBe('completed');
    expect(timeline.entries.map((e) => e.kind)).toEqual(['journeyStarted', 'ended']);
  });

  it('refuses an unknown format', async () => {
    const { code, stderr } = await auditCli(auditTimelineCommand, [goldenDir, '--format', 'pdf']);
    expect(code).toBe(1);
    expect(stderr).toContain('--format is md, csv or json, not "pdf"');
  });
});

describe('audit compliance', () => {
  it('Markdown: the breaches of the lapses scenario, the summaries and figures', async () => {
    const { code, stdout } = await auditCli(auditComplianceCommand, [path.join(goldenDir, 'lapses')]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^# Compliance with the scheme policy\n/);
    expect(stdout).toContain('**7 breaches** found.');
    expect(stdout).toContain("## By quality standard: MENTOR's Elements of Effective Practice");
    expect(stdout).toMatch(/\| Closure \| `match.formalEnding` \| 1 \| 1 \| 0% \|/);
  });

  it('CSV: one row per breach', async () => {
    const { stdout } = await auditCli(auditComplianceCommand, [path.join(goldenDir, 'lapses'), '--format', 'csv']);
    const rows = stdout.trimEnd().split('\r\n');
    expect(rows).toHaveLength(8);
    expect(rows.slice(1).map((r) => r.split(',')[4])).toEqual([
      'youngPerson.firstContact',
      'match.initialGoals',
      'match.checkIns',
      'volunteer.supervision',
      'match.reviews',
      'volunteer.supervision',
      'match.formalEnding',
    ]);
  });

  it('--as-of an earlier date: later deadlines are not yet due', async () => {
    const { stdout } = await auditCli(auditComplianceCommand, [path.join(goldenDir, 'lapses'), '--json', '--as-of', goldenJourneys('lapses')[0]!.runs[0]!.startedAt.slice(0, 10)]);
    const report = JSON.parse(stdout) as { breaches: unknown[] };
    expect(report.breaches).toEqual([]);
  });

  it('explains a date it cannot read', async () => {
    const { code, stderr } = await auditCli(auditComplianceCommand, [goldenDir, '--as-of', 'last tuesday']);
    expect(code).toBe(1);
    expect(stderr).toContain('--as-of is a date (YYYY-MM-DD) or a date and time, not "last tuesday"');
  });
});

describe('audit coverage', () => {
  it('the golden histories visit every state a journey can rest in', async () => {
    const { code, stdout } = await auditCli(auditCoverageCommand, [goldenDir]);
    expect(code).toBe(0);
    const youngPeopleRuns = goldenJourneys()
      .filter((j) => j.kind === 'youngPerson')
      .reduce((n, j) => n + j.runs.length, 0);
    expect(stdout).toMatch(new RegExp(`^youngPerson \\(version 1\\): (\\d+) of \\1 states visited by ${youngPeopleRuns} runs\nvolunteer \\(version 1\\): (\\d+) of \\2 states`));
  });

  it('one scenario alone does not, and says which states it misses; exit 1', async () => {
    const { code, stdout } = await auditCli(auditCoverageCommand, [path.join(goldenDir, 'clean')]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/youngPerson \(version 1\): \d+ of \d+ states visited by 1 run; never visited: .*referral\.firstContactOverdue/);
  });
});
