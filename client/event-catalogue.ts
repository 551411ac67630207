/**
 * What can be recorded on each kind of journey, read from the journey's own zod schemas
 * (`journeys[kind].recordedEvents`) through `z.toJSONSchema`. Nothing here names an event: a new
 * event in a machine's schema is at once a new `record` command in the CLI (cli/event-catalogue.ts)
 * and a new form in the web app (server/web/forms.ts).
 */
import { z } from 'zod';
import { SEALED_VALUE_PATTERN, type JourneyKind } from '../machines/journey';
import { journeys } from '../machines/registry';

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

/** Filled in by the edge, never asked for: who records it, and when (stamped by the journey). */
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
  // A personal field is its plain form or the sealed value the client writes: people give the plain one.
  const real = branches.filter((b) => b.type !== 'null' && (b as { pattern?: string }).pattern !== SEALED_VALUE_PATTERN.source);
  if (real.length === 1) return { ...real[0]!, default: schema.default ?? real[0]!.default };
  // A date or a date-time (a meeting's `on`): one string flag that takes either, not JSON.
  const formats = real.map((b) => (b.type === 'string' ? b.format : undefined));
  if (formats.length === 2 && formats.includes('date') && formats.includes('date-time')) {
    return { type: 'string', format: 'date or date-time', default: schema.default, description: schema.description };
  }
  return schema;
}
