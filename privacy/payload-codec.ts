/**
 * The Temporal PayloadCodec that encrypts every payload mentorflow stores: workflow inputs,
 * Updates and their results, signals, queries, activity inputs and results, memos, and (with the
 * failure converter in ./failure-converter) error messages. Each payload is encrypted whole with
 * the keyring's current key; the key id travels in the payload's metadata, so data written before
 * a rotation is read with the key it was written with.
 *
 * Worker, CLI, codec server and every client use the same codec (./data-converter): a client
 * without it sees only `binary/encrypted` payloads.
 */
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { DecryptionError, openBytes, sealBytes } from './aead';
import type { Keyring } from './keyring';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const utf8 = new TextEncoder();
const text = new TextDecoder();

export function isEncryptedPayload(payload: Payload): boolean {
  const encoding = payload.metadata?.encoding;
  return encoding !== undefined && encoding !== null && text.decode(encoding) === ENCRYPTED_ENCODING;
}

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keyring: Keyring) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const { id, key } = this.keyring.current();
    return payloads.map((payload) => ({
      metadata: { encoding: utf8.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8.encode(id) },
      data: sealBytes(key, temporal.api.common.v1.Payload.encode(payload).finish(), `payload:${id}`),
    }));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      // Payloads from before encryption (and the golden histories) pass through as they are.
      if (!isEncryptedPayload(payload)) return payload;
      const rawId = payload.metadata?.[KEY_ID_METADATA];
      if (!rawId) throw new DecryptionError('an encrypted payload has no key id');
      const id = text.decode(rawId);
      const plain = openBytes(this.keyring.key(id), payload.data ?? new Uint8Array(), `payload:${id}`, `a payload encrypted with key "${id}"`);
      return temporal.api.common.v1.Payload.decode(plain) as Payload;
    });
  }
}
