/**
 * How a failed delivery reaches Temporal. The rule: a problem with this message or its recipient
 * fails for good (non-retryable: sending it again would be refused again); a problem with the
 * connection or the configuration is retried (the server comes back, or an operator fixes the
 * configuration, and the retried attempt then goes out).
 *
 * Messages never carry an address, a name or the server's reply text (which often quotes the
 * address): Temporal keeps failure messages in the workflow history, in plain text. No `cause` is
 * attached, for the same reason.
 */
import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import type { NodemailerError } from 'nodemailer';

// The error types themselves are a contract with the workflows (their retry policies name them):
// they live in contracts/delivery-errors.ts.
export * from '../../contracts/delivery-errors';
import {
  EMAIL_DELIVERY_DEFERRED,
  EMAIL_INVALID_REQUEST,
  EMAIL_MESSAGE_REJECTED,
  EMAIL_RECIPIENT_REJECTED,
  EMAIL_SENDER_NOT_ACCEPTED,
  EMAIL_UNKNOWN_COORDINATOR,
} from '../../contracts/delivery-errors';

/** Who the message was for, in words that carry no personal data. */
export type RecipientRole = 'volunteer' | 'coordinator' | 'leadCoordinator';

const roleWords: Record<RecipientRole, string> = {
  volunteer: "the volunteer's",
  coordinator: "the co-ordinator's",
  leadCoordinator: "the lead co-ordinator's",
};

/** Safe facts about an SMTP failure: codes only, never the reply text. */
interface FailureDetails {
  role: RecipientRole;
  responseCode?: number;
  /** RFC 3463 enhanced status code, e.g. "5.1.1", when the server gave one. */
  enhancedStatus?: string;
  code?: string;
}

function enhancedStatus(response: string | undefined): string | undefined {
  return response?.match(/^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/)?.[1];
}

/**
 * Turn whatever the mail transport threw into the failure Temporal should see. Always returns
 * (never rethrows the original), so no address can leak through its message.
 */
export function deliveryFailure(err: unknown, role: RecipientRole, via: 'smtp' | 'outbox' = 'smtp'): ApplicationFailure {
  const e = (err ?? {}) as NodemailerError;
  if (via === 'outbox') {
    // A full disk or a permission problem: fixable, so retried.
    return deferred(`the outbox folder could not be written (${e.code ?? 'unknown error'}); it will be retried`, {
      role,
      ...(typeof e.code === 'string' ? { code: e.code } : {}),
    });
  }
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const details: FailureDetails = {
    role,
    ...(responseCode ? { responseCode } : {}),
    ...(enhancedStatus(e.response) ? { enhancedStatus: enhancedStatus(e.response) } : {}),
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
  };
  const codeText = responseCode ? ` (${responseCode}${details.enhancedStatus ? ` ${details.enhancedStatus}` : ''})` : '';

  if (e.code === 'EAUTH' || e.code === 'ENOAUTH') {
    return ApplicationFailure.retryable(
      `the mail server refused the scheme's SMTP credentials${codeText}; fix the mail configuration and the delivery will be retried`,
      EMAIL_SENDER_NOT_ACCEPTED,
      details,
    );
  }
  if (e.code === 'EENVELOPE' && e.command === 'API' && /^Invalid sender/.test(e.message ?? '')) {
    return ApplicationFailure.retryable(
      `the scheme's sender address is not a valid email address; fix the "from" address in the scheme directory and the delivery will be retried`,
      EMAIL_SENDER_NOT_ACCEPTED,
      details,
    );
  }
  if (e.code === 'EENVELOPE' && e.command === 'API') {
    // Refused by nodemailer itself before anything was sent: the address is malformed.
    return ApplicationFailure.nonRetryable(
      `${roleWords[role]} address is not a valid email address; check the address held for them`,
      EMAIL_RECIPIENT_REJECTED,
      details,
    );
  }
  if (e.permanent === true && e.command === 'RCPT TO') {
    return ApplicationFailure.nonRetryable(
      `${roleWords[role]} address was rejected by the mail server${codeText}; check the address held for them`,
      EMAIL_RECIPIENT_REJECTED,
      details,
    );
  }
  if (e.permanent === true && e.command === 'MAIL FROM') {
    return ApplicationFailure.retryable(
      `the mail server refused the scheme's sender address${codeText}; fix the "from" address in the scheme directory and the delivery will be retried`,
      EMAIL_SENDER_NOT_ACCEPTED,
      details,
    );
  }
  if (e.permanent === true) {
    return ApplicationFailure.nonRetryable(
      `the mail server refused the message for ${roleWords[role]} address${codeText}`,
      EMAIL_MESSAGE_REJECTED,
      details,
    );
  }
  const what = responseCode
    ? `the mail server deferred the message${codeText}`
    : `the mail server could not be reached (${e.originalCode ?? e.code ?? 'unknown error'})`;
  return deferred(`${what}; it will be retried`, details);
}

/**
 * Waiting on the world (a mail server down or deferring, a folder not writable): retried, and
 * BENIGN, so the SDK does not log every attempt with its stack (deferral-warnings.ts says it once a minute).
 */
function deferred(message: string, details: object): ApplicationFailure {
  return ApplicationFailure.create({ message, type: EMAIL_DELIVERY_DEFERRED, details: [details], category: ApplicationFailureCategory.BENIGN });
}

/** A request that does not match its schema; names the fields, never their values. */
export function invalidRequest(what: string, problems: readonly string[]): ApplicationFailure {
  return ApplicationFailure.nonRetryable(
    `the ${what} is not valid: ${problems.join('; ')}`,
    EMAIL_INVALID_REQUEST,
  );
}

export function unknownCoordinator(coordinatorId: string): ApplicationFailure {
  // The id is opaque (never a name), so it may appear in the message.
  return ApplicationFailure.retryable(
    `co-ordinator "${coordinatorId}" is not in the scheme directory; add them and restart the worker, and the delivery will be retried`,
    EMAIL_UNKNOWN_COORDINATOR,
  );
}
