/**
 * Every failure as the web app and the HTTP API report it: one stable code (the same codes as the
 * CLI and the journeys), an HTTP status, and the reasons in a co-ordinator's words. The API sends
 * it as application/problem+json (RFC 9457); the pages show it in the GOV.UK error summary.
 * Never a stack trace, never personal data.
 */
import { z } from 'zod';
import { isTemporalUnreachable, JourneyNotFoundError, JourneyRefusedError } from '../client/journeys';
import { AccessDeniedError, AuthenticationError } from '../access';

export const problemSchema = z
  .object({
    type: z.string().describe('about:blank, or a URL naming the kind of problem'),
    title: z.string(),
    status: z.number().int(),
    code: z.string().describe('stable: GATE.UNMET, EVENT.INVALID, STAGE.NOT_NOW, JOURNEY.NOT_FOUND, ACCESS.DENIED, ...'),
    detail: z.string(),
    reasons: z.array(z.string()).describe('every unmet gate or invalid field, in the words the CLI uses'),
  })
  .meta({ id: 'Problem', example: { type: 'about:blank', title: 'Refused', status: 409, code: 'GATE.UNMET', detail: 'cannot propose a match: ...', reasons: ['vetting: the DBS check is not current'] } });
export type Problem = z.infer<typeof problemSchema>;

/** The HTTP status of each code; a code not listed is a 409 refusal (the journey said no). */
const statusOf: Record<string, number> = {
  'EVENT.INVALID': 422,
  'REFERRAL.NOT_ELIGIBLE': 422,
  'IMPORT.CSV_SYNTAX': 422,
  'IMPORT.BAD_ROWS': 422,
  'IMPORT.BAD_FILE': 422,
  'REQUEST.INVALID': 400,
  'GATE.UNMET': 409,
  'STAGE.NOT_NOW': 409,
  'PERSON.ERASED': 409,
  'PERSON.ALREADY_ERASED': 409,
  'PERSON.NO_KEY': 409,
  'JOURNEY.NOT_FOUND': 404,
  'ROUTE.NOT_FOUND': 404,
  'ACCESS.DENIED': 403,
  'CSRF.INVALID': 403,
  'ACCESS.NO_TOKEN': 401,
  'ACCESS.BAD_TOKEN': 401,
  'ACCESS.NOT_YOU': 401,
  'ACCESS.SESSION': 401,
  'ACCESS.NO_USERS_FILE': 401,
  'ACCESS.USERS_FILE': 500,
  'REQUEST.TOO_LARGE': 413,
  'REQUEST.TOO_MANY': 429,
  'TEMPORAL.UNREACHABLE': 503,
  ERROR: 500,
};

const titleOf: Record<number, string> = {
  400: 'Bad request',
  401: 'Not signed in',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Refused',
  413: 'Request too large',
  422: 'Invalid input',
  429: 'Too many requests',
  500: 'Something went wrong',
  503: 'Temporal unreachable',
};

export function problem(code: string, detail: string, reasons: string[] = [detail]): Problem {
  const status = statusOf[code] ?? 409;
  return { type: 'about:blank', title: titleOf[status] ?? 'Refused', status, code, detail, reasons };
}

/** What went wrong, as a problem. Anything unforeseen is a 500 whose detail says where to look, not what. */
export function problemOf(error: unknown): Problem {
  if (error instanceof JourneyRefusedError) return problem(error.code, error.message, error.reasons);
  if (error instanceof JourneyNotFoundError) return problem(error.code, 'no such journey (or not one you may see)');
  if (error instanceof AccessDeniedError) return problem(error.code, error.message, error.reasons);
  if (error instanceof AuthenticationError) return problem(error.code, error.message);
  const e = error as (Error & { code?: string; statusCode?: number; validation?: { instancePath?: string; message?: string }[] }) | undefined;
  if (e?.code === 'FST_CSRF_INVALID_TOKEN' || e?.code === 'FST_CSRF_MISSING_SECRET') {
    return problem('CSRF.INVALID', 'the form was not sent from this site (its security token is missing or stale): reload the page and try again');
  }
  if (e?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return problem('REQUEST.TOO_LARGE', 'the request body is larger than mentorflow accepts');
  if (e?.statusCode === 429) return problem('REQUEST.TOO_MANY', 'too many requests: wait a minute and try again');
  if (e?.statusCode === 404) return problem('ROUTE.NOT_FOUND', 'there is no such page or route');
  if (e?.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    const reasons = e.validation?.map((v) => `${v.instancePath?.replace(/^\//, '').replaceAll('/', '.') || 'request'}: ${v.message}`) ?? [e.message];
    return problem('REQUEST.INVALID', e.message, reasons);
  }
  if (isTemporalUnreachable(e)) return problem('TEMPORAL.UNREACHABLE', 'Temporal cannot be reached: is mentorflow running (npm start)? Nothing new was recorded.');
  return problem('ERROR', 'an unexpected error: it is in the server log with the request id; what was asked may or may not have been recorded, so check the journey before trying again');
}
