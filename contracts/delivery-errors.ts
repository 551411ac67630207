/**
 * The error types a failed delivery reaches Temporal with (ApplicationFailure.type): the
 * activities raise them (activities/notifications/errors.ts), the workflows' retry policies name
 * the ones not worth retrying, and the journey's status shows them. The rule: a problem with this
 * message or its recipient fails for good; a problem with the connection or the configuration is
 * retried.
 */

/** The recipient's address was refused for good (5xx to RCPT TO). Non-retryable. */
export const EMAIL_RECIPIENT_REJECTED = 'EMAIL.RECIPIENT_REJECTED';
/** The message itself was refused for good (5xx to DATA: content, size, policy). Non-retryable. */
export const EMAIL_MESSAGE_REJECTED = 'EMAIL.MESSAGE_REJECTED';
/** The request is malformed: a bug in the caller, so retrying cannot help. Non-retryable. */
export const EMAIL_INVALID_REQUEST = 'EMAIL.INVALID_REQUEST';
/** The mail server refused the scheme's sender address or credentials. Retried until fixed. */
export const EMAIL_SENDER_NOT_ACCEPTED = 'EMAIL.SENDER_NOT_ACCEPTED';
/** The co-ordinator is not in the scheme directory. Retried: add them and restart the worker. */
export const EMAIL_UNKNOWN_COORDINATOR = 'EMAIL.UNKNOWN_COORDINATOR';
/** The server could not be reached or deferred the message (4xx), or the outbox could not be written. Retried. */
export const EMAIL_DELIVERY_DEFERRED = 'EMAIL.DELIVERY_DEFERRED';

/**
 * The volunteer's personal data was erased (their key destroyed), so there is no address to send
 * to. Non-retryable (raised as such; not in the list below, which workflows already replay with).
 */
export const EMAIL_PERSON_ERASED = 'EMAIL.PERSON_ERASED';
/** A sealed address arrived but this worker has no person key store to open it. Retried: configure it. */
export const EMAIL_PERSONAL_DATA_UNAVAILABLE = 'EMAIL.PERSONAL_DATA_UNAVAILABLE';

/** For a retry policy's `nonRetryableErrorTypes` (the failures are also flagged non-retryable). */
export const nonRetryableNotificationErrors = [
  EMAIL_RECIPIENT_REJECTED,
  EMAIL_MESSAGE_REJECTED,
  EMAIL_INVALID_REQUEST,
] as const;
