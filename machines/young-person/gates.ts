/**
 * The young person's gates, each a list of what is unmet in a co-ordinator's words. A guard passes
 * when its list is empty; a refusal quotes the list.
 */
import { wholeYearsBetween } from '../duration';
import type { SchemePolicy } from '../policy';
import type { Referral } from './events';

/** Why a referral is not eligible under the scheme's policy. */
export function eligibilityProblems(
  referral: Pick<Referral, 'dateOfBirth' | 'careExperienced' | 'ageAtReferral'>,
  referredAt: string,
  policy: SchemePolicy,
): string[] {
  const problems: string[] = [];
  const age = referral.ageAtReferral ?? wholeYearsBetween(referral.dateOfBirth, referredAt);
  const { minAgeAtReferral, maxAgeAtReferral, careExperienceRequired } = policy.youngPerson;
  if (age < minAgeAtReferral || age > maxAgeAtReferral) {
    problems.push(`aged ${age} at referral (policy: ${minAgeAtReferral} to ${maxAgeAtReferral})`);
  }
  if (careExperienceRequired && !referral.careExperienced) {
    problems.push('not care-experienced (policy: the scheme is for care-experienced young people)');
  }
  return problems;
}

export interface ReferralProgress {
  firstContactAt?: string;
  consent?: 'given' | 'declined';
  ownGoals: readonly string[];
}

/** What must happen before the journey can go past referral. */
export function referralIncomplete(progress: ReferralProgress): string[] {
  const missing: string[] = [];
  if (!progress.firstContactAt) missing.push('first contact not recorded');
  if (progress.consent !== 'given') missing.push("the young person's consent not recorded");
  if (progress.ownGoals.length === 0) missing.push("the young person's own goals not recorded");
  return missing;
}

/** Consent can only move the journey on when it comes with the young person's own goals. */
export function consentWithoutGoals(event: { consent: string; ownGoals: readonly string[] }): string[] {
  return event.consent === 'given' && event.ownGoals.length === 0
    ? ["the young person's own goals are needed with their consent"]
    : [];
}
