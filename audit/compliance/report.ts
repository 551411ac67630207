/**
 * Compliance across a set of histories: every rule (./rules.ts) checked on every journey it applies
 * to, against the policy that journey kept; every breach with its journey, rule and date; a summary
 * per rule and per quality-standard area; and the figures an evaluator asks for.
 */
import type { JourneyKind } from '../../machines/journey';
import type { MatchContext } from '../../machines/match';
import type { YoungPersonContext } from '../../machines/young-person';
import type { Journey } from '../journey-history';
import { mirrorRun, type JourneyStep, type MirroredRun } from '../mirror';
import { daysBetween } from './deadlines';
import { importedAtOf, rules as allRules, type JourneyFacts, type Rule } from './rules';
import { apsLabel, apsRequirements, mentorStandards, type ApsRequirement, type MentorStandard } from './standards';

export interface Breach {
  rule: string;
  kind: JourneyKind;
  journeyId: string;
  workflowId: string;
  /** When the breach happened (ISO 8601): the deadline that passed, or the event that broke the rule. */
  date: string;
  dueAt?: string;
  doneAt?: string;
  detail: string;
  matchId?: string;
  sessionId?: string;
  mentor: MentorStandard;
  aps: ApsRequirement;
}

export interface RuleSummary {
  id: string;
  title: string;
  kind: JourneyKind;
  mentor: MentorStandard;
  aps: ApsRequirement;
  /** The rule as each policy in the set states it (one line per distinct wording). */
  clauses: string[];
  journeys: number;
  checked: number;
  breaches: number;
  /** Share of the times checked that were met, 0-1 (null when never checked). */
  metShare: number | null;
}

export interface AreaSummary {
  area: string;
  label: string;
  rules: string[];
  checked: number;
  breaches: number;
  metShare: number | null;
}

export interface Figures {
  referrals: number;
  notEligible: number;
  /** Median whole days from referral to first contact. */
  medianDaysReferralToFirstContact: number | null;
  youngPeopleMatched: number;
  /** Median whole days from referral to the start of the young person's first match. */
  medianDaysReferralToMatch: number | null;
  matchesProposed: number;
  matchesStarted: number;
  matchesDeclined: number;
  /** Median whole days from the start of a match to its formal ending, for ended matches. */
  medianMatchDays: number | null;
  endingsDecided: number;
  endingsFormallyRecorded: number;
  /** Share of decided endings formally recorded (0-1). */
  shareEndingsFormallyRecorded: number | null;
  shareEndingsRecordedOnTime: number | null;
  /** Share of recorded endings that were unplanned (early closure). */
  shareEndingsUnplanned: number | null;
  endingReasons: Record<string, number>;
  supervisionSessionsDue: number;
  supervisionSessionsHeld: number;
}

export interface ComplianceReport {
  /** The date the report judges open deadlines at. */
  asOf: string;
  journeys: Record<JourneyKind, number>;
  schemes: string[];
  rules: RuleSummary[];
  mentor: AreaSummary[];
  aps: AreaSummary[];
  breaches: Breach[];
  figures: Figures;
  /** What the histories cannot show, and how to read the figures. */
  notes: string[];
}

export interface ComplianceOptions {
  /**
   * Judge open deadlines at this date (ISO 8601). Default: the latest event in the set (the
   * moment the histories were exported, as near as the histories can tell).
   */
  asOf?: string;
  rules?: readonly Rule[];
  /** The journeys' facts, when the caller has already re-run them (the scheme report does). */
  facts?: readonly JourneyFacts[];
}

/** One journey's facts: its runs re-run through the machine, steps in order. */
export function journeyFacts(journey: Journey, mirrored: readonly MirroredRun[] = journey.runs.map(mirrorRun)): JourneyFacts {
  const first = journey.runs[0]!;
  return {
    journey,
    kind: journey.kind,
    journeyId: journey.journeyId,
    workflowId: journey.workflowId,
    policy: first.input.policy,
    steps: mirrored.flatMap((m) => m.steps),
    lastEventAt: journey.runs[journey.runs.length - 1]!.lastEventAt,
  };
}

export function complianceReport(journeys: readonly Journey[], options: ComplianceOptions = {}): ComplianceReport {
  const rules = options.rules ?? allRules;
  const facts = options.facts ?? journeys.map((j) => journeyFacts(j));
  const asOf = options.asOf ?? facts.map((f) => f.lastEventAt).sort().at(-1) ?? new Date(0).toISOString();
  const breaches: Breach[] = [];
  const summaries: RuleSummary[] = rules.map((rule) => {
    const applicable = facts.filter((f) => f.kind === rule.kind);
    let checked = 0;
    let count = 0;
    for (const f of applicable) {
      const result = rule.check(f, asOf);
      checked += result.checked;
      count += result.breaches.length;
      for (const b of result.breaches) {
        breaches.push({ rule: rule.id, kind: f.kind, journeyId: f.journeyId, workflowId: f.workflowId, ...b, mentor: rule.mentor, aps: rule.aps });
      }
    }
    return {
      id: rule.id,
      title: rule.title,
      kind: rule.kind,
      mentor: rule.mentor,
      aps: rule.aps,
      clauses: [...new Set(applicable.map((f) => rule.clause(f.policy)))],
      journeys: applicable.length,
      checked,
      breaches: count,
      metShare: share(Math.max(0, checked - count), checked),
    };
  });
  breaches.sort((a, b) => a.date.localeCompare(b.date) || a.workflowId.localeCompare(b.workflowId) || a.rule.localeCompare(b.rule));
  const area = <K extends string>(key: K, label: string, of: (r: RuleSummary) => K): AreaSummary => {
    const inArea = summaries.filter((r) => of(r) === key);
    const checked = inArea.reduce((n, r) => n + r.checked, 0);
    const count = inArea.reduce((n, r) => n + r.breaches, 0);
    return { area: key, label, rules: inArea.map((r) => r.id), checked, breaches: count, metShare: share(Math.max(0, checked - count), checked) };
  };
  const count = (kind: JourneyKind) => facts.filter((f) => f.kind === kind).length;
  return {
    asOf,
    journeys: { youngPerson: count('youngPerson'), volunteer: count('volunteer'), match: count('match') },
    schemes: [...new Set(facts.map((f) => f.policy.schemeId))].sort(),
    rules: summaries,
    mentor: (Object.keys(mentorStandards) as MentorStandard[]).map((k) => area(k, `MENTOR: ${mentorStandards[k]}`, (r) => r.mentor)),
    aps: (Object.keys(apsRequirements) as ApsRequirement[]).map((k) => area(k, apsLabel(k), (r) => r.aps)),
    breaches,
    figures: figuresOf(facts, summaries, breaches),
    notes: [
      'Each journey is judged against the policy in its own start input: the policy in force when it began.',
      `Deadlines still open are judged at ${asOf}; a deadline after that date is not yet due and is not counted.`,
      'A refused event (an unmet gate, invalid input) leaves no trace in a Temporal history: the proposal rules can only show that no match was accepted without its gates, which is what the gates enforce.',
      'Volunteers whose check expired while they had no match are not counted under checks acted upon: the expired check itself closes the gate to new matches.',
    ],
  };
}

function share(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const firstStep = (steps: JourneyStep[], test: (s: JourneyStep) => boolean) => steps.find(test);

function figuresOf(facts: readonly JourneyFacts[], summaries: RuleSummary[], breaches: Breach[]): Figures {
  const youngPeople = facts.filter((f) => f.kind === 'youngPerson');
  const matches = facts.filter((f) => f.kind === 'match');
  const notEligible = youngPeople.filter((f) => f.steps.at(-1)?.stageAfter === 'notEligible').length;
  const toContact: number[] = [];
  const toMatch: number[] = [];
  for (const f of youngPeople) {
    const c = f.steps.at(-1)?.snapshot.context as YoungPersonContext | undefined;
    if (!c) continue;
    // An import records first contact on the day of the import, not the day it happened.
    if (c.firstContactAt && !importedAtOf(f)) toContact.push(daysBetween(c.startedAt, c.firstContactAt));
    const matched = firstStep(f.steps, (s) => s.outcome === 'applied' && s.event?.type === 'match.started');
    if (matched) toMatch.push(daysBetween(c.startedAt, matched.at));
  }
  const finals = matches.map((f) => ({ f, c: f.steps.at(-1)?.snapshot.context as MatchContext | undefined, stage: f.steps.at(-1)?.stageAfter }));
  const started = finals.filter((m) => m.c?.acceptedAt);
  const lengths = started.filter((m) => m.c?.formalEnding).map((m) => daysBetween(m.c!.acceptedAt!, m.c!.formalEnding!.recordedAt));
  const decided = finals.filter((m) => m.c?.ending || m.c?.formalEnding);
  const recorded = finals.filter((m) => m.c?.formalEnding);
  const endingRule = summaries.find((r) => r.id === 'match.formalEnding');
  const lateEndings = breaches.filter((b) => b.rule === 'match.formalEnding' && b.doneAt).length;
  const reasons: Record<string, number> = {};
  for (const m of recorded) reasons[m.c!.formalEnding!.reason] = (reasons[m.c!.formalEnding!.reason] ?? 0) + 1;
  const supervision = summaries.find((r) => r.id === 'volunteer.supervision');
  const supervisionBreaches = breaches.filter((b) => b.rule === 'volunteer.supervision');
  const heldLate = supervisionBreaches.filter((b) => b.doneAt).length;
  return {
    referrals: youngPeople.length,
    notEligible,
    medianDaysReferralToFirstContact: median(toContact),
    youngPeopleMatched: toMatch.length,
    medianDaysReferralToMatch: median(toMatch),
    matchesProposed: matches.length,
    matchesStarted: started.length,
    matchesDeclined: finals.filter((m) => m.stage === 'declined').length,
    medianMatchDays: median(lengths),
    endingsDecided: decided.length,
    endingsFormallyRecorded: recorded.length,
    shareEndingsFormallyRecorded: share(recorded.length, decided.length),
    shareEndingsRecordedOnTime: endingRule ? share(recorded.length - lateEndings, decided.length) : null,
    shareEndingsUnplanned: share(recorded.filter((m) => !m.c!.formalEnding!.planned).length, recorded.length),
    endingReasons: reasons,
    supervisionSessionsDue: supervision?.checked ?? 0,
    supervisionSessionsHeld: (supervision?.checked ?? 0) - supervisionBreaches.length + heldLate,
  };
}
