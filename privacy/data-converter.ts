/**
 * The data converter every part of mentorflow uses with Temporal: the worker, the CLI, the codec
 * server, tests and any client. Payloads and error messages are encrypted with the keyring.
 */
import path from 'node:path';
import type { DataConverter } from '@temporalio/common';
import type { EncryptionCodec } from './payload-codec';

/** The module the workflow bundle and the worker load for failures (see ./failure-converter). */
export const failureConverterPath = path.join(__dirname, 'failure-converter.js');

/** The converter around `codec` (the keyring's EncryptionCodec), error messages encoded too. */
export function dataConverterFor(codec: EncryptionCodec): DataConverter {
  return { payloadCodecs: [codec], failureConverterPath };
}
