/**
 * The form of each event, made from the event catalogue (client/event-catalogue.ts, read from the
 * journey's zod schema), and the event read back from the posted form. The schema stays the judge:
 * what is typed here is only turned into the types the schema asks for, and every mistake comes
 * back from the journeys client with the field named, in the CLI's words.
 */
import type { EventInfo, FieldInfo } from '../../client/event-catalogue';
import type { Actor } from '../../machines/journey';
import type { RecordedEvent } from '../../contracts/messages';
import { sentence, words } from './words';

export type FormBody = Record<string, string | string[] | undefined>;

/** One control of a form, as the page template draws it with a GOV.UK macro. */
export interface FormControl {
  name: string;
  label: string;
  hint?: string;
  control: 'text' | 'number' | 'date' | 'dateTime' | 'dateMaybeTime' | 'radios' | 'checkboxes' | 'confirm' | 'yesNo' | 'lines' | 'json';
  required: boolean;
  items?: { value: string; text: string; checked?: boolean }[];
  value?: string;
  /** Suggested checkboxes: anything else, one per line. */
  other?: string;
  /** Date controls: day, month, year, time. */
  parts?: { day: string; month: string; year: string; time: string };
  error?: string;
}

/** Values a list field is usually filled with (the policy's training topics), offered as checkboxes beside free text. */
export type Suggestions = Record<string, readonly string[]>;

export function controlsOf(event: EventInfo, values: FormBody, errors: Record<string, string> = {}, suggestions: Suggestions = {}): FormControl[] {
  return event.fields.map((field) => controlOf(field, values, errors[field.name], suggestions[field.name]));
}

function controlOf(field: FieldInfo, values: FormBody, error: string | undefined, suggested: readonly string[] | undefined): FormControl {
  const base = {
    name: field.name,
    label: sentence(words(field.name)) + (field.required ? '' : ' (optional)'),
    required: field.required,
    ...(field.description ? { hint: field.description } : {}),
    ...(error ? { error } : {}),
  };
  const given = values[field.name];
  const text = Array.isArray(given) ? given.join('\n') : (given ?? (field.defaultValue !== undefined && !Array.isArray(field.defaultValue) ? String(field.defaultValue) : ''));
  switch (field.kind) {
    case 'true':
      return { ...base, control: 'confirm', items: [{ value: 'true', text: 'Yes, confirmed', checked: given === 'true' }] };
    case 'boolean':
      return { ...base, control: 'yesNo', items: [{ value: 'yes', text: 'Yes', checked: given === 'yes' }, { value: 'no', text: 'No', checked: given === 'no' }] };
    case 'enum':
      return { ...base, control: 'radios', items: field.values!.map((v) => ({ value: v, text: sentence(words(v)), checked: text === v })) };
    case 'list': {
      if (field.values) {
        const chosen = new Set(Array.isArray(given) ? given : given ? [given] : []);
        return { ...base, control: 'checkboxes', items: field.values.map((v) => ({ value: v, text: sentence(words(v)), checked: chosen.has(v) })) };
      }
      if (suggested && suggested.length > 0) {
        const chosen = new Set(Array.isArray(given) ? given : given ? [given] : []);
        const other = String(values[`${field.name}-other`] ?? '');
        return { ...base, control: 'checkboxes', items: suggested.map((v) => ({ value: v, text: sentence(words(v)), checked: chosen.has(v) })), other };
      }
      return { ...base, control: 'lines', value: text, hint: [base.hint, 'one per line'].filter(Boolean).join('; ') };
    }
    case 'number':
      return { ...base, control: 'number', value: text };
    case 'json':
      return { ...base, control: 'json', value: text, hint: [base.hint, 'as JSON'].filter(Boolean).join('; ') };
    default: {
      const control = field.format === 'date' ? 'date' : field.format === 'date-time' ? 'dateTime' : field.format === 'date or date-time' ? 'dateMaybeTime' : 'text';
      if (control === 'text') return { ...base, control, value: text };
      return { ...base, control, parts: dateParts(field.name, values) };
    }
  }
}

function dateParts(name: string, values: FormBody): FormControl['parts'] {
  const one = (key: string) => String(values[`${name}-${key}`] ?? '');
  const whole = typeof values[name] === 'string' ? (values[name] as string) : '';
  // A pre-filled link may give the whole date: 2026-12-06 (or with a time).
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}:\d{2}))?/.exec(whole);
  if (m) return { year: m[1]!, month: String(Number(m[2])), day: String(Number(m[3])), time: m[4] ?? '' };
  return { day: one('day'), month: one('month'), year: one('year'), time: one('time') };
}

/** The event from the posted form, typed as the schema expects; the schema itself judges it. */
export function eventFromForm(event: EventInfo, body: FormBody, by: Actor): RecordedEvent {
  const recorded: RecordedEvent = { type: event.type, by };
  for (const field of event.fields) {
    const value = valueOf(field, body);
    if (value !== undefined) recorded[field.name] = value;
  }
  return recorded;
}

function valueOf(field: FieldInfo, body: FormBody): unknown {
  const raw = body[field.name];
  const text = typeof raw === 'string' ? raw.trim() : undefined;
  switch (field.kind) {
    case 'true':
      return raw === 'true' ? true : undefined;
    case 'boolean':
      return text === 'yes' ? true : text === 'no' ? false : undefined;
    case 'list': {
      const picked = Array.isArray(raw) ? raw : field.values || body[`${field.name}-present`] ? (text ? [text] : []) : (text ?? '').split(/\r?\n/);
      const others = String(body[`${field.name}-other`] ?? '').split(/\r?\n/);
      const items = [...picked, ...others];
      const kept = items.map((i) => i.trim()).filter(Boolean);
      if (kept.length === 0) return field.values && body[`${field.name}-present`] ? [] : undefined;
      return field.numericItems ? kept.map(toNumber) : kept;
    }
    case 'number':
      return text ? toNumber(text) : undefined;
    case 'json':
      if (!text) return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text; // the schema names the field and what it expected
      }
    default: {
      if (field.format === 'date' || field.format === 'date-time' || field.format === 'date or date-time') return dateOf(field, body);
      return text || undefined;
    }
  }
}

/** The date fields joined, "2026-12-06", or with a time "2026-12-06T14:30:00.000Z"; what cannot be a date is passed on for the schema to name. */
function dateOf(field: FieldInfo, body: FormBody): string | undefined {
  const date = dateFromParts(body, field.name);
  if (!date || field.format === 'date') return date;
  const time = String(body[`${field.name}-time`] ?? '').trim();
  if (!time) return field.format === 'date-time' ? `${date}T00:00:00.000Z` : date;
  return /^\d{1,2}:\d{2}$/.test(time) ? `${date}T${time.padStart(5, '0')}:00.000Z` : `${date}T${time}`;
}

/** A GOV.UK date input's day, month and year joined, "2026-12-06"; undefined when all three are empty. */
export function dateFromParts(body: FormBody, name: string): string | undefined {
  const part = (key: string) => String(body[`${name}-${key}`] ?? '').trim();
  const [day, month, year] = [part('day'), part('month'), part('year')];
  if (!day && !month && !year) return undefined;
  return `${year.padStart(4, '0')}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

function toNumber(text: string): number | string {
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}


/**
 * The refusal's reasons by field, where a reason names one ("method: Invalid option ..."): shown
 * beside the field as well as in the error summary.
 */
export function errorsByField(event: EventInfo | undefined, reasons: readonly string[]): Record<string, string> {
  const names = new Set(event?.fields.map((f) => f.name) ?? []);
  const errors: Record<string, string> = {};
  for (const reason of reasons) {
    const m = /^([A-Za-z0-9_]+)(?:\.[^:]*)?: (.*)$/.exec(reason);
    if (m && names.has(m[1]!) && !errors[m[1]!]) errors[m[1]!] = `${sentence(words(m[1]!))}: ${m[2]}`;
  }
  return errors;
}
