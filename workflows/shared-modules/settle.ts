/**
 * Makes a graph of objects safe to deep-freeze: computes, before the freeze, every member that its
 * library would otherwise compute and store on first use.
 *
 * Temporal deep-freezes the modules a bundle preloads (./journeys.ts): it walks their exports'
 * own properties, reading each (so an own getter runs before the freeze), and freezes every object
 * it reaches. What it does not reach is an accessor on a prototype, and that is where zod 4 keeps
 * a schema's lazily derived members (`_zod.values`, `_zod.propValues`, `_zod.optin`, `.shape`,
 * ...): on first read the accessor stores the value on the schema itself, which a frozen schema
 * refuses with a TypeError, and a journey's workflow task would fail. zod also wraps each
 * container schema's parser for cyclic input (its memoizer), and the wrapper takes itself out on
 * the schema's first parse if the schema cannot recurse, by writing to the schema. XState memoises
 * its state nodes' derived members too, but in a WeakMap of its own, which the freeze leaves alone.
 *
 * So this walks what the freeze will walk (own properties, not into functions, which the freeze
 * freezes without looking inside); on each object it reads every accessor of its prototypes, and
 * it parses each zod schema once, with nothing (`undefined`: no schema of ours runs code of ours
 * on it, and the result is thrown away). What throws is left alone: it would throw the same way
 * for a journey, frozen or not.
 */
export function settleBeforeFreezing(root: unknown): void {
  const seen = new WeakSet<object>();
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (value === null || typeof value !== 'object' || seen.has(value)) continue;
    seen.add(value);
    readPrototypeAccessors(value);
    parseOnceIfZodSchema(value);
    for (const key of Reflect.ownKeys(value)) {
      const member = read(value, key);
      if (member !== null && typeof member === 'object') pending.push(member);
    }
  }
}

function readPrototypeAccessors(object: object): void {
  for (let proto = Object.getPrototypeOf(object) as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const key of Reflect.ownKeys(proto)) {
      if (Object.getOwnPropertyDescriptor(proto, key)?.get) read(object, key);
    }
  }
}

function parseOnceIfZodSchema(object: object): void {
  const internals = (object as { _zod?: { run?: unknown } })._zod;
  if (typeof internals?.run !== 'function') return;
  try {
    (internals.run as (payload: { value: unknown; issues: unknown[] }, context: { async: boolean }) => unknown)({ value: undefined, issues: [] }, { async: false });
  } catch {
    // As above: the same for a journey.
  }
}

function read(object: object, key: PropertyKey): unknown {
  try {
    return (object as Record<PropertyKey, unknown>)[key];
  } catch {
    return undefined;
  }
}
