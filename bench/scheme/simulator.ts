/**
 * A scheme simulated day by day on Temporal's time-skipping server: young people referred through
 * the year, volunteers enquiring, co-ordinators recording what happens (contacts, consent,
 * readiness, informal support, preferences, proposals, introductions, meetings, check-ins,
 * reviews, supervision, endings) at rates taken from DOMAIN.md, and the server skipping to the
 * next day once the day's work is done, so that every nudge, escalation and reminder falls due
 * on its own timer.
 *
 * The rates (assumptions, stated once here and in BENCHMARKS.md):
 * - referrals: evenly over the year; first contact within 1-4 working days for 85%, 6-10 days late
 *   for 15% (a first-contact nudge); consent given 90% (with the young person's own goals);
 * - readiness: ready 40%, not ready 45% (informal support: 1-3 tasks, a group activity for half,
 *   re-checked at the 8-week nudge: ready 30%, not ready again 45%, declined 25%), declined 15%.
 *   Liverpool: 29 young people in formal and 59 in informal mentoring over three years;
 * - preferences: peer 25%, traditional 35%, either 40%; the co-ordinator proposes up to 6 matches
 *   a working day (per 1,000 young people), longest wait first, with an available volunteer of the
 *   preferred type they were not proposed before;
 * - matching: introduction 2-6 days after the proposal; accepted 85%, declined 15%;
 * - the relationship: goals agreed within 3 weeks (10% late, a nudge at 4 weeks); a meeting every
 *   7-18 days, with an 8% chance each time of a gap of 24-45 days (meeting-gap nudge, escalation);
 *   check-ins at about 10 and 25 days then monthly, 10% late by 1-2 weeks; each review held 0-10
 *   days after it falls due (6 weeks, 3 months, 6 months);
 * - endings: early closure 38% (unplanned, between 2 and 12 weeks: young person's choice, mentor
 *   withdrew, moved away, lost contact), otherwise ended at the 3-month review (45%) or the
 *   6-month review (55%) (Liverpool: average 3 months, longest 6); 12% of endings ask for a
 *   rematch; the formal record 3-20 days after the decision (later than 14 days: a nudge);
 * - volunteers: enquiries evenly over the first 9 months, 30% peer; interview 85% proceed; the
 *   safeguarding check recorded 10-45 days after the interview (over 4 weeks: the vetting nudge),
 *   two references; three training sessions (20 hours, every topic); suitability: ready 75%,
 *   support group 10%, alternative role 5%, not suitable 10%; a peer mentor's criteria confirmed
 *   within a week; supervision attended 90% (missed 10%) 0-3 days after each session; 15% step
 *   down after a match ends.
 * Co-ordinators act on working days only.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { JourneyRefusedError, Journeys } from '../../client/journeys';
import type { JourneyKind } from '../../machines/journey';
import { workflowIdFor } from '../../contracts/ids';
import type { JourneyStatus, RecordedEvent } from '../../contracts/messages';
import { cpuReading, pool, prng } from '../common';

const DAY = 86_400_000;
const coordinator = { role: 'coordinator' as const, id: 'co-1' };
const topics = [
  'mentor-role-and-boundaries',
  'confidentiality',
  'safeguarding',
  'care-context',
  'listening-and-communication',
  'equality-and-diversity',
  'endings',
];

export interface SchemeSize {
  youngPeople: number;
  volunteers: number;
  months: number;
  seed?: number;
  /** Journeys driven at once within a day. */
  concurrency?: number;
}

export interface SchemeStats {
  days: number;
  started: Record<JourneyKind, number>;
  updates: number;
  /** Milliseconds each Update took, client side. */
  updateMs: number[];
  refused: number;
  refusedByType: Record<string, number>;
  firstRefusals: string[];
  queries: number;
  /** Wall time spent letting the server skip to the next day (timers, nudges, activities). */
  sleepMs: number;
  /** Wall time spent recording the days' events. */
  driveMs: number;
  /** CPU milliseconds while recording and while skipping: ours (this process) and the test server's. */
  cpu: { drive: { oursMs: number; serverMs: number }; sleep: { oursMs: number; serverMs: number } };
  workflowIds: string[];
  outcome: Record<string, number>;
  /** What the simulation is doing now, e.g. "skipping to day 165": said when it stalls. */
  doing: string;
  /** Calls to the server under way (what, since when: performance.now()), to say which one stalled. */
  inFlight: Map<number, { what: string; since: number }>;
}

type YpState = 'referral' | 'readiness' | 'informal' | 'preferences' | 'waiting' | 'proposed' | 'inMatch' | 'closed';
type VolState = 'pathway' | 'available' | 'proposed' | 'matched' | 'away';

interface YoungPerson {
  id: string;
  state: YpState;
  pref: 'peer' | 'traditional' | 'either';
  dob: string;
  waitingSince: number;
  /** Volunteers proposed to them before: a rematch is with someone new (the journey refuses a former mentor unless the co-ordinator decides so). */
  proposedBefore: Set<string>;
}

interface Volunteer {
  id: string;
  type: 'peer' | 'traditional';
  state: VolState;
  vettingDone: number;
  trainingDone: number;
  generation: number;
}

interface Match {
  id: string;
  yp: YoungPerson;
  vol: Volunteer;
  acceptedDay: number;
  ending: 'none' | 'decided' | 'recorded';
  plan: { early: number } | { atReview: 1 | 2; rematch: boolean };
}

type Action = { key: string; run: () => Promise<void> };

export async function simulateScheme(
  env: TestWorkflowEnvironment,
  journeys: Journeys,
  size: SchemeSize,
  onDay?: (day: number, stats: SchemeStats) => void,
): Promise<SchemeStats> {
  const rnd = prng(size.seed ?? 2026);
  const chance = (p: number) => rnd() < p;
  const int = (a: number, b: number) => a + Math.floor(rnd() * (b - a + 1));
  const pickWeighted = <T>(options: [T, number][]): T => {
    let r = rnd();
    for (const [value, weight] of options) {
      if ((r -= weight) < 0) return value;
    }
    return options.at(-1)![0];
  };

  const stats: SchemeStats = {
    days: 0,
    started: { youngPerson: 0, volunteer: 0, match: 0 },
    updates: 0,
    updateMs: [],
    refused: 0,
    refusedByType: {},
    firstRefusals: [],
    queries: 0,
    sleepMs: 0,
    driveMs: 0,
    cpu: { drive: { oursMs: 0, serverMs: 0 }, sleep: { oursMs: 0, serverMs: 0 } },
    workflowIds: [],
    outcome: {},
    doing: 'starting',
    inFlight: new Map(),
  };
  let callId = 0;
  /** Run a call to the server, noting it while it is under way. */
  const track = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
    const id = ++callId;
    stats.inFlight.set(id, { what: `${what} (day ${today + 1})`, since: performance.now() });
    try {
      return await call();
    } finally {
      stats.inFlight.delete(id);
    }
  };
  const count = (what: string) => (stats.outcome[what] = (stats.outcome[what] ?? 0) + 1);

  const t0 = await env.currentTimeMs();
  const totalDays = Math.round((size.months * 365) / 12);
  const agenda = new Map<number, Action[]>();
  let today = 0;
  const dateOf = (day: number) => new Date(t0 + day * DAY).toISOString().slice(0, 10);
  const nowIso = async () => new Date(await env.currentTimeMs()).toISOString();
  /** The first working day on or after `day`. */
  const working = (day: number) => {
    let d = day;
    for (;;) {
      const weekday = new Date(t0 + d * DAY).getUTCDay();
      if (weekday !== 0 && weekday !== 6) return d;
      d++;
    }
  };
  const at = (day: number, key: string, run: () => Promise<void>) => {
    const d = working(Math.max(day, today));
    if (d >= totalDays) return;
    const list = agenda.get(d) ?? [];
    list.push({ key, run });
    agenda.set(d, list);
  };

  /** Record an event; a refusal is counted (the model and the journey disagree) and reported. */
  const record = async (kind: JourneyKind, id: string, event: RecordedEvent): Promise<JourneyStatus | undefined> => {
    stats.updates += 1;
    const started = performance.now();
    try {
      const status = await track(`${kind} ${id} ${event.type}`, () => journeys.record(kind, id, event));
      stats.updateMs.push(performance.now() - started);
      return status;
    } catch (error) {
      if (!(error instanceof JourneyRefusedError)) throw error;
      stats.refused += 1;
      stats.refusedByType[`${kind}:${event.type}`] = (stats.refusedByType[`${kind}:${event.type}`] ?? 0) + 1;
      if (stats.firstRefusals.length < 8) stats.firstRefusals.push(`day ${today} ${kind} ${id} ${event.type}: ${error.message}`);
      return undefined;
    }
  };

  // --- Young people ----------------------------------------------------------------------------

  const youngPeople: YoungPerson[] = [];
  const volunteers: Volunteer[] = [];

  const refer = (i: number, day: number) => {
    const yp: YoungPerson = {
      id: `yp-${i}`,
      state: 'referral',
      pref: pickWeighted([['peer', 0.25], ['traditional', 0.35], ['either', 0.4]]),
      // 16 to 18 at referral.
      dob: dateOf(day - int(16 * 365 + 10, 18 * 365)),
      waitingSince: 0,
      proposedBefore: new Set(),
    };
    youngPeople.push(yp);
    at(day, yp.id, async () => {
      await journeys.start('youngPerson', {
        journeyId: yp.id,
        coordinatorId: coordinator.id,
        startedAt: await nowIso(),
        referral: { referredBy: { role: 'referrer', id: 'sw-1' }, dateOfBirth: yp.dob, careExperienced: true },
      });
      stats.started.youngPerson += 1;
      stats.workflowIds.push(workflowIdFor('youngPerson', yp.id));
      at(chance(0.85) ? today + int(1, 4) : today + int(8, 12), yp.id, () => firstContact(yp));
    });
  };

  const firstContact = async (yp: YoungPerson) => {
    await record('youngPerson', yp.id, { type: 'contact.recorded', by: coordinator, method: pickWeighted([['phone', 0.6], ['inPerson', 0.3], ['message', 0.1]]) });
    at(today + int(0, 3), yp.id, async () => {
      if (chance(0.9)) {
        await record('youngPerson', yp.id, { type: 'consent.recorded', by: coordinator, consent: 'given', ownGoals: ['find a college course'] });
        yp.state = 'readiness';
        at(today + int(2, 10), yp.id, () => readiness(yp, false));
      } else {
        await record('youngPerson', yp.id, { type: 'consent.recorded', by: coordinator, consent: 'declined', ownGoals: [] });
        yp.state = 'closed';
        count('youngPerson: consent declined');
      }
    });
  };

  const readiness = async (yp: YoungPerson, recheck: boolean) => {
    const outcome = recheck
      ? pickWeighted<'ready' | 'notReady' | 'declined'>([['ready', 0.3], ['notReady', 0.45], ['declined', 0.25]])
      : pickWeighted<'ready' | 'notReady' | 'declined'>([['ready', 0.4], ['notReady', 0.45], ['declined', 0.15]]);
    await record('youngPerson', yp.id, { type: 'readiness.assessed', by: coordinator, outcome });
    if (outcome === 'declined') {
      yp.state = 'closed';
      count('youngPerson: declined mentoring');
    } else if (outcome === 'notReady') {
      yp.state = 'informal';
      count(recheck ? 'youngPerson: not ready again' : 'youngPerson: informal support');
      const tasks = int(1, 3);
      for (let t = 0; t < tasks; t++) {
        at(today + int(5, 50), yp.id, async () => {
          if (yp.state === 'informal') await record('youngPerson', yp.id, { type: 'informalTask.recorded', by: coordinator, task: pickWeighted([['health', 0.3], ['education', 0.3], ['housing', 0.2], ['money', 0.2]]) });
        });
      }
      if (chance(0.5)) {
        at(today + int(10, 50), yp.id, async () => {
          if (yp.state === 'informal') await record('youngPerson', yp.id, { type: 'groupActivity.attended', by: coordinator });
        });
      }
      // Re-checked when the 8-week nudge arrives.
      at(today + 56 + int(0, 6), yp.id, () => readiness(yp, true));
    } else {
      yp.state = 'preferences';
      if (recheck) count('youngPerson: ready after informal support');
      at(today + int(0, 5), yp.id, async () => {
        await record('youngPerson', yp.id, { type: 'preferences.recorded', by: coordinator, mentorType: yp.pref });
        yp.state = 'waiting';
        yp.waitingSince = today;
      });
    }
  };

  // --- Volunteers ------------------------------------------------------------------------------

  const enquire = (i: number, day: number) => {
    const vol: Volunteer = { id: `vol-${i}`, type: chance(0.3) ? 'peer' : 'traditional', state: 'pathway', vettingDone: Infinity, trainingDone: Infinity, generation: 0 };
    volunteers.push(vol);
    at(day, vol.id, async () => {
      await journeys.start(
        'volunteer',
        {
          journeyId: vol.id,
          coordinatorId: coordinator.id,
          startedAt: await nowIso(),
          volunteer:
            vol.type === 'peer'
              ? { type: 'peer', dateOfBirth: '2001-03-01', careExperienced: true, leftCareOn: '2019-09-01' }
              : { type: 'traditional', dateOfBirth: '1975-06-01', careExperienced: false },
        },
        { contact: { email: `${vol.id}@example.org`, firstName: 'Robin' } },
      );
      stats.started.volunteer += 1;
      stats.workflowIds.push(workflowIdFor('volunteer', vol.id));
      await record('volunteer', vol.id, { type: 'infoSession.attended', by: coordinator });
      at(today + int(3, 14), vol.id, async () => {
        await record('volunteer', vol.id, { type: 'application.received', by: coordinator });
        at(today + int(7, 14), vol.id, () => interview(vol));
      });
    });
  };

  const interview = async (vol: Volunteer) => {
    if (!chance(0.85)) {
      await record('volunteer', vol.id, { type: 'interview.held', by: coordinator, outcome: 'notProceed', faceToFace: true });
      vol.state = 'away';
      count('volunteer: not taken on at interview');
      return;
    }
    await record('volunteer', vol.id, { type: 'interview.held', by: coordinator, outcome: 'proceed', faceToFace: true });
    const checkDay = today + int(10, 45);
    const refDays = [today + int(5, 30), today + int(5, 30)];
    vol.vettingDone = working(Math.max(checkDay, ...refDays));
    at(checkDay, vol.id, () =>
      record('volunteer', vol.id, { type: 'check.recorded', by: coordinator, checkType: 'PVG', issuedOn: dateOf(today), referenceNumber: `PVG-${vol.id}`, decision: 'clear' }).then(() => {}),
    );
    refDays.forEach((d, r) =>
      at(d, vol.id, () => record('volunteer', vol.id, { type: 'reference.received', by: coordinator, refereeRef: `ref-${r}`, satisfactory: true }).then(() => {})),
    );
    const sessions: [number, number, string[]][] = [
      [7, 8, topics.slice(0, 3)],
      [14, 6, topics.slice(3, 5)],
      [21, 6, topics.slice(5)],
    ];
    for (const [after, hours, covered] of sessions) {
      at(today + after, vol.id, () => record('volunteer', vol.id, { type: 'training.sessionLogged', by: coordinator, hours, topics: covered }).then(() => {}));
    }
    vol.trainingDone = working(today + 21);
    at(Math.max(vol.vettingDone, vol.trainingDone) + int(1, 5), vol.id, async () => {
      await record('volunteer', vol.id, { type: 'training.completed', by: coordinator });
      at(today + int(2, 10), vol.id, () => suitability(vol));
    });
  };

  const suitability = async (vol: Volunteer) => {
    const outcome = pickWeighted<'ready' | 'peerSupportGroup' | 'alternativeRole' | 'notSuitable'>([
      ['ready', 0.75],
      ['peerSupportGroup', 0.1],
      ['alternativeRole', 0.05],
      ['notSuitable', 0.1],
    ]);
    await record('volunteer', vol.id, { type: 'suitability.reviewed', by: coordinator, outcome });
    count(`volunteer: suitability ${outcome}`);
    if (outcome !== 'ready') {
      vol.state = 'away';
      return;
    }
    if (vol.type === 'peer') {
      at(today + int(1, 7), vol.id, async () => {
        await record('volunteer', vol.id, { type: 'peerCriteria.confirmed', by: coordinator, readyWillingAble: true, ownSupportInPlace: true });
        vol.state = 'available';
      });
    } else {
      vol.state = 'available';
    }
  };

  // --- Matching and the relationship -----------------------------------------------------------

  let matchCount = 0;
  const proposeToday = async () => {
    // Six a working day for a scheme of 1,000 young people; a larger scheme has more co-ordinators.
    const proposalsPerDay = Math.max(6, Math.round((6 * size.youngPeople) / 1000));
    const waiting = youngPeople.filter((y) => y.state === 'waiting').sort((a, b) => a.waitingSince - b.waitingSince);
    let proposals = 0;
    for (const yp of waiting) {
      if (proposals >= proposalsPerDay) break;
      const vol = volunteers.find((v) => v.state === 'available' && (yp.pref === 'either' || yp.pref === v.type) && !yp.proposedBefore.has(v.id));
      if (!vol) continue;
      const matchId = `m-${++matchCount}`;
      yp.state = 'proposed';
      yp.proposedBefore.add(vol.id);
      vol.state = 'proposed';
      proposals++;
      stats.queries += 1;
      stats.updates += 1;
      try {
        await track(`propose ${matchId} ${yp.id}/${vol.id}`, () => journeys.proposeMatch({ youngPersonId: yp.id, volunteerId: vol.id, by: coordinator, matchId }));
      } catch (error) {
        if (!(error instanceof JourneyRefusedError)) throw error;
        stats.refused += 1;
        stats.refusedByType['volunteer:match.proposed'] = (stats.refusedByType['volunteer:match.proposed'] ?? 0) + 1;
        if (stats.firstRefusals.length < 8) stats.firstRefusals.push(`day ${today} propose ${yp.id}/${vol.id}: ${error.message}`);
        yp.state = 'waiting';
        vol.state = 'available';
        continue;
      }
      stats.started.match += 1;
      stats.workflowIds.push(workflowIdFor('match', matchId));
      const match: Match = {
        id: matchId,
        yp,
        vol,
        acceptedDay: -1,
        ending: 'none',
        plan: chance(0.38) ? { early: int(14, 84) } : { atReview: chance(0.45) ? 1 : 2, rematch: chance(0.12) },
      };
      at(today + int(2, 6), matchId, () => introduce(match));
    }
  };

  const introduce = async (match: Match) => {
    await record('match', match.id, { type: 'introduction.held', by: coordinator, format: pickWeighted([['personalMeeting', 0.6], ['groupEvent', 0.3], ['paperProfile', 0.1]]) });
    at(today + int(1, 5), match.id, async () => {
      if (!chance(0.85)) {
        await record('match', match.id, { type: 'youngPerson.declined', by: { role: 'youngPerson', id: match.yp.id }, reason: 'mentorNotRight' });
        count('match: declined');
        match.yp.state = 'waiting';
        match.yp.waitingSince = today;
        match.vol.state = 'available';
        return;
      }
      await record('match', match.id, { type: 'youngPerson.accepted', by: { role: 'youngPerson', id: match.yp.id } });
      count('match: started');
      match.acceptedDay = today;
      match.yp.state = 'inMatch';
      match.vol.state = 'matched';
      runRelationship(match);
    });
  };

  const runRelationship = (m: Match) => {
    const open = () => m.ending === 'none';
    const start = today;
    at(start + (chance(0.9) ? int(3, 20) : int(30, 40)), m.id, async () => {
      if (open()) await record('match', m.id, { type: 'goals.agreed', by: coordinator });
    });
    const meet = (from: number) => {
      const gap = chance(0.08) ? int(24, 45) : int(7, 18);
      at(from + gap, m.id, async () => {
        if (!open()) return;
        await record('match', m.id, { type: 'meeting.logged', by: coordinator, on: dateOf(today) });
        meet(today);
      });
    };
    meet(start);
    const checkIn = (n: number, from: number) => {
      const onTime = n === 0 ? int(7, 12) : n === 1 ? int(13, 17) : int(26, 31);
      at(from + onTime + (chance(0.1) ? int(7, 14) : 0), m.id, async () => {
        if (!open()) return;
        await record('match', m.id, { type: 'checkIn.recorded', by: coordinator, with: ['mentor', 'mentee'] });
        checkIn(n + 1, today);
      });
    };
    checkIn(0, start);
    // Reviews fall due at 6 weeks, 3 months and 6 months after the start; held after the nudge.
    const reviewDays = [42, 91, 182, 365];
    reviewDays.forEach((due, index) =>
      at(start + due + int(0, 10), m.id, async () => {
        if (!open()) return;
        const ends = 'atReview' in m.plan && m.plan.atReview === index;
        const outcome = ends ? ('rematch' in m.plan && m.plan.rematch ? 'rematch' : 'end') : 'continue';
        await record('match', m.id, { type: 'review.held', by: coordinator, outcome });
        if (ends) decided(m, true, 'goalsMet', outcome === 'rematch');
      }),
    );
    if ('early' in m.plan) {
      at(start + m.plan.early, m.id, async () => {
        if (!open()) return;
        const reason = pickWeighted<'youngPersonChoice' | 'mentorWithdrew' | 'movedAway' | 'lostContact'>([
          ['youngPersonChoice', 0.35],
          ['mentorWithdrew', 0.25],
          ['movedAway', 0.15],
          ['lostContact', 0.25],
        ]);
        const rematch = reason === 'mentorWithdrew' || chance(0.12);
        await record('match', m.id, { type: 'ending.decided', by: coordinator, reason, planned: false, rematch });
        decided(m, false, reason, rematch);
      });
    }
  };

  const decided = (m: Match, planned: boolean, reason: string, rematch: boolean) => {
    m.ending = 'decided';
    count(planned ? 'match: planned ending' : 'match: early closure');
    at(today + int(3, 20), m.id, async () => {
      await record('match', m.id, {
        type: 'ending.recorded',
        by: coordinator,
        method: chance(0.8) ? 'closingMeeting' : 'letter',
        reason,
        planned,
        outcomes: [planned ? 'goals-met' : 'none-known'],
        rematch,
      });
      m.ending = 'recorded';
      if (rematch) {
        m.yp.state = 'waiting';
        m.yp.waitingSince = today;
        count('youngPerson: rematch');
      } else {
        m.yp.state = 'closed';
        count('youngPerson: mentored');
      }
      m.vol.state = 'available';
      if (chance(0.15)) {
        m.vol.state = 'away';
        at(today + int(3, 10), m.vol.id, async () => {
          await record('volunteer', m.vol.id, { type: 'exit.recorded', by: coordinator, reason: 'steppedDown' });
          count('volunteer: stepped down');
        });
      }
    });
  };

  // Supervision: once a month (peer mentors fortnightly), attendance recorded 0-3 days after.
  // One chain of sessions per spell of being matched (`generation`).
  const superviseFrom = (vol: Volunteer, day: number, generation: number) => {
    at(day, vol.id, async () => {
      if (vol.state !== 'matched' || vol.generation !== generation) return;
      stats.queries += 1;
      const status = await track(`volunteer ${vol.id} status`, () => journeys.status('volunteer', vol.id));
      const next = status.facts.nextSupervision as { sessionId: string; startsAt: string } | null;
      if (!next) return;
      const dueDay = Math.ceil((Date.parse(next.startsAt) - t0) / DAY);
      if (dueDay > today) return superviseFrom(vol, dueDay + int(0, 3), generation);
      const attended = chance(0.9);
      await record('volunteer', vol.id, { type: attended ? 'supervision.attended' : 'supervision.missed', by: coordinator, sessionId: next.sessionId });
      count(attended ? 'volunteer: supervision attended' : 'volunteer: supervision missed');
      superviseFrom(vol, today + (vol.type === 'peer' ? 14 : 30) + int(0, 3), generation);
    });
  };
  const supervising = new Set<string>();

  // --- The year --------------------------------------------------------------------------------

  for (let i = 0; i < size.youngPeople; i++) refer(i, Math.floor((i * totalDays) / size.youngPeople));
  const enquiryDays = Math.round(totalDays * 0.75);
  for (let i = 0; i < size.volunteers; i++) enquire(i, Math.floor((i * enquiryDays) / size.volunteers));

  const addCpu = (into: { oursMs: number; serverMs: number }, from: { oursMs: number; serverMs: number }) => {
    const now = cpuReading();
    into.oursMs += now.oursMs - from.oursMs;
    into.serverMs += now.serverMs - from.serverMs;
    return now;
  };
  for (today = 0; today < totalDays; today++) {
    const started = performance.now();
    const cpuAtStart = cpuReading();
    stats.doing = `recording day ${today + 1}`;
    const weekday = new Date(t0 + today * DAY).getUTCDay();
    if (weekday !== 0 && weekday !== 6) {
      for (const vol of volunteers) {
        if (vol.state === 'matched' && !supervising.has(vol.id)) {
          supervising.add(vol.id);
          vol.generation += 1;
          superviseFrom(vol, today + (vol.type === 'peer' ? 14 : 30) + int(0, 3), vol.generation);
        } else if (vol.state !== 'matched') {
          supervising.delete(vol.id);
        }
      }
    }
    // Actions scheduled for today may schedule more for today: run until none is left.
    for (let actions = agenda.get(today); actions && actions.length > 0; actions = agenda.get(today)) {
      agenda.delete(today);
      const byJourney = new Map<string, Action[]>();
      for (const action of actions) byJourney.set(action.key, [...(byJourney.get(action.key) ?? []), action]);
      await pool([...byJourney.values()], size.concurrency ?? 16, async (list) => {
        for (const action of list) await action.run();
      });
    }
    if (weekday !== 0 && weekday !== 6) await proposeToday();
    stats.driveMs += performance.now() - started;
    const cpuAtSleep = addCpu(stats.cpu.drive, cpuAtStart);
    const slept = performance.now();
    stats.doing = `skipping to day ${today + 2} (env.sleep)`;
    await track('env.sleep(1 day)', () => env.sleep(DAY));
    stats.sleepMs += performance.now() - slept;
    addCpu(stats.cpu.sleep, cpuAtSleep);
    stats.days = today + 1;
    onDay?.(today, stats);
  }
  return stats;
}
