/**
 * Matching help: `shortlist` for one young person and `match-plan` across the waiting list. Both
 * only read and explain; the co-ordinator proposes with `propose-match` (docs/matching.md).
 */
import type { MatchPlan, Shortlist } from '../../matching';
import { booleanOf, refuseExtraArguments } from '../args';
import { asOption, type Command } from '../command';
import { UsageError } from '../errors';
import { table } from '../format';

const points = (n: number) => (Math.round(n * 100) / 100).toString();

export const shortlistCommand: Command = {
  name: 'shortlist',
  summary: 'the volunteers who may be proposed to a young person, best first, each with its reasons',
  usage: 'npx mentorflow shortlist <youngPersonId> [--excluded] [--propose-again] [--json]',
  options: {
    ...asOption,
    excluded: { type: 'boolean', description: 'also list the volunteers left off, each with the rule that keeps them off' },
    proposeAgain: { type: 'boolean', description: "the co-ordinator decides the young person's previous mentor may be proposed again" },
  },
  examples: ['npx mentorflow shortlist yp-7k3m9q2x4d', 'npx mentorflow shortlist yp-7k3m9q2x4d --excluded --json'],
  details: [
    'Every volunteer found ready (available, or matched with room) is judged by the same gates as a',
    'proposal, then scored on shared interests and languages, gender preference, area, availability,',
    "the volunteer's waiting time and peer preference (weights: the policy's matching.weights).",
    'Nothing is proposed: npx mentorflow propose-match --young-person <id> --volunteer <id>',
  ],
  async run(args, ctx) {
    const [youngPersonId, ...extra] = args.positionals;
    refuseExtraArguments(extra, 'shortlist');
    if (!youngPersonId) throw new UsageError("whose shortlist? shortlist <youngPersonId>", 'shortlist');
    const by = ctx.actor(args, 'shortlist');
    const list = await (await ctx.journeys()).shortlist(youngPersonId, { by, ...(booleanOf(args, 'proposeAgain') ? { proposeAgain: true } : {}) });
    ctx.print(shortlistLines(list, booleanOf(args, 'excluded') === true), list);
    return 0;
  },
};

export function shortlistLines(list: Shortlist, withExcluded: boolean): string[] {
  const lines =
    list.entries.length === 0
      ? [`No volunteer may be proposed to ${list.youngPersonId} now (${list.excluded.length} judged; --excluded shows why).`]
      : [
          `Shortlist for ${list.youngPersonId}: ${list.entries.length} of ${list.entries.length + list.excluded.length} volunteers may be proposed`,
          ...table([
            ['', 'volunteer', 'type', 'score', 'why'],
            ...list.entries.map((e, i) => [String(i + 1), e.volunteerId, e.volunteerType, points(e.score), e.reasons.join('; ') || '(nothing in common recorded)']),
          ]),
          '',
          `Propose: npx mentorflow propose-match --young-person ${list.youngPersonId} --volunteer ${list.entries[0]!.volunteerId}`,
        ];
  if (withExcluded && list.excluded.length > 0) {
    lines.push('', 'Left off:', ...list.excluded.map((e) => `  ${e.volunteerId}: ${e.reasons.join('; ')}`));
  }
  return lines;
}

export const matchPlanCommand: Command = {
  name: 'match-plan',
  summary: 'the best assignment across the waiting list, for the co-ordinator to review (proposes nothing)',
  usage: 'npx mentorflow match-plan [--json]',
  options: { ...asOption },
  examples: ['npx mentorflow match-plan', 'npx mentorflow match-plan --json > plan.json'],
  details: [
    'Every young person waiting and every volunteer with a free place: the assignment with the highest',
    "total score that keeps every proposal gate and capacity; those who have waited longest come first",
    '(docs/matching.md says how). Each young person left unmatched is listed with the reason.',
  ],
  async run(args, ctx) {
    refuseExtraArguments(args.positionals, 'match-plan');
    const by = ctx.actor(args, 'match-plan');
    const plan = await (await ctx.journeys()).matchPlan({ by });
    ctx.print(planLines(plan), plan);
    return 0;
  },
};

const whyWords = { noEligibleVolunteer: 'no volunteer may be proposed', allTaken: 'every volunteer who may be proposed is planned for someone else' };

export function planLines(plan: MatchPlan): string[] {
  const lines: string[] = [
    `Match plan: ${plan.pairs.length} pair${plan.pairs.length === 1 ? '' : 's'}, total score ${points(plan.totalScore)}; ${plan.unmatched.length} young ${plan.unmatched.length === 1 ? 'person' : 'people'} left waiting. Nothing has been proposed.`,
  ];
  if (plan.pairs.length > 0) {
    lines.push(
      ...table([
        ['young person', 'volunteer', 'score', 'waiting priority', 'why'],
        ...plan.pairs.map((p) => [p.youngPersonId, p.volunteerId, points(p.score), points(p.waitingPriority), p.reasons.join('; ') || '(nothing in common recorded)']),
      ]),
    );
  }
  if (plan.unmatched.length > 0) {
    lines.push('', 'Left waiting:');
    for (const u of plan.unmatched) {
      const detail = u.why === 'noEligibleVolunteer' && u.reasons.length > 0 ? `: ${u.reasons.map((r) => `${r.reason} (${r.volunteers})`).join('; ')}` : '';
      lines.push(`  ${u.youngPersonId}: ${whyWords[u.why]}${detail}`);
    }
  }
  if (plan.placesLeft.length > 0) {
    lines.push('', `Places left: ${plan.placesLeft.map((p) => `${p.volunteerId} (${p.places})`).join(', ')}`);
  }
  if (plan.pairs.length > 0) lines.push('', 'Propose each pair you agree with: npx mentorflow propose-match --young-person <id> --volunteer <id>');
  return lines;
}
