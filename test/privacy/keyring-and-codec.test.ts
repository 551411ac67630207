/**
 * The scheme's keyring and the payload codec: every payload encrypted, the key id in its metadata,
 * old data still read after a rotation, and a wrong or missing key a clear error, never garbage.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import {
  DecryptionError,
  EncryptionCodec,
  KeyringError,
  UnknownKeyError,
  createKeyringFile,
  openKeyring,
  rotateKeyringFile,
} from '../../privacy';
import { loadKeyringFile } from '../../privacy/keyring';

const dir = () => mkdtempSync(path.join(tmpdir(), 'mentorflow-keyring-test-'));
const text = new TextDecoder();
const payloadOf = (value: unknown): Payload => defaultPayloadConverter.toPayload(value)!;
const valueOf = (payload: Payload): unknown => defaultPayloadConverter.fromPayload(payload);

describe('the keyring', () => {
  it('is created once, readable by its owner only, and refuses to be overwritten', () => {
    const file = path.join(dir(), 'keyring.json');
    const created = openKeyring({ file }, { create: true });
    expect(created.created).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = openKeyring({ file }, { create: true });
    expect(again.created).toBe(false);
    expect(again.keyring.currentKeyId).toBe(created.keyring.currentKeyId);
    expect(() => createKeyringFile(file)).toThrow(/EEXIST/);
  });

  it('is not made by a client: a missing keyring says how to get one', () => {
    expect(() => openKeyring({ file: path.join(dir(), 'none.json') })).toThrow(KeyringError);
    expect(() => openKeyring({ file: path.join(dir(), 'none.json') })).toThrow(/npm start|MENTORFLOW_KEYRING/);
  });

  it('names what is wrong with a damaged keyring file', () => {
    const file = path.join(dir(), 'keyring.json');
    createKeyringFile(file);
    const content = JSON.parse(readFileSync(file, 'utf8'));
    content.keys[0].key = Buffer.alloc(16).toString('base64');
    writeFileSync(file, JSON.stringify(content));
    expect(() => loadKeyringFile(file)).toThrow(/keys\.0\.key: a key is 32 bytes/);
    content.current = 'k-missing';
    writeFileSync(file, JSON.stringify(content));
    expect(() => loadKeyringFile(file)).toThrow(/the current key is not in the keyring/);
  });
});

describe('the payload codec', () => {
  it('encrypts every payload whole: no byte of the value is left readable, and the key id travels with it', async () => {
    const file = path.join(dir(), 'keyring.json');
    const keyring = createKeyringFile(file);
    const codec = new EncryptionCodec(keyring);
    const [encoded] = await codec.encode([payloadOf({ note: 'Jamie Example lives at 1 Sample Street' })]);
    expect(text.decode(encoded!.metadata!.encoding!)).toBe('binary/encrypted');
    expect(text.decode(encoded!.metadata!['encryption-key-id']!)).toBe(keyring.currentKeyId);
    expect(Buffer.from(encoded!.data!).toString('latin1')).not.toMatch(/Jamie|Sample|json\/plain/);
    const [decoded] = await codec.decode([encoded!]);
    expect(valueOf(decoded!)).toEqual({ note: 'Jamie Example lives at 1 Sample Street' });
  });

  it('encrypts the same value differently each time (a fresh nonce per payload)', async () => {
    const codec = new EncryptionCodec(createKeyringFile(path.join(dir(), 'keyring.json')));
    const [a, b] = await codec.encode([payloadOf('same'), payloadOf('same')]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('after a rotation, writes with the new key and still reads what the old key wrote', async () => {
    const file = path.join(dir(), 'keyring.json');
    const before = new EncryptionCodec(createKeyringFile(file));
    const [old] = await before.encode([payloadOf('written before the rotation')]);
    const { previous, current } = rotateKeyringFile(file);
    expect(current).not.toBe(previous);
    const after = new EncryptionCodec(loadKeyringFile(file));
    const [fresh] = await after.encode([payloadOf('written after')]);
    expect(text.decode(fresh!.metadata!['encryption-key-id']!)).toBe(current);
    const [oldDecoded, freshDecoded] = await after.decode([old!, fresh!]);
    expect(valueOf(oldDecoded!)).toBe('written before the rotation');
    expect(valueOf(freshDecoded!)).toBe('written after');
  });

  it('a running process reads what is written after a rotation elsewhere, without a restart', async () => {
    const file = path.join(dir(), 'keyring.json');
    const worker = new EncryptionCodec(createKeyringFile(file));
    rotateKeyringFile(file);
    // The CLI, started after the rotation, writes with the new key.
    const [fromCli] = await new EncryptionCodec(loadKeyringFile(file)).encode([payloadOf('recorded after the rotation')]);
    const [decoded] = await worker.decode([fromCli!]);
    expect(valueOf(decoded!)).toBe('recorded after the rotation');
    // And from then on the worker writes with the new key too.
    const [fromWorker] = await worker.encode([payloadOf('x')]);
    expect(fromWorker!.metadata!['encryption-key-id']).toEqual(fromCli!.metadata!['encryption-key-id']);
  });

  it('passes payloads from before encryption through as they are', async () => {
    const codec = new EncryptionCodec(createKeyringFile(path.join(dir(), 'keyring.json')));
    const plain = payloadOf({ stage: 'referral' });
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  it('a key the keyring does not hold is a clear error naming the key', async () => {
    const [encoded] = await new EncryptionCodec(createKeyringFile(path.join(dir(), 'a.json'))).encode([payloadOf('x')]);
    const other = new EncryptionCodec(createKeyringFile(path.join(dir(), 'b.json')));
    const decoding = other.decode([encoded!]);
    await expect(decoding).rejects.toThrow(UnknownKeyError);
    await expect(other.decode([encoded!])).rejects.toThrow(/encrypted with key "k\d{8}-[0-9a-f]{6}", which is not in the keyring/);
  });

  it('a wrong key under the right id, or altered bytes, is a clear error, not garbage', async () => {
    const fileA = path.join(dir(), 'a.json');
    const keyring = createKeyringFile(fileA);
    const [encoded] = await new EncryptionCodec(keyring).encode([payloadOf('x')]);
    // Same key id, different key: as if someone restored the wrong keyring.
    const content = JSON.parse(readFileSync(fileA, 'utf8'));
    content.keys[0].key = Buffer.alloc(32, 7).toString('base64');
    const fileB = path.join(dir(), 'b.json');
    writeFileSync(fileB, JSON.stringify(content));
    await expect(new EncryptionCodec(loadKeyringFile(fileB)).decode([encoded!])).rejects.toThrow(DecryptionError);
    await expect(new EncryptionCodec(loadKeyringFile(fileB)).decode([encoded!])).rejects.toThrow(/not the one it was encrypted with, or the data was altered/);
    const tampered = { ...encoded!, data: Uint8Array.from(encoded!.data!, (b, i) => (i === 20 ? b ^ 1 : b)) };
    await expect(new EncryptionCodec(keyring).decode([tampered])).rejects.toThrow(DecryptionError);
  });
});
