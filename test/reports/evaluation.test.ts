/**
 * The evaluator export from the committed golden histories: the figures of the `pathways` story
 * row by row (checked by hand against test/golden/scenarios.ts), joins between the files by
 * pseudonym, pseudonyms stable for one key and different for another, and nothing personal: no
 * journey id, name, contact detail, date of birth, own words, note or referrer anywhere.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportEvaluationCommand } from '../../cli/commands/export';
import { evaluationColumns, evaluationExport, pseudonymizer } from '../../reports/evaluation';
import { parseCsv } from '../../client/import/csv';
import { goldenDir, goldenJourneys } from '../audit/golden';
import { auditCli } from '../audit/run-audit-cli';

const key = Buffer.alloc(32, 7);
const exported = evaluationExport(goldenJourneys(), key);
const p = pseudonymizer(key);

/** A file's rows as objects, by column name. */
function rowsOf(file: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(exported.files[file]!);
  return rows.map((r) => Object.fromEntries(header!.cells.map((name, i) => [name, r.cells[i] ?? ''])));
}
const rowOf = (file: string, journeyId: string) => rowsOf(file).find((r) => r.id === p(journeyId));

describe('the evaluator export', () => {
  it("gives the pathways story's figures: informal support, a declined proposal, a rematch, a withdrawal", () => {
    expect(rowOf('young-people.csv', 'yp-informal')).toEqual({
      id: p('yp-informal'),
      started_on: '2026-11-23',
      stage: 'closed',
      ended: 'yes',
      self_referral: 'no',
      first_contact_on: '2026-11-24',
      consent: 'given',
      readiness_conversations: '2',
      informal_tasks: '1',
      group_activities: '1',
      ready_on: '2027-01-20',
      preferred_mentor_type: 'either',
      matches_ended: '1',
      current_match: '',
      closed_reason: 'movedAway',
      closed_on: '2027-04-25',
    });
    expect(rowOf('matches.csv', 'm-declined')).toMatchObject({
      young_person: p('yp-informal'),
      volunteer: p('vol-path'),
      stage: 'declined',
      introductions: '1',
      not_started_by: 'youngPerson',
      not_started_reason: 'mentorNotRight',
      started_on_match: '',
    });
    expect(rowOf('matches.csv', 'm-rematch')).toMatchObject({
      young_person: p('yp-informal'),
      volunteer: p('vol-path'),
      started_on_match: '2027-03-06',
      goals_agreed_on: '2027-03-08',
      meetings: '6',
      check_ins: '3',
      reviews: '1',
      ending_reason: 'youngPersonChoice',
      ending_planned: 'yes',
      rematch: 'yes',
      ended_on: '2027-04-19',
      length_days: '44',
      formal_ending_method: 'closingMeeting',
      outcome_codes: 'housing-secured',
    });
    expect(rowOf('volunteers.csv', 'vol-path')).toMatchObject({ stage: 'available', matches_proposed: '2', matches_active: '0', suitability: 'ready' });
    expect(rowOf('young-people.csv', 'yp-too-old')).toMatchObject({ stage: 'notEligible', closed_reason: 'notEligible', ended: 'yes' });
  });

  it('has one row per journey, and every match joins its young person and volunteer', () => {
    const kinds = { youngPerson: 'young-people.csv', volunteer: 'volunteers.csv', match: 'matches.csv' } as const;
    for (const [kind, file] of Object.entries(kinds)) {
      expect(rowsOf(file).map((r) => r.id).sort()).toEqual(goldenJourneys().filter((j) => j.kind === kind).map((j) => p(j.journeyId)).sort());
    }
    const youngPeople = new Set(rowsOf('young-people.csv').map((r) => r.id));
    const volunteers = new Set(rowsOf('volunteers.csv').map((r) => r.id));
    for (const match of rowsOf('matches.csv')) {
      expect(youngPeople.has(match.young_person!)).toBe(true);
      expect(volunteers.has(match.volunteer!)).toBe(true);
    }
  });

  it('gives the same pseudonyms for the same key, other ones for another key', () => {
    expect(evaluationExport(goldenJourneys(), key).files).toEqual(exported.files);
    const other = evaluationExport(goldenJourneys(), Buffer.alloc(32, 8));
    expect(other.files['young-people.csv']).not.toContain(p('yp-informal'));
  });

  it('holds no journey id and nothing personal', () => {
    const everything = Object.values(exported.files).join('\n');
    const journeyIds = goldenJourneys().flatMap((j) => [j.journeyId, j.workflowId]);
    const personal = [
      'example.org', 'Robin', 'Avery', 'Example Young Person', '07700', 'Example Road',
      '2008-05-01', '1999-01-15', '2001-03-01', '1980-03-01', // dates of birth in the scenarios
      'find a college course', 'find a weekend job', 'feel less alone', 'sw-1', 'co-1', 'sealed:',
    ];
    for (const needle of [...journeyIds, ...personal]) expect(everything, needle).not.toContain(needle);
  });

  it('documents every column in the data dictionary', () => {
    const dictionary = parseCsv(exported.files['data-dictionary.csv']!).slice(1).map((r) => `${r.cells[0]}:${r.cells[1]}`);
    const files = { youngPerson: 'young-people.csv', volunteer: 'volunteers.csv', match: 'matches.csv' } as const;
    const columns = Object.entries(evaluationColumns).flatMap(([kind, cs]) => cs.map((c) => `${files[kind as keyof typeof files]}:${c.name}`));
    expect(dictionary).toEqual(columns);
    for (const [file, text] of Object.entries(exported.files)) {
      if (file === 'data-dictionary.csv') continue;
      expect(parseCsv(text)[0]!.cells.map((c) => `${file}:${c}`)).toEqual(columns.filter((c) => c.startsWith(`${file}:`)));
    }
  });

  it('is empty, not an error, with no histories', () => {
    const empty = evaluationExport([], key);
    expect(empty.rows).toEqual({ youngPerson: 0, volunteer: 0, match: 0 });
    expect(parseCsv(empty.files['matches.csv']!)).toHaveLength(1);
  });
});

describe('export evaluation, from the command line', () => {
  it('writes the four files from exported histories, and says what it wrote', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'mentorflow-evaluation-'));
    const { code, stdout } = await auditCli(exportEvaluationCommand, [goldenDir, '--out', out]);
    expect(code).toBe(0);
    const counts = { youngPerson: 0, volunteer: 0, match: 0 };
    for (const j of goldenJourneys()) counts[j.kind]++;
    expect(stdout).toContain(`Evaluation export: ${counts.youngPerson} young people, ${counts.volunteer} volunteers, ${counts.match} matches.`);
    expect(readdirSync(out).sort()).toEqual(['data-dictionary.csv', 'matches.csv', 'volunteers.csv', 'young-people.csv']);
    // The scheme's own key (the test keyring's derived key), the same on a second run.
    const again = mkdtempSync(path.join(tmpdir(), 'mentorflow-evaluation-'));
    await auditCli(exportEvaluationCommand, [goldenDir, '--out', again]);
    expect(readFileSync(path.join(again, 'matches.csv'), 'utf8')).toBe(readFileSync(path.join(out, 'matches.csv'), 'utf8'));
  });

  it('asks where to write', async () => {
    const { code, stderr } = await auditCli(exportEvaluationCommand, [goldenDir]);
    expect(code).toBe(1);
    expect(stderr).toContain('--out <folder>');
  });
});
