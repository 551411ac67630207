/**
 * AES-256-GCM, the one cipher mentorflow uses: for Temporal payloads (the scheme's keyring) and for
 * personal fields (each person's own key). A 96-bit random nonce per message; the 128-bit tag makes
 * a wrong key or altered bytes a clear error instead of garbage.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

/** The key or the bytes are not the ones sealed together: never returns garbage. */
export class DecryptionError extends Error {
  override name = 'DecryptionError';
}

/** `nonce | ciphertext | tag`, bound to `associated` (e.g. the key id), which must match on opening. */
export function sealBytes(key: Uint8Array, plaintext: Uint8Array, associated: string): Buffer {
  if (key.length !== KEY_BYTES) throw new Error(`an AES-256 key is ${KEY_BYTES} bytes, not ${key.length}`);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(associated, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

export function openBytes(key: Uint8Array, sealed: Uint8Array, associated: string, what: string): Buffer {
  if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new DecryptionError(`${what} is too short to be encrypted data`);
  const bytes = Buffer.from(sealed);
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, NONCE_BYTES));
  decipher.setAAD(Buffer.from(associated, 'utf8'));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new DecryptionError(`${what} could not be decrypted: the key is not the one it was encrypted with, or the data was altered`);
  }
}

export function newKey(): Buffer {
  return randomBytes(KEY_BYTES);
}
