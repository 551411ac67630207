/**
 * The two sides of a possible match as matching sees them, and the proposal the volunteer's journey
 * would judge for a pair. `proposalFor` is the one place a proposal is put together: the client's
 * `proposeMatch` sends it, and the shortlist and the plan judge exactly it, so they cannot disagree.
 */
import type { AnyMachineSnapshot } from 'xstate';
import { wholeYearsBetween } from '../machines/duration';
import type { JourneyDefinition } from '../machines/journey';
import type { AvailabilitySlot, Gender } from '../machines/matching-profile';
import { ageGapBetween, type MatchProposal, type PreferredMentorType, type VolunteerContext } from '../machines/volunteer';

export interface YoungPersonPreferences {
  mentorType: PreferredMentorType;
  gender: string;
  languages: string[];
  interests: string[];
  area?: string;
  availability?: AvailabilitySlot[];
}

/** A match the young person was in, or was proposed and never started, read from the match journey. */
export interface PastMatch {
  matchId: string;
  volunteerId: string;
  /** It started: this volunteer was the young person's mentor. */
  started: boolean;
  /** The young person declined the proposal (not: withdrawn, or the volunteer left). */
  declinedByYoungPerson: boolean;
  /** It ended, or never started, for safeguarding reasons. */
  safeguarding: boolean;
}

export interface YoungPersonCandidate {
  journeyId: string;
  waitingForMatch: boolean;
  preferredMentorType: PreferredMentorType;
  preferences: YoungPersonPreferences | null;
  waitingSince: string | null;
  /** Opened at the edge for the peer age gap; never stored by matching. */
  dateOfBirth?: string;
  pastMatches: PastMatch[];
}

export interface VolunteerCandidate {
  journeyId: string;
  /** The definition the volunteer's journey runs (its machine version). */
  definition: JourneyDefinition;
  snapshot: AnyMachineSnapshot;
  /** The journey's clock when its snapshot was read. */
  at: string;
  /** Opened at the edge for the peer age gap. */
  dateOfBirth?: string;
  /** Opened at the edge for the young person's gender preference. */
  gender?: Gender;
}

export const contextOf = (volunteer: VolunteerCandidate) => volunteer.snapshot.context as VolunteerContext;

/** The volunteer's side of `proposalFor`, from their snapshot. */
export function proposingSide(volunteer: VolunteerCandidate) {
  const context = contextOf(volunteer);
  const agesWilling = context.matchingProfile?.agesWilling;
  return {
    journeyId: volunteer.journeyId,
    type: context.volunteer.type,
    ...(volunteer.dateOfBirth ? { dateOfBirth: volunteer.dateOfBirth } : {}),
    ...(agesWilling ? { agesWilling } : {}),
  };
}

export interface ProposalOptions {
  matchId: string;
  /** The day of the proposal, for the young person's age (sent only to a volunteer who gave the ages they mentor). */
  on?: string;
  /** The co-ordinator decides to propose the young person's previous mentor again. */
  proposeAgain?: boolean;
}

/** The proposal event (less `by` and `at`) for this pair, with what their past says about them. */
export function proposalFor(
  youngPerson: YoungPersonCandidate,
  volunteer: Pick<VolunteerCandidate, 'journeyId' | 'dateOfBirth'> & { type: 'peer' | 'traditional'; agesWilling?: { from: number; to: number } },
  options: ProposalOptions,
): MatchProposal & { type: 'match.proposed' } {
  const between = youngPerson.pastMatches.filter((m) => m.volunteerId === volunteer.journeyId);
  const availability = youngPerson.preferences?.availability;
  const ageGap =
    volunteer.type === 'peer' && volunteer.dateOfBirth && youngPerson.dateOfBirth
      ? ageGapBetween(volunteer.dateOfBirth, youngPerson.dateOfBirth)
      : undefined;
  const age =
    volunteer.agesWilling && youngPerson.dateOfBirth && options.on ? wholeYearsBetween(youngPerson.dateOfBirth, options.on) : undefined;
  return {
    type: 'match.proposed',
    matchId: options.matchId,
    youngPersonId: youngPerson.journeyId,
    youngPerson: {
      waitingForMatch: youngPerson.waitingForMatch,
      preferredMentorType: youngPerson.preferredMentorType,
      ...(age !== undefined ? { age } : {}),
      ...(availability && availability.length > 0 ? { availability: [...availability] } : {}),
      ...(between.some((m) => m.declinedByYoungPerson) ? { declinedThisVolunteer: true as const } : {}),
      ...(between.some((m) => m.safeguarding) ? { endedForSafeguarding: true as const } : {}),
      ...(between.some((m) => m.started) ? { previousMentor: { proposeAgain: options.proposeAgain ?? false } } : {}),
    },
    ...(ageGap ? { ageGap } : {}),
  };
}
