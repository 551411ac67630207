/**
 * The volunteer's journey, run purely on a simulated clock: every state, every gate both ways
 * (with the exact words a co-ordinator sees), every timer at its exact time, and the timers that
 * must never fire because their cause was resolved first.
 */
import { describe, expect, it } from 'vitest';
import type { AnyMachineSnapshot } from 'xstate';
import { parsePolicy, type SchemePolicyInput } from '../../machines/policy';
import {
  checkRecorded,
  volunteerInputSchema,
  volunteerJourney,
  volunteerLinkedEvents,
  volunteerMachine,
  volunteerRecordedEvents,
  type VolunteerProfile,
} from '../../machines/volunteer';
import { JourneySimulator } from '../helpers/journey-simulator';

// 5 January 2026 is a Monday.
const T0 = '2026-01-05T09:00:00.000Z';
const coordinator = { role: 'coordinator', id: 'co-7' } as const;

const TRADITIONAL: VolunteerProfile = { type: 'traditional', dateOfBirth: '1971-04-12', careExperienced: false };
/** 23 at the start; left care four and a half years ago. */
const PEER: VolunteerProfile = { type: 'peer', dateOfBirth: '2002-03-10', careExperienced: true, leftCareOn: '2021-06-30' };
const ALL_TOPICS = [
  'mentor-role-and-boundaries',
  'confidentiality',
  'safeguarding',
  'care-context',
  'listening-and-communication',
  'equality-and-diversity',
  'endings',
];

interface StartOptions {
  volunteer?: Partial<VolunteerProfile>;
  policy?: SchemePolicyInput;
  peer?: boolean;
}

function start({ volunteer = {}, policy = {}, peer = false }: StartOptions = {}): JourneySimulator {
  const input = {
    ...volunteerInputSchema.parse({
      journeyId: 'vol-1',
      coordinatorId: 'co-7',
      startedAt: T0,
      volunteer: { ...(peer ? PEER : TRADITIONAL), ...volunteer },
    }),
    policy: parsePolicy(policy),
  };
  return new JourneySimulator(volunteerJourney, input, T0);
}

type Event = { type: string } & Record<string, unknown>;
const infoSession: Event = { type: 'infoSession.attended', by: coordinator };
const application: Event = { type: 'application.received', by: coordinator };
const interview = (outcome: 'proceed' | 'notProceed' = 'proceed', faceToFace = true): Event => ({
  type: 'interview.held',
  by: coordinator,
  outcome,
  faceToFace,
});
/** A clear PVG issued 2 January 2026: by default it expires on 2 January 2031. */
const check = (fields: Record<string, unknown> = {}): Event => ({
  type: 'check.recorded',
  by: coordinator,
  checkType: 'PVG',
  issuedOn: '2026-01-02',
  referenceNumber: '1400123456789012',
  decision: 'clear',
  ...fields,
});
const reference = (refereeRef: string, satisfactory = true): Event => ({
  type: 'reference.received',
  by: coordinator,
  refereeRef,
  satisfactory,
});
const training = (hours: number, topics: string[] = []): Event => ({
  type: 'training.sessionLogged',
  by: coordinator,
  hours,
  topics,
});
const trainingCompleted: Event = { type: 'training.completed', by: coordinator };
const review = (outcome: 'ready' | 'peerSupportGroup' | 'alternativeRole' | 'notSuitable'): Event => ({
  type: 'suitability.reviewed',
  by: coordinator,
  outcome,
});
const peerCriteria = (ownSupportInPlace = true): Event => ({
  type: 'peerCriteria.confirmed',
  by: coordinator,
  readyWillingAble: true,
  ownSupportInPlace,
});
const propose = (matchId = 'm-1', youngPerson: Record<string, unknown> = {}, youngPersonId = `yp-${matchId}`): Event => ({
  type: 'match.proposed',
  by: coordinator,
  matchId,
  youngPersonId,
  youngPerson: { dateOfBirth: '2009-05-01', waitingForMatch: true, preferredMentorType: 'either', ...youngPerson },
});
const started = (matchId = 'm-1'): Event => ({ type: 'match.started', matchId });
const declined = (matchId = 'm-1'): Event => ({ type: 'match.declined', matchId });
const ended = (matchId = 'm-1'): Event => ({ type: 'match.ended', matchId });
const attended = (sessionId: string): Event => ({ type: 'supervision.attended', by: coordinator, sessionId });
const missed = (sessionId: string): Event => ({ type: 'supervision.missed', by: coordinator, sessionId });
const rescheduled = (sessionId: string, startsAt: string): Event => ({
  type: 'supervision.rescheduled',
  by: coordinator,
  sessionId,
  startsAt,
});
const exit = (reason = 'steppedDown', referenceGiven?: boolean): Event => ({
  type: 'exit.recorded',
  by: coordinator,
  reason,
  ...(referenceGiven === undefined ? {} : { referenceGiven }),
});
const returned: Event = { type: 'volunteer.returned', by: coordinator };

const inVetting = (options?: StartOptions) => start(options).must(infoSession).must(application).must(interview());
const inTraining = (options?: StartOptions) =>
  inVetting(options).must(check()).must(reference('ref-a')).must(reference('ref-b'));
const inReview = (options?: StartOptions) =>
  inTraining(options).must(training(20, ALL_TOPICS)).must(trainingCompleted);
function available(options?: StartOptions): JourneySimulator {
  const sim = inReview(options).must(review('ready'));
  return sim.stage === 'peerCriteria' ? sim.must(peerCriteria()) : sim;
}
const matched = (options?: StartOptions, matchId = 'm-1') => available(options).must(propose(matchId)).tell(started(matchId));

/** The unmet gates for `event` now, as the workflow's validator would ask. */
function gatesFor(sim: JourneySimulator, event: Event): string[] {
  const stamped: Event = { ...event, at: sim.now };
  return volunteerJourney.unmetGates(sim.snapshot, stamped);
}

/** What a refusal says, or 'accepted'. */
function refusal(sim: JourneySimulator, event: Event): string | string[] {
  const verdict = sim.record(event);
  return verdict.accepted ? 'accepted' : verdict.reasons;
}

describe('enquiry, information session, application and interview', () => {
  it('goes from enquiry to vetting, with the vetting nudge as the only timer', () => {
    const sim = start();
    expect(sim.stage).toBe('enquiry');
    expect(sim.timers).toEqual([]);
    sim.must(infoSession);
    expect(sim.stage).toBe('application');
    sim.must(application);
    expect(sim.stage).toBe('interview');
    sim.must(interview());
    expect(sim.stage).toBe('vetting');
    expect(sim.context.interviewPassedAt).toBe(T0);
    expect(sim.due).toEqual({ vettingPendingNudgeAfter: '2026-02-02T09:00:00.000Z' });
    expect(sim.effects).toEqual([]);
  });

  it('takes no one on without a face-to-face interview', () => {
    const sim = start().must(infoSession).must(application);
    const verdict = sim.record(interview('proceed', false));
    expect(verdict).toEqual({
      accepted: false,
      code: 'GATE.UNMET',
      message:
        'cannot record the interview: the interview was not face to face (a face-to-face interview is needed to proceed)',
      reasons: ['the interview was not face to face (a face-to-face interview is needed to proceed)'],
    });
    expect(sim.stage).toBe('interview');
    expect(refusal(sim, interview('proceed', true))).toBe('accepted');
  });

  it('ends the journey when the interview does not proceed; a return starts again at the application', () => {
    const sim = start().must(infoSession).must(application).must(interview('notProceed', false));
    expect(sim.stage).toBe('exited');
    expect(sim.context.exit).toEqual({ reason: 'notProceeded', at: T0 });
    sim.must(returned);
    expect(sim.stage).toBe('application');
    expect(sim.context.returns).toBe(1);
    expect(sim.context.exit).toBeUndefined();
  });

  it('refuses events that do not belong to the stage, naming the stage', () => {
    const sim = start();
    expect(sim.record(application)).toMatchObject({ code: 'STAGE.NOT_NOW', reasons: ["not possible at stage 'enquiry'"] });
    expect(sim.record(check())).toMatchObject({ code: 'STAGE.NOT_NOW' });
    expect(sim.record(returned)).toMatchObject({ code: 'STAGE.NOT_NOW' });
  });

  it.each([
    ['enquiry', () => start()],
    ['application', () => start().must(infoSession)],
    ['interview', () => start().must(infoSession).must(application)],
  ])('records an exit from %s with its reason and reference', (_, make) => {
    const sim = make().must(exit('movedAway', true));
    expect(sim.stage).toBe('exited');
    expect(sim.context.exit).toEqual({ reason: 'movedAway', referenceGiven: true, at: T0 });
    expect(sim.record(exit())).toMatchObject({ code: 'STAGE.NOT_NOW' });
  });
});

describe('vetting', () => {
  it('clears with a clear check in force and two satisfactory references, then moves to training', () => {
    const sim = inVetting().must(check());
    expect(sim.stage).toBe('vetting');
    expect(gatesFor(sim, propose())).toContain(
      '2 references needed, 0 received',
    );
    sim.must(reference('ref-a'));
    expect(sim.stage).toBe('vetting');
    sim.must(reference('ref-b'));
    expect(sim.stage).toBe('training');
    expect(sim.context.check).toMatchObject({ checkType: 'PVG', decision: 'clear', expiresOn: '2031-01-02' });
    expect(sim.due.vettingPendingNudgeAfter).toBeUndefined();
  });

  it('does not count an unsatisfactory reference, and a second reference from one referee replaces the first', () => {
    const sim = inVetting().must(check()).must(reference('ref-a')).must(reference('ref-b', false));
    expect(sim.stage).toBe('vetting');
    expect(gatesFor(sim, propose())).toContain(
      '2 references needed, 1 received (1 more not satisfactory)',
    );
    sim.must(reference('ref-a'));
    expect(sim.stage).toBe('vetting');
    sim.must(reference('ref-b', true));
    expect(sim.stage).toBe('training');
    expect(sim.context.references).toEqual([
      { refereeRef: 'ref-a', satisfactory: true },
      { refereeRef: 'ref-b', satisfactory: true },
    ]);
  });

  it('takes references during vetting only, so a cleared vetting cannot be undone behind a match', () => {
    const sim = inTraining();
    expect(sim.record(reference('ref-a', false))).toMatchObject({
      code: 'STAGE.NOT_NOW',
      reasons: ["not possible at stage 'training'"],
    });
  });

  it('follows the policy: one reference is enough when the scheme says so', () => {
    const sim = inVetting({ policy: { volunteer: { referencesRequired: 1 } } }).must(check()).must(reference('ref-a'));
    expect(sim.stage).toBe('training');
  });

  it('nudges the co-ordinator when vetting is still pending after 4 weeks, and escalates a week later', () => {
    const sim = inVetting().must(check({ decision: 'pending' })).must(reference('ref-a'));
    sim.advanceTo('2026-02-02T08:59:59.999Z');
    expect(sim.notified).toEqual([]);
    sim.advance(1);
    expect(sim.openNudges).toEqual(['vettingPending']);
    expect(sim.effectsOf('nudgeCoordinator')).toEqual([
      {
        at: '2026-02-02T09:00:00.000Z',
        params: {
          about: 'vettingPending',
          summary:
            'Vetting still pending after 4 weeks: vetting not cleared: safeguarding check pending; 2 references needed, 1 received',
          whatToDo:
            'Chase the safeguarding check and the references, then record each one as it arrives: npx mentorflow volunteer record-check vol-1 --type <PVG|enhancedDBS|other> --issued-on <YYYY-MM-DD> --reference <reference-number> --decision <clear|notClear|pending>',
          dueAt: '2026-02-02T09:00:00.000Z',
          facts: { waited: '4 weeks', unmet: 'vetting not cleared: safeguarding check pending; 2 references needed, 1 received' },
        },
      },
    ]);
    sim.advance('7 days');
    expect(sim.effectsOf('escalateToLead').map((e) => [e.at, e.params.about])).toEqual([
      ['2026-02-09T09:00:00.000Z', 'vettingPending'],
    ]);
    // Cleared: the nudge closes by itself and nothing more is sent about it.
    sim.must(check()).must(reference('ref-b'));
    expect(sim.openNudges).toEqual([]);
    expect(sim.stage).toBe('training');
    sim.advance('1 year');
    expect(sim.notified).toEqual(['vettingPending', 'vettingPending']);
  });

  it('sends no vetting nudge when vetting clears in time', () => {
    const sim = inVetting().advance('27 days').must(check()).must(reference('ref-a')).must(reference('ref-b'));
    sim.advance('8 weeks');
    expect(sim.notified).toEqual([]);
    expect(sim.firedTimers).toEqual([]);
  });

  it('follows the policy for the vetting wait', () => {
    const sim = inVetting({ policy: { volunteer: { vettingPendingNudgeAfter: '10 working days' } } });
    expect(sim.due).toEqual({ vettingPendingNudgeAfter: '2026-01-19T09:00:00.000Z' });
  });

  it('keeps only the check metadata, and defaults the expiry to issued + the policy validity', () => {
    const sim = inVetting({ policy: { volunteer: { checkValidFor: '3 years' } } }).must(
      check({ checkType: 'enhancedDBS', issuedOn: '2026-01-02' }),
    );
    expect(sim.context.check).toEqual({
      checkType: 'enhancedDBS',
      issuedOn: '2026-01-02',
      referenceNumber: '1400123456789012',
      decision: 'clear',
      expiresOn: '2029-01-02',
      recordedAt: T0,
    });
    sim.must(check({ expiresOn: '2027-03-01' }));
    expect(sim.context.check.expiresOn).toBe('2027-03-01');
  });

  it('treats a check recorded as not clear as a safeguarding matter: nudge open until it is resolved', () => {
    const sim = inVetting().must(reference('ref-a')).must(reference('ref-b')).must(check({ decision: 'notClear' }));
    expect(sim.stage).toBe('vetting');
    expect(sim.openNudges).toEqual(['checkNotClear']);
    expect(sim.effectsOf('nudgeCoordinator').map((e) => e.params.summary)).toEqual([
      "A volunteer's safeguarding check was recorded as not clear",
    ]);
    sim.must(exit('notSuitable'));
    expect(sim.openNudges).toEqual([]);
    expect(sim.timers).toEqual([]);
  });

  it('does not clear vetting on a check that has already expired', () => {
    const sim = inVetting()
      .must(reference('ref-a'))
      .must(reference('ref-b'))
      .must(check({ issuedOn: '2020-01-02', expiresOn: '2025-12-01' }));
    expect(sim.stage).toBe('vetting');
    expect(sim.openNudges).toEqual(['checkExpired']);
    expect(gatesFor(sim, propose())[0]).toBe(
      'safeguarding check expired on 2025-12-01',
    );
  });
});

describe('the safeguarding check: renewal reminders and expiry', () => {
  it('reminds the volunteer and nudges the co-ordinator 60, 30 and 7 days before expiry', () => {
    const sim = inTraining();
    sim.advanceTo('2031-01-01T23:59:59.000Z');
    const reminders = sim.effectsOf('remindVolunteer');
    expect(reminders.map((r) => [r.at, r.params.facts?.before])).toEqual([
      ['2030-11-03T00:00:00.000Z', '60 days'],
      ['2030-12-03T00:00:00.000Z', '30 days'],
      ['2030-12-26T00:00:00.000Z', '7 days'],
    ]);
    expect(reminders[0]!.params).toEqual({
      about: 'checkRenewal',
      summary: 'Your safeguarding check expires on 2031-01-02',
      whatToDo: 'Apply to renew it now, and tell your co-ordinator when the renewed check is issued',
      dueAt: '2031-01-02T00:00:00.000Z',
      facts: { expiresOn: '2031-01-02', checkType: 'PVG', before: '60 days' },
    });
    expect(sim.effectsOf('nudgeCoordinator').map((n) => [n.at, n.params.about])).toEqual([
      ['2030-11-03T00:00:00.000Z', 'checkRenewal'],
      ['2030-12-03T00:00:00.000Z', 'checkRenewal'],
      ['2030-12-26T00:00:00.000Z', 'checkRenewal'],
    ]);
    expect(sim.openNudges).toEqual([]);
  });

  it('does not send a reminder whose moment had passed when the check was recorded', () => {
    const sim = inVetting().must(check({ expiresOn: '2026-01-25' }));
    expect(sim.due.checkRenewalReminder).toBe('2026-01-18T00:00:00.000Z');
    sim.advanceTo('2026-01-24T00:00:00.000Z');
    expect(sim.effectsOf('remindVolunteer').map((r) => r.params.facts?.before)).toEqual(['7 days']);
  });

  it('follows the policy for the reminders', () => {
    const sim = inTraining({ policy: { volunteer: { checkRenewalRemindersBefore: ['14 days', '1 month'] } } });
    sim.advanceTo('2031-01-01T00:00:00.000Z');
    expect(sim.effectsOf('remindVolunteer').map((r) => [r.at, r.params.facts?.before])).toEqual([
      ['2030-12-02T00:00:00.000Z', '1 month'],
      ['2030-12-19T00:00:00.000Z', '14 days'],
    ]);
  });

  it('closes the matching gate when the check expires, and tells every current match', () => {
    const two = matched({ policy: { volunteer: { maxActiveMatches: 2 } } }).must(propose('m-2', {}, 'yp-2'));
    two.advanceTo('2031-01-02T00:00:00.000Z');
    expect(two.openNudges).toContain('checkExpired');
    const expiry = two.effects.filter((e) => e.at === '2031-01-02T00:00:00.000Z');
    expect(expiry.map((e) => e.effect)).toEqual([
      { type: 'tellJourney', params: { kind: 'match', journeyId: 'm-1', event: { type: 'volunteer.checkExpired' } } },
      expect.objectContaining({
        type: 'nudgeCoordinator',
        params: expect.objectContaining({
          about: 'checkExpired',
          facts: { expiresOn: '2031-01-02', matchId: 'm-1' },
        }),
      }),
      { type: 'tellJourney', params: { kind: 'match', journeyId: 'm-2', event: { type: 'volunteer.checkExpired' } } },
      expect.objectContaining({ type: 'nudgeCoordinator', params: expect.objectContaining({ facts: { expiresOn: '2031-01-02', matchId: 'm-2' } }) }),
    ]);
    expect(two.stage).toBe('matched');
    expect(refusal(two, propose('m-3', {}, 'yp-3'))).toEqual([
      'safeguarding check expired on 2031-01-02',
      'already has 1 active match and 1 proposed match (policy: at most 2)',
    ]);
    two.advance('7 days');
    expect(two.effectsOf('escalateToLead').map((e) => e.params.about)).toContain('checkExpired');
  });

  it('nudges once about an expired check when there is no current match', () => {
    const sim = available();
    sim.advanceTo('2031-01-02T00:00:00.000Z');
    expect(sim.effectsOf('tellJourney')).toEqual([]);
    expect(sim.effectsOf('nudgeCoordinator').at(-1)?.params).toMatchObject({
      about: 'checkExpired',
      summary: "A volunteer's safeguarding check expired on 2031-01-02: no new match until it is renewed",
    });
  });

  it('reopens the gate on a renewed check and tells current matches', () => {
    const sim = matched();
    sim.advanceTo('2031-01-10T00:00:00.000Z');
    expect(sim.openNudges).toContain('checkExpired');
    sim.must(check({ issuedOn: '2031-01-08' }));
    expect(sim.openNudges).not.toContain('checkExpired');
    expect(sim.effectsOf('tellJourney').map((e) => e.params.event.type)).toEqual([
      'volunteer.checkExpired',
      'volunteer.checkRenewed',
    ]);
    expect(sim.due.checkExpiry).toBe('2036-01-08T00:00:00.000Z');
    sim.tell(ended());
    expect(refusal(sim, propose('m-2', {}, 'yp-2'))).toBe('accepted');
  });

  it('replans the reminders for a check renewed before expiry, and never sends the old ones', () => {
    const sim = inTraining();
    sim.advanceTo('2030-11-10T00:00:00.000Z'); // the 60-day reminder has gone
    sim.must(check({ issuedOn: '2030-11-09' }));
    sim.advanceTo('2035-01-01T00:00:00.000Z');
    expect(sim.effectsOf('remindVolunteer').map((r) => [r.at, r.params.facts?.expiresOn])).toEqual([
      ['2030-11-03T00:00:00.000Z', '2031-01-02'],
    ]);
    expect(sim.openNudges).toEqual([]);
    expect(sim.effectsOf('tellJourney')).toEqual([]);
  });

  it('keeps a clear check in force while its renewal is pending', () => {
    const sim = available().must(check({ issuedOn: '2026-01-04', decision: 'pending', referenceNumber: 'APP-77' }));
    expect(sim.context.check.referenceNumber).toBe('1400123456789012');
    expect(sim.context.pendingCheck).toMatchObject({ referenceNumber: 'APP-77', decision: 'pending' });
    expect(refusal(sim, propose())).toBe('accepted');
    expect(volunteerJourney.summary(sim.snapshot)).toMatchObject({ renewalPending: true, checksRecorded: 2 });
  });

  it('tells current matches when a check is recorded as not clear, and closes the gate', () => {
    const sim = matched().must(check({ issuedOn: '2026-01-04', decision: 'notClear', referenceNumber: 'PVG-2' }));
    expect(sim.openNudges).toEqual(['checkNotClear']);
    expect(sim.effectsOf('tellJourney').map((e) => e.params)).toEqual([
      { kind: 'match', journeyId: 'm-1', event: { type: 'volunteer.checkNotClear' } },
    ]);
    expect(sim.effectsOf('nudgeCoordinator').at(-1)?.params.summary).toBe(
      "A volunteer's safeguarding check was recorded as not clear during match m-1",
    );
    // A new application does not close the matter; only a clear check (or an exit) does.
    sim.must(check({ issuedOn: '2026-01-05', decision: 'pending', referenceNumber: 'PVG-3' }));
    expect(sim.openNudges).toEqual(['checkNotClear']);
    expect(sim.context.check.decision).toBe('notClear');
    sim.must(check({ issuedOn: '2026-01-05', referenceNumber: 'PVG-3' }));
    expect(sim.openNudges).toEqual([]);
    expect(sim.effectsOf('tellJourney').at(-1)?.params.event).toEqual({ type: 'volunteer.checkRenewed' });
  });
});

describe('training', () => {
  it('finishes only with the minimum hours and every required topic, saying what is missing', () => {
    const sim = inTraining().must(training(12, ['safeguarding', 'confidentiality']));
    expect(refusal(sim, trainingCompleted)).toEqual([
      'training 12 of 20 hours',
      "topic 'mentor-role-and-boundaries' not covered",
      "topic 'care-context' not covered",
      "topic 'listening-and-communication' not covered",
      "topic 'equality-and-diversity' not covered",
      "topic 'endings' not covered",
    ]);
    sim.must(training(7.5, ['mentor-role-and-boundaries', 'care-context', 'listening-and-communication']));
    sim.must(training(0.5, ['equality-and-diversity', 'safeguarding']));
    expect(refusal(sim, trainingCompleted)).toEqual(["topic 'endings' not covered"]);
    sim.must(training(1, ['endings']));
    expect(refusal(sim, trainingCompleted)).toBe('accepted');
    expect(sim.stage).toBe('suitabilityReview');
    expect(sim.context.training).toMatchObject({ hours: 21, sessions: 4, completedAt: T0 });
  });

  it('follows the policy: 10 hours and the scheme own topics', () => {
    const policy = { volunteer: { minimumTrainingHours: 10, requiredTrainingTopics: ['safeguarding', 'trauma-informed-practice'] } };
    const sim = inTraining({ policy }).must(training(10, ['safeguarding']));
    expect(refusal(sim, trainingCompleted)).toEqual(["topic 'trauma-informed-practice' not covered"]);
    sim.must(training(1, ['trauma-informed-practice'])).must(trainingCompleted);
    expect(sim.stage).toBe('suitabilityReview');
  });

  it('counts training done while vetting is still in progress', () => {
    const sim = inVetting().must(training(20, ALL_TOPICS));
    expect(sim.stage).toBe('vetting');
    sim.must(check()).must(reference('ref-a')).must(reference('ref-b')).must(trainingCompleted);
    expect(sim.stage).toBe('suitabilityReview');
  });
});

describe('suitability review', () => {
  it('never matches automatically: a ready volunteer is available and waits for a proposal', () => {
    const sim = inReview().must(review('ready'));
    expect(sim.stage).toBe('available');
    sim.advance('6 months');
    expect(sim.effectsOf('startMatchJourney')).toEqual([]);
    expect(sim.stage).toBe('available');
  });

  it('keeps a volunteer in the peer support group, who can be reviewed again later', () => {
    const sim = inReview().must(review('peerSupportGroup'));
    expect(sim.stage).toBe('supportGroup');
    expect(refusal(sim, propose())).toEqual(['suitability review decided: stay in the peer support group for now']);
    sim.must(review('peerSupportGroup'));
    expect(sim.stage).toBe('supportGroup');
    sim.must(review('ready'));
    expect(sim.stage).toBe('available');
  });

  it('lets a volunteer who changes their mind go back to the support group, but not with a match open', () => {
    const sim = available().must(propose());
    expect(refusal(sim, review('peerSupportGroup'))).toEqual([
      'match m-1 is still open (it must be declined or ended first)',
    ]);
    sim.tell(declined());
    sim.must(review('peerSupportGroup'));
    expect(sim.stage).toBe('supportGroup');
  });

  it('ends the mentoring pathway with an alternative role', () => {
    const sim = inReview().must(review('alternativeRole'));
    expect(sim.stage).toBe('alternativeRole');
    expect(sim.timers).toEqual([]); // the mentoring check reminders stop with the pathway
    expect(refusal(sim, propose())).toEqual(['suitability review decided: offered an alternative role']);
    sim.must(exit('steppedDown'));
    expect(sim.stage).toBe('exited');
  });

  it('exits a volunteer found not suitable', () => {
    const sim = inReview().must(review('notSuitable'));
    expect(sim.stage).toBe('exited');
    expect(sim.context.exit).toEqual({ reason: 'notSuitable', at: T0 });
    expect(sim.context.suitability).toEqual({ outcome: 'notSuitable', reviewedAt: T0 });
  });
});

describe('peer-mentor criteria', () => {
  it('asks a peer volunteer found ready for the peer criteria before they are available', () => {
    const sim = inReview({ peer: true }).must(review('ready'));
    expect(sim.stage).toBe('peerCriteria');
    expect(refusal(sim, peerCriteria(true))).toBe('accepted');
    expect(sim.stage).toBe('available');
  });

  it('needs separation from their own care transition, and accepts once enough time has passed', () => {
    const sim = inReview({ peer: true, volunteer: { leftCareOn: '2024-09-01' } }).must(review('ready'));
    expect(refusal(sim, peerCriteria())).toEqual(['peer mentor left care 1 year ago (policy: at least 2)']);
    sim.advanceTo('2026-09-01T00:00:00.000Z');
    expect(refusal(sim, peerCriteria())).toBe('accepted');
  });

  it('needs support of their own unless the policy says otherwise', () => {
    const sim = inReview({ peer: true }).must(review('ready'));
    expect(refusal(sim, peerCriteria(false))).toEqual(['peer mentor has no support of their own in place']);
    const lenient = inReview({ peer: true, policy: { volunteer: { peerOwnSupportRequired: false } } }).must(review('ready'));
    expect(refusal(lenient, peerCriteria(false))).toBe('accepted');
  });

  it('lists every unmet criterion: not care-experienced, and no support', () => {
    const sim = inReview({ peer: true, volunteer: { careExperienced: false, leftCareOn: undefined } }).must(review('ready'));
    expect(refusal(sim, peerCriteria(false))).toEqual([
      'peer mentor is not care-experienced',
      'peer mentor has no support of their own in place',
    ]);
    const noDate = inReview({ peer: true, volunteer: { leftCareOn: undefined } }).must(review('ready'));
    expect(refusal(noDate, peerCriteria())).toEqual(["peer mentor's leaving-care date not recorded"]);
  });

  it('follows the policy for the years since leaving care', () => {
    const sim = inReview({
      peer: true,
      volunteer: { leftCareOn: '2024-09-01' },
      policy: { volunteer: { peerMinYearsSinceLeavingCare: 1 } },
    }).must(review('ready'));
    expect(refusal(sim, peerCriteria())).toBe('accepted');
  });
});

describe('matching', () => {
  it('lists every unmet gate at once', () => {
    const sim = inVetting({ peer: true, volunteer: { leftCareOn: '2025-02-01' } }).must(check({ decision: 'pending' }));
    sim.must(reference('ref-a')).must(training(12, ALL_TOPICS.filter((t) => t !== 'safeguarding')));
    expect(
      refusal(sim, propose('m-1', { dateOfBirth: '2004-06-01', waitingForMatch: false, preferredMentorType: 'traditional' })),
    ).toEqual([
      'vetting not cleared: safeguarding check pending',
      '2 references needed, 1 received',
      'training 12 of 20 hours',
      "topic 'safeguarding' not covered",
      'suitability review not done',
      'peer mentor left care less than a year ago (policy: at least 2)',
      'peer-mentor criteria not confirmed',
      'age gap 2 years (policy: at least 3 for a peer match)',
      'the young person is not waiting for a match',
      'the young person prefers a traditional mentor',
    ]);
    expect(sim.record(propose())).toMatchObject({
      code: 'GATE.UNMET',
      message: expect.stringMatching(/^cannot propose a match: vetting not cleared: safeguarding check pending; /),
    });
  });

  it('starts the match journey for an accepted proposal and records it as proposed', () => {
    const sim = available({ peer: true }).must(propose('m-1', {}, 'yp-9'));
    expect(sim.effectsOf('startMatchJourney')).toEqual([
      { at: T0, params: { matchId: 'm-1', youngPersonId: 'yp-9', volunteerId: 'vol-1', coordinatorId: 'co-7', peer: true } },
    ]);
    expect(sim.stage).toBe('available');
    expect(sim.context.matches).toEqual([{ matchId: 'm-1', youngPersonId: 'yp-9', status: 'proposed', proposedAt: T0 }]);
    expect(volunteerJourney.summary(sim.snapshot)).toMatchObject({ proposedMatchIds: ['m-1'], activeMatchIds: [] });
  });

  it.each([
    ['a peer match under the age gap', { dateOfBirth: '2004-06-01' }, 'age gap 2 years (policy: at least 3 for a peer match)'],
    [
      'a peer mentor younger than the young person',
      { dateOfBirth: '2001-01-01' },
      'the peer mentor is younger than the young person (policy: at least 3 years older)',
    ],
    ['a young person who is not waiting', { waitingForMatch: false }, 'the young person is not waiting for a match'],
    ['a young person who wants a traditional mentor', { preferredMentorType: 'traditional' }, 'the young person prefers a traditional mentor'],
  ])('refuses %s, and accepts when it is put right', (_, youngPerson, reason) => {
    const sim = available({ peer: true });
    expect(refusal(sim, propose('m-1', youngPerson))).toEqual([reason]);
    expect(refusal(sim, propose('m-1'))).toBe('accepted');
  });

  it('applies the age gap from the policy, and only to peer mentors', () => {
    expect(refusal(available({ peer: true, policy: { match: { peerMinAgeGapYears: 2 } } }), propose('m-1', { dateOfBirth: '2004-01-01' }))).toEqual([
      'age gap 1 year (policy: at least 2 for a peer match)',
    ]);
    expect(refusal(available({ peer: true, policy: { match: { peerMinAgeGapYears: 2 } } }), propose('m-1', { dateOfBirth: '2004-06-01' }))).toBe('accepted');
    expect(refusal(available(), propose('m-1', { dateOfBirth: '2004-06-01', preferredMentorType: 'traditional' }))).toBe('accepted');
    expect(refusal(available(), propose('m-1', { preferredMentorType: 'peer' }))).toEqual(['the young person prefers a peer mentor']);
  });

  it('allows one current match by default, counting a proposal, and more when the policy says so', () => {
    const sim = available().must(propose('m-1'));
    expect(refusal(sim, propose('m-2', {}, 'yp-2'))).toEqual(['already has 1 proposed match (policy: at most 1)']);
    sim.tell(started('m-1'));
    expect(refusal(sim, propose('m-2', {}, 'yp-2'))).toEqual(['already has 1 active match (policy: at most 1)']);
    const two = available({ policy: { volunteer: { maxActiveMatches: 2 } } }).must(propose('m-1'));
    expect(refusal(two, propose('m-1'))).toEqual(['match m-1 is already open']);
    expect(refusal(two, propose('m-2', {}, 'yp-m-1'))).toEqual(['a match with young person yp-m-1 is already open']);
    expect(refusal(two, propose('m-2', {}, 'yp-2'))).toBe('accepted');
  });

  it('is matched while any match is active, and available again when none is', () => {
    const sim = available({ policy: { volunteer: { maxActiveMatches: 2 } } }).must(propose('m-1'));
    sim.tell(started('unknown')).tell(ended('unknown'));
    expect(sim.stage).toBe('available');
    sim.tell(started('m-1'));
    expect(sim.stage).toBe('matched');
    sim.must(propose('m-2', {}, 'yp-2')).tell(started('m-2'));
    sim.tell(ended('m-1'));
    expect(sim.stage).toBe('matched');
    sim.tell(ended('m-2'));
    expect(sim.stage).toBe('available');
    expect(sim.context.matches).toEqual([]);
  });

  it('forgets a declined proposal', () => {
    const sim = available().must(propose('m-1')).tell(declined('m-1'));
    expect(sim.context.matches).toEqual([]);
    sim.tell(started('m-1'));
    expect(sim.stage).toBe('available');
    expect(refusal(sim, propose('m-2', {}, 'yp-2'))).toBe('accepted');
  });
});

describe('supervision', () => {
  it('schedules monthly supervision from the match start and invites the volunteer', () => {
    const sim = matched();
    expect(sim.effectsOf('inviteToSupervision')).toEqual([
      {
        at: T0,
        params: { sessionId: 'vol-1-supervision-1', startsAt: '2026-02-05T09:00:00.000Z', durationMinutes: 60, sequence: 0 },
      },
    ]);
    expect(sim.due.supervisionAttendanceGrace).toBe('2026-02-07T09:00:00.000Z');
  });

  it('supervises peer mentors fortnightly, and follows the policy cadence', () => {
    expect(matched({ peer: true }).effectsOf('inviteToSupervision')[0]?.params.startsAt).toBe('2026-01-19T09:00:00.000Z');
    const sixWeekly = matched({ policy: { volunteer: { supervisionEvery: '6 weeks' } } });
    expect(sixWeekly.effectsOf('inviteToSupervision')[0]?.params.startsAt).toBe('2026-02-16T09:00:00.000Z');
    const weeklyPeers = matched({ peer: true, policy: { volunteer: { peerSupervisionEvery: '1 week' } } });
    expect(weeklyPeers.effectsOf('inviteToSupervision')[0]?.params.startsAt).toBe('2026-01-12T09:00:00.000Z');
  });

  it('schedules the next session on the cadence once attendance is recorded, and sends no nudge', () => {
    const sim = matched().advanceTo('2026-02-05T10:00:00.000Z').must(attended('vol-1-supervision-1'));
    sim.advance('2 days');
    expect(sim.notified).toEqual([]);
    expect(sim.effectsOf('inviteToSupervision').map((i) => [i.params.sessionId, i.params.startsAt, i.params.sequence])).toEqual([
      ['vol-1-supervision-1', '2026-02-05T09:00:00.000Z', 0],
      ['vol-1-supervision-2', '2026-03-05T09:00:00.000Z', 0],
    ]);
    expect(sim.context.supervision).toMatchObject({ attended: 1, missed: 0, scheduled: 2 });
  });

  it('nudges when a session is missed, and schedules the next one', () => {
    const sim = matched().advanceTo('2026-02-05T12:00:00.000Z').must(missed('vol-1-supervision-1'));
    expect(sim.effectsOf('nudgeCoordinator')).toEqual([
      {
        at: '2026-02-05T12:00:00.000Z',
        params: {
          about: 'supervisionMissed',
          summary: 'A volunteer missed a supervision session (vol-1-supervision-1)',
          whatToDo:
            'Contact the volunteer and arrange a catch-up; the next session is scheduled automatically, or move it: npx mentorflow volunteer reschedule-supervision vol-1 --session vol-1-supervision-1 --starts-at <YYYY-MM-DDTHH:MM:SSZ>',
          dueAt: '2026-02-05T09:00:00.000Z',
          facts: { sessionId: 'vol-1-supervision-1' },
        },
      },
    ]);
    expect(sim.context.supervision.current).toEqual({
      sessionId: 'vol-1-supervision-2',
      startsAt: '2026-03-05T09:00:00.000Z',
      sequence: 0,
    });
  });

  it('nudges when no attendance is recorded within the grace period, until it is recorded', () => {
    const sim = matched().advanceTo('2026-02-07T08:59:59.000Z');
    expect(sim.notified).toEqual([]);
    sim.advance(1000);
    expect(sim.openNudges).toEqual(['supervisionAttendanceNotRecorded']);
    expect(sim.effectsOf('nudgeCoordinator')[0]?.params).toEqual({
      about: 'supervisionAttendanceNotRecorded',
      summary: 'No attendance recorded for a supervision session (vol-1-supervision-1)',
      whatToDo: 'Record whether the volunteer attended: npx mentorflow volunteer record-supervision vol-1 --attended|--missed --session vol-1-supervision-1',
      dueAt: '2026-02-07T09:00:00.000Z',
      facts: { sessionId: 'vol-1-supervision-1' },
    });
    sim.advance('7 days');
    expect(sim.effectsOf('escalateToLead').map((e) => [e.at, e.params.about])).toEqual([
      ['2026-02-14T09:00:00.000Z', 'supervisionAttendanceNotRecorded'],
    ]);
    sim.must(attended('vol-1-supervision-1'));
    expect(sim.openNudges).toEqual([]);
    expect(sim.context.supervision.current.startsAt).toBe('2026-03-05T09:00:00.000Z');
  });

  it('follows the policy grace period', () => {
    const sim = matched({ policy: { volunteer: { supervisionAttendanceGrace: '1 working day' } } });
    expect(sim.due.supervisionAttendanceGrace).toBe('2026-02-06T09:00:00.000Z');
  });

  it('re-invites with a higher sequence when a session is rescheduled, and moves its deadline', () => {
    const sim = matched().advanceTo('2026-02-08T00:00:00.000Z');
    expect(sim.openNudges).toEqual(['supervisionAttendanceNotRecorded']);
    sim.must(rescheduled('vol-1-supervision-1', '2026-02-10T14:00:00.000Z'));
    expect(sim.openNudges).toEqual([]);
    expect(sim.effectsOf('inviteToSupervision').at(-1)?.params).toEqual({
      sessionId: 'vol-1-supervision-1',
      startsAt: '2026-02-10T14:00:00.000Z',
      durationMinutes: 60,
      sequence: 1,
    });
    expect(sim.due.supervisionAttendanceGrace).toBe('2026-02-12T14:00:00.000Z');
    sim.must(rescheduled('vol-1-supervision-1', '2026-02-11T14:00:00.000Z'));
    expect(sim.effectsOf('inviteToSupervision').at(-1)?.params.sequence).toBe(2);
    sim.must(attended('vol-1-supervision-1'));
    expect(sim.context.supervision.current.startsAt).toBe('2026-03-11T14:00:00.000Z');
  });

  it('refuses attendance for a session that is not the scheduled one', () => {
    const sim = matched();
    expect(refusal(sim, attended('vol-1-supervision-7'))).toEqual([
      'session vol-1-supervision-7 is not the scheduled supervision session (that is vol-1-supervision-1)',
    ]);
    expect(sim.record(attended('vol-1-supervision-1'))).toEqual({ accepted: true });
    expect(available().record(attended('vol-1-supervision-1'))).toMatchObject({ code: 'STAGE.NOT_NOW' });
  });

  it('keeps the cadence when attendance is recorded late', () => {
    const sim = matched().advanceTo('2026-03-20T00:00:00.000Z').must(attended('vol-1-supervision-1'));
    expect(sim.context.supervision.current.startsAt).toBe('2026-04-05T09:00:00.000Z');
  });

  it('cancels a future session when the volunteer stops being matched', () => {
    const sim = matched().advanceTo('2026-01-20T00:00:00.000Z').tell(ended());
    expect(sim.stage).toBe('available');
    expect(sim.effectsOf('cancelSupervision')).toEqual([
      {
        at: '2026-01-20T00:00:00.000Z',
        params: { sessionId: 'vol-1-supervision-1', startsAt: '2026-02-05T09:00:00.000Z', durationMinutes: 60, sequence: 1 },
      },
    ]);
    expect(sim.due.supervisionAttendanceGrace).toBeUndefined();
    sim.advance('3 months');
    expect(sim.notified).toEqual([]);
    // A new match starts a new session count from its own start.
    sim.must(propose('m-2', {}, 'yp-2')).tell(started('m-2'));
    expect(sim.effectsOf('inviteToSupervision').at(-1)?.params).toMatchObject({
      sessionId: 'vol-1-supervision-2',
      startsAt: '2026-05-20T00:00:00.000Z',
    });
  });

  it('does not cancel a session that has already taken place', () => {
    const sim = matched().advanceTo('2026-02-06T00:00:00.000Z').tell(ended());
    expect(sim.effectsOf('cancelSupervision')).toEqual([]);
    expect(sim.openNudges).toEqual([]);
  });
});

describe('exit and return', () => {
  it('records an exit from a match, tells open matches, calls off supervision and stops every timer', () => {
    const sim = matched({ policy: { volunteer: { maxActiveMatches: 2 } } }).must(propose('m-2', {}, 'yp-2'));
    sim.advance('1 week').must(exit('steppedDown', true));
    expect(sim.stage).toBe('exited');
    expect(sim.context.exit).toEqual({ reason: 'steppedDown', referenceGiven: true, at: '2026-01-12T09:00:00.000Z' });
    expect(sim.effectsOf('tellJourney').map((e) => [e.params.journeyId, e.params.event.type])).toEqual([
      ['m-1', 'volunteer.exited'],
      ['m-2', 'volunteer.exited'],
    ]);
    expect(sim.effectsOf('cancelSupervision')).toHaveLength(1);
    expect(sim.timers).toEqual([]);
    // The match journeys answer; the record of open matches empties.
    sim.tell(ended('m-1')).tell(declined('m-2'));
    expect(sim.context.matches).toEqual([]);
  });

  it('returns to the suitability review when vetting still holds and training is done', () => {
    const sim = available({ peer: true }).advance('1 year').must(exit('other')).advance('6 months').must(returned);
    expect(sim.stage).toBe('suitabilityReview');
    expect(sim.context.suitability).toBeUndefined();
    expect(sim.context.peerCriteria).toBeUndefined();
    expect(sim.due.checkExpiry).toBe('2031-01-02T00:00:00.000Z');
    sim.must(review('ready'));
    expect(sim.stage).toBe('peerCriteria');
  });

  it('returns to vetting when the check has expired, then on to the review once renewed', () => {
    const sim = available().must(exit('movedAway')).advanceTo('2032-01-01T00:00:00.000Z').must(returned);
    expect(sim.stage).toBe('vetting');
    expect(sim.openNudges).toEqual(['checkExpired']);
    // A new spell of vetting: its pending nudge counts from the return.
    expect(sim.due.vettingPendingNudgeAfter).toBe('2032-01-29T00:00:00.000Z');
    sim.must(check({ issuedOn: '2031-12-20' }));
    expect(sim.stage).toBe('suitabilityReview');
    expect(sim.openNudges).toEqual([]);
  });

  it('returns to training when training was not finished', () => {
    const sim = inTraining().must(exit('steppedDown')).must(returned);
    expect(sim.stage).toBe('training');
  });

  it('returns a volunteer found not suitable to a fresh review', () => {
    const sim = inReview().must(review('notSuitable')).must(returned);
    expect(sim.stage).toBe('suitabilityReview');
  });
});

describe('every state is reachable', () => {
  /** Records every state node the journey rests in, after every event and every timer. */
  class TrackingSimulator extends JourneySimulator {
    static visited = new Set<string>();
    private track() {
      for (const node of (this.snapshot as AnyMachineSnapshot & { _nodes: { id: string }[] })._nodes) {
        TrackingSimulator.visited.add(node.id);
      }
      return this;
    }
    override record(event: Event) {
      const verdict = super.record(event);
      this.track();
      return verdict;
    }
    override tell(event: Event) {
      super.tell(event);
      return this.track();
    }
    override advanceTo(iso: string) {
      for (let next = this.timers[0]; next; next = this.timers.find((t) => t.dueAt <= iso)) {
        const due = this.timers.filter((t) => t.dueAt <= iso).sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
        if (!due) break;
        super.advanceTo(due.dueAt);
        this.track();
      }
      super.advanceTo(iso);
      return this.track();
    }
  }

  function allStateIds(): string[] {
    const ids: string[] = [];
    const walk = (node: { id: string; states: Record<string, unknown> }) => {
      ids.push(node.id);
      for (const child of Object.values(node.states)) walk(child as typeof node);
    };
    walk(volunteerMachine.root as unknown as { id: string; states: Record<string, unknown> });
    return ids;
  }

  it('reaches every state in the machine (except the momentary ones that decide where to go)', () => {
    const tracked = (options: StartOptions = {}) => {
      const input = {
        ...volunteerInputSchema.parse({
          journeyId: 'vol-1',
          coordinatorId: 'co-7',
          startedAt: T0,
          volunteer: options.peer ? PEER : TRADITIONAL,
        }),
        policy: parsePolicy(options.policy ?? {}),
      };
      return new TrackingSimulator(volunteerJourney, input, T0).advance(0);
    };
    const journey = (sim: JourneySimulator, events: Event[]) => events.forEach((e) => sim.must(e));
    const toVetting = [infoSession, application, interview()];
    const throughTraining = [check(), reference('ref-a'), reference('ref-b'), training(20, ALL_TOPICS), trainingCompleted];

    const a = tracked({ peer: true });
    journey(a, [...toVetting]);
    a.advance('5 weeks');
    journey(a, [...throughTraining, review('peerSupportGroup'), review('ready'), peerCriteria(), propose()]);
    a.tell(started()).advance('5 weeks').must(attended('vol-1-supervision-1'));
    a.advanceTo('2031-02-01T00:00:00.000Z').must(check({ decision: 'notClear', issuedOn: '2031-01-20' }));
    a.must(exit('steppedDown'));

    const b = tracked();
    journey(b, [...toVetting, ...throughTraining, review('alternativeRole')]);

    const visited = TrackingSimulator.visited;
    const transient = /\.(evaluating|next)$/;
    const unvisited = allStateIds().filter((id) => !visited.has(id) && !transient.test(id));
    expect(unvisited).toEqual([]);
  });
});

describe('the journey definition', () => {
  const optionsOf = (union: { options: readonly { shape: { type: { value: string } } }[] }) =>
    union.options.map((o) => o.shape.type.value);

  it('labels every event, and every named delay', () => {
    const types = [
      ...optionsOf(volunteerRecordedEvents as never),
      ...optionsOf(volunteerLinkedEvents as never),
    ];
    expect(Object.keys(volunteerJourney.eventLabels).sort()).toEqual([...types].sort());
    expect(Object.keys(volunteerJourney.dueLabels).sort()).toEqual(
      Object.keys(volunteerMachine.implementations.delays).sort(),
    );
    for (const decision of volunteerJourney.decisionEvents) expect(types).toContain(decision);
  });

  it('validates events strictly at the edge', () => {
    expect(volunteerRecordedEvents.safeParse(check()).success).toBe(true);
    expect(volunteerRecordedEvents.safeParse({ ...check(), disclosure: 'anything' }).success).toBe(false);
    expect(checkRecorded.safeParse(check({ expiresOn: '2025-01-01' })).error?.issues[0]?.message).toBe(
      'a check expires after the date it was issued',
    );
    expect(volunteerRecordedEvents.safeParse(training(0)).success).toBe(false);
    expect(volunteerRecordedEvents.safeParse(training(2, ['Safeguarding'])).success).toBe(false);
    expect(volunteerRecordedEvents.safeParse({ ...peerCriteria(), readyWillingAble: false }).success).toBe(false);
    expect(volunteerRecordedEvents.safeParse({ ...check(), referenceNumber: 'Jane Smith' }).success).toBe(false);
    expect(volunteerLinkedEvents.safeParse({ ...ended(), by: coordinator, outcome: 'rematch' }).success).toBe(true);
  });

  it('takes no contact details in the input, and checks what it takes', () => {
    // The policy is not part of the start: the workflow adds the policy in force.
    const input = { journeyId: 'vol-1', coordinatorId: 'co-7', startedAt: T0, volunteer: TRADITIONAL };
    expect(volunteerInputSchema.safeParse(input).success).toBe(true);
    expect(volunteerInputSchema.safeParse({ ...input, volunteer: { ...TRADITIONAL, email: 'a@b.c' } }).success).toBe(false);
    expect(volunteerInputSchema.safeParse({ ...input, name: 'Jane' }).success).toBe(false);
    expect(
      volunteerInputSchema.safeParse({ ...input, volunteer: { ...TRADITIONAL, leftCareOn: '2020-01-01' } }).error?.issues[0]
        ?.message,
    ).toBe('a leaving-care date is given but the volunteer is not recorded as care-experienced');
  });

  it('summarises with counts, dates and opaque ids, and no personal data', () => {
    const sim = matched({ peer: true }).must(training(2.5, ['first-aid']));
    const summary = volunteerJourney.summary(sim.snapshot);
    expect(summary).toMatchObject({
      stage: 'matched',
      check: { type: 'PVG', decision: 'clear', issuedOn: '2026-01-02', expiresOn: '2031-01-02', standing: 'valid' },
      referencesReceived: 2,
      referencesRequired: 2,
      trainingHours: 22.5,
      trainingHoursRequired: 20,
      trainingTopicsMissing: [],
      suitability: 'ready',
      activeMatchIds: ['m-1'],
      nextSupervision: { sessionId: 'vol-1-supervision-1', startsAt: '2026-01-19T09:00:00.000Z' },
    });
    const text = JSON.stringify(summary);
    for (const personal of [PEER.dateOfBirth, PEER.leftCareOn!, '1400123456789012', '2009-05-01']) {
      expect(text).not.toContain(personal);
    }
  });

  it('names the stage in short stable words', () => {
    expect(start().stage).toBe('enquiry');
    expect(inVetting().stage).toBe('vetting');
    expect(inTraining().stage).toBe('training');
    expect(inReview().stage).toBe('suitabilityReview');
    expect(inReview({ peer: true }).must(review('ready')).stage).toBe('peerCriteria');
    expect(matched().stage).toBe('matched');
  });
});
