/**
 * The scheme's keyring: the AES-256 keys that encrypt every payload mentorflow stores in Temporal,
 * and wrap each person's own key. One key is current (new data); older keys stay to read old data,
 * so a key can be rotated without losing anything. Lose the keyring and every history is
 * unreadable: it must be backed up, apart from the database.
 *
 * File (JSON, mode 0600): `{ "format": "mentorflow-keyring/1", "current": "<id>", "keys":
 * [{ "id", "createdAt", "key": "<base64 of 32 bytes>" }] }`.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { KEY_BYTES, newKey } from './aead';
import { issueReasons } from '../contracts/refusals';

const keyIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'a key id is 1-64 letters, digits, ".", "_" or "-"');

const keyringFileSchema = z
  .object({
    format: z.literal('mentorflow-keyring/1'),
    current: keyIdSchema,
    keys: z
      .array(
        z
          .object({
            id: keyIdSchema,
            createdAt: z.string(),
            key: z.base64().refine((k) => Buffer.from(k, 'base64').length === KEY_BYTES, `a key is ${KEY_BYTES} bytes (base64)`),
          })
          .strict(),
      )
      .min(1),
  })
  .strict()
  .refine((f) => f.keys.some((k) => k.id === f.current), { message: 'the current key is not in the keyring', path: ['current'] })
  .refine((f) => new Set(f.keys.map((k) => k.id)).size === f.keys.length, { message: 'two keys have the same id', path: ['keys'] });
type KeyringFile = z.infer<typeof keyringFileSchema>;

/** A key id names a key this keyring does not hold (e.g. data from another scheme, or a lost key). */
export class UnknownKeyError extends Error {
  override name = 'UnknownKeyError';
}

export class KeyringError extends Error {
  override name = 'KeyringError';
}

export class Keyring {
  private keys: ReadonlyMap<string, Buffer>;
  private currentId: string;

  constructor(
    currentKeyId: string,
    keys: Iterable<[string, Buffer]>,
    /** Where it came from, for error messages: a path or "MENTORFLOW_KEYRING_JSON". */
    readonly source: string,
    /**
     * Reads the keyring again (a file): a key id this process has not seen is looked for there
     * once, so a running worker reads what was written after a rotation without a restart.
     */
    private readonly reread?: () => Keyring,
  ) {
    this.keys = new Map(keys);
    this.currentId = currentKeyId;
    if (!this.keys.has(currentKeyId)) throw new KeyringError(`the current key ${currentKeyId} is not in the keyring (${source})`);
  }

  get currentKeyId(): string {
    return this.currentId;
  }

  current(): { id: string; key: Buffer } {
    return { id: this.currentId, key: this.keys.get(this.currentId)! };
  }

  key(id: string): Buffer {
    if (!this.keys.has(id) && this.reread) {
      const fresh = this.reread();
      // Only ever adds keys: a key this process holds is never dropped by a file edited badly.
      this.keys = new Map([...fresh.keys, ...this.keys]);
      this.currentId = fresh.currentId;
    }
    const key = this.keys.get(id);
    if (!key) {
      throw new UnknownKeyError(
        `data is encrypted with key "${id}", which is not in the keyring (${this.source}); ` +
          `this keyring holds ${[...this.keys.keys()].map((k) => `"${k}"`).join(', ')}. Restore the keyring that holds it from its backup.`,
      );
    }
    return key;
  }

  ids(): string[] {
    return [...this.keys.keys()];
  }

  entries(): [string, Buffer][] {
    return [...this.keys.entries()];
  }

  /**
   * A key for another purpose (evaluation pseudonyms), derived from the keyring's first key: a
   * rotation only adds keys, so it stays the same for as long as the scheme keeps its keyring.
   */
  derivedKey(purpose: string): Buffer {
    const [, first] = this.entries()[0]!;
    return createHmac('sha256', first).update(`mentorflow derived key: ${purpose}`).digest();
  }
}

export function parseKeyring(text: string, source: string): Keyring {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new KeyringError(`the keyring (${source}) is not JSON`);
  }
  const parsed = keyringFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new KeyringError(`the keyring (${source}) is not valid: ${issueReasons(parsed.error, 'keyring').join('; ')}`);
  }
  return fromFile(parsed.data, source);
}

function fromFile(file: KeyringFile, source: string): Keyring {
  return new Keyring(file.current, file.keys.map((k) => [k.id, Buffer.from(k.key, 'base64')] as [string, Buffer]), source);
}

export function loadKeyringFile(file: string): Keyring {
  const read = (): Keyring => parseKeyring(readFileSync(file, 'utf8'), file);
  const first = read();
  return new Keyring(first.currentKeyId, first.entries(), file, read);
}

/** A fresh key id: the day it was made, and a random suffix so two made the same day differ. */
function newKeyId(now: Date): string {
  return `k${now.toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(3).toString('hex')}`;
}

function writeKeyringFile(file: string, content: KeyringFile, exclusive: boolean): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const text = `${JSON.stringify(content, null, 2)}\n`;
  if (exclusive) {
    writeFileSync(file, text, { mode: 0o600, flag: 'wx' });
    return;
  }
  // Write beside, then rename: a crash never leaves half a keyring.
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600 });
  renameSync(temporary, file);
  chmodSync(file, 0o600);
}

/** Create a keyring with one new key. Refuses to overwrite an existing file. */
export function createKeyringFile(file: string, now = new Date()): Keyring {
  const id = newKeyId(now);
  const content: KeyringFile = {
    format: 'mentorflow-keyring/1',
    current: id,
    keys: [{ id, createdAt: now.toISOString(), key: newKey().toString('base64') }],
  };
  writeKeyringFile(file, content, true);
  return loadKeyringFile(file);
}

/** Add a new key and make it current; older keys stay, so old data can still be read. */
export function rotateKeyringFile(file: string, now = new Date()): { previous: string; current: string } {
  const existing = keyringFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const id = newKeyId(now);
  writeKeyringFile(
    file,
    { ...existing, current: id, keys: [...existing.keys, { id, createdAt: now.toISOString(), key: newKey().toString('base64') }] },
    false,
  );
  return { previous: existing.current, current: id };
}

export interface KeyringSource {
  /** A keyring file. */
  file: string;
  /** The keyring's JSON itself (e.g. from a secrets manager, `MENTORFLOW_KEYRING_JSON`): wins over the file. */
  json?: string;
}

/**
 * The configured keyring. With `create`, a missing file is created (the main job on its first
 * run) and `created` says so, for the warning to back it up.
 */
export function openKeyring(source: KeyringSource, options: { create?: boolean } = {}): { keyring: Keyring; created: boolean } {
  if (source.json) return { keyring: parseKeyring(source.json, 'MENTORFLOW_KEYRING_JSON'), created: false };
  if (existsSync(source.file)) return { keyring: loadKeyringFile(source.file), created: false };
  if (!options.create) {
    throw new KeyringError(
      `no keyring at ${source.file}: start the main job once (npm start) to create one, or set MENTORFLOW_KEYRING to the scheme's keyring file`,
    );
  }
  return { keyring: createKeyringFile(source.file), created: true };
}
