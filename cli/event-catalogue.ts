/**
 * The CLI's side of the event catalogue (client/event-catalogue.ts): one flag per field of each
 * event, and the event built from the flags.
 */
import type { Actor } from '../machines/journey';
import type { RecordedEvent } from '../contracts/messages';
import { booleanOf, kebabCase, listOf, stringOf, type OptionsSpec, type ParsedArgs } from './args';
import { UsageError } from './errors';
import type { EventInfo, FieldInfo } from '../client/event-catalogue';

export { eventCatalogue, findEvent, type EventInfo, type FieldInfo, type FieldKind } from '../client/event-catalogue';


/** Extra flag names an alias accepts: `--reference` for `referenceNumber`; `--unplanned` for `planned` false. */
export interface FlagRenames {
  rename?: Record<string, string>;
  negate?: Record<string, string>;
}

/** The flags of an event: one per field, named as the field (kebab or camel case). */
export function eventOptions(event: EventInfo, renames: FlagRenames = {}): OptionsSpec {
  const spec: OptionsSpec = {};
  for (const field of event.fields) {
    const isBoolean = field.kind === 'boolean' || field.kind === 'true';
    spec[field.name] = {
      type: isBoolean ? 'boolean' : 'string',
      ...(field.kind === 'list' ? { multiple: true } : {}),
      value: valueHint(field),
      description: fieldNotes(field).join('; '),
    };
  }
  for (const [alias, target] of Object.entries(renames.rename ?? {})) {
    const field = spec[target];
    if (field) spec[alias] = { ...field, description: `same as --${kebabCase(target)}` };
  }
  for (const [alias, target] of Object.entries(renames.negate ?? {})) {
    if (spec[target]) spec[alias] = { type: 'boolean', description: `same as --no-${kebabCase(target)}` };
  }
  return spec;
}

/** A long list of values (the 21 week slots) is shown by its first and last: "mon-morning|...|sun-evening". */
function listedValues(values: readonly string[]): string {
  return values.length > 8 ? `${values[0]}|${values[1]}|...|${values.at(-1)}` : values.join('|');
}

export function valueHint(field: FieldInfo): string {
  if (field.kind === 'enum') return `<${field.values!.join('|')}>`;
  if (field.kind === 'list') return field.values ? `<${listedValues(field.values)},...>` : field.numericItems ? '<n,...>' : '<a,b,...>';
  if (field.kind === 'number') return field.integer ? '<whole number>' : '<number>';
  if (field.kind === 'json') return '<json>';
  if (field.format === 'date') return '<YYYY-MM-DD>';
  if (field.format === 'date-time') return '<YYYY-MM-DDTHH:MM:SSZ>';
  if (field.format === 'date or date-time') return '<YYYY-MM-DD[THH:MM:SSZ]>';
  return `<${kebabCase(field.name)}>`;
}

/**
 * The event from the flags, typed by the schema (numbers, booleans, lists). The schema itself is
 * applied by the client library, which explains any mistake with the field's name.
 */
export function buildEvent(event: EventInfo, args: ParsedArgs, by: Actor, renames: FlagRenames = {}): RecordedEvent {
  const merged: ParsedArgs = { positionals: args.positionals, values: { ...args.values } };
  for (const [alias, target] of Object.entries(renames.rename ?? {})) {
    if (merged.values[alias] === undefined) continue;
    const value = merged.values[alias];
    const existing = merged.values[target];
    merged.values[target] = Array.isArray(existing) && Array.isArray(value) ? [...existing, ...value] : value;
    delete merged.values[alias];
  }
  for (const [alias, target] of Object.entries(renames.negate ?? {})) {
    const value = merged.values[alias];
    if (typeof value === 'boolean') merged.values[target] = !value;
    delete merged.values[alias];
  }

  const recorded: RecordedEvent = { type: event.type, by };
  for (const field of event.fields) {
    const value = fieldValue(field, merged);
    if (value !== undefined) recorded[field.name] = value;
  }
  const missing = event.fields.filter((f) => f.required && recorded[f.name] === undefined);
  if (missing.length > 0) {
    throw new UsageError(
      `to ${event.label}, give ${missing.map((f) => `--${kebabCase(f.name)} ${valueHint(f)}`).join(', ')}`,
    );
  }
  return recorded;
}

function fieldValue(field: FieldInfo, args: ParsedArgs): unknown {
  switch (field.kind) {
    case 'boolean':
    case 'true':
      return booleanOf(args, field.name);
    case 'list': {
      if (args.values[field.name] === undefined) return undefined;
      const items = listOf(args, field.name);
      return field.numericItems ? items.map(toNumber) : items;
    }
    case 'number': {
      const text = stringOf(args, field.name);
      return text === undefined ? undefined : toNumber(text);
    }
    case 'json': {
      const text = stringOf(args, field.name);
      if (text === undefined) return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new UsageError(`--${kebabCase(field.name)} takes JSON`);
      }
    }
    default:
      return stringOf(args, field.name);
  }
}

/** A number where the text is one; otherwise the text, so that the schema names the mistake. */
function toNumber(text: string): number | string {
  return /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text;
}

function fieldNotes(field: FieldInfo): string[] {
  return [
    field.required ? 'required' : 'optional',
    ...(field.kind === 'list' ? ['comma list or repeat the flag'] : []),
    ...(field.kind === 'true' ? ['must be confirmed'] : []),
    ...(field.defaultValue !== undefined && !(Array.isArray(field.defaultValue) && field.defaultValue.length === 0)
      ? [`default ${JSON.stringify(field.defaultValue)}`]
      : []),
    ...(field.description ? [field.description] : []),
  ];
}

/** The lines of help that describe an event's flags. */
export function describeEventFlags(event: EventInfo, renames: FlagRenames = {}): string[] {
  if (event.fields.length === 0) return ['  (no fields: the event itself is the fact)'];
  const aliasesOf = (name: string) => [
    ...Object.entries(renames.rename ?? {}).filter(([, t]) => t === name).map(([a]) => `--${kebabCase(a)}`),
    ...Object.entries(renames.negate ?? {}).filter(([, t]) => t === name).map(([a]) => `--${kebabCase(a)} (= no)`),
  ];
  const rows = event.fields.map((field) => {
    const flag =
      field.kind === 'boolean'
        ? `--${kebabCase(field.name)} | --no-${kebabCase(field.name)}`
        : field.kind === 'true'
          ? `--${kebabCase(field.name)}`
          : `--${kebabCase(field.name)} ${valueHint(field)}`;
    const notes = [...fieldNotes(field), ...(aliasesOf(field.name).length > 0 ? [`also ${aliasesOf(field.name).join(', ')}`] : [])];
    return [flag, notes.join('; ')] as const;
  });
  const width = Math.min(60, Math.max(...rows.map(([f]) => f.length)));
  return rows.map(([flag, notes]) => `  ${flag.padEnd(width)}  ${notes}`);
}
