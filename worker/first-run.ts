/**
 * Whether the main job may make a new keyring. Only on a first run: a data folder that already
 * holds traces of journeys had them encrypted with a keyring, and a new one could not read them
 * (every workflow task would fail to decode its history). A lost keyring is then a clear refusal
 * that changes nothing, so the operator restores the backup, rather than a fresh keyring that
 * seems to work while every journey stalls.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { loadConfig } from '../config';
import { DELIVERY_LOG_FILE } from '../activities/notifications/delivery-log';

type Config = ReturnType<typeof loadConfig>;

/** What in the data folder shows that journeys already exist: the dev server's database, the delivery log, person keys. */
export function journeyTraces(config: Config): string[] {
  const traces = [path.join(config.dataDir, 'temporal.sqlite'), path.join(config.dataDir, DELIVERY_LOG_FILE)].filter((file) => existsSync(file));
  // One file per person under keys/ (privacy/person-keys.ts).
  const keysDir = path.join(config.privacy.personKeysDir, 'keys');
  const personKeys = existsSync(keysDir) ? readdirSync(keysDir) : [];
  if (personKeys.length > 0) traces.push(`${config.privacy.personKeysDir} (${personKeys.length} person keys)`);
  return traces;
}

/** Throws, naming what was found, when the keyring is missing from a data folder that has journeys. */
export function checkKeyringNotLost(config: Config): void {
  if (config.privacy.keyringJson || existsSync(config.privacy.keyringFile)) return;
  const traces = journeyTraces(config);
  if (traces.length === 0) return;
  throw new Error(
    `The keyring ${config.privacy.keyringFile} is missing, but journeys already exist here (${traces.join('; ')}). ` +
      'They were encrypted with that keyring and a new one could not read them, so none is made. ' +
      'Restore the keyring from your backup (or point MENTORFLOW_KEYRING at it) and start again; ' +
      'the journeys are waiting on the Temporal server and carry on then. Nothing has been changed (docs/faults.md). ' +
      '(Only to throw every journey away and start afresh: stop, move the data folder aside, and start again.)',
  );
}
