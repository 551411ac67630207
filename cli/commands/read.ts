/** Reading: a journey's status, a co-ordinator's caseload, and what is due across the scheme. */
import { plainWords } from '../../presentation/words';
import type { JourneyListing, Journeys } from '../../client/journeys';
import { sortByDue } from '../../client/due-order';
import { booleanOf, refuseExtraArguments, stringOf } from '../args';
import { asOption, kindOption, type Command } from '../command';
import { UsageError } from '../errors';
import { formatPersonal, formatStatus, listingOverdue, listingRows, table } from '../format';
import { kindFromPrefix, resolveKind } from '../kinds';

export const statusCommand: Command = {
  name: 'status',
  summary: "a journey's stage, what is due next and when, open nudges, decisions and failures",
  usage: 'npx mentorflow status <journeyId> [--kind young-person|volunteer|match] [--personal] [--json]',
  options: {
    ...kindOption,
    personal: { type: 'boolean', description: 'also show the personal details (name, contact, date of birth, own words, notes), if your role may see them' },
  },
  examples: ['npx mentorflow status yp-7k3m9q2x4d', 'npx mentorflow status yp-7k3m9q2x4d --personal', 'npx mentorflow status vol-2b8d0f1h3k --json'],
  details: [
    '--json prints the status exactly as the journey reports it (docs/status.md); with --personal, under "personal".',
    'Personal details are shown only when asked for, and only to those allowed (docs/privacy.md); an erased',
    'person\'s details read "[erased on <date>]".',
  ],
  async run(args, ctx) {
    const [journeyId, ...extra] = args.positionals;
    if (!journeyId) throw new UsageError('give the journey id: status <journeyId>', 'status');
    refuseExtraArguments(extra, 'status');
    const explicit = stringOf(args, 'kind');
    const kind = await resolveKind(journeyId, explicit, explicit || kindFromPrefix(journeyId) ? undefined : await ctx.journeys());
    const journeys = await ctx.journeys();
    const status = await journeys.status(kind, journeyId);
    if (booleanOf(args, 'personal') !== true) {
      ctx.print(formatStatus(status, ctx.now()), status);
      return 0;
    }
    const personal = await journeys.personal(kind, journeyId, { granted: true });
    ctx.print([...formatStatus(status, ctx.now()), '', 'Personal details:', ...formatPersonal(personal)], { ...status, personal });
    return 0;
  },
};

export const caseloadCommand: Command = {
  name: 'caseload',
  summary: "a co-ordinator's caseload: their open journeys, with stage and next due date",
  usage: 'npx mentorflow caseload <coordinatorId> [--all] [--json]',
  options: {
    ...asOption,
    all: { type: 'boolean', description: 'include journeys that have ended' },
  },
  examples: ['npx mentorflow caseload co-1', 'npx mentorflow caseload --as coordinator:co-1 --all --json'],
  details: ['Without <coordinatorId>, your own caseload (the co-ordinator your token, --as or MENTORFLOW_AS names).'],
  async run(args, ctx) {
    const [given, ...extra] = args.positionals;
    refuseExtraArguments(extra, 'caseload');
    // Without an id: the person using the CLI (their token, or --as / MENTORFLOW_AS), if named.
    const identity = ctx.identity(args);
    const coordinatorId = given ?? (identity.named ? identity.principal.id : undefined);
    if (!coordinatorId) throw new UsageError('whose caseload? caseload <coordinatorId>', 'caseload');
    const listings = await (await ctx.journeys()).caseload(coordinatorId, { includeClosed: booleanOf(args, 'all') === true });
    const now = ctx.now();
    const open = listings.filter((l) => l.running).length;
    const overdue = listings.filter((l) => l.running && listingOverdue(l, now)).length;
    ctx.print(
      listings.length === 0
        ? `No ${booleanOf(args, 'all') ? '' : 'open '}journeys on co-ordinator ${coordinatorId}'s caseload.`
        : [
            `Co-ordinator ${coordinatorId}: ${open} open journey${open === 1 ? '' : 's'}${overdue ? `, ${overdue} with something overdue` : ''}`,
            ...table([['kind', 'journey', 'stage', 'co-ordinator', 'next due'], ...listingRows(sortByDue([...listings]), now)]),
          ],
      { coordinatorId, journeys: listings },
    );
    return 0;
  },
};

export const dueCommand: Command = {
  name: 'due',
  summary: 'what is due and overdue across the scheme, soonest first (overdue marked)',
  usage: 'npx mentorflow due [--coordinator <id>] [--brief] [--json]',
  options: {
    coordinator: { type: 'string', value: '<id>', description: "only this co-ordinator's journeys" },
    brief: { type: 'boolean', description: "dates only, without what is due (faster with journeys not indexed since an upgrade)" },
  },
  examples: ['npx mentorflow due', 'npx mentorflow due --coordinator co-1 --json'],
  async run(args, ctx) {
    refuseExtraArguments(args.positionals, 'due');
    const journeys = await ctx.journeys();
    const coordinator = stringOf(args, 'coordinator');
    const listings = await journeys.dueAcrossScheme(coordinator ? { coordinatorId: coordinator } : {});
    const what = booleanOf(args, 'brief') ? undefined : await whatIsDue(journeys, listings);
    const now = ctx.now();
    const rows = listings.map((l) => ({
      ...l,
      overdue: listingOverdue(l, now),
      ...(what ? { what: what.get(l.workflowId) ?? null } : {}),
    }));
    const overdue = rows.filter((r) => r.overdue).length;
    ctx.print(
      listings.length === 0
        ? 'Nothing is due.'
        : [
            `${listings.length} journey${listings.length === 1 ? '' : 's'} with something due, ${overdue} overdue:`,
            ...table([['kind', 'journey', 'stage', 'co-ordinator', 'due', ...(what ? ['what'] : [])], ...listingRows(listings, now, what)]),
          ],
      { due: rows },
    );
    return 0;
  },
};

/**
 * What is due on each journey, in words: read from its search attributes, or, for a journey that
 * has taken no step since those were indexed, asked of it (a few at a time). A journey that does
 * not answer is left blank.
 */
async function whatIsDue(journeys: Journeys, listings: JourneyListing[]): Promise<Map<string, string>> {
  const what = new Map<string, string>();
  const note = (l: JourneyListing, overdue: string[], next: string | undefined) => {
    const words = overdue.length > 0 ? [`overdue: ${overdue.map(plainWords).join(', ')}`, ...(next ? [`next: ${next}`] : [])] : next ? [next] : [];
    if (words.length > 0) what.set(l.workflowId, words.join('; '));
  };
  const queue: JourneyListing[] = [];
  for (const l of listings) {
    if (l.openNudges !== null) note(l, l.openNudges, l.nextDueWhat ?? undefined);
    else if (l.kind && l.journeyId) queue.push(l);
  }
  const worker = async () => {
    for (let l = queue.shift(); l; l = queue.shift()) {
      try {
        const status = await journeys.status(l.kind!, l.journeyId!);
        note(l, status.openNudges.map((n) => n.about), status.due[0]?.what);
      } catch {
        // The listing still shows the date; the status command will say what went wrong.
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return what;
}
