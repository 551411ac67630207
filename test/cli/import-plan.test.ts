/**
 * Planning an import, offline: every row checked (columns, the journeys' schemas, eligibility, and
 * the plan played through the journey machine), bad rows reported by line and reason.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliRefusal } from '../../cli/errors';
import { parseCsv } from '../../cli/import/csv';
import { planImport } from '../../cli/import/plan';
import { defaultPolicy } from '../../machines/policy';
import { repoRoot } from '../../worker/config';
import { journeys } from '../../workflows/registry';

const by = { role: 'coordinator', id: 'co-1' } as const;
const now = new Date('2026-11-23T12:00:00Z');
const plan = (text: string) => planImport(parseCsv(text), { by, policy: defaultPolicy, now });

const header = 'id,kind,coordinator,stage,date_of_birth,care_experienced,referred_on,referred_by,contact_method,own_goals,mentor_type';

describe('planImport: young people', () => {
  it('plans the events that bring each young person to their stage', () => {
    const result = plan(
      [
        header,
        'yp-1,young-person,co-1,referral,2008-03-14,yes,2026-11-02,sw-17,,,',
        'yp-2,young-person,co-1,readiness,2007-09-30,yes,,self,phone,a course;cooking,',
        'yp-3,young-person,co-1,informalSupport,2006-01-22,yes,2026-09-05,pa-4,inPerson,a dentist,',
        'yp-4,young-person,co-2,waitingForMatch,2005-07-08,yes,2026-08-19,referrer:sw-22,video,a job,traditional',
      ].join('\n'),
    );
    expect(result.bad).toEqual([]);
    expect(result.rows.map((r) => [r.line, r.id, r.stage, r.events.map((e) => e.type)])).toEqual([
      [2, 'yp-1', 'referral', []],
      [3, 'yp-2', 'readiness', ['contact.recorded', 'consent.recorded']],
      [4, 'yp-3', 'informalSupport', ['contact.recorded', 'consent.recorded', 'readiness.assessed']],
      [5, 'yp-4', 'waitingForMatch', ['contact.recorded', 'consent.recorded', 'readiness.assessed', 'preferences.recorded']],
    ]);
    expect(result.rows[0]!.input).toEqual({
      journeyId: 'yp-1',
      coordinatorId: 'co-1',
      startedAt: '2026-11-02T00:00:00.000Z',
      referral: { referredBy: { role: 'referrer', id: 'sw-17' }, dateOfBirth: '2008-03-14', careExperienced: true },
    });
    expect(result.rows[1]!.input).toMatchObject({ startedAt: now.toISOString(), referral: { referredBy: { role: 'youngPerson', id: 'yp-2' } } });
    expect(result.rows[1]!.events[1]).toEqual({ type: 'consent.recorded', by, consent: 'given', ownGoals: ['a course', 'cooking'] });
    expect(result.rows[3]!.events[3]).toEqual({ type: 'preferences.recorded', by, mentorType: 'traditional' });
  });

  it('reports every bad row by line number and reason, never quoting the personal data', () => {
    const result = plan(
      [
        header,
        'yp-1,young-person,co-1,referral,2008-03-14,yes,,sw-17,,,',
        'Jane Smith,young-person,co-1,referral,2008-03-14,yes,,sw-17,,,',
        'yp-3,young-person,co-1,waitingForMatch,14/03/2008,maybe,,sw-17,phone,,',
        'yp-4,young-person,co-1,readiness,2013-01-01,no,2026-11-01,sw-17,phone,a job,',
        'yp-5,young-person,co-1,matched,2008-03-14,yes,,sw-17,,,',
        'yp-1,young-person,co-1,referral,2008-03-14,yes,,sw-17,,,',
        'yp-7,robot,co-1,referral,2008-03-14,yes,,sw-17,,,',
      ].join('\n'),
    );
    expect(result.rows.map((r) => r.id)).toEqual(['yp-1']);
    expect(result.bad).toEqual([
      { line: 3, reasons: ['id: an id is 1-64 letters, digits, "_" or "-" (never a name)'] },
      {
        line: 4,
        id: 'yp-3',
        reasons: [
          'date_of_birth: not a date: write YYYY-MM-DD',
          'care_experienced: write yes or no',
          'own_goals: needed',
          'mentor_type: needed',
        ],
      },
      {
        line: 5,
        id: 'yp-4',
        reasons: ['eligibility: aged 13 at referral (policy: 16 to 25)', 'eligibility: not care-experienced (policy: the scheme is for care-experienced young people)'],
      },
      { line: 6, id: 'yp-5', reasons: ['stage: one of referral|readiness|informalSupport|preferences|waitingForMatch'] },
      { line: 7, id: 'yp-1', reasons: ['id: the same id as line 2'] },
      { line: 8, id: 'yp-7', reasons: ['kind: one of young-person|volunteer'] },
    ]);
    expect(JSON.stringify(result.bad)).not.toContain('Jane');
    expect(JSON.stringify(result.bad)).not.toContain('14/03/2008');
  });

  it('refuses a file without the required columns, naming them', () => {
    expect(() => plan('id,kind,stage\nyp-1,young-person,referral\n')).toThrow(CliRefusal);
    expect(() => plan('id,kind,stage\nyp-1,young-person,referral\n')).toThrow(
      'line 1: column "coordinator" is missing; column "date_of_birth" is missing; column "care_experienced" is missing',
    );
  });

  it('ignores columns that are not mentorflow\'s, and says which', () => {
    const result = plan(`${header},Full Name\nyp-1,young-person,co-1,referral,2008-03-14,yes,,sw-17,,,,Jane Smith\n`);
    expect(result.ignoredColumns).toEqual(['full_name']);
    expect(result.rows).toHaveLength(1);
    expect(JSON.stringify(result.rows)).not.toContain('Jane');
  });
});

// The registry maps the volunteer to the young person's journey until the volunteer machine is registered.
const volunteerRegistered = journeys.volunteer.kind === 'volunteer';

describe('the example caseload file', () => {
  it.runIf(volunteerRegistered)('is a clean file: every row plans', () => {
    const text = readFileSync(path.join(repoRoot, 'examples', 'caseload.example.csv'), 'utf8');
    const result = plan(text);
    expect(result.bad).toEqual([]);
    expect(result.rows.map((r) => `${r.id}:${r.stage}`)).toEqual([
      'yp-ex-0001:referral',
      'yp-ex-0002:readiness',
      'yp-ex-0003:informalSupport',
      'yp-ex-0004:waitingForMatch',
      'vol-ex-0001:vetting',
      'vol-ex-0002:training',
      'vol-ex-0003:available',
      'vol-ex-0004:available',
    ]);
  });
});
