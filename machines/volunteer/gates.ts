/**
 * The volunteer's gates, each a list of what is unmet in a co-ordinator's words. A guard passes
 * when its list is empty; a refusal quotes the list, so the reason given is the rule applied.
 * Every number comes from the scheme policy.
 */
import { wholeYearsBetween } from '../duration';
import { isSealedValue } from '../journey';
import type { SchemePolicy } from '../policy';
import {
  activeMatches,
  capacityOf,
  checkStatus,
  isPeer,
  satisfactoryReferences,
  yearsSinceLeavingCare,
  type VolunteerContext,
} from './context';
import type { z } from 'zod';
import { sharedSlots } from '../matching-profile';
import type { AgeGap, matchProposed, SuitabilityOutcome, VolunteerProfile } from './events';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const hours = (n: number) => String(Math.round(n * 100) / 100);

/** Interview: the practice asks for at least one face-to-face interview before going on. */
export function interviewUnmet(interview: { outcome: 'proceed' | 'notProceed'; faceToFace: boolean }): string[] {
  return interview.outcome === 'proceed' && !interview.faceToFace
    ? ['the interview was not face to face (a face-to-face interview is needed to proceed)']
    : [];
}

/** Vetting: a clear safeguarding check in force on `now`, and enough satisfactory references. */
export function vettingUnmet(context: Pick<VolunteerContext, 'check' | 'references' | 'policy'>, now: string): string[] {
  const unmet: string[] = [];
  switch (checkStatus(context.check, now)) {
    case 'none':
      unmet.push('vetting not cleared: no safeguarding check recorded');
      break;
    case 'pending':
      unmet.push('vetting not cleared: safeguarding check pending');
      break;
    case 'notClear':
      unmet.push('vetting not cleared: safeguarding check not clear');
      break;
    case 'expired':
      unmet.push(`safeguarding check expired on ${context.check?.expiresOn}`);
      break;
    case 'valid':
      break;
  }
  const required = context.policy.volunteer.referencesRequired;
  const received = satisfactoryReferences(context);
  if (received < required) {
    const notSatisfactory = context.references.length - received;
    unmet.push(
      `${plural(required, 'reference')} needed, ${received} received` +
        (notSatisfactory > 0 ? ` (${notSatisfactory} more not satisfactory)` : ''),
    );
  }
  return unmet;
}

/** Training: the policy's minimum hours and every required topic. */
export function trainingUnmet(context: Pick<VolunteerContext, 'training' | 'policy'>): string[] {
  const { minimumTrainingHours, requiredTrainingTopics } = context.policy.volunteer;
  const unmet: string[] = [];
  if (context.training.hours < minimumTrainingHours) {
    unmet.push(`training ${hours(context.training.hours)} of ${hours(minimumTrainingHours)} hours`);
  }
  for (const topic of requiredTrainingTopics) {
    if (!context.training.topics.includes(topic)) unmet.push(`topic '${topic}' not covered`);
  }
  return unmet;
}

export const suitabilityLabels: Record<SuitabilityOutcome, string> = {
  ready: 'ready to be matched',
  peerSupportGroup: 'stay in the peer support group for now',
  alternativeRole: 'offered an alternative role',
  notSuitable: 'not suitable',
};

/** The suitability review at the end of training must have found the volunteer ready. */
export function suitabilityUnmet(context: Pick<VolunteerContext, 'suitability'>): string[] {
  if (!context.suitability) return ['suitability review not done'];
  if (context.suitability.outcome === 'ready') return [];
  return [`suitability review decided: ${suitabilityLabels[context.suitability.outcome]}`];
}

/**
 * The extra criteria for a peer mentor: care-experienced, separated from their own care
 * transition by the policy's years, and with support of their own when the policy asks for it.
 * `confirmation` is the co-ordinator's confirmation being judged, or the one on record.
 */
export function peerCriteriaUnmet(
  volunteer: VolunteerProfile,
  policy: SchemePolicy,
  now: string,
  confirmation: { ownSupportInPlace: boolean } | undefined,
): string[] {
  if (volunteer.type !== 'peer') return [];
  const unmet: string[] = [];
  const minYears = policy.volunteer.peerMinYearsSinceLeavingCare;
  if (!volunteer.careExperienced) {
    unmet.push('peer mentor is not care-experienced');
  } else {
    const years = yearsSinceLeavingCare({ volunteer }, now);
    if (years === undefined) {
      if (minYears > 0) unmet.push("peer mentor's leaving-care date not recorded");
    } else if (years < minYears) {
      const ago = years < 1 ? 'less than a year ago' : `${plural(years, 'year')} ago`;
      unmet.push(`peer mentor left care ${ago} (policy: at least ${minYears})`);
    }
  }
  if (!confirmation) {
    unmet.push('peer-mentor criteria not confirmed');
  } else if (policy.volunteer.peerOwnSupportRequired && !confirmation.ownSupportInPlace) {
    unmet.push('peer mentor has no support of their own in place');
  }
  return unmet;
}

export type MatchProposal = Pick<z.infer<typeof matchProposed>, 'matchId' | 'youngPersonId' | 'youngPerson' | 'ageGap'>;

/** The mentor's age against the young person's, from both dates of birth (the client's side). */
export function ageGapBetween(mentorDateOfBirth: string, youngPersonDateOfBirth: string): AgeGap {
  return mentorDateOfBirth <= youngPersonDateOfBirth
    ? { mentorOlder: mentorDateOfBirth < youngPersonDateOfBirth, years: wholeYearsBetween(mentorDateOfBirth, youngPersonDateOfBirth) }
    : { mentorOlder: false, years: wholeYearsBetween(youngPersonDateOfBirth, mentorDateOfBirth) };
}

/**
 * A peer match needs a significant age gap: the mentor older by the policy's years. The gap comes
 * with the proposal; histories from before sealing carry both dates of birth instead.
 */
export function ageGapUnmet(volunteer: VolunteerProfile, proposal: Pick<MatchProposal, 'youngPerson' | 'ageGap'>, policy: SchemePolicy): string[] {
  if (volunteer.type !== 'peer') return [];
  const min = policy.match.peerMinAgeGapYears;
  const youngPersonDateOfBirth = proposal.youngPerson.dateOfBirth;
  const gap =
    proposal.ageGap ??
    (youngPersonDateOfBirth !== undefined && !isSealedValue(volunteer.dateOfBirth)
      ? ageGapBetween(volunteer.dateOfBirth, youngPersonDateOfBirth)
      : undefined);
  if (!gap) return ['the age gap is not known: propose the match through mentorflow, which works it out'];
  if (!gap.mentorOlder) {
    return [`the peer mentor is younger than the young person (policy: at least ${plural(min, 'year')} older)`];
  }
  return gap.years < min ? [`age gap ${plural(gap.years, 'year')} (policy: at least ${min} for a peer match)`] : [];
}

/**
 * The young person's side: waiting for a match, wanting this type of mentor, some time in the
 * week when both are free, and nothing between these two that keeps them apart.
 */
export function youngPersonUnmet(
  context: Pick<VolunteerContext, 'volunteer' | 'matchingProfile'>,
  proposal: MatchProposal,
): string[] {
  const unmet: string[] = [];
  const { youngPerson } = proposal;
  if (!youngPerson.waitingForMatch) unmet.push('the young person is not waiting for a match');
  const preferred = youngPerson.preferredMentorType;
  if (preferred !== 'either' && preferred !== context.volunteer.type) {
    unmet.push(`the young person prefers a ${preferred} mentor`);
  }
  const mentorFree = context.matchingProfile?.availability ?? [];
  const menteeFree = youngPerson.availability ?? [];
  // Only when both have said when they are free: an unknown week is not an empty one.
  if (mentorFree.length > 0 && menteeFree.length > 0 && sharedSlots(mentorFree, menteeFree).length === 0) {
    unmet.push('no time in the week when both are free');
  }
  const ages = context.matchingProfile?.agesWilling;
  if (ages) {
    const range = `the volunteer mentors ages ${ages.from} to ${ages.to}`;
    if (youngPerson.age === undefined) unmet.push(`the young person's age is not known (${range})`);
    else if (youngPerson.age < ages.from || youngPerson.age > ages.to) unmet.push(`${range}; the young person is ${youngPerson.age}`);
  }
  if (youngPerson.declinedThisVolunteer) unmet.push('the young person declined this volunteer before');
  if (youngPerson.endedForSafeguarding) unmet.push('a match between them ended for safeguarding reasons');
  if (youngPerson.previousMentor && !youngPerson.previousMentor.proposeAgain) {
    unmet.push("this volunteer was the young person's mentor before (propose them again only if the co-ordinator decides so)");
  }
  return unmet;
}

/** Room for another match: proposed matches count, so one volunteer is never offered twice at once. */
export function capacityUnmet(context: Pick<VolunteerContext, 'matches' | 'policy' | 'matchingProfile'>, proposal: MatchProposal): string[] {
  const unmet: string[] = [];
  const max = capacityOf(context);
  const active = activeMatches(context).length;
  const proposed = context.matches.length - active;
  if (active + proposed >= max) {
    const held = [
      ...(active > 0 || proposed === 0 ? [`${plural(active, 'active match', 'active matches')}`] : []),
      ...(proposed > 0 ? [`${plural(proposed, 'proposed match', 'proposed matches')}`] : []),
    ];
    const limit = context.matchingProfile?.capacity === undefined ? 'policy' : 'their capacity';
    unmet.push(`already has ${held.join(' and ')} (${limit}: at most ${max})`);
  }
  if (context.matches.some((m) => m.matchId === proposal.matchId)) {
    unmet.push(`match ${proposal.matchId} is already open`);
  } else if (context.matches.some((m) => m.youngPersonId === proposal.youngPersonId)) {
    unmet.push(`a match with young person ${proposal.youngPersonId} is already open`);
  }
  return unmet;
}

/**
 * Every gate for proposing a match, all listed at once: vetting, training, suitability, the peer
 * criteria and age gap, the young person's side, and room for another match.
 */
export function matchProposalUnmet(context: VolunteerContext, proposal: MatchProposal, now: string): string[] {
  return [...mentorReadyUnmet(context, now), ...pairUnmet(context, proposal)];
}

/** The volunteer's own gates, whoever the young person: vetted, trained, found ready, peer criteria. */
export function mentorReadyUnmet(context: VolunteerContext, now: string): string[] {
  return [
    ...vettingUnmet(context, now),
    ...trainingUnmet(context),
    ...suitabilityUnmet(context),
    ...(isPeer(context) ? peerCriteriaUnmet(context.volunteer, context.policy, now, context.peerCriteria) : []),
  ];
}

/** The gates of this pair: the age gap, the young person's side, and room for this match. */
export function pairUnmet(context: VolunteerContext, proposal: MatchProposal): string[] {
  return [
    ...ageGapUnmet(context.volunteer, proposal, context.policy),
    ...youngPersonUnmet(context, proposal),
    ...capacityUnmet(context, proposal),
  ];
}

/** Supervision events name the session they are about: only the scheduled one can be recorded. */
export function supervisionSessionUnmet(context: Pick<VolunteerContext, 'supervision'>, sessionId: string): string[] {
  const current = context.supervision.current;
  if (!current) return ['no supervision session is scheduled'];
  return current.sessionId === sessionId
    ? []
    : [`session ${sessionId} is not the scheduled supervision session (that is ${current.sessionId})`];
}

/** A volunteer with an open match keeps their role until that match is declined or ended. */
export function reviewUnmet(context: Pick<VolunteerContext, 'matches'>): string[] {
  return context.matches.map((m) => `match ${m.matchId} is still open (it must be declined or ended first)`);
}
