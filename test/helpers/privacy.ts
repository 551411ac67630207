/**
 * The keyring and person keys tests run with: made once per test process in a temporary folder,
 * so every test encrypts its payloads and seals personal fields exactly as production does.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PersonKeyStore, PersonalData, openPrivacy, type Privacy } from '../../privacy';

let shared: (Privacy & { dir: string }) | undefined;

export function testPrivacy(): Privacy & { dir: string } {
  shared ??= freshPrivacy();
  return shared;
}

/** A keyring and person key store of its own, e.g. for a test that erases someone. */
export function freshPrivacy(): Privacy & { dir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'mentorflow-keys-'));
  return { dir, ...openPrivacy({ keyringFile: path.join(dir, 'keyring.json'), personKeysDir: path.join(dir, 'person-keys') }, { create: true }) };
}

/**
 * The process's keyring (which the test servers' clients encrypt with) with person keys of the
 * test's own: for a test that erases someone without touching other tests' people.
 */
export function freshPersonKeys(): Privacy & { dir: string } {
  const shared = testPrivacy();
  const dir = mkdtempSync(path.join(tmpdir(), 'mentorflow-person-keys-'));
  return { ...shared, dir, personalData: new PersonalData(new PersonKeyStore(dir, shared.keyring)) };
}
