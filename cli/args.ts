/**
 * A small, spec-driven argument parser. Commands declare their options; `record` builds its spec
 * from the event's zod schema, so one parser serves both and every unknown flag is named.
 *
 * Flags may be written in kebab case or camel case (`--issued-on` or `--issuedOn`); booleans take
 * `--flag`, `--no-flag` or `--flag=true|false|yes|no`; strings take `--flag value` or
 * `--flag=value`; a `multiple` option may be repeated.
 */
import { UsageError } from './errors';

export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  /** Shown in help. */
  description?: string;
  /** Shown in help for strings, e.g. "<YYYY-MM-DD>". */
  value?: string;
  short?: string;
}

export type OptionsSpec = Record<string, OptionSpec>;

export interface ParsedArgs {
  /** The arguments as given (after the command's name), for a command that parses them again. */
  raw?: readonly string[];
  positionals: string[];
  /** By option name (camel case): booleans as booleans, strings as the last value given. */
  values: Record<string, string | boolean | string[] | undefined>;
}

/** "issued-on" -> "issuedOn"; camel case is left as it is. */
export function camelCase(flag: string): string {
  return flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** "issuedOn" -> "issued-on", for help and messages. */
export function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

const TRUE = new Set(['true', 'yes', '1', 'y']);
const FALSE = new Set(['false', 'no', '0', 'n']);

export function parseBoolean(text: string, flag: string): boolean {
  const lower = text.toLowerCase();
  if (TRUE.has(lower)) return true;
  if (FALSE.has(lower)) return false;
  throw new UsageError(`--${flag} is yes or no (true or false), not "${text}"`);
}

/**
 * `lenient`: unknown flags are kept as strings (or `true` when no value follows) instead of
 * refused; used to find a command's arguments before its options are known.
 */
export function parseArgs(argv: readonly string[], spec: OptionsSpec, options: { lenient?: boolean } = {}): ParsedArgs {
  const positionals: string[] = [];
  const values: ParsedArgs['values'] = {};
  const shorts = new Map(Object.entries(spec).flatMap(([name, o]) => (o.short ? [[o.short, name] as const] : [])));
  const known = (flag: string): string | undefined => {
    const name = camelCase(flag);
    return name in spec ? name : undefined;
  };
  const set = (name: string, value: string | boolean) => {
    const option = spec[name]!;
    if (option.multiple) {
      const list = (values[name] as string[] | undefined) ?? [];
      values[name] = [...list, String(value)];
    } else {
      values[name] = value;
    }
  };

  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (/^-[A-Za-z]$/.test(token)) {
      const name = shorts.get(token.slice(1));
      if (!name) throw new UsageError(`unknown option ${token}`);
      if (spec[name]!.type === 'boolean') set(name, true);
      else {
        const next = argv[i + 1];
        if (next === undefined) throw new UsageError(`${token} needs a value`);
        set(name, next);
        i++;
      }
      continue;
    }
    if (!token.startsWith('--') || token === '--') {
      positionals.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    const flag = token.slice(2, eq < 0 ? undefined : eq);
    const inline = eq < 0 ? undefined : token.slice(eq + 1);
    const name = known(flag);
    if (!name && flag.startsWith('no-') && inline === undefined) {
      const positive = known(flag.slice(3));
      if (positive && spec[positive]!.type === 'boolean') {
        set(positive, false);
        continue;
      }
    }
    if (!name && options.lenient) {
      const next = argv[i + 1];
      if (inline !== undefined) values[camelCase(flag)] = inline;
      else if (next !== undefined && !next.startsWith('--')) {
        values[camelCase(flag)] = next;
        i++;
      } else values[camelCase(flag)] = true;
      continue;
    }
    if (!name) throw new UsageError(unknownOption(flag, spec));
    const option = spec[name]!;
    if (option.type === 'boolean') {
      set(name, inline === undefined ? true : parseBoolean(inline, flag));
      continue;
    }
    if (inline !== undefined) {
      set(name, inline);
      continue;
    }
    const next = argv[i + 1];
    if (next === undefined || (next.startsWith('--') && next.length > 2)) {
      throw new UsageError(`--${kebabCase(name)} needs a value${option.value ? ` ${option.value}` : ''}`);
    }
    set(name, next);
    i++;
  }
  return { raw: argv, positionals, values };
}

function unknownOption(flag: string, spec: OptionsSpec): string {
  const names = Object.keys(spec).map((n) => `--${kebabCase(n)}`);
  return `unknown option --${flag} (options here: ${names.join(', ') || 'none'})`;
}

/** A string option's value, or undefined. */
export function stringOf(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value[value.length - 1];
  return String(value);
}

export function booleanOf(args: ParsedArgs, name: string): boolean | undefined {
  const value = args.values[name];
  return typeof value === 'boolean' ? value : undefined;
}

/**
 * A multiple option's values, each split on commas: `--topics a --topics b,c` -> [a, b, c]. A
 * comma inside an item is written `\,`. `split: false` keeps each value whole (free text).
 */
export function listOf(args: ParsedArgs, name: string, options: { split?: boolean } = {}): string[] {
  const value = args.values[name];
  if (value === undefined || typeof value === 'boolean') return [];
  const list = Array.isArray(value) ? value : [value];
  const items = options.split === false ? list : list.flatMap((v) => v.split(/(?<!\\),/).map((item) => item.replace(/\\,/g, ',')));
  return items.map((v) => v.trim()).filter((v) => v.length > 0);
}

export function requireString(args: ParsedArgs, name: string, what: string, command?: string): string {
  const value = stringOf(args, name);
  if (value === undefined || value.trim() === '') throw new UsageError(`${what} is needed: --${kebabCase(name)}`, command);
  return value;
}

/** Refuse arguments a command does not take (`extra`: the positionals left once it took its own). */
export function refuseExtraArguments(extra: readonly string[], command: string | undefined, hint = ''): void {
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"${hint}`, command);
}
