/**
 * Each person's own key, which seals their personal fields (./sealing). Destroying it at the end of
 * the retention period makes those fields unreadable everywhere they were copied (Temporal's
 * histories, exported files, backups of either), while everything else about the journey stays.
 *
 * One small file per person under `<dir>/keys/`, the key wrapped with the scheme's keyring, and an
 * append-only `<dir>/erasures.jsonl` of who erased whose key, when and why (no personal data).
 * Keys are read from disk on every use, never cached, so an erasure takes effect at once in every
 * process that shares the directory. The directory must not be copied into the database's backups
 * (that would keep erased keys); on a cluster it is shared storage, or this class is replaced by
 * one backed by a key management service with the same three operations.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Actor } from '../machines/journey';
import { openBytes, sealBytes, newKey } from './aead';
import type { Keyring } from './keyring';

const subjectPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

const keyFileSchema = z
  .object({
    format: z.literal('mentorflow-person-key/1'),
    subject: z.string().regex(subjectPattern),
    keyId: z.string().regex(/^[0-9a-f]{8,32}$/),
    createdAt: z.string(),
    wrappedWith: z.string(),
    wrapped: z.base64(),
  })
  .strict();

export interface ErasureRecord {
  /** The person's journey id (opaque). */
  subject: string;
  keyId: string;
  erasedAt: string;
  erasedBy: Actor;
  reason: string;
}

/** The person's key was destroyed: their personal fields can no longer be read by anyone. */
export class PersonErasedError extends Error {
  override name = 'PersonErasedError';
  constructor(readonly erasure: ErasureRecord) {
    super(`the personal data of ${erasure.subject} was erased on ${erasure.erasedAt.slice(0, 10)} by ${erasure.erasedBy.role} ${erasure.erasedBy.id}`);
  }
}

/** No key for this person (or not this key): sealed elsewhere, or the key store was not restored. */
export class PersonKeyMissingError extends Error {
  override name = 'PersonKeyMissingError';
}

export class PersonKeyStore {
  private readonly keysDir: string;
  private readonly erasuresFile: string;

  constructor(
    readonly dir: string,
    private readonly keyring: Keyring,
  ) {
    this.keysDir = path.join(dir, 'keys');
    this.erasuresFile = path.join(dir, 'erasures.jsonl');
  }

  /** The person's current key, made on first use. */
  keyFor(subject: string): { keyId: string; key: Buffer } {
    checkSubject(subject);
    const existing = this.read(subject);
    if (existing) return existing;
    const erased = this.erasureOf(subject);
    if (erased) throw new PersonErasedError(erased);
    const key = newKey();
    const keyId = randomBytes(8).toString('hex');
    const master = this.keyring.current();
    const content = {
      format: 'mentorflow-person-key/1' as const,
      subject,
      keyId,
      createdAt: new Date().toISOString(),
      wrappedWith: master.id,
      wrapped: sealBytes(master.key, key, wrapContext(subject, keyId)).toString('base64'),
    };
    mkdirSync(this.keysDir, { recursive: true, mode: 0o700 });
    try {
      writeFileSync(this.fileOf(subject), `${JSON.stringify(content)}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process made it first: use theirs, so one person never has two keys.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return this.read(subject)!;
      throw error;
    }
    return { keyId, key };
  }

  /** The key `keyId` of `subject`, to open a sealed value. */
  key(subject: string, keyId: string): Buffer {
    checkSubject(subject);
    const found = this.read(subject);
    if (found && found.keyId === keyId) return found.key;
    const erased = this.erasureOf(subject);
    if (erased) throw new PersonErasedError(erased);
    throw new PersonKeyMissingError(
      `no key ${keyId} for ${subject} in ${this.keysDir}: the value was sealed with a key store this one is not (restore it from its backup)`,
    );
  }

  hasKey(subject: string): boolean {
    checkSubject(subject);
    return existsSync(this.fileOf(subject));
  }

  /**
   * Destroy the person's key and record who did it, when and why. Their sealed fields become
   * unreadable everywhere; the record keeps no personal data.
   */
  erase(subject: string, erasedBy: Actor, reason: string, now = new Date()): ErasureRecord {
    checkSubject(subject);
    const found = this.read(subject);
    if (!found) {
      const erased = this.erasureOf(subject);
      if (erased) throw new PersonErasedError(erased);
      throw new PersonKeyMissingError(`there is no key for ${subject}: nothing was ever sealed for them here`);
    }
    const record: ErasureRecord = { subject, keyId: found.keyId, erasedAt: now.toISOString(), erasedBy, reason };
    mkdirSync(this.dir, { recursive: true });
    appendFileSync(this.erasuresFile, `${JSON.stringify(record)}\n`, { mode: 0o600 });
    // Overwrite before unlinking, so the wrapped key is not left in the file's old blocks on disks
    // that write in place (copy-on-write filesystems and SSDs may still keep it: see docs/privacy.md).
    const file = this.fileOf(subject);
    const shredded = `${file}.erased`;
    renameSync(file, shredded);
    writeFileSync(shredded, Buffer.alloc(512));
    unlinkSync(shredded);
    return record;
  }

  erasureOf(subject: string): ErasureRecord | undefined {
    return this.erasures().find((e) => e.subject === subject);
  }

  /** Every erasure, oldest first. */
  erasures(): ErasureRecord[] {
    if (!existsSync(this.erasuresFile)) return [];
    return readFileSync(this.erasuresFile, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as ErasureRecord);
  }

  private read(subject: string): { keyId: string; key: Buffer } | undefined {
    const file = this.fileOf(subject);
    if (!existsSync(file)) return undefined;
    const content = keyFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    const key = openBytes(
      this.keyring.key(content.wrappedWith),
      Buffer.from(content.wrapped, 'base64'),
      wrapContext(subject, content.keyId),
      `the key of ${subject}`,
    );
    return { keyId: content.keyId, key };
  }

  private fileOf(subject: string): string {
    return path.join(this.keysDir, `${subject}.json`);
  }
}

function wrapContext(subject: string, keyId: string): string {
  return `person-key:${subject}:${keyId}`;
}

function checkSubject(subject: string): void {
  if (!subjectPattern.test(subject)) throw new Error(`"${subject}" is not a journey id`);
}
