/**
 * How mentorflow says no: the stable refusal codes every edge answers with (the workflow's
 * ApplicationFailure type, the CLI's exit message, the HTTP API's problem `code`), and the one
 * way a zod error becomes reasons in a person's words ("training.hours: Expected number").
 */
import type { z } from 'zod';

export const refusalCodes = {
  /** The input is malformed: a field missing, of the wrong kind, or personal data not sealed. */
  invalid: 'EVENT.INVALID',
  /** The machine's gates for the event are not met (each unmet gate is a reason). */
  gateUnmet: 'GATE.UNMET',
  /** The event does not apply at the journey's stage (or the journey has ended). */
  notNow: 'STAGE.NOT_NOW',
} as const;

export type RefusalCode = (typeof refusalCodes)[keyof typeof refusalCodes];

export interface Refusal {
  code: RefusalCode;
  /** One sentence: "cannot propose a match: vetting not cleared; training 12 of 20 hours". */
  message: string;
  /** One reason per problem, in the same words everywhere. */
  reasons: string[];
  /** The journey's stage when the machine refused (gate and stage refusals). */
  stage?: string;
}

/** A zod error's issues as reasons: "path: message", `whole` naming the input when the path is empty. */
export function issueReasons(error: z.ZodError, whole = 'input'): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || whole}: ${issue.message}`);
}
