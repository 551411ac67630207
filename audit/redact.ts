/**
 * What an audit output may show of a recorded event or an effect: codes, counts, dates and opaque
 * ids only. The histories also hold personal data (a young person's date of birth and own goals,
 * preferences, a volunteer's email address, free-text notes); those fields are never copied out.
 * An allow-list, so that a field added to an event later stays out until someone decides it may
 * be shown.
 */

const shownFields = new Set([
  // decisions and outcomes (codes)
  'outcome',
  'decision',
  'consent',
  'reason',
  'method',
  'category',
  'format',
  'task',
  'mentorType',
  'checkType',
  'planned',
  'rematch',
  'outcomes',
  'with',
  'faceToFace',
  'satisfactory',
  'readyWillingAble',
  'ownSupportInPlace',
  'referenceGiven',
  'gettingToKnowEachOtherFirst',
  // dates and quantities
  'on',
  'issuedOn',
  'expiresOn',
  'startsAt',
  'hours',
  'topics',
  // opaque ids
  'matchId',
  'youngPersonId',
  'volunteerId',
  'sessionId',
  'refereeRef',
]);

/** Fields that are personal but whose presence is a fact worth showing: shown as a count. */
const countedFields = new Set(['ownGoals', 'languages', 'interests']);

export type ShownValue = string | number | boolean | string[];

/** The event's fields an auditor may see (never `type`, `by` or `at`: shown separately). */
export function shownFieldsOf(event: Record<string, unknown> | undefined): Record<string, ShownValue> {
  const shown: Record<string, ShownValue> = {};
  if (!event) return shown;
  let withheld = 0;
  for (const [key, value] of Object.entries(event)) {
    if (key === 'type' || key === 'by' || key === 'at') continue;
    if (countedFields.has(key) && Array.isArray(value)) {
      shown[`${key}Count`] = value.length;
    } else if (shownFields.has(key) && isShowable(value)) {
      shown[key] = Array.isArray(value) ? value.map(String) : (value as string | number | boolean);
    } else {
      withheld += 1;
    }
  }
  if (withheld > 0) shown.fieldsWithheld = withheld;
  return shown;
}

function isShowable(value: unknown): boolean {
  if (Array.isArray(value)) return value.every((v) => typeof v === 'string' || typeof v === 'number');
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** An error message with email addresses taken out (a mail server's refusal often quotes one). */
export function redactMessage(message: string): string {
  return message.replace(/[^\s<>()"',;:]+@[^\s<>()"',;:]+\.[A-Za-z]{2,}/g, '<address withheld>');
}
