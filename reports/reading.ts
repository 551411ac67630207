/**
 * One journey as the scheme report reads it, in plain data: what it was at each step (stage and
 * facts), the nudges it raised and when they closed, and the practice duties the compliance rules
 * find in it. The machine is re-run over the history once, here; everything after works on these
 * readings, which can be made in worker threads (./parallel.ts) and sent back as they are.
 */
import type { NotifyParams } from '../machines/journey';
import type { JourneyKind } from '../machines/journey';
import { definitionOf } from '../machines/registry';
import { journeyFacts } from '../audit/compliance/report';
import { rules, type Duty } from '../audit/compliance/rules';
import type { Journey } from '../audit/journey-history';
import type { JourneyStep } from '../audit/mirror';

/** The practice duties the report counts, as the compliance rules name them. */
export const practiceRules = ['match.checkIns', 'match.reviews', 'volunteer.supervision'] as const;
export type PracticeRule = (typeof practiceRules)[number];

export interface Life {
  kind: JourneyKind;
  journeyId: string;
  coordinatorId: string;
  startedAt: string;
  steps: { at: string; stage: string; facts: Record<string, unknown> }[];
  final: Record<string, unknown>;
  finalStage: string;
  nudges: { about: string; raisedAt: string; resolvedAt?: string }[];
  escalations: { about: string; at: string }[];
}

export interface JourneyReading {
  kind: JourneyKind;
  journeyId: string;
  coordinatorId: string;
  /** Undefined for a journey whose history holds no step yet. */
  life: Life | undefined;
  /** Each practice rule's duties in this journey, up to `asOf`. */
  duties: Partial<Record<PracticeRule, Duty[]>>;
}

/** Read one journey up to `asOf` (the end of the report's period). */
export function readJourney(journey: Journey, asOf: string): JourneyReading {
  const facts = journeyFacts(journey);
  const duties: JourneyReading['duties'] = {};
  for (const id of practiceRules) {
    const rule = rules.find((r) => r.id === id);
    if (rule && rule.kind === facts.kind) duties[id] = rule.check(facts, asOf).duties ?? [];
  }
  const first = journey.runs[0]!;
  return { kind: journey.kind, journeyId: journey.journeyId, coordinatorId: first.input.start.coordinatorId, life: lifeOf(journey, facts.steps), duties };
}

function lifeOf(journey: Journey, steps: JourneyStep[]): Life | undefined {
  const first = journey.runs[0]!;
  const definition = definitionOf(journey.kind, first.input.machineVersion ?? 1);
  if (steps.length === 0) return undefined;
  const read = steps.map((s) => ({ at: s.at, stage: s.stageAfter, facts: definition.summary(s.snapshot) as Record<string, unknown> }));
  const nudges: Life['nudges'] = [];
  const escalations: Life['escalations'] = [];
  let open = new Set<string>();
  for (const step of steps) {
    for (const effect of step.effects) {
      const about = (effect.params as NotifyParams | undefined)?.about;
      if (effect.type === 'nudgeCoordinator' && about) nudges.push({ about, raisedAt: step.at });
      if (effect.type === 'escalateToLead' && about) escalations.push({ about, at: step.at });
    }
    const now = new Set(step.openNudges);
    for (const about of open) {
      if (now.has(about)) continue;
      const raised = [...nudges].reverse().find((n) => n.about === about && n.resolvedAt === undefined);
      if (raised) raised.resolvedAt = step.at;
    }
    open = now;
  }
  const last = read.at(-1)!;
  return {
    kind: journey.kind,
    journeyId: journey.journeyId,
    coordinatorId: first.input.start.coordinatorId,
    startedAt: first.input.start.startedAt,
    steps: read,
    final: last.facts,
    finalStage: last.stage,
    nudges,
    escalations,
  };
}
