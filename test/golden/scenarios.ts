/**
 * The scenarios behind the golden histories: real journeys on the time-skipping server, each as a
 * scheme would live it, told day by day. `scripts/record-golden.ts` runs them and exports every
 * journey's history to test/golden/<scenario>/; the tests replay those files and read them back.
 *
 * Together they visit every state of the three machines at rest (checked by
 * test/audit/golden-coverage.test.ts), and each scenario says which breaches of the scheme policy
 * it contains on purpose (`expectedBreaches`), so the compliance report can be checked against it.
 */
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Journeys } from '../../client/journeys';
import { addDuration, parseDuration } from '../../machines/duration';
import type { Actor, JourneyKind } from '../../machines/journey';
import type { SchemePolicyInput } from '../../machines/policy';
import type { JourneyStatus } from '../../contracts/messages';
import {
  coordinator,
  dateOf,
  eventually,
  recordAll,
  referralStart,
  volunteerContact,
  volunteerPathway,
  volunteerStart,
  youngPersonToWaiting,
} from '../helpers/scenario';

export interface ScenarioContext {
  env: TestWorkflowEnvironment;
  journeys: Journeys;
  client: Client;
}

export interface Scenario {
  name: string;
  /** One line: what the journeys in it do. */
  story: string;
  policy?: SchemePolicyInput;
  continueAsNewAfterEvents?: number;
  /** Recorded with the search attributes kept up to date, as `npm start` runs journeys (the others are not). */
  indexed?: boolean;
  run(ctx: ScenarioContext): Promise<void>;
}

const youngPerson = (id: string): Actor => ({ role: 'youngPerson', id });

// ---------------------------------------------------------------------------------------------
// Time

async function nowIso(ctx: ScenarioContext): Promise<string> {
  return new Date(await ctx.env.currentTimeMs()).toISOString();
}

/** Let simulated time run on to `target` (timers on the way fire). */
async function until(ctx: ScenarioContext, target: string): Promise<void> {
  const now = await ctx.env.currentTimeMs();
  const ms = Date.parse(target) - now;
  if (ms > 0) await ctx.env.sleep(ms);
}

const plusDays = (from: string, days: number) => addDuration(from, parseDuration(`${days} days`)!);

/**
 * Live `days` days from `from`, one day at a time: on day d, the actions planned for d, then the
 * daily round (supervision attendance and the like).
 */
async function liveDays(
  ctx: ScenarioContext,
  from: string,
  days: number,
  plan: Record<number, (() => Promise<unknown>)[]>,
  daily: () => Promise<unknown> = async () => {},
): Promise<void> {
  for (let day = 1; day <= days; day++) {
    if (process.env.GOLDEN_VERBOSE) console.error(`day ${day} of ${days}`);
    await until(ctx, plusDays(from, day));
    for (const action of plan[day] ?? []) await action();
    await daily();
  }
}

// ---------------------------------------------------------------------------------------------
// What a co-ordinator records

const record = (ctx: ScenarioContext, kind: JourneyKind, id: string, event: object) => ctx.journeys.record(kind, id, event as never);

async function today(ctx: ScenarioContext): Promise<string> {
  return dateOf(await nowIso(ctx));
}

const meeting = (ctx: ScenarioContext, matchId: string) => async () =>
  record(ctx, 'match', matchId, { type: 'meeting.logged', by: coordinator, on: await today(ctx) });
const checkIn = (ctx: ScenarioContext, matchId: string) => () =>
  record(ctx, 'match', matchId, { type: 'checkIn.recorded', by: coordinator, with: ['mentor', 'mentee'] });
const goals = (ctx: ScenarioContext, matchId: string) => () => record(ctx, 'match', matchId, { type: 'goals.agreed', by: coordinator });
const review = (ctx: ScenarioContext, matchId: string, outcome: 'continue' | 'end' | 'rematch') => () =>
  record(ctx, 'match', matchId, { type: 'review.held', by: coordinator, outcome });

/** Record attendance at the volunteer's scheduled supervision session once it has begun. */
const attendSupervision = (ctx: ScenarioContext, volunteerId: string) => async () => {
  const status = await ctx.journeys.status('volunteer', volunteerId);
  const next = status.facts.nextSupervision as { sessionId: string; startsAt: string } | null;
  if (next && next.startsAt <= (await nowIso(ctx))) {
    await record(ctx, 'volunteer', volunteerId, { type: 'supervision.attended', by: coordinator, sessionId: next.sessionId });
  }
};

/** Propose, introduce and accept a match; resolves when both sides know it started. */
async function startMatch(ctx: ScenarioContext, youngPersonId: string, volunteerId: string, matchId: string): Promise<JourneyStatus> {
  await ctx.journeys.proposeMatch({ youngPersonId, volunteerId, by: coordinator, matchId });
  await eventually(ctx.journeys, 'youngPerson', youngPersonId, (s) => s.stage === 'matchProposed', 'hears of the proposal');
  await record(ctx, 'match', matchId, { type: 'introduction.held', by: coordinator, format: 'personalMeeting' });
  const active = await record(ctx, 'match', matchId, { type: 'youngPerson.accepted', by: youngPerson(youngPersonId) });
  await eventually(ctx.journeys, 'youngPerson', youngPersonId, (s) => s.stage === 'inMatch', 'in the match');
  await eventually(ctx.journeys, 'volunteer', volunteerId, (s) => s.stage === 'matched', 'matched');
  return active;
}

async function volunteerToAvailable(ctx: ScenarioContext, volunteerId: string, at: string): Promise<void> {
  await ctx.journeys.start('volunteer', volunteerStart(volunteerId, at), { contact: volunteerContact });
  const path = volunteerPathway(dateOf(at));
  await recordAll(ctx.journeys, 'volunteer', volunteerId, [...path.toVetting, ...path.vetting, ...path.training, ...path.suitability]);
}

// ---------------------------------------------------------------------------------------------

/** Everything on time: the journeys a compliant scheme leaves behind. */
const clean: Scenario = {
  name: 'clean',
  story:
    'a traditional volunteer and a referred young person, matched after a week; goals, check-ins, meetings, ' +
    'supervision and reviews all on time; a planned ending recorded three days after it was decided',
  async run(ctx) {
    const t0 = await nowIso(ctx);
    await volunteerToAvailable(ctx, 'vol-clean', t0);
    await ctx.journeys.start('youngPerson', referralStart('yp-clean', t0));
    await liveDays(ctx, t0, 7, { 1: [() => recordAll(ctx.journeys, 'youngPerson', 'yp-clean', youngPersonToWaiting)] });

    const active = await startMatch(ctx, 'yp-clean', 'vol-clean', 'm-clean');
    const m0 = active.facts.matchStartedAt as string;
    const m = 'm-clean';
    const plan: Record<number, (() => Promise<unknown>)[]> = {
      3: [goals(ctx, m)],
      7: [checkIn(ctx, m)],
      21: [checkIn(ctx, m)],
      41: [review(ctx, m, 'continue')],
      48: [checkIn(ctx, m)],
      75: [checkIn(ctx, m)],
      88: [review(ctx, m, 'continue')],
      95: [() => record(ctx, 'match', m, { type: 'ending.decided', by: coordinator, reason: 'goalsMet', planned: true, rematch: false })],
      98: [
        () =>
          record(ctx, 'match', m, {
            type: 'ending.recorded',
            by: coordinator,
            method: 'closingMeeting',
            reason: 'goalsMet',
            planned: true,
            outcomes: ['goals-met', 'college-place'],
          }),
      ],
    };
    for (let day = 3; day <= 94; day += 7) (plan[day] ??= []).unshift(meeting(ctx, m));
    await liveDays(ctx, m0, 98, plan, attendSupervision(ctx, 'vol-clean'));
    await eventually(ctx.journeys, 'youngPerson', 'yp-clean', (s) => s.stage === 'mentored', 'mentored');
    await eventually(ctx.journeys, 'volunteer', 'vol-clean', (s) => s.stage === 'available', 'available again');
  },
};

/**
 * Journeys as they are recorded since personal data is sealed (docs/privacy.md): every personal
 * field a sealed value whose key was thrown away with the recording, as if each person had been
 * erased. They must replay, and their compliance be checked, without anyone's details.
 */
const sealed: Scenario = {
  name: 'sealed',
  story:
    'a peer volunteer and a young person referred with a name, contact details, own goals and notes, all sealed; ' +
    'a peer match judged on the age gap worked out before sealing; a month of meetings, check-ins and supervision on time',
  async run(ctx) {
    const t0 = await nowIso(ctx);
    await ctx.journeys.start('volunteer', volunteerStart('vol-sealed', t0, 'peer'), { contact: { email: 'peer.mentor@example.org', firstName: 'Avery' } });
    const path = volunteerPathway(dateOf(t0));
    await recordAll(ctx.journeys, 'volunteer', 'vol-sealed', [
      ...path.toVetting,
      ...path.vetting,
      ...path.training,
      ...path.suitability,
      { type: 'peerCriteria.confirmed', by: coordinator, readyWillingAble: true, ownSupportInPlace: true },
    ]);
    const referral = referralStart('yp-sealed', t0);
    await ctx.journeys.start('youngPerson', {
      ...referral,
      referral: {
        ...referral.referral,
        referrerNotes: 'prefers to meet after school',
        details: { name: 'Example Young Person', phone: '07700 900000', address: '1 Example Road' },
      },
    });
    await liveDays(ctx, t0, 3, {
      1: [
        () =>
          recordAll(ctx.journeys, 'youngPerson', 'yp-sealed', [
            youngPersonToWaiting[0]!,
            { type: 'consent.recorded', by: coordinator, consent: 'given', ownGoals: ['find a weekend job', 'feel less alone'] },
            ...youngPersonToWaiting.slice(2),
          ]),
      ],
    });
    const active = await startMatch(ctx, 'yp-sealed', 'vol-sealed', 'm-sealed');
    const m = 'm-sealed';
    const plan: Record<number, (() => Promise<unknown>)[]> = {
      3: [goals(ctx, m)],
      7: [checkIn(ctx, m)],
      21: [checkIn(ctx, m)],
      // The young person moves away: an unplanned ending, decided and recorded on time.
      30: [() => record(ctx, 'match', m, { type: 'ending.decided', by: coordinator, reason: 'movedAway', planned: false, rematch: false })],
      32: [
        () =>
          record(ctx, 'match', m, { type: 'ending.recorded', by: coordinator, method: 'letter', reason: 'movedAway', planned: false, outcomes: ['moved-away'] }),
      ],
    };
    for (let day = 3; day <= 29; day += 7) (plan[day] ??= []).unshift(meeting(ctx, m));
    await liveDays(ctx, active.facts.matchStartedAt as string, 32, plan, attendSupervision(ctx, 'vol-sealed'));
    await eventually(ctx.journeys, 'volunteer', 'vol-sealed', (s) => s.stage === 'available', 'available again');
  },
};

/**
 * Referrals recorded after the day they were made. Deadlines count from the referral (the
 * workflow's patch `deadlines-from-journey-start`, whose marker these histories carry), except for
 * an imported journey, whose clocks start at the import.
 */
const recordedLate: Scenario = {
  name: 'recorded-late',
  story:
    'a referral recorded three days after it was made and contacted in time; one recorded after its ' +
    'first-contact deadline, nudged at once and contacted a day later (late); a young person imported ' +
    'two months after referral and brought to waiting for a match, with nothing overdue',
  async run(ctx) {
    const t0 = await nowIso(ctx);
    const daysBefore = (days: number) => new Date(Date.parse(t0) - days * 24 * 60 * 60 * 1000).toISOString();
    await ctx.journeys.start('youngPerson', referralStart('yp-three-days', daysBefore(3)));
    await ctx.journeys.start('youngPerson', referralStart('yp-past-due', daysBefore(10)));
    await ctx.journeys.start('youngPerson', referralStart('yp-imported', daysBefore(60)), { imported: true });
    await recordAll(ctx.journeys, 'youngPerson', 'yp-imported', youngPersonToWaiting);
    const contact = (id: string) => () => recordAll(ctx.journeys, 'youngPerson', id, youngPersonToWaiting.slice(0, 1));
    await liveDays(ctx, t0, 2, { 1: [contact('yp-three-days'), contact('yp-past-due')] });
  },
};

/**
 * Journeys as `npm start` runs them, their search attributes kept up to date: the patches
 * `index-overdue-since` and `index-open-nudges` (docs/versioning.md), whose markers only these
 * histories carry. A first contact overdue (the open nudge indexed, then cleared), and a volunteer
 * through every stage to available.
 */
const indexed: Scenario = {
  name: 'indexed',
  story:
    'a referral whose first contact is two days late (its nudge and next due kept in the search ' +
    'attributes), then brought to waiting for a match; a volunteer from enquiry to available',
  indexed: true,
  async run(ctx) {
    const t0 = await nowIso(ctx);
    await volunteerToAvailable(ctx, 'vol-indexed', t0);
    await ctx.journeys.start('youngPerson', referralStart('yp-indexed', t0));
    await liveDays(ctx, t0, 10, { 9: [() => recordAll(ctx.journeys, 'youngPerson', 'yp-indexed', youngPersonToWaiting)] });
  },
};

/** What an inspector should find: each lapse on purpose, on a known journey and day. */
const lapses: Scenario = {
  name: 'lapses',
  story:
    'a first contact three days late; a match whose second first-month check-in, initial goals and first ' +
    'review are late, whose meetings lapse for six weeks, whose mentor misses supervision, and whose ' +
    'ending is decided but never formally recorded',
  async run(ctx) {
    const t0 = await nowIso(ctx);
    await volunteerToAvailable(ctx, 'vol-lapse', t0);
    await ctx.journeys.start('youngPerson', referralStart('yp-late', t0));
    await liveDays(ctx, t0, 9, { 8: [() => recordAll(ctx.journeys, 'youngPerson', 'yp-late', youngPersonToWaiting)] });

    const active = await startMatch(ctx, 'yp-late', 'vol-lapse', 'm-lapse');
    const m0 = active.facts.matchStartedAt as string;
    const m = 'm-lapse';
    const missSupervision = async () => {
      const next = (await ctx.journeys.status('volunteer', 'vol-lapse')).facts.nextSupervision as { sessionId: string } | null;
      if (next) await record(ctx, 'volunteer', 'vol-lapse', { type: 'supervision.missed', by: coordinator, sessionId: next.sessionId });
    };
    await liveDays(ctx, m0, 80, {
      2: [meeting(ctx, m)],
      5: [checkIn(ctx, m)],
      35: [missSupervision, goals(ctx, m)],
      40: [checkIn(ctx, m)],
      45: [meeting(ctx, m)],
      50: [review(ctx, m, 'continue'), meeting(ctx, m)],
      55: [() => record(ctx, 'match', m, { type: 'ending.decided', by: coordinator, reason: 'lostContact', planned: false, rematch: false })],
    });
  },
};

/** A young person's other paths: informal support first, a declined proposal, a rematch, withdrawal. */
const pathways: Scenario = {
  name: 'pathways',
  story:
    'a young person not ready at first (informal support, then a re-check), left waiting too long, ' +
    'declines a first proposal, is rematched at the six-week review and then withdraws; a referral ' +
    'outside the age range',
  async run(ctx) {
    const t0 = await nowIso(ctx);
    await volunteerToAvailable(ctx, 'vol-path', t0);
    await ctx.journeys.start('youngPerson', referralStart('yp-too-old', t0, '1999-01-15'));
    await ctx.journeys.start('youngPerson', referralStart('yp-informal', t0));
    const yp = 'yp-informal';
    await liveDays(ctx, t0, 58, {
      1: [
        () =>
          recordAll(ctx.journeys, 'youngPerson', yp, [
            youngPersonToWaiting[0]!,
            youngPersonToWaiting[1]!,
            { type: 'readiness.assessed', by: coordinator, outcome: 'notReady' },
          ]),
      ],
      5: [() => record(ctx, 'youngPerson', yp, { type: 'informalTask.recorded', by: coordinator, task: 'health' })],
      10: [() => record(ctx, 'youngPerson', yp, { type: 'groupActivity.attended', by: coordinator })],
      58: [
        () =>
          recordAll(ctx.journeys, 'youngPerson', yp, [
            { type: 'readiness.assessed', by: coordinator, outcome: 'ready' },
            { type: 'preferences.recorded', by: coordinator, mentorType: 'either' },
          ]),
      ],
    });
    const waitingFrom = await nowIso(ctx);
    // Six weeks without a proposal: the nudge fires; the first proposal is declined.
    await until(ctx, plusDays(waitingFrom, 43));
    await ctx.journeys.proposeMatch({ youngPersonId: yp, volunteerId: 'vol-path', by: coordinator, matchId: 'm-declined' });
    await eventually(ctx.journeys, 'youngPerson', yp, (s) => s.stage === 'matchProposed', 'hears of the proposal');
    await record(ctx, 'match', 'm-declined', { type: 'introduction.held', by: coordinator, format: 'paperProfile' });
    await record(ctx, 'match', 'm-declined', { type: 'youngPerson.declined', by: youngPerson(yp), reason: 'mentorNotRight' });
    await eventually(ctx.journeys, 'youngPerson', yp, (s) => s.stage === 'waitingForMatch', 'waiting again');
    await eventually(ctx.journeys, 'volunteer', 'vol-path', (s) => (s.facts.proposedMatchIds as string[]).length === 0, 'free again');

    await until(ctx, plusDays(waitingFrom, 45));
    const active = await startMatch(ctx, yp, 'vol-path', 'm-rematch');
    const m0 = active.facts.matchStartedAt as string;
    const m = 'm-rematch';
    await liveDays(
      ctx,
      m0,
      44,
      {
        2: [goals(ctx, m)],
        3: [meeting(ctx, m)],
        7: [checkIn(ctx, m)],
        10: [meeting(ctx, m)],
        17: [meeting(ctx, m)],
        21: [checkIn(ctx, m)],
        24: [meeting(ctx, m)],
        31: [meeting(ctx, m)],
        35: [checkIn(ctx, m)],
        38: [meeting(ctx, m)],
        // A new need: the young person is to have a new mentor.
        41: [review(ctx, m, 'rematch')],
        44: [
          () =>
            record(ctx, 'match', m, {
              type: 'ending.recorded',
              by: coordinator,
              method: 'closingMeeting',
              reason: 'youngPersonChoice',
              planned: true,
              rematch: true,
              outcomes: ['housing-secured'],
            }),
        ],
      },
      attendSupervision(ctx, 'vol-path'),
    );
    await eventually(ctx.journeys, 'youngPerson', yp, (s) => s.stage === 'waitingForMatch', 'waiting for a new mentor');
    await until(ctx, plusDays(m0, 50));
    await record(ctx, 'youngPerson', yp, { type: 'journey.withdrawn', by: youngPerson(yp), reason: 'movedAway' });
    await eventually(ctx.journeys, 'volunteer', 'vol-path', (s) => s.stage === 'available', 'available again');
  },
};

/**
 * Volunteers' other paths, and a peer match through two safeguarding holds and an expired check;
 * journeys here continue as new every few dozen events, as long-running ones do.
 */
const volunteers: Scenario = {
  name: 'volunteers',
  story:
    'a peer volunteer whose vetting is overdue, who waits in the support group, is confirmed as a peer mentor ' +
    'and matched through a safeguarding hold before the start and a pause during it, whose check expires ' +
    'mid-match and is renewed two days later; volunteers offered an alternative role (then returning and ' +
    'found not suitable), not taken on at interview, and with a check that is not clear',
  continueAsNewAfterEvents: 120,
  async run(ctx) {
    const t0 = await nowIso(ctx);
    const d0 = dateOf(t0);
    const v = 'vol-peer';
    await ctx.journeys.start('volunteer', volunteerStart(v, t0, 'peer'), { contact: volunteerContact });
    const path = volunteerPathway(d0);
    await recordAll(ctx.journeys, 'volunteer', v, path.toVetting);

    // Other volunteers, the same day.
    await volunteerToSuitability(ctx, 'vol-alt', t0);
    await ctx.journeys.start('volunteer', volunteerStart('vol-no', t0), { contact: volunteerContact });
    await recordAll(ctx.journeys, 'volunteer', 'vol-no', [
      path.toVetting[0]!,
      path.toVetting[1]!,
      { type: 'interview.held', by: coordinator, outcome: 'notProceed', faceToFace: true },
    ]);
    await ctx.journeys.start('volunteer', volunteerStart('vol-notclear', t0), { contact: volunteerContact });
    await recordAll(ctx.journeys, 'volunteer', 'vol-notclear', path.toVetting);

    const checkDay = dateOf(plusDays(t0, 30));
    await liveDays(ctx, t0, 44, {
      1: [() => record(ctx, 'volunteer', 'vol-alt', { type: 'suitability.reviewed', by: coordinator, outcome: 'alternativeRole' })],
      2: [() => record(ctx, 'volunteer', 'vol-alt', { type: 'exit.recorded', by: coordinator, reason: 'steppedDown', referenceGiven: true })],
      3: [
        () =>
          record(ctx, 'volunteer', 'vol-notclear', {
            type: 'check.recorded',
            by: coordinator,
            checkType: 'enhancedDBS',
            issuedOn: dateOf(plusDays(t0, 3)),
            referenceNumber: 'DBS-0404',
            decision: 'notClear',
          }),
      ],
      5: [
        () => record(ctx, 'volunteer', 'vol-notclear', { type: 'exit.recorded', by: coordinator, reason: 'notSuitable' }),
        () => record(ctx, 'volunteer', v, path.training[0]!),
      ],
      20: [() => record(ctx, 'volunteer', 'vol-alt', { type: 'volunteer.returned', by: coordinator })],
      22: [() => record(ctx, 'volunteer', 'vol-alt', { type: 'suitability.reviewed', by: coordinator, outcome: 'notSuitable' })],
      // Vetting has been pending four weeks (nudged on day 28): the check and references arrive. The
      // check is a renewal nearing its end: it expires in 100 days.
      30: [
        () =>
          recordAll(ctx.journeys, 'volunteer', v, [
            {
              type: 'check.recorded',
              by: coordinator,
              checkType: 'PVG',
              issuedOn: checkDay,
              referenceNumber: 'PVG-0002',
              decision: 'clear',
              expiresOn: dateOf(plusDays(t0, 130)),
            },
            ...path.vetting.slice(1),
          ]),
      ],
      31: [() => recordAll(ctx.journeys, 'volunteer', v, path.training.slice(1))],
      32: [() => record(ctx, 'volunteer', v, { type: 'suitability.reviewed', by: coordinator, outcome: 'peerSupportGroup' })],
      35: [() => ctx.journeys.start('youngPerson', referralStart('yp-peer', plusDays(t0, 35)))],
      36: [
        () =>
          recordAll(ctx.journeys, 'youngPerson', 'yp-peer', [
            ...youngPersonToWaiting.slice(0, 3),
            { type: 'preferences.recorded', by: coordinator, mentorType: 'peer' },
          ]),
      ],
      40: [
        () =>
          recordAll(ctx.journeys, 'volunteer', v, [
            { type: 'suitability.reviewed', by: coordinator, outcome: 'ready' },
            { type: 'peerCriteria.confirmed', by: coordinator, readyWillingAble: true, ownSupportInPlace: true },
          ]),
      ],
      41: [
        async () => {
          await ctx.journeys.proposeMatch({ youngPersonId: 'yp-peer', volunteerId: v, by: coordinator, matchId: 'm-peer' });
          await eventually(ctx.journeys, 'youngPerson', 'yp-peer', (s) => s.stage === 'matchProposed', 'hears of the proposal');
        },
      ],
      // A safeguarding concern before the start: the proposal is held, then resumes.
      42: [() => record(ctx, 'match', 'm-peer', { type: 'concern.raised', by: youngPerson('yp-peer'), category: 'safeguarding' })],
      44: [() => record(ctx, 'match', 'm-peer', { type: 'concern.resolved', by: coordinator, outcome: 'resume' })],
    });

    await until(ctx, plusDays(t0, 45));
    await record(ctx, 'match', 'm-peer', { type: 'introduction.held', by: coordinator, format: 'groupEvent' });
    const active = await record(ctx, 'match', 'm-peer', { type: 'youngPerson.accepted', by: youngPerson('yp-peer') });
    await eventually(ctx.journeys, 'volunteer', v, (s) => s.stage === 'matched', 'matched');
    const m0 = active.facts.matchStartedAt as string;
    const m = 'm-peer';
    const plan: Record<number, (() => Promise<unknown>)[]> = {
      3: [goals(ctx, m)],
      7: [checkIn(ctx, m)],
      21: [checkIn(ctx, m)],
      // A pause for a safeguarding concern raised by the co-ordinator, resumed three days later.
      30: [() => record(ctx, 'match', m, { type: 'concern.raised', by: coordinator, category: 'safeguarding' })],
      33: [() => record(ctx, 'match', m, { type: 'concern.resolved', by: coordinator, outcome: 'resume' })],
      41: [review(ctx, m, 'continue')],
      45: [checkIn(ctx, m)],
      72: [checkIn(ctx, m)],
      // The check expired on day 85 of the match (day 130); renewed two days later.
      87: [
        () =>
          record(ctx, 'volunteer', v, {
            type: 'check.recorded',
            by: coordinator,
            checkType: 'PVG',
            issuedOn: dateOf(plusDays(m0, 87)),
            referenceNumber: 'PVG-0003',
            decision: 'clear',
          }),
      ],
      88: [review(ctx, m, 'continue')],
      95: [() => record(ctx, 'match', m, { type: 'ending.decided', by: coordinator, reason: 'goalsMet', planned: true, rematch: false })],
      97: [
        () =>
          record(ctx, 'match', m, {
            type: 'ending.recorded',
            by: coordinator,
            method: 'letter',
            reason: 'goalsMet',
            planned: true,
            outcomes: ['education-course'],
          }),
      ],
    };
    for (let day = 2; day <= 94; day += 7) if (day < 30 || day > 33) (plan[day] ??= []).unshift(meeting(ctx, m));
    await liveDays(ctx, m0, 97, plan, attendSupervision(ctx, v));
    await eventually(ctx.journeys, 'volunteer', v, (s) => s.stage === 'available', 'available again');
  },
};

async function volunteerToSuitability(ctx: ScenarioContext, volunteerId: string, at: string): Promise<void> {
  await ctx.journeys.start('volunteer', volunteerStart(volunteerId, at), { contact: volunteerContact });
  const path = volunteerPathway(dateOf(at));
  await recordAll(ctx.journeys, 'volunteer', volunteerId, [...path.toVetting, ...path.vetting, ...path.training]);
}

export const scenarios: Scenario[] = [clean, lapses, pathways, volunteers, sealed, recordedLate, indexed];
