/**
 * Sealing personal fields with their person's own key, at the edge, before anything reaches
 * Temporal: `sealed:v1:<subject>:<key id>:<nonce|ciphertext|tag, base64url>`, the value inside
 * being its JSON. The subject and key id are bound into the ciphertext, so a sealed value cannot be
 * passed off as another person's. Journeys keep sealed values and never read them; the client,
 * the activities that need an address and the codec server open them for those allowed to.
 */
import { isSealedValue, valuesAtPath, type JourneyDefinition } from '../machines/journey';
import { openBytes, sealBytes } from './aead';
import { PersonErasedError, type PersonKeyStore } from './person-keys';

const PREFIX = 'sealed:v1:';

export function parseSealed(sealed: string): { subject: string; keyId: string; body: Buffer } {
  if (!isSealedValue(sealed)) throw new Error('not a sealed personal value');
  const [subject, keyId, body] = sealed.slice(PREFIX.length).split(':') as [string, string, string];
  return { subject, keyId, body: Buffer.from(body, 'base64url') };
}

export class PersonalData {
  constructor(readonly keys: PersonKeyStore) {}

  /** Seal `value` (anything JSON) with the key of `subject`, a journey id. */
  seal(subject: string, value: unknown): string {
    const { keyId, key } = this.keys.keyFor(subject);
    const header = `${PREFIX}${subject}:${keyId}`;
    return `${header}:${sealBytes(key, Buffer.from(JSON.stringify(value), 'utf8'), header).toString('base64url')}`;
  }

  /** The value sealed in `sealed`. Throws PersonErasedError once the person's key is destroyed. */
  open(sealed: string): unknown {
    const { subject, keyId, body } = parseSealed(sealed);
    const header = `${PREFIX}${subject}:${keyId}`;
    return JSON.parse(openBytes(this.keys.key(subject, keyId), body, header, `a personal value of ${subject}`).toString('utf8'));
  }

  /**
   * A copy of `value` with the personal fields at `paths` sealed for `subject`. Values already
   * sealed are kept as they are.
   */
  sealFields<T>(value: T, paths: readonly string[], subject: string): T {
    const copy = structuredClone(value);
    for (const path of paths) {
      for (const found of valuesAtPath(copy, path)) {
        if (!isSealedValue(found.value)) found.set(this.seal(subject, found.value));
      }
    }
    return copy;
  }

  /** Seal a journey's start input: first work out what the machine needs from the plain values. */
  sealInput(definition: JourneyDefinition, input: Record<string, unknown>, subject: string): Record<string, unknown> {
    const derived = definition.deriveBeforeSealing ? definition.deriveBeforeSealing(input) : input;
    return this.sealFields(derived, definition.personalFields.input, subject);
  }

  sealEvent<T extends { type: string }>(definition: JourneyDefinition, event: T, subject: string): T {
    return this.sealFields(event, definition.personalFields.events[event.type] ?? [], subject);
  }

  /**
   * A copy of `value` with every sealed value in it opened (`granted`) or replaced by a
   * placeholder saying why it is not shown. Never throws for an erased person.
   */
  reveal<T>(value: T, granted: boolean): T {
    return revealWith(value, (sealed) => {
      if (!granted) return SEALED_PLACEHOLDER;
      try {
        return this.open(sealed);
      } catch (error) {
        if (error instanceof PersonErasedError) return `[erased on ${error.erasure.erasedAt.slice(0, 10)}]`;
        throw error;
      }
    });
  }
}

/** What someone not allowed to read personal data sees in its place. */
export const SEALED_PLACEHOLDER = '[personal data: not shown]';

/** A copy of `value` with each sealed string replaced by `replace(sealed)`. */
export function revealWith<T>(value: T, replace: (sealed: string) => unknown): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return isSealedValue(v) ? replace(v) : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, walk(inner)]));
    return v;
  };
  return walk(value) as T;
}
