/**
 * The young person's journey, run purely on a simulated clock: every state, every gate both ways
 * (with the exact words a co-ordinator sees), every timer at its exact time, and the timers that
 * must never fire because their cause was resolved first.
 */
import { describe, expect, it } from 'vitest';
import { applyEvent, judge } from '../../machines/runtime';
import { defaultPolicy, parsePolicy, type SchemePolicy, type SchemePolicyInput } from '../../machines/policy';
import {
  eligibilityProblems,
  referralSchema,
  youngPersonInputSchema,
  youngPersonJourney,
  type Referral,
} from '../../machines/young-person';
import { JourneySimulator } from '../helpers/journey-simulator';

// 9 January 2026 is a Friday.
const FRIDAY = '2026-01-09T10:00:00.000Z';
const coordinator = { role: 'coordinator', id: 'co-7' } as const;
const referrer = { role: 'referrer', id: 'ref-3' } as const;
const youngPersonActor = { role: 'youngPerson', id: 'yp-42' } as const;

const DOB = '2008-06-01'; // 17 at referral
const NOTES = 'Lives with foster carers on Elm Street; struggling at college';
const GOALS = ['find a college course', 'learn to cook'];

interface StartOptions {
  at?: string;
  referral?: Partial<Referral>;
  policy?: SchemePolicyInput;
}

function start({ at = FRIDAY, referral = {}, policy }: StartOptions = {}): JourneySimulator {
  const input = youngPersonInputSchema.parse({
    journeyId: 'yp-42',
    coordinatorId: 'co-7',
    startedAt: at,
    referral: { referredBy: referrer, dateOfBirth: DOB, careExperienced: true, referrerNotes: NOTES, ...referral },
  });
  const schemePolicy: SchemePolicy = policy ? parsePolicy(policy) : defaultPolicy;
  return new JourneySimulator(youngPersonJourney, { ...input, policy: schemePolicy }, at);
}

const contact = { type: 'contact.recorded', by: coordinator, method: 'phone' };
const consent = (ownGoals: string[] = GOALS) => ({ type: 'consent.recorded', by: coordinator, consent: 'given', ownGoals });
const declineConsent = { type: 'consent.recorded', by: coordinator, consent: 'declined', ownGoals: [] };
const readiness = (outcome: 'ready' | 'notReady' | 'declined') => ({ type: 'readiness.assessed', by: coordinator, outcome });
const preferences = (mentorType: 'peer' | 'traditional' | 'either' = 'traditional') => ({
  type: 'preferences.recorded',
  by: youngPersonActor,
  mentorType,
  gender: 'noPreference',
  languages: [],
  interests: ['football'],
});
const informalTask = { type: 'informalTask.recorded', by: coordinator, task: 'health' };
const groupActivity = { type: 'groupActivity.attended', by: coordinator };
const withdrawn = { type: 'journey.withdrawn', by: coordinator, reason: 'youngPersonChoice' };
const proposed = (matchId: string) => ({ type: 'match.proposed', matchId, volunteerId: 'vol-9' });
const started = (matchId: string) => ({ type: 'match.started', matchId });
const declined = (matchId: string) => ({ type: 'match.declined', matchId });
const ended = (matchId: string, outcome: 'rematch' | 'ended') => ({ type: 'match.ended', matchId, outcome });

/** Referral -> contact -> consent with goals: in the readiness conversation. */
function inReadiness(options?: StartOptions): JourneySimulator {
  return start(options).must(contact).must(consent());
}

function waitingForMatch(options?: StartOptions): JourneySimulator {
  return inReadiness(options).must(readiness('ready')).must(preferences());
}

function inMatch(matchId = 'm-1'): JourneySimulator {
  return waitingForMatch().tell(proposed(matchId)).tell(started(matchId));
}

/** What a refusal says, or 'accepted'. */
function refusal(sim: JourneySimulator, event: { type: string } & Record<string, unknown>): string | string[] {
  const verdict = sim.record(event);
  return verdict.accepted ? 'accepted' : verdict.reasons;
}

describe('referral and eligibility', () => {
  it('starts awaiting first contact, with the first-contact deadline as its only timer', () => {
    const sim = start();
    expect(sim.snapshot.value).toEqual({ referral: 'awaitingFirstContact' });
    expect(sim.stage).toBe('referral');
    expect(sim.due).toEqual({ firstContactWithin: '2026-01-16T10:00:00.000Z' });
    expect(sim.effects).toEqual([]);
  });

  it.each([
    ['exactly the minimum age on the day of referral', '2010-01-09'],
    ['the day before turning 26', '2000-01-10'],
  ])('accepts a care-experienced young person %s', (_, dateOfBirth) => {
    const sim = start({ referral: { dateOfBirth } });
    expect(sim.stage).toBe('referral');
  });

  it.each([
    ['too young', '2010-01-10', ['aged 15 at referral (policy: 16 to 25)']],
    ['too old', '2000-01-09', ['aged 26 at referral (policy: 16 to 25)']],
  ])('refuses a referral of someone %s, saying why', (_, dateOfBirth, problems) => {
    const sim = start({ referral: { dateOfBirth } });
    expect(sim.snapshot.value).toBe('notEligible');
    expect(sim.snapshot.status).toBe('done');
    expect(sim.context.closure).toEqual({ reason: 'notEligible', at: FRIDAY });
    expect(sim.timers).toEqual([]);
    expect(eligibilityProblems({ dateOfBirth, careExperienced: true }, FRIDAY, defaultPolicy)).toEqual(problems);
  });

  it('refuses someone who is not care-experienced, and gives both reasons when both apply', () => {
    expect(start({ referral: { careExperienced: false } }).stage).toBe('notEligible');
    expect(eligibilityProblems({ dateOfBirth: DOB, careExperienced: false }, FRIDAY, defaultPolicy)).toEqual([
      'not care-experienced (policy: the scheme is for care-experienced young people)',
    ]);
    expect(eligibilityProblems({ dateOfBirth: '1990-01-01', careExperienced: false }, FRIDAY, defaultPolicy)).toEqual([
      'aged 36 at referral (policy: 16 to 25)',
      'not care-experienced (policy: the scheme is for care-experienced young people)',
    ]);
  });

  it("follows the scheme's own age limit and care-experience rule", () => {
    const policy = { youngPerson: { maxAgeAtReferral: 21, careExperienceRequired: false } };
    expect(start({ policy, referral: { dateOfBirth: '2004-01-10' } }).stage).toBe('referral'); // 21
    expect(start({ policy, referral: { dateOfBirth: '2004-01-09' } }).stage).toBe('notEligible'); // 22
    expect(eligibilityProblems({ dateOfBirth: '2004-01-09', careExperienced: true }, FRIDAY, parsePolicy(policy))).toEqual([
      'aged 22 at referral (policy: 16 to 21)',
    ]);
    expect(start({ policy, referral: { careExperienced: false } }).stage).toBe('referral');
  });

  it('refuses every event once a journey has ended', () => {
    const sim = start({ referral: { careExperienced: false } });
    const verdict = sim.record(contact);
    expect(verdict).toMatchObject({
      accepted: false,
      code: 'STAGE.NOT_NOW',
      message: 'cannot record first contact: this journey has ended',
    });
  });

  it('keeps an ended journey and its closure reason as they were, even if an event is applied to it', () => {
    const sim = start({ referral: { careExperienced: false } });
    // The runtime applies linked events without judging them; a final state must not move.
    const result = applyEvent(youngPersonJourney, sim.snapshot, sim.timers, withdrawn, '2026-02-01T00:00:00.000Z');
    expect(result.snapshot.value).toBe('notEligible');
    expect(result.snapshot.context.closure).toEqual({ reason: 'notEligible', at: FRIDAY });
    expect(result.effects).toEqual([]);
  });

  it("keeps the referrer's notes apart from the young person's own goals", () => {
    const sim = start({ referral: { ownGoals: ['get a flat'] } });
    expect(sim.context.referrerNotes).toBe(NOTES);
    expect(sim.context.ownGoals).toEqual(['get a flat']);
    sim.must(contact).must(consent(['learn to drive']));
    // Consent comes with the young person's goals in their own words; the notes stay as they were.
    expect(sim.context.ownGoals).toEqual(['learn to drive']);
    expect(sim.context.referrerNotes).toBe(NOTES);
  });

  it('has no field for a referrer to set the mentor a task', () => {
    const referral = { referredBy: referrer, dateOfBirth: DOB, careExperienced: true };
    expect(referralSchema.safeParse(referral).success).toBe(true);
    expect(referralSchema.safeParse({ ...referral, mentorTask: 'complete the pathway plan' }).success).toBe(false);
  });

  it('accepts a self-referral, and one with consent and goals goes straight to readiness after contact', () => {
    const sim = start({ referral: { referredBy: youngPersonActor, consentGiven: true, ownGoals: ['make friends'], referrerNotes: undefined } });
    expect(sim.context.selfReferral).toBe(true);
    expect(sim.context.consent).toBe('given');
    sim.must(contact);
    expect(sim.snapshot.value).toEqual({ readiness: 'conversation' });
    expect(sim.context.firstContactAt).toBe(FRIDAY);
  });

  it('a referral with consent but no goals still waits for the goals after contact', () => {
    const sim = start({ referral: { consentGiven: true } });
    sim.must(contact);
    expect(sim.snapshot.value).toEqual({ referral: 'contacted' });
    expect(refusal(sim, readiness('ready'))).toEqual(["the young person's own goals not recorded"]);
  });
});

describe('first contact', () => {
  it('moves to contacted when contact is recorded, and then to readiness on consent with goals', () => {
    const sim = start();
    sim.advance('2 days').must(contact);
    expect(sim.snapshot.value).toEqual({ referral: 'contacted' });
    expect(sim.context.firstContactAt).toBe('2026-01-11T10:00:00.000Z');
    expect(sim.timers).toEqual([]);
    sim.must(consent());
    expect(sim.snapshot.value).toEqual({ readiness: 'conversation' });
    expect(sim.stage).toBe('readiness');
  });

  it('consent with goals may come before first contact; contact then moves the journey on', () => {
    const sim = start();
    sim.must(consent());
    expect(sim.snapshot.value).toEqual({ referral: 'awaitingFirstContact' });
    sim.must(contact);
    expect(sim.snapshot.value).toEqual({ readiness: 'conversation' });
  });

  it.each([
    ['Friday', FRIDAY, '2026-01-16T10:00:00.000Z'],
    ['Saturday', '2026-01-10T15:30:00.000Z', '2026-01-16T15:30:00.000Z'],
    ['Monday', '2026-01-12T08:00:00.000Z', '2026-01-19T08:00:00.000Z'],
    ['Wednesday', '2026-01-14T12:00:00.000Z', '2026-01-21T12:00:00.000Z'],
  ])('a %s referral is due first contact 5 working days later', (_, at, due) => {
    const sim = start({ at });
    expect(sim.due).toEqual({ firstContactWithin: due });
    sim.advanceTo(new Date(Date.parse(due) - 1).toISOString());
    expect(sim.snapshot.value).toEqual({ referral: 'awaitingFirstContact' });
    expect(sim.notified).toEqual([]);
    sim.advance(1);
    expect(sim.snapshot.value).toEqual({ referral: 'firstContactOverdue' });
    expect(sim.effectsOf('nudgeCoordinator')).toEqual([
      {
        at: due,
        params: {
          about: 'firstContactOverdue',
          summary: 'First contact with a referred young person is overdue',
          whatToDo: 'Contact the young person, then record it: npx mentorflow young-person record-contact yp-42 --method <phone|inPerson|video|message|letter>',
          dueAt: due,
        },
      },
    ]);
  });

  it('keeps the nudge open while contact is overdue, and escalates it to the lead after the policy time', () => {
    const sim = start();
    sim.advanceTo('2026-01-16T10:00:00.000Z');
    expect(sim.openNudges).toEqual(['firstContactOverdue']);
    expect(sim.stage).toBe('referral');
    expect(sim.due).toEqual({ nudgeUnactedFor: '2026-01-23T10:00:00.000Z' });
    sim.advance('7 days');
    expect(sim.firedTimers).toEqual([
      { at: '2026-01-16T10:00:00.000Z', delayName: 'firstContactWithin' },
      { at: '2026-01-23T10:00:00.000Z', delayName: 'nudgeUnactedFor' },
    ]);
    expect(sim.effectsOf('escalateToLead')).toEqual([
      {
        at: '2026-01-23T10:00:00.000Z',
        params: {
          about: 'firstContactOverdue',
          summary: 'Still not done 7 days after a nudge: First contact with a referred young person is overdue',
          facts: { unactedFor: '7 days' },
          whatToDo: 'Contact the young person, then record it: npx mentorflow young-person record-contact yp-42 --method <phone|inPerson|video|message|letter>',
          dueAt: '2026-01-16T10:00:00.000Z',
        },
      },
    ]);
    // Escalated once; the nudge stays open until contact is recorded.
    sim.advance('1 year');
    expect(sim.notified).toEqual(['firstContactOverdue', 'firstContactOverdue']);
    expect(sim.openNudges).toEqual(['firstContactOverdue']);
    sim.must(contact);
    expect(sim.openNudges).toEqual([]);
    expect(sim.snapshot.value).toEqual({ referral: 'contacted' });
  });

  it('never nudges when contact is recorded before the deadline', () => {
    const sim = start();
    sim.advanceTo('2026-01-16T09:59:59.999Z').must(contact);
    expect(sim.timers).toEqual([]);
    sim.advance('1 year');
    expect(sim.notified).toEqual([]);
    expect(sim.firedTimers).toEqual([]);
  });

  it('never escalates when contact is recorded after the nudge but before the escalation', () => {
    const sim = start();
    sim.advanceTo('2026-01-22T10:00:00.000Z').must(contact);
    expect(sim.openNudges).toEqual([]);
    expect(sim.timers).toEqual([]);
    sim.advance('1 year');
    expect(sim.notified).toEqual(['firstContactOverdue']);
    expect(sim.effectsOf('escalateToLead')).toEqual([]);
  });

  it('never nudges about a young person who withdrew or declined consent before the deadline', () => {
    for (const event of [withdrawn, declineConsent]) {
      const sim = start();
      sim.advance('1 day').must(event);
      expect(sim.snapshot.value).toBe('closed');
      expect(sim.timers).toEqual([]);
      sim.advance('1 year');
      expect(sim.notified).toEqual([]);
    }
  });

  it("follows the scheme's own deadlines: first contact in 30 seconds, escalation after 2 days", () => {
    const sim = start({
      policy: { youngPerson: { firstContactWithin: '30 seconds' }, notifications: { escalateUnactedNudgeAfter: '2 days' } },
    });
    expect(sim.due).toEqual({ firstContactWithin: '2026-01-09T10:00:30.000Z' });
    sim.advance('30 seconds');
    expect(sim.effectsOf('nudgeCoordinator').map((n) => [n.at, n.params.dueAt])).toEqual([
      ['2026-01-09T10:00:30.000Z', '2026-01-09T10:00:30.000Z'],
    ]);
    expect(sim.due).toEqual({ nudgeUnactedFor: '2026-01-11T10:00:30.000Z' });
    sim.advance('2 days');
    expect(sim.effectsOf('escalateToLead').map((n) => n.at)).toEqual(['2026-01-11T10:00:30.000Z']);
  });

  it('takes consent with goals while first contact is overdue', () => {
    const sim = start();
    sim.advance('6 working days').must(consent());
    expect(sim.snapshot.value).toEqual({ referral: 'firstContactOverdue' });
    sim.must(contact);
    expect(sim.snapshot.value).toEqual({ readiness: 'conversation' });
  });
});

describe('consent gate', () => {
  it("refuses consent without the young person's own goals, with the reason", () => {
    const sim = start().must(contact);
    const verdict = sim.record(consent([]));
    expect(verdict).toEqual({
      accepted: false,
      code: 'GATE.UNMET',
      message: "cannot record the young person's consent: the young person's own goals are needed with their consent",
      reasons: ["the young person's own goals are needed with their consent"],
    });
    expect(sim.snapshot.value).toEqual({ referral: 'contacted' });
    expect(sim.context.consent).toBeUndefined();
    expect(refusal(sim, consent(['stay in education']))).toBe('accepted');
  });

  it('closes the journey when the young person declines consent', () => {
    const sim = start().must(contact).advance('1 day').must(declineConsent);
    expect(sim.snapshot.value).toBe('closed');
    expect(sim.stage).toBe('closed');
    expect(sim.context.consent).toBe('declined');
    expect(sim.context.closure).toEqual({ reason: 'consentDeclined', at: '2026-01-10T10:00:00.000Z' });
  });
});

describe('readiness', () => {
  it.each([
    ['before first contact, consent and goals', {}, [], [
      'first contact not recorded',
      "the young person's consent not recorded",
      "the young person's own goals not recorded",
    ]],
    ['before first contact, with consent and goals', {}, [consent()], ['first contact not recorded']],
    ['after contact, before consent', {}, [contact], [
      "the young person's consent not recorded",
      "the young person's own goals not recorded",
    ]],
  ])('is refused %s, naming every unmet gate', (_, referral, events, reasons) => {
    const sim = start({ referral });
    for (const event of events) sim.must(event);
    const verdict = sim.record(readiness('ready'));
    expect(verdict).toEqual({
      accepted: false,
      code: 'GATE.UNMET',
      message: `cannot record the readiness conversation: ${reasons.join('; ')}`,
      reasons,
    });
    expect(sim.stage).toBe('referral');
  });

  it('ready: goes on to preferences, noting when', () => {
    const sim = inReadiness().advance('3 days').must(readiness('ready'));
    expect(sim.snapshot.value).toBe('preferences');
    expect(sim.context.readySince).toBe('2026-01-12T10:00:00.000Z');
    expect(sim.context.readinessConversations).toBe(1);
    expect(sim.timers).toEqual([]);
  });

  it('declined: the journey ends with the reason recorded', () => {
    const sim = inReadiness().must(readiness('declined'));
    expect(sim.snapshot.value).toBe('closed');
    expect(sim.context.closure).toEqual({ reason: 'declinedMentoring', at: FRIDAY });
  });

  it('not ready yet: informal support, tasks and group activities counted, re-check nudged after 8 weeks', () => {
    const sim = inReadiness().advance('3 days').must(readiness('notReady'));
    expect(sim.snapshot.value).toEqual({ readiness: { informalSupport: 'supported' } });
    expect(sim.stage).toBe('informalSupport');
    expect(sim.due).toEqual({ readinessRecheckAfter: '2026-03-09T10:00:00.000Z' });
    sim.advance('1 week').must(informalTask).must(groupActivity).must(groupActivity);
    expect(sim.context).toMatchObject({ informalTasks: 1, groupActivities: 2 });
    // Informal support does not restart the re-check clock.
    expect(sim.due).toEqual({ readinessRecheckAfter: '2026-03-09T10:00:00.000Z' });
    sim.advanceTo('2026-03-09T09:59:59.999Z');
    expect(sim.notified).toEqual([]);
    sim.advance(1);
    expect(sim.snapshot.value).toEqual({ readiness: { informalSupport: 'recheckDue' } });
    expect(sim.openNudges).toEqual(['readinessRecheckDue']);
    expect(sim.effectsOf('nudgeCoordinator')).toEqual([
      {
        at: '2026-03-09T10:00:00.000Z',
        params: {
          about: 'readinessRecheckDue',
          summary: 'A young person in informal support is due a readiness re-check',
          whatToDo:
            'Talk with the young person about readiness, then record it: npx mentorflow young-person record-readiness yp-42 --outcome <ready|notReady|declined>',
          dueAt: '2026-03-09T10:00:00.000Z',
        },
      },
    ]);
    // Still in informal support while the re-check is due.
    sim.must(informalTask);
    expect(sim.context.informalTasks).toBe(2);
  });

  it('a re-check that finds them still not ready closes the nudge and starts the 8 weeks again', () => {
    const sim = inReadiness().must(readiness('notReady')).advance('8 weeks');
    expect(sim.openNudges).toEqual(['readinessRecheckDue']);
    sim.advance('2 days').must(readiness('notReady'));
    expect(sim.snapshot.value).toEqual({ readiness: { informalSupport: 'supported' } });
    expect(sim.openNudges).toEqual([]);
    expect(sim.context.readinessConversations).toBe(2);
    expect(sim.due).toEqual({ readinessRecheckAfter: '2026-05-03T10:00:00.000Z' });
  });

  it('a young person in informal support may become ready for formal mentoring', () => {
    const sim = inReadiness().must(readiness('notReady')).advance('8 weeks').must(readiness('ready'));
    expect(sim.snapshot.value).toBe('preferences');
    expect(sim.openNudges).toEqual([]);
    expect(sim.timers).toEqual([]);
  });

  it('never nudges for a re-check when readiness is assessed before it falls due', () => {
    const sim = inReadiness().must(readiness('notReady')).advance('7 weeks').must(readiness('ready'));
    sim.advance('1 year');
    expect(sim.notified).toEqual([]);
  });

  it("re-checks readiness after the scheme's own interval", () => {
    const sim = inReadiness({ policy: { youngPerson: { readinessRecheckAfter: '2 weeks' } } }).must(readiness('notReady'));
    expect(sim.due).toEqual({ readinessRecheckAfter: '2026-01-23T10:00:00.000Z' });
  });
});

describe('preferences', () => {
  it.each([
    ['at referral', () => start().must(contact)],
    ['in the readiness conversation', () => inReadiness()],
    ['in informal support', () => inReadiness().must(readiness('notReady'))],
  ])('are refused %s, because the young person is not ready yet', (_, setUp) => {
    const sim = setUp();
    const stage = sim.stage;
    const verdict = sim.record(preferences());
    expect(verdict).toEqual({
      accepted: false,
      code: 'GATE.UNMET',
      message: "cannot record the young person's preferences: the young person has not been assessed as ready for formal mentoring",
      reasons: ['the young person has not been assessed as ready for formal mentoring'],
    });
    expect(sim.stage).toBe(stage);
    expect(sim.context.preferences).toBeUndefined();
  });

  it('are recorded once ready, and the young person then waits for a match', () => {
    const sim = inReadiness().must(readiness('ready')).must({
      ...preferences('peer'),
      gender: 'female',
      languages: ['cy'],
      area: 'north',
    });
    expect(sim.snapshot.value).toEqual({ waitingForMatch: 'waiting' });
    expect(sim.context.preferences).toEqual({
      mentorType: 'peer',
      gender: 'female',
      languages: ['cy'],
      interests: ['football'],
      area: 'north',
    });
  });
});

describe('waiting for a match', () => {
  it('nudges when a ready young person has waited 6 weeks without a proposal', () => {
    const sim = waitingForMatch();
    expect(sim.due).toEqual({ matchWaitNudgeAfter: '2026-02-20T10:00:00.000Z' });
    sim.advanceTo('2026-02-20T09:59:59.999Z');
    expect(sim.notified).toEqual([]);
    sim.advance(1);
    expect(sim.snapshot.value).toEqual({ waitingForMatch: 'waitedTooLong' });
    expect(sim.openNudges).toEqual(['matchWaitTooLong']);
    expect(sim.effectsOf('nudgeCoordinator')).toEqual([
      {
        at: '2026-02-20T10:00:00.000Z',
        params: {
          about: 'matchWaitTooLong',
          summary: 'A ready young person has waited 6 weeks without a match proposal',
          whatToDo: 'Choose a volunteer from their shortlist and propose the match: npx mentorflow propose-match --young-person yp-42 --volunteer <id>',
          facts: { waited: '6 weeks' },
          dueAt: '2026-02-20T10:00:00.000Z',
        },
      },
    ]);
  });

  it('changing preferences while waiting does not restart the wait', () => {
    const sim = waitingForMatch().advance('3 weeks').must(preferences('either'));
    expect(sim.context.preferences.mentorType).toBe('either');
    expect(sim.due).toEqual({ matchWaitNudgeAfter: '2026-02-20T10:00:00.000Z' });
  });

  it('a proposal closes the nudge; a declined proposal starts the 6 weeks again from the decline', () => {
    const sim = waitingForMatch().advance('7 weeks');
    expect(sim.openNudges).toEqual(['matchWaitTooLong']);
    sim.tell(proposed('m-1'));
    expect(sim.snapshot.value).toBe('matchProposed');
    expect(sim.context.proposedMatchId).toBe('m-1');
    expect(sim.openNudges).toEqual([]);
    expect(sim.timers).toEqual([]);
    sim.advance('10 days').tell(declined('m-1'));
    expect(sim.snapshot.value).toEqual({ waitingForMatch: 'waiting' });
    expect(sim.context.proposedMatchId).toBeUndefined();
    // Proposed on 27 February, declined on 9 March: due again 6 weeks after the decline.
    expect(sim.due).toEqual({ matchWaitNudgeAfter: '2026-04-20T10:00:00.000Z' });
    sim.advanceTo('2026-04-20T10:00:00.000Z');
    expect(sim.effectsOf('nudgeCoordinator').map((n) => n.at)).toEqual([
      '2026-02-20T10:00:00.000Z',
      '2026-04-20T10:00:00.000Z',
    ]);
  });

  it('never nudges when a proposal comes before the 6 weeks are up', () => {
    const sim = waitingForMatch().advance('5 weeks').tell(proposed('m-1'));
    sim.advance('1 year');
    expect(sim.notified).toEqual([]);
  });

  it("nudges after the scheme's own wait", () => {
    const sim = waitingForMatch({ policy: { youngPerson: { matchWaitNudgeAfter: '10 days' } } });
    sim.advance('10 days');
    expect(sim.effectsOf('nudgeCoordinator')).toMatchObject([
      { at: '2026-01-19T10:00:00.000Z', params: { summary: 'A ready young person has waited 10 days without a match proposal' } },
    ]);
  });

  it('the young person may withdraw while waiting, and the journey ends with the reason', () => {
    const sim = waitingForMatch().advance('1 week').must({ ...withdrawn, reason: 'movedAway' });
    expect(sim.snapshot.value).toBe('closed');
    expect(sim.context.closure).toEqual({ reason: 'movedAway', at: '2026-01-16T10:00:00.000Z' });
    expect(sim.timers).toEqual([]);
  });
});

describe('in a match', () => {
  it('starts when the proposed match starts', () => {
    const sim = waitingForMatch().tell(proposed('m-1')).tell(started('m-1'));
    expect(sim.snapshot.value).toBe('inMatch');
    expect(sim.stage).toBe('inMatch');
    expect(sim.context).toMatchObject({ currentMatchId: 'm-1', proposedMatchId: undefined });
  });

  it.each([
    ['a proposed match', () => waitingForMatch().tell(proposed('m-1'))],
    ['a match', () => inMatch('m-1')],
  ])('refuses withdrawal while in %s: the ending is recorded on the match', (_, setUp) => {
    const sim = setUp();
    const before = sim.snapshot.value;
    expect(sim.record(withdrawn)).toEqual({
      accepted: false,
      code: 'GATE.UNMET',
      message: 'cannot record that the young person has withdrawn: the young person is in match m-1: record the ending on that match first',
      reasons: ['the young person is in match m-1: record the ending on that match first'],
    });
    expect(sim.snapshot.value).toEqual(before);
  });

  it('an ended match leaves the young person mentored, and the journey ends', () => {
    const sim = inMatch('m-1').advance('3 months').tell(ended('m-1', 'ended'));
    expect(sim.snapshot.value).toBe('mentored');
    expect(sim.snapshot.status).toBe('done');
    expect(sim.context).toMatchObject({ currentMatchId: undefined, pastMatchIds: ['m-1'] });
    expect(sim.context.closure).toEqual({ reason: 'matchEnded', at: '2026-04-09T10:00:00.000Z' });
  });

  it('a rematch sends the young person back to wait for a new mentor, with a new wait nudge', () => {
    const sim = inMatch('m-1').advance('3 months').tell(ended('m-1', 'rematch'));
    expect(sim.snapshot.value).toEqual({ waitingForMatch: 'waiting' });
    expect(sim.due).toEqual({ matchWaitNudgeAfter: '2026-05-21T10:00:00.000Z' });
    sim.tell(proposed('m-2')).tell(started('m-2')).tell(ended('m-2', 'ended'));
    expect(sim.snapshot.value).toBe('mentored');
    expect(sim.context.pastMatchIds).toEqual(['m-1', 'm-2']);
  });
});

describe('linked events', () => {
  it('are not applied when they are about another match', () => {
    const proposedSim = waitingForMatch().tell(proposed('m-1'));
    proposedSim.tell(started('m-2')).tell(declined('m-2'));
    expect(proposedSim.snapshot.value).toBe('matchProposed');
    expect(proposedSim.context.proposedMatchId).toBe('m-1');

    const matchedSim = inMatch('m-1');
    matchedSim.tell(ended('m-2', 'ended')).tell(ended('m-0', 'rematch')).tell(declined('m-1'));
    expect(matchedSim.snapshot.value).toBe('inMatch');
    expect(matchedSim.context).toMatchObject({ currentMatchId: 'm-1', pastMatchIds: [] });
  });

  it('are not applied at a stage where they mean nothing', () => {
    const sim = inReadiness();
    sim.tell(proposed('m-1')).tell(started('m-1')).tell(ended('m-1', 'ended'));
    expect(sim.snapshot.value).toEqual({ readiness: 'conversation' });
    expect(sim.context.proposedMatchId).toBeUndefined();
  });
});

describe('other events out of turn', () => {
  it('are refused as not possible at this stage', () => {
    const sim = inReadiness();
    expect(sim.record(contact)).toEqual({
      accepted: false,
      code: 'STAGE.NOT_NOW',
      message: "cannot record first contact: not possible at stage 'readiness'",
      reasons: ["not possible at stage 'readiness'"],
    });
    expect(refusal(sim, informalTask)).toEqual(["not possible at stage 'readiness'"]);
  });
});

describe('what the journey tells people', () => {
  const personal = [DOB, NOTES, ...GOALS, 'Elm Street'];

  it('the status summary has counts, dates and opaque ids, never the date of birth, notes or goals', () => {
    const sim = inMatch('m-1');
    const summary = youngPersonJourney.summary(sim.snapshot);
    expect(summary).toEqual({
      referredAt: FRIDAY,
      referredBy: { role: 'referrer', id: 'ref-3' },
      selfReferral: false,
      firstContactAt: FRIDAY,
      consent: 'given',
      ownGoalsRecorded: 2,
      readinessConversations: 1,
      informalTasks: 0,
      groupActivities: 0,
      preferredMentorType: 'traditional',
      readySince: FRIDAY,
      proposedMatchId: null,
      currentMatchId: 'm-1',
      pastMatchIds: [],
      closure: null,
    });
    const text = JSON.stringify(summary);
    for (const value of personal) expect(text).not.toContain(value);
  });

  it('nudges and escalations carry no personal data', () => {
    const sim = start();
    sim.advance('10 working days').must(contact).must(consent()).must(readiness('notReady'));
    sim.advance('8 weeks').must(readiness('ready')).must(preferences()).advance('6 weeks');
    expect(sim.notified).toEqual(['firstContactOverdue', 'firstContactOverdue', 'readinessRecheckDue', 'matchWaitTooLong']);
    const text = JSON.stringify(sim.effects);
    for (const value of personal) expect(text).not.toContain(value);
  });

  it('judges an event the same way whether or not the caller stamped a time on it', () => {
    const sim = start();
    expect(judge(youngPersonJourney, sim.snapshot, readiness('ready'))).toEqual(
      judge(youngPersonJourney, sim.snapshot, { ...readiness('ready'), at: sim.now }),
    );
  });
});
