/**
 * What can be recorded on each kind of journey, read from the journey's own zod schemas
 * (`journeys[kind].recordedEvents`) through `z.toJSONSchema`. Nothing here names an event: a new
 * event in a machine's schema is a new `record` command, with its flags and help, at once.
 */
import { z } from 'zod';
import type { Actor, JourneyKind } from '../machines/journey';
import type { RecordedEvent } from '../workflows/messages';
import { journeys } from '../workflows/registry';
import { booleanOf, kebabCase, listOf, stringOf, type OptionsSpec, type ParsedArgs } from './args';
import { UsageError } from './errors';

export type FieldKind = 'string' | 'number' | 'boolean' | 'true' | 'enum' | 'list' | 'json';

export interface FieldInfo {
  /** The event's field, camel case: "issuedOn" (flag `--issued-on`). */
  name: string;
  kind: FieldKind;
  required: boolean;
  /** Allowed values of an enum, or of a list's items. */
  values?: string[];
  /** A list's items are numbers. */
  numericItems?: boolean;
  /** "date", "date-time" or "date or date-time" (either is accepted) for strings. */
  format?: string;
  integer?: boolean;
  defaultValue?: unknown;
  description?: string;
}

export interface EventInfo {
  kind: JourneyKind;
  type: string;
  /** A co-ordinator's words: "record a safeguarding check". */
  label: string;
  fields: FieldInfo[];
}

/** Filled in by the CLI, never a flag: who records it, and when (stamped by the journey). */
const META_FIELDS = new Set(['type', 'by', 'at']);

type JsonSchema = {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  format?: string;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  default?: unknown;
  description?: string;
};

const cache = new Map<JourneyKind, EventInfo[]>();

/** Every event people record on this kind of journey, in the order the schema lists them. */
export function eventCatalogue(kind: JourneyKind): EventInfo[] {
  const cached = cache.get(kind);
  if (cached) return cached;
  const definition = journeys[kind];
  const root = z.toJSONSchema(definition.recordedEvents, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const variants = root.oneOf ?? root.anyOf ?? [root];
  const events: EventInfo[] = [];
  for (const variant of variants) {
    const type = variant.properties?.type?.const;
    if (typeof type !== 'string') continue;
    const required = new Set(variant.required ?? []);
    const fields = Object.entries(variant.properties ?? {})
      .filter(([name]) => !META_FIELDS.has(name))
      .map(([name, schema]) => fieldOf(name, schema, required.has(name)));
    events.push({ kind, type, label: definition.eventLabels[type] ?? `record '${type}'`, fields });
  }
  cache.set(kind, events);
  return events;
}

export function findEvent(kind: JourneyKind, type: string): EventInfo | undefined {
  return eventCatalogue(kind).find((e) => e.type === type);
}

function fieldOf(name: string, raw: JsonSchema, required: boolean): FieldInfo {
  const schema = unwrap(raw);
  const base = {
    name,
    required: required && raw.default === undefined && schema.default === undefined,
    ...(schema.default !== undefined || raw.default !== undefined ? { defaultValue: raw.default ?? schema.default } : {}),
    ...(schema.description || raw.description ? { description: raw.description ?? schema.description } : {}),
  };
  if (schema.const === true) return { ...base, kind: 'true' };
  if (Array.isArray(schema.enum)) return { ...base, kind: 'enum', values: schema.enum.map(String) };
  switch (schema.type) {
    case 'boolean':
      return { ...base, kind: 'boolean' };
    case 'number':
    case 'integer':
      return { ...base, kind: 'number', integer: schema.type === 'integer' };
    case 'string':
      return { ...base, kind: 'string', ...(schema.format ? { format: schema.format } : {}) };
    case 'array': {
      const items = unwrap(schema.items ?? {});
      return {
        ...base,
        kind: 'list',
        ...(Array.isArray(items.enum) ? { values: items.enum.map(String) } : {}),
        ...(items.type === 'number' || items.type === 'integer' ? { numericItems: true } : {}),
      };
    }
    default:
      return { ...base, kind: 'json' };
  }
}

/** `optional()`/`nullable()` appear as anyOf with a null branch: keep the real one. */
function unwrap(schema: JsonSchema): JsonSchema {
  const branches = schema.anyOf ?? schema.oneOf;
  if (!branches) return schema;
  const real = branches.filter((b) => b.type !== 'null');
  if (real.length === 1) return { ...real[0]!, default: schema.default ?? real[0]!.default };
  // A date or a date-time (a meeting's `on`): one string flag that takes either, not JSON.
  const formats = real.map((b) => (b.type === 'string' ? b.format : undefined));
  if (formats.length === 2 && formats.includes('date') && formats.includes('date-time')) {
    return { type: 'string', format: 'date or date-time', default: schema.default, description: schema.description };
  }
  return schema;
}

// ---------------------------------------------------------------------------------------------
// Flags

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

function valueHint(field: FieldInfo): string {
  if (field.kind === 'enum') return `<${field.values!.join('|')}>`;
  if (field.kind === 'list') return field.values ? `<${field.values.join('|')},...>` : field.numericItems ? '<n,...>' : '<a,b,...>';
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
