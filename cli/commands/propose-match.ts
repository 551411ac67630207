/** `propose-match`: the volunteer's journey judges every gate and, if all are met, starts the match. */
import { JourneyNotFoundError, type Journeys } from '../../client/journeys';
import type { JourneyStatus } from '../../contracts/messages';
import { booleanOf, refuseExtraArguments, requireString, stringOf } from '../args';
import { asOption, type Command } from '../command';
import { formatInstant } from '../format';

export const proposeMatchCommand: Command = {
  name: 'propose-match',
  aliases: ['match propose'],
  summary: 'propose a match between a young person and a volunteer (refused, with reasons, unless every gate is met)',
  usage: 'npx mentorflow propose-match --young-person <id> --volunteer <id> [--match-id <id>] [--propose-again]',
  options: {
    ...asOption,
    youngPerson: { type: 'string', value: '<id>', description: "the young person's journey id" },
    volunteer: { type: 'string', value: '<id>', description: "the volunteer's journey id" },
    matchId: { type: 'string', value: '<id>', description: 'an opaque id for the match (default: a new random one, m-...)' },
    proposeAgain: { type: 'boolean', description: "the co-ordinator decides the young person's previous mentor may be proposed again" },
  },
  examples: ['npx mentorflow propose-match --as coordinator:co-1 --young-person yp-7k3m9q2x4d --volunteer vol-2b8d0f1h3k'],
  details: [
    'The gates: the volunteer vetted (a clear check in force, references), trained, found ready, the',
    'peer-mentor criteria and age gap for a peer mentor, a free place; the young person waiting for a match,',
    'some time in the week when both are free, not declined before, no safeguarding ending between them,',
    'and not their previous mentor unless --propose-again. To choose: npx mentorflow shortlist <youngPersonId>',
    'Prints the new match id; then record the introduction: npx mentorflow introduction <matchId> --format ...',
  ],
  async run(args, ctx) {
    refuseExtraArguments(args.positionals, 'propose-match');
    const by = ctx.actor(args, 'propose-match');
    const youngPersonId = requireString(args, 'youngPerson', "the young person's journey id", 'propose-match');
    const volunteerId = requireString(args, 'volunteer', "the volunteer's journey id", 'propose-match');
    const matchId = stringOf(args, 'matchId');
    const journeys = await ctx.journeys();
    const proposeAgain = booleanOf(args, 'proposeAgain') === true;
    const result = await journeys.proposeMatch({ youngPersonId, volunteerId, by, ...(matchId ? { matchId } : {}), ...(proposeAgain ? { proposeAgain } : {}) });
    const match = await matchJourneyOnceStarted(journeys, result.matchId);
    if (ctx.json) {
      ctx.print('', { ...result, match });
    } else {
      ctx.out(result.matchId);
      if (!match) ctx.err(`The match journey ${result.matchId} is still starting: its status will be there in a moment.`);
      const next = result.volunteer.due[0];
      ctx.err(
        `Match ${result.matchId} proposed: young person ${youngPersonId} with volunteer ${volunteerId}; the match journey has started.\n` +
          (next ? `Volunteer's next due: ${next.what}, ${formatInstant(next.dueAt)}.\n` : '') +
          `Next: npx mentorflow introduction ${result.matchId} --format groupEvent|personalMeeting|paperProfile`,
      );
    }
    return 0;
  },
};

/**
 * The volunteer's journey starts the match journey just after accepting the proposal. Wait (a few
 * seconds at most) until it answers, so that the next command, e.g. the introduction, finds it.
 */
async function matchJourneyOnceStarted(journeys: Journeys, matchId: string, waitMs = 10_000): Promise<JourneyStatus | null> {
  const until = Date.now() + waitMs;
  for (;;) {
    try {
      return await journeys.status('match', matchId);
    } catch (error) {
      if (!(error instanceof JourneyNotFoundError)) throw error;
      if (Date.now() > until) return null;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
