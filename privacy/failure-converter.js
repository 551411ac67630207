// Error messages and stack traces go into payloads, so the codec encrypts them too (Temporal keeps
// them in plain text otherwise). Plain CommonJS because it is loaded by path, by Node's own
// `require` in the worker and clients and by the workflow bundler (`failureConverterPath`).
/* global exports */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
