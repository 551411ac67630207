/**
 * The scheme report for one period: need, the young people's funnel, informal support, volunteers,
 * matches, practice held against due, nudges, and a headline sentence in the seeds' own words
 * ("34 mentors trained; 29 young people in formal and 59 in informal mentoring; relationships
 * lasted 3 months on average"). Read from the histories: each journey's machine is re-run over its
 * history (audit/mirror.ts), so the report from `audit export` files made offline is the report.
 * Every figure carries the journey ids it counts (ids only, never personal data).
 *
 * How the period counts (docs/reports.md): the young people's and the volunteers' funnels follow
 * the **cohort** who started in the period, to the end of the period; matches count those that
 * started in the period (time to match) or ended in it (length, endings); training, exits and nudges
 * count what happened in the period.
 */
import { addDuration, parseDuration } from '../machines/duration';
import type { JourneyKind } from '../machines/journey';
import type { SchemePolicy } from '../machines/policy';
import { rules } from '../audit/compliance/rules';
import type { Journey } from '../audit/journey-history';
import { readJourneys } from './parallel';
import { practiceRules, readJourney, type JourneyReading, type Life } from './reading';

/** A count, and the journeys it counts. */
export interface Count {
  count: number;
  journeyIds: string[];
}

export interface FunnelStep extends Count {
  step: string;
  /** Share of the step before that reached this one, 0-1 (null for the first, or after none). */
  conversion: number | null;
}

export interface Distribution {
  count: number;
  mean: number | null;
  median: number | null;
  p90: number | null;
  longest: number | null;
}

export interface SchemeReport {
  period: { from: string; to: string };
  coordinatorId: string | null;
  need: { eligibleCareLeavers: number | null; likelyToWantMentoring: number | null; ruleOfThumbDivisor: number; referred: number; matched: number };
  funnel: FunnelStep[];
  withdrawals: Record<string, Count>;
  informalSupport: { youngPeople: Count; tasks: number; groupActivities: number; movedToFormalMentoring: Count };
  volunteers: {
    funnel: FunnelStep[];
    trainedInPeriod: Count & { hours: number; topics: Record<string, number> };
    exits: Record<string, Count>;
    /**
     * Exits in the period of volunteers taken on (not those who did not proceed after the
     * interview), per volunteer taken on at some moment of it, scaled to a year; null with none.
     */
    turnoverPerYear: number | null;
    checksExpiringWithin90Days: Count;
  };
  matches: {
    started: Count;
    daysReferralToMatch: Distribution;
    ended: Count;
    lengthDays: Distribution;
    earlyClosures: Count & { share: number | null; plannedLength: string };
    endingReasons: Record<string, Count>;
    planned: Count;
    unplanned: Count;
    endingsDecided: Count;
    formalEndingRecorded: Count & { share: number | null };
  };
  /** Duties that fell due in the period (check-ins, reviews, supervision) and how many were held on time. */
  practice: { rule: string; title: string; due: number; held: number; journeyIds: string[] }[];
  nudges: { raised: Count; escalated: Count; resolved: Count; medianHoursToResolve: number | null };
  headline: string;
  /** The values behind the charts. */
  series: {
    daysReferralToMatch: number[];
    matchLengthDays: number[];
    nudgesByMonth: { month: string; raised: number; escalated: number }[];
  };
}

export interface SchemeReportOptions {
  from: string;
  to: string;
  coordinatorId?: string;
  /** The scheme enters it for the period: eligible care leavers in the area. */
  eligibleCareLeavers?: number;
  policy: SchemePolicy;
  /** Called as each journey has been re-run over its history (for a progress bar). */
  onProgress?: (done: number, total: number) => void;
}

/** When the journey first met `test`, or undefined. */
function firstAt(life: Life, test: (facts: Record<string, unknown>, stage: string) => boolean): string | undefined {
  return life.steps.find((s) => test(s.facts, s.stage))?.at;
}

const count = (lives: readonly Life[]): Count => ({ count: lives.length, journeyIds: lives.map((l) => l.journeyId).sort() });
const share = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 1000);
const daysBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;

function distribution(values: readonly number[]): Distribution {
  if (values.length === 0) return { count: 0, mean: null, median: null, p90: null, longest: null };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    count: sorted.length,
    mean: round(sorted.reduce((a, b) => a + b, 0) / sorted.length),
    median: round(rank(0.5)),
    p90: round(rank(0.9)),
    longest: round(sorted.at(-1)!),
  };
}

function funnel(cohort: readonly Life[], steps: readonly [string, (life: Life) => string | undefined][], to: string): FunnelStep[] {
  let previous: number | undefined;
  return steps.map(([step, reachedAt]) => {
    const reached = cohort.filter((l) => {
      const at = reachedAt(l);
      return at !== undefined && at < to;
    });
    const result = { step, ...count(reached), conversion: previous === undefined ? null : share(reached.length, previous) };
    previous = reached.length;
    return result;
  });
}

function grouped(lives: readonly Life[], key: (life: Life) => string | undefined): Record<string, Count> {
  const groups = new Map<string, Life[]>();
  for (const life of lives) {
    const k = key(life);
    if (k !== undefined) groups.set(k, [...(groups.get(k) ?? []), life]);
  }
  return Object.fromEntries([...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, ls]) => [k, count(ls)]));
}

/** Was the journey at `stage` at some moment of the period (at its start, or on entering it within)? */
function wasIn(life: Life, stage: string, from: string, to: string): boolean {
  const atStart = [...life.steps].reverse().find((s) => s.at <= from);
  return atStart?.stage === stage || life.steps.some((s) => s.stage === stage && s.at >= from && s.at < to);
}

const within = (at: unknown, from: string, to: string): boolean => typeof at === 'string' && at >= from && at < to;
const str = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** The scheme report, reading the journeys in this thread (./parallel.ts reads them on every core). */
export function schemeReport(journeys: readonly Journey[], options: SchemeReportOptions): SchemeReport {
  const readings = journeys.map((j, i) => {
    const reading = readJourney(j, options.to);
    options.onProgress?.(i + 1, journeys.length);
    return reading;
  });
  return schemeReportOf(readings, options);
}

/** The scheme report, reading the journeys on every core (the same figures, sooner for a large scheme). */
export async function schemeReportInParallel(journeys: readonly Journey[], options: SchemeReportOptions & { threads?: number }): Promise<SchemeReport> {
  const readings = await readJourneys(journeys, options.to, { ...(options.threads ? { threads: options.threads } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
  return schemeReportOf(readings, options);
}

/** The scheme report from journeys already read up to the period's end (`readJourney`). */
export function schemeReportOf(readings: readonly JourneyReading[], options: SchemeReportOptions): SchemeReport {
  const { from, to, policy } = options;
  const all = readings.flatMap((r) => (r.life ? [r.life] : []));
  const lives = options.coordinatorId ? all.filter((l) => l.coordinatorId === options.coordinatorId) : all;
  const ofKind = (kind: JourneyKind) => lives.filter((l) => l.kind === kind);
  const youngPeople = ofKind('youngPerson');
  const volunteers = ofKind('volunteer');
  const matches = ofKind('match');
  const youngPersonById = new Map(all.filter((l) => l.kind === 'youngPerson').map((l) => [l.journeyId, l]));

  // The young people referred in the period, followed to its end.
  const cohort = youngPeople.filter((l) => within(l.startedAt, from, to));
  const peopleFunnel = funnel(
    cohort,
    [
      ['referred', (l) => l.startedAt],
      ['first contact', (l) => str(l.final.firstContactAt)],
      ['consent', (l) => firstAt(l, (f) => f.consent === 'given')],
      ['ready', (l) => str(l.final.readySince)],
      ['proposed', (l) => firstAt(l, (f) => f.proposedMatchId !== null || f.currentMatchId !== null || (f.pastMatchIds as unknown[]).length > 0)],
      ['matched', (l) => firstAt(l, (f) => f.currentMatchId !== null || (f.pastMatchIds as unknown[]).length > 0)],
      ['formally ended', (l) => firstAt(l, (f) => (f.pastMatchIds as unknown[]).length > 0)],
    ],
    to,
  );
  const closedInPeriod = cohort.filter((l) => within((l.final.closure as { at?: string } | null)?.at, from, to));
  const withdrawals = grouped(
    closedInPeriod.filter((l) => !['matchEnded', 'notEligible'].includes(String((l.final.closure as { reason?: string }).reason))),
    (l) => (l.final.closure as { reason: string }).reason,
  );

  const informal = cohort.filter((l) => firstAt(l, (_f, stage) => stage === 'informalSupport') !== undefined);
  const movedToFormal = informal.filter((l) => {
    const supported = firstAt(l, (_f, stage) => stage === 'informalSupport')!;
    const ready = str(l.final.readySince);
    return ready !== undefined && ready > supported && ready < to;
  });

  // Volunteers who enquired in the period, followed to its end.
  const enquired = volunteers.filter((l) => within(l.startedAt, from, to));
  const pastVetting = new Set(['training', 'suitabilityReview', 'supportGroup', 'peerCriteria', 'available', 'matched']);
  const volunteerFunnel = funnel(
    enquired,
    [
      ['enquired', (l) => l.startedAt],
      ['vetted', (l) => firstAt(l, (_f, stage) => pastVetting.has(stage))],
      ['trained', (l) => str(l.final.trainingCompletedAt)],
      ['suitable', (l) => firstAt(l, (f) => f.suitability === 'ready')],
      ['matched', (l) => firstAt(l, (_f, stage) => stage === 'matched')],
    ],
    to,
  );
  const trained = volunteers.filter((l) => within(l.final.trainingCompletedAt, from, to));
  // Volunteers taken on (past the interview) at some moment of the period: turnover's denominator.
  const inSchemeDuring = volunteers.filter((l) => {
    const joined = firstAt(l, (_f, stage) => !['enquiry', 'application', 'interview', 'exited'].includes(stage));
    return joined !== undefined && joined < to && !(l.finalStage === 'exited' && String((l.final.exit as { at?: string } | null)?.at) < from);
  });
  // Each exit counts, a volunteer who left, came back and left again twice.
  const exitEvents = volunteers.flatMap((l) =>
    l.steps.flatMap((step, i) =>
      step.stage === 'exited' && l.steps[i - 1]?.stage !== 'exited' && within(step.at, from, to)
        ? [{ life: l, reason: String((step.facts.exit as { reason?: string } | null)?.reason ?? 'unknown') }]
        : [],
    ),
  );
  const in90Days = addDuration(to, parseDuration('90 days')!);
  const expiring = volunteers.filter((l) => {
    const check = l.final.check as { standing?: string; expiresOn?: string } | null;
    return check?.standing === 'valid' && l.finalStage !== 'exited' && typeof check.expiresOn === 'string' && `${check.expiresOn}T00:00:00.000Z` >= to && `${check.expiresOn}T00:00:00.000Z` < in90Days;
  });

  // Matches: started in the period (time to match), ended in it (length, endings).
  const started = matches.filter((l) => within(l.final.matchStartedAt, from, to));
  const toMatch = started.flatMap((m) => {
    const yp = youngPersonById.get(String(m.final.youngPersonId));
    return yp ? [daysBetween(yp.startedAt, String(m.final.matchStartedAt))] : [];
  });
  const ended = matches.filter((l) => within(l.final.endedAt, from, to) && typeof l.final.matchStartedAt === 'string');
  const lengths = ended.map((m) => daysBetween(String(m.final.matchStartedAt), String(m.final.endedAt)));
  const plannedLength = policy.reports.plannedMatchLength;
  const early = ended.filter((m) => String(m.final.endedAt) < addDuration(String(m.final.matchStartedAt), plannedLength));
  const decided = matches.filter((l) => within(l.final.endingDecidedAt, from, to));
  const recorded = decided.filter((l) => typeof l.final.endedAt === 'string' && String(l.final.endedAt) < to);

  // Practice held against due in the period: each duty counts in the period it fell due in, held
  // when it was met on time (the compliance rules' own reading of the histories).
  const mine = (r: JourneyReading) => !options.coordinatorId || r.coordinatorId === options.coordinatorId;
  const practice = practiceRules.flatMap((id) => {
    const rule = rules.find((r) => r.id === id);
    if (!rule) return [];
    const duties = readings
      .filter(mine)
      .flatMap((r) => (r.duties[id] ?? []).filter((d) => within(d.dueAt, from, to)).map((d) => ({ ...d, journeyId: r.journeyId })));
    const held = duties.filter((d) => d.metOnTime);
    return [{ rule: id, title: rule.title, due: duties.length, held: held.length, journeyIds: [...new Set(duties.map((d) => d.journeyId))].sort() }];
  });
  const raised = lives.filter((l) => l.nudges.some((n) => within(n.raisedAt, from, to)));
  const escalated = lives.filter((l) => l.escalations.some((e) => within(e.at, from, to)));
  const resolvedNudges = lives.flatMap((l) => l.nudges.filter((n) => within(n.resolvedAt, from, to)).map((n) => ({ life: l, hours: (Date.parse(n.resolvedAt!) - Date.parse(n.raisedAt)) / 3_600_000 })));
  const resolvedLives = [...new Set(resolvedNudges.map((r) => r.life))];
  const nudgeCount = (list: readonly Life[], n: number): Count => ({ count: n, journeyIds: count(list).journeyIds });

  // The headline, in the seeds' words.
  const inFormal = youngPeople.filter((l) => wasIn(l, 'inMatch', from, to));
  const inInformal = youngPeople.filter((l) => wasIn(l, 'informalSupport', from, to));
  const months = distribution(lengths).mean;
  const headline = [
    `${trained.length} ${trained.length === 1 ? 'mentor' : 'mentors'} trained`,
    `${inFormal.length} young ${inFormal.length === 1 ? 'person' : 'people'} in formal and ${inInformal.length} in informal mentoring`,
    months === null ? 'no relationship ended' : `relationships lasted ${Math.round((months / 30.44) * 10) / 10} months on average`,
  ].join('; ');
  const eligible = options.eligibleCareLeavers ?? null;
  const divisor = policy.reports.needRuleOfThumbDivisor;

  return {
    period: { from, to },
    coordinatorId: options.coordinatorId ?? null,
    need: {
      eligibleCareLeavers: eligible,
      likelyToWantMentoring: eligible === null ? null : Math.round(eligible / divisor),
      ruleOfThumbDivisor: divisor,
      referred: cohort.length,
      matched: peopleFunnel.find((s) => s.step === 'matched')!.count,
    },
    funnel: peopleFunnel,
    withdrawals,
    informalSupport: {
      youngPeople: count(informal),
      tasks: informal.reduce((n, l) => n + Number(l.final.informalTasks ?? 0), 0),
      groupActivities: informal.reduce((n, l) => n + Number(l.final.groupActivities ?? 0), 0),
      movedToFormalMentoring: count(movedToFormal),
    },
    volunteers: {
      funnel: volunteerFunnel,
      trainedInPeriod: {
        ...count(trained),
        hours: trained.reduce((n, l) => n + Number(l.final.trainingHours ?? 0), 0),
        topics: Object.fromEntries(
          [...new Set(trained.flatMap((l) => (l.final.trainingTopicsCovered as string[] | undefined) ?? []))]
            .sort()
            .map((topic) => [topic, trained.filter((l) => ((l.final.trainingTopicsCovered as string[] | undefined) ?? []).includes(topic)).length]),
        ),
      },
      turnoverPerYear: inSchemeDuring.length === 0 ? null : Math.round((exitEvents.filter((e) => e.reason !== 'notProceeded').length / inSchemeDuring.length) * (365 / Math.max(1, daysBetween(from, to))) * 1000) / 1000,
      exits: Object.fromEntries(
        [...new Set(exitEvents.map((e) => e.reason))].sort().map((reason) => {
          const these = exitEvents.filter((e) => e.reason === reason);
          return [reason, { count: these.length, journeyIds: [...new Set(these.map((e) => e.life.journeyId))].sort() }];
        }),
      ),
      checksExpiringWithin90Days: count(expiring),
    },
    matches: {
      started: count(started),
      daysReferralToMatch: distribution(toMatch),
      ended: count(ended),
      lengthDays: distribution(lengths),
      earlyClosures: { ...count(early), share: share(early.length, ended.length), plannedLength: plannedLength.text },
      endingReasons: grouped(ended, (l) => str(l.final.endingReason)),
      planned: count(ended.filter((l) => l.final.endingPlanned === true)),
      unplanned: count(ended.filter((l) => l.final.endingPlanned === false)),
      endingsDecided: count(decided),
      formalEndingRecorded: { ...count(recorded), share: share(recorded.length, decided.length) },
    },
    practice,
    nudges: {
      raised: nudgeCount(raised, lives.reduce((n, l) => n + l.nudges.filter((x) => within(x.raisedAt, from, to)).length, 0)),
      escalated: nudgeCount(escalated, lives.reduce((n, l) => n + l.escalations.filter((x) => within(x.at, from, to)).length, 0)),
      resolved: nudgeCount(resolvedLives, resolvedNudges.length),
      medianHoursToResolve: distribution(resolvedNudges.map((r) => r.hours)).median,
    },
    headline,
    series: {
      daysReferralToMatch: toMatch.map((d) => Math.round(d)).sort((a, b) => a - b),
      matchLengthDays: lengths.map((d) => Math.round(d)).sort((a, b) => a - b),
      nudgesByMonth: nudgesByMonth(lives, from, to),
    },
  };
}

/** Nudges raised and escalated in each calendar month of the period. */
function nudgesByMonth(lives: readonly Life[], from: string, to: string): { month: string; raised: number; escalated: number }[] {
  const months = new Map<string, { raised: number; escalated: number }>();
  for (let m = from.slice(0, 7); `${m}-01` < to.slice(0, 10); ) {
    months.set(m, { raised: 0, escalated: 0 });
    const [y, mo] = m.split('-').map(Number) as [number, number];
    m = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
  }
  for (const life of lives) {
    for (const n of life.nudges) if (within(n.raisedAt, from, to)) months.get(n.raisedAt.slice(0, 7))!.raised++;
    for (const e of life.escalations) if (within(e.at, from, to)) months.get(e.at.slice(0, 7))!.escalated++;
  }
  return [...months.entries()].map(([month, c]) => ({ month, ...c }));
}
