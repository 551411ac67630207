/**
 * Children's data protected (docs/privacy.md): every payload encrypted with the scheme's keyring,
 * personal fields sealed with each person's own key so they can be erased, and the data converter
 * that every part of mentorflow uses with Temporal.
 */
import type { DataConverter } from '@temporalio/common';
import type { PrivacyConfig } from '../config';
import { dataConverterFor } from './data-converter';
import { openKeyring, type Keyring } from './keyring';
import { PersonKeyStore } from './person-keys';
import { PersonalData } from './sealing';
import { EncryptionCodec } from './payload-codec';

export { DecryptionError } from './aead';
export { dataConverterFor, failureConverterPath } from './data-converter';
export { Keyring, KeyringError, UnknownKeyError, createKeyringFile, openKeyring, rotateKeyringFile } from './keyring';
export { EncryptionCodec } from './payload-codec';
export { PersonErasedError, PersonKeyMissingError, PersonKeyStore, type ErasureRecord } from './person-keys';
export { PersonalData, SEALED_PLACEHOLDER, revealWith } from './sealing';

export interface Privacy {
  keyring: Keyring;
  /** The payload codec alone, e.g. to decode an exported history (audit/). */
  codec: EncryptionCodec;
  dataConverter: DataConverter;
  personalData: PersonalData;
  /** The keyring was made just now: the caller warns to back it up. */
  createdKeyring: boolean;
}

/** The configured keyring, codec and person keys. `create`: make the keyring if there is none (main job). */
export function openPrivacy(config: PrivacyConfig, options: { create?: boolean } = {}): Privacy {
  const { keyring, created } = openKeyring({ file: config.keyringFile, ...(config.keyringJson ? { json: config.keyringJson } : {}) }, options);
  const codec = new EncryptionCodec(keyring);
  return {
    keyring,
    codec,
    dataConverter: dataConverterFor(codec),
    personalData: new PersonalData(new PersonKeyStore(config.personKeysDir, keyring)),
    createdKeyring: created,
  };
}
