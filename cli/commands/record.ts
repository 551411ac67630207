/**
 * `record <journeyId> <event.type> --field value ...`: any event on any journey, its flags read
 * from the journey's schema; and the friendly aliases (`contact`, `check-in`, ...) from the table
 * in ../aliases.ts, which record through the same code.
 */
import type { JourneyKind } from '../../machines/journey';
import { parseArgs, refuseExtraArguments, stringOf, type OptionsSpec, type ParsedArgs } from '../args';
import { aliasTypes, eventAliases, eventsWithTheirOwnCommand, findAlias, type EventAlias } from '../aliases';
import { asOption, globalOptions, kindOption, type Command } from '../command';
import type { CliContext } from '../context';
import { UsageError } from '../errors';
import {
  buildEvent,
  describeEventFlags,
  eventCatalogue,
  eventOptions,
  findEvent,
  type EventInfo,
  type FieldInfo,
  type FlagRenames,
} from '../event-catalogue';
import { formatAfterRecord } from '../format';
import { kindFromPrefix, kindWords, parseKind, resolveKind } from '../kinds';

const KINDS: JourneyKind[] = ['youngPerson', 'volunteer', 'match'];

/** The kind an id or `--kind` names, without asking Temporal (for options and help). */
function kindHint(journeyId: string | undefined, values: ParsedArgs['values']): JourneyKind | undefined {
  const explicit = typeof values.kind === 'string' ? values.kind : undefined;
  if (explicit) return parseKind(explicit);
  return journeyId ? kindFromPrefix(journeyId) : undefined;
}

/** The event `type` names on this kind of journey: an event type, or an alias of one. */
function eventFor(kind: JourneyKind, type: string): { event: EventInfo; renames: FlagRenames } | undefined {
  const event = findEvent(kind, type);
  if (event) return { event, renames: {} };
  const alias = findAlias(type, kind);
  if (alias && typeof alias.type === 'string') {
    const aliased = findEvent(kind, alias.type);
    if (aliased) return { event: aliased, renames: alias };
  }
  return undefined;
}

/** Without a kind: the one kind that has this event, if only one has. */
function eventsNamed(type: string, kind: JourneyKind | undefined): { event: EventInfo; renames: FlagRenames }[] {
  return (kind ? [kind] : KINDS).flatMap((k) => {
    const found = eventFor(k, type);
    return found ? [found] : [];
  });
}

export const recordCommand: Command = {
  name: 'record',
  summary: 'record any event on any journey (flags from the event\'s schema; see record --help)',
  usage: 'npx mentorflow record <journeyId> <event.type> [--field value ...]',
  options: { ...asOption, ...kindOption },
  examples: [
    'npx mentorflow record yp-7k3m9q2x4d contact.recorded --as coordinator:co-1 --method phone',
    'npx mentorflow record vol-2b8d0f1h3k training.sessionLogged --as coordinator:co-1 --hours 3 --topics safeguarding,confidentiality',
    'npx mentorflow record yp-7k3m9q2x4d contact.recorded --help     (the flags of one event)',
  ],
  details: () => [
    'Write the journey id and the event type first. The journey kind comes from the id (yp-, vol-, m-),',
    'from --kind, or from Temporal. Lists take a comma list or a repeated flag; booleans --flag or --no-flag.',
    '',
    ...KINDS.flatMap((kind) => [
      `Events on a ${kindWords[kind]} journey:`,
      ...eventCatalogue(kind).map((e) =>
        eventsWithTheirOwnCommand[e.type]
          ? `  ${e.type.padEnd(26)} ${e.label}: ${eventsWithTheirOwnCommand[e.type]}`
          : `  ${e.type.padEnd(26)} ${e.label}`,
      ),
      '',
    ]),
  ],
  optionsFor(positionals, values) {
    const [journeyId, type] = positionals;
    if (!type) return undefined;
    const found = eventsNamed(type, kindHint(journeyId, values));
    if (found.length !== 1) return undefined;
    return { ...eventOptions(found[0]!.event, found[0]!.renames), ...asOption, ...kindOption };
  },
  helpFor(positionals, values) {
    const [journeyId, type] = positionals;
    if (!type) return undefined;
    const found = eventsNamed(type, kindHint(journeyId, values));
    if (found.length === 0) return undefined;
    return found.flatMap(({ event, renames }) => eventHelp(event, renames, `npx mentorflow record ${journeyId ?? '<journeyId>'} ${event.type}`));
  },
  async run(args, ctx) {
    const [journeyId, type, ...extra] = args.positionals;
    if (!journeyId || !type) throw new UsageError('give the journey id and the event type: record <journeyId> <event.type>', 'record');
    refuseExtraArguments(extra, 'record', ' (values go after a --flag)');
    const kind = await resolveKind(journeyId, stringOf(args, 'kind'), kindHint(journeyId, args.values) ? undefined : await ctx.journeys());
    const own = eventsWithTheirOwnCommand[type];
    if (own) throw new UsageError(`${type} is recorded with its own command: ${own}`, 'record');
    const found = eventFor(kind, type);
    if (!found) {
      throw new UsageError(
        `a ${kindWords[kind]} journey has no event "${type}" (events: ${eventCatalogue(kind).map((e) => e.type).join(', ')})`,
        'record',
      );
    }
    // Read the flags again, strictly, now that the event and so its fields are known.
    const strict = parseArgs(args.raw ?? [], { ...globalOptions, ...eventOptions(found.event, found.renames), ...asOption, ...kindOption });
    return recordEvent(ctx, strict, 'record', kind, journeyId, found.event, found.renames);
  },
};

async function recordEvent(
  ctx: CliContext,
  args: ParsedArgs,
  command: string,
  kind: JourneyKind,
  journeyId: string,
  event: EventInfo,
  renames: FlagRenames,
): Promise<number> {
  const by = ctx.actor(args, command);
  const recorded = buildEvent(event, args, by, renames);
  const status = await (await ctx.journeys()).record(kind, journeyId, recorded);
  ctx.print(formatAfterRecord(event.label, status, ctx.now()), status);
  return 0;
}

function eventHelp(event: EventInfo, renames: FlagRenames, prefix: string): string[] {
  return [
    `${event.type}: ${event.label} (${kindWords[event.kind]} journey)`,
    ...describeEventFlags(event, renames),
    '',
    `Example: ${prefix} --as coordinator:co-1${exampleFlags(event.fields)}`,
    '',
  ];
}

/** An example value for every required field, so every event's help shows a command that parses. */
export function exampleFlags(fields: FieldInfo[]): string {
  const kebab = (n: string) => n.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return fields
    .filter((f) => f.required)
    .map((f) => {
      const flag = `--${kebab(f.name)}`;
      switch (f.kind) {
        case 'boolean':
        case 'true':
          return ` ${flag}`;
        case 'enum':
          return ` ${flag} ${f.values![0]}`;
        case 'list':
          return ` ${flag} ${f.values ? f.values.slice(0, 2).join(',') : f.numericItems ? '1,2' : 'first,second'}`;
        case 'number':
          return ` ${flag} 2`;
        case 'json':
          return ` ${flag} '{...}'`;
        default:
          return ` ${flag} ${f.format === 'date' ? '2025-01-31' : f.format === 'date-time' ? '2025-01-31T10:00:00Z' : `<${kebab(f.name)}>`}`;
      }
    })
    .join('');
}

// ---------------------------------------------------------------------------------------------
// Aliases

/** The id prefix a kind's journeys get from `newJourneyId`, for examples. */
const examplePrefix: Record<JourneyKind, string> = { youngPerson: 'yp-7k3m9q2x4d', volunteer: 'vol-2b8d0f1h3k', match: 'm-5n6p7q8r9s' };

/** One command per alias whose events the journey's schema has. */
export function aliasCommands(): Command[] {
  return eventAliases.flatMap((alias) => {
    const events = aliasTypes(alias).map((t) => findEvent(alias.kind, t));
    if (events.some((e) => e === undefined)) return [];
    return [aliasCommand(alias, events as EventInfo[])];
  });
}

function aliasCommand(alias: EventAlias, events: EventInfo[]): Command {
  const [name, ...others] = alias.names;
  const word = kindWords[alias.kind];
  const pick = typeof alias.type === 'string' ? undefined : alias.type;
  const options: OptionsSpec = { ...asOption, ...kindOption };
  for (const event of events) Object.assign(options, eventOptions(event, alias));
  for (const [flag, type] of Object.entries(pick ?? {})) options[flag] = { type: 'boolean', description: `record ${type}` };
  const example = `npx mentorflow ${name} ${examplePrefix[alias.kind]} --as coordinator:co-1${pick ? ` --${Object.keys(pick)[0]}` : ''}${exampleFlags(events[0]!.fields)}`;
  return {
    name: name!,
    aliases: [...others, ...alias.names.map((n) => `${word} ${n}`)],
    summary: `${events.map((e) => e.label).join(' / ')} (${word}: ${events.map((e) => e.type).join(' | ')})`,
    usage: `npx mentorflow ${name} <${word} journey id> ${pick ? `--${Object.keys(pick).join('|--')} ` : ''}[flags]`,
    options,
    examples: [example],
    details: () => [
      ...events.flatMap((event) => [`${event.type}: ${event.label}`, ...describeEventFlags(event, alias), '']),
      `The same as: npx mentorflow record <id> ${events.map((e) => e.type).join('|')} ...`,
    ],
    async run(args, ctx) {
      const [journeyId, ...extra] = args.positionals;
      if (!journeyId) throw new UsageError(`give the ${word} journey id: ${name} <journeyId>`, name);
      refuseExtraArguments(extra, name, ' (values go after a --flag)');
      const kind = stringOf(args, 'kind') ? parseKind(stringOf(args, 'kind')!) : (kindFromPrefix(journeyId) ?? alias.kind);
      if (kind !== alias.kind) {
        throw new UsageError(`${name} records on a ${word} journey, and ${journeyId} is a ${kindWords[kind]} journey`, name);
      }
      let event = events[0]!;
      if (pick) {
        const chosen = Object.entries(pick).filter(([flag]) => args.values[flag] === true);
        if (chosen.length !== 1) throw new UsageError(`say which: ${Object.keys(pick).map((f) => `--${f}`).join(' or ')}`, name);
        event = events.find((e) => e.type === chosen[0]![1])!;
        for (const flag of Object.keys(pick)) delete args.values[flag];
      }
      return recordEvent(ctx, args, name!, kind, journeyId, event, alias);
    },
  };
}
