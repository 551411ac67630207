/**
 * Planning an import, offline: every row checked (columns, the journeys' schemas, eligibility, and
 * the plan played through the journey machine), bad rows reported by line and reason.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JourneyRefusedError } from '../../client/journeys';
import { parseCsv } from '../../client/import/csv';
import { planImport } from '../../client/import/plan';
import { defaultPolicy } from '../../machines/policy';
import { repoRoot } from '../../config';

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
    expect(() => plan('id,kind,stage\nyp-1,young-person,referral\n')).toThrow(JourneyRefusedError);
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

describe('the example caseload file', () => {
  it('is a clean file: every row plans', () => {
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

describe('planImport: volunteers', () => {
  const vheader =
    'id,kind,coordinator,stage,date_of_birth,care_experienced,volunteer_type,left_care_on,email,first_name,check_type,check_issued_on,check_reference,check_decision,referees,training_hours,training_topics,own_support';
  const allTopics = 'mentor-role-and-boundaries;confidentiality;safeguarding;care-context;listening-and-communication;equality-and-diversity;endings';

  it('plans the pathway to each stage, splitting training hours into sessions of at most a day', () => {
    const result = plan(
      [
        vheader,
        'vol-1,volunteer,co-1,application,1980-01-01,no,traditional,,a@example.org,,,,,,,,,',
        `vol-2,volunteer,co-1,available,1980-01-01,no,traditional,,b@example.org,Bea,PVG,2026-10-01,PVG-1,clear,r-1;r-2,30,${allTopics},`,
        `vol-3,volunteer,co-1,available,2000-01-01,yes,peer,2020-01-01,c@example.org,,enhancedDBS,2026-10-01,DBS-1,,r-3;r-4,20,${allTopics},yes`,
        `vol-4,volunteer,co-1,supportGroup,1990-01-01,no,traditional,,d@example.org,,PVG,2026-10-01,PVG-2,clear,r-5;r-6,20,${allTopics},`,
      ].join('\n'),
    );
    expect(result.bad).toEqual([]);
    const types = (id: string) => result.rows.find((r) => r.id === id)!.events.map((e) => e.type);
    expect(types('vol-1')).toEqual(['infoSession.attended']);
    expect(types('vol-2')).toEqual([
      'infoSession.attended',
      'application.received',
      'interview.held',
      'reference.received',
      'reference.received',
      'check.recorded',
      'training.sessionLogged',
      'training.sessionLogged',
      'training.completed',
      'suitability.reviewed',
    ]);
    expect(result.rows.find((r) => r.id === 'vol-2')!.events.filter((e) => e.type === 'training.sessionLogged').map((e) => e.hours)).toEqual([24, 6]);
    expect(types('vol-3').at(-1)).toBe('peerCriteria.confirmed');
    expect(types('vol-4').at(-1)).toBe('suitability.reviewed');
    expect(result.rows.find((r) => r.id === 'vol-2')!.contact).toEqual({ email: 'b@example.org', firstName: 'Bea' });
    expect(result.rows.find((r) => r.id === 'vol-2')!.input).toEqual({
      journeyId: 'vol-2',
      coordinatorId: 'co-1',
      startedAt: now.toISOString(),
      volunteer: { type: 'traditional', dateOfBirth: '1980-01-01', careExperienced: false },
    });
  });

  it("brings each person's matching profile, and names a slot or a capacity it cannot read", () => {
    const mheader = `${vheader},languages,interests,area,availability,gender,capacity,ages_willing`;
    const vol = (id: string, matching: string) =>
      `${id},volunteer,co-1,available,1980-01-01,no,traditional,,${id}@example.org,,PVG,2026-10-01,PVG-${id},clear,r-1;r-2,20,${allTopics},,${matching}`;
    const result = plan([mheader, vol('vol-m1', 'Polish;English,music;football,North,tue-evening;sat-morning,female,2,16-21'), vol('vol-m2', ',,,,,,'), vol('vol-m3', ',,,tuesday-night,,0,21-16')].join('\n'));
    const events = (id: string) => result.rows.find((r) => r.id === id)!.events;
    expect(events('vol-m1')[0]).toEqual({
      type: 'matchingProfile.recorded',
      by,
      languages: ['Polish', 'English'],
      interests: ['music', 'football'],
      availability: ['tue-evening', 'sat-morning'],
      area: 'North',
      gender: 'female',
      capacity: 2,
      agesWilling: { from: 16, to: 21 },
    });
    expect(events('vol-m2').some((e) => e.type === 'matchingProfile.recorded')).toBe(false);
    expect(result.bad).toEqual([
      {
        line: 4,
        id: 'vol-m3',
        reasons: [
          'availability: not a week slot: tuesday-night (write a day and a part of it, e.g. tue-evening)',
          'capacity: a whole number from 1 to 10',
          'ages_willing: write the youngest and the oldest age, e.g. 16-21',
        ],
      },
    ]);
    const young = plan([`${header},availability`, 'yp-m1,young-person,co-1,waitingForMatch,2008-01-01,yes,2026-11-01,sw-1,phone,a job,either,mon-evening'].join('\n'));
    expect(young.rows[0]!.events.find((e) => e.type === 'preferences.recorded')).toMatchObject({ availability: ['mon-evening'] });
  });

  it("reports rows whose facts do not reach their stage, with the journey's own reasons", () => {
    const result = plan(
      [
        vheader,
        `vol-1,volunteer,co-1,available,1980-01-01,no,traditional,,a@example.org,,PVG,2026-10-01,PVG-1,clear,r-1;r-2,12,safeguarding,`,
        `vol-2,volunteer,co-1,available,2003-01-01,yes,peer,2025-06-01,b@example.org,,PVG,2026-10-01,PVG-2,clear,r-3;r-4,20,${allTopics},yes`,
        'vol-3,volunteer,co-1,vetting,1980-01-01,no,traditional,,c@example.org,,PVG,2026-10-01,PVG-3,clear,r-5;r-6,,,',
        `vol-4,volunteer,co-1,training,1980-01-01,no,traditional,,not-an-email,,PVG,2026-10-01,PVG-4,notClear,r-7;r-8,,,`,
        `vol-5,volunteer,co-1,peerCriteria,1980-01-01,no,traditional,,e@example.org,,PVG,2026-10-01,PVG-5,clear,r-9;r-10,20,${allTopics},`,
        'vol-6,volunteer,co-1,training,1980-01-01,no,traditional,,f@example.org,,PVG,2026-10-01,PVG-6,notClear,r-11,,,',
      ].join('\n'),
    );
    expect(result.rows).toEqual([]);
    const reasons = Object.fromEntries(result.bad.map((b) => [b.id, b.reasons.join(' | ')]));
    expect(reasons['vol-1']).toMatch(/^does not reach stage available: cannot record that training is complete: .*12 of 20 hours/);
    expect(reasons['vol-2']).toMatch(/^does not reach stage available: cannot confirm the peer-mentor criteria: .*left care/);
    expect(reasons['vol-3']).toBe("stage: the row's facts bring the journey to stage training, not vetting");
    expect(reasons['vol-4']).toMatch(/^email: /);
    expect(reasons['vol-5']).toBe('stage: peerCriteria is a stage of peer mentors only');
    expect(reasons['vol-6']).toBe(
      "stage: the row's facts bring the journey to stage vetting, not training (vetting not cleared: safeguarding check not clear; 2 references needed, 1 received)",
    );
    expect(JSON.stringify(result.bad)).not.toContain('not-an-email');
  });
});
