/**
 * The command that records what resolves a nudge (presentation/notices.ts names the event): the
 * CLI's way of showing a nudge's action, as the web app shows a pre-filled form. Built from the
 * alias table and the event's own schema, so it cannot name a flag the CLI does not take.
 */
import { findEvent } from '../client/event-catalogue';
import type { ResolvingEvent } from '../presentation/notices';
import { kebabCase } from './args';
import { aliasTypes, eventAliases, eventsWithTheirOwnCommand, type EventAlias } from './aliases';
import { valueHint } from './event-catalogue';
import { kindWords } from './kinds';

/** "npx mentorflow match check-in m-1 --with mentor,mentee", with placeholders for what is not known. */
export function resolvingCommand(resolving: ResolvingEvent): string {
  const { kind, journeyId, event, values } = resolving;
  if (event === 'match.proposed') {
    return (eventsWithTheirOwnCommand[event] ?? '').replace('--young-person <id>', `--young-person ${String(values.youngPersonId ?? '<id>')}`);
  }
  const alias = aliasFor(resolving);
  const info = findEvent(kind, event);
  const flags: string[] = [];
  // An alias over two events picks one by a flag (`--attended`); the nudge names which, but
  // either answer resolves it, so both are offered.
  if (alias && typeof alias.type !== 'string') flags.push(Object.keys(alias.type).map((f) => `--${kebabCase(f)}`).join('|'));
  for (const field of info?.fields ?? []) {
    const known = values[field.name];
    const flag = flagFor(field.name, alias);
    if (known !== undefined) {
      if (typeof known === 'boolean') flags.push(known ? `--${flag}` : `--no-${flag}`);
      else flags.push(`--${flag} ${Array.isArray(known) ? known.join(',') : known}`);
    } else if (field.required) {
      const negated = Object.entries(alias?.negate ?? {}).find(([, target]) => target === field.name)?.[0];
      if (field.kind === 'boolean') flags.push(negated ? `--${flag}|--${kebabCase(negated)}` : `--${flag}|--no-${flag}`);
      else if (field.kind === 'true') flags.push(`--${flag}`);
      else flags.push(`--${flag} ${valueHint(field)}`);
    }
  }
  const verb = alias ? `${kindWords[kind]} ${preferredName(alias)} ${journeyId}` : `record ${journeyId} ${event}`;
  return ['npx mentorflow', verb, ...flags].join(' ');
}

function aliasFor({ kind, event }: ResolvingEvent): EventAlias | undefined {
  return eventAliases.find((a) => a.kind === kind && aliasTypes(a).includes(event));
}

/** "record-contact" reads as what it does; otherwise the alias's first name. */
function preferredName(alias: EventAlias): string {
  return alias.names.find((n) => n.startsWith('record-')) ?? alias.names[0]!;
}

/** The shortest flag the alias gives a field ("--session" for sessionId), else the field's own. */
function flagFor(field: string, alias: EventAlias | undefined): string {
  const renamed = Object.entries(alias?.rename ?? {})
    .filter(([, target]) => target === field)
    .map(([name]) => name)
    .sort((a, b) => a.length - b.length)[0];
  return kebabCase(renamed ?? field);
}
