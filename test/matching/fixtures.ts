/**
 * Volunteers and young people for the matching tests, built by running the real volunteer machine
 * (JourneySimulator) to the stage wanted, so that matching judges real snapshots.
 */
import { parsePolicy, type SchemePolicyInput } from '../../machines/policy';
import { volunteerInputSchema, volunteerJourney, type MatchingProfile } from '../../machines/volunteer';
import type { VolunteerCandidate, YoungPersonCandidate, YoungPersonPreferences } from '../../matching';
import { JourneySimulator } from '../helpers/journey-simulator';

export const T0 = '2026-01-05T09:00:00.000Z';
export const coordinator = { role: 'coordinator', id: 'co-7' } as const;
const ALL_TOPICS = [
  'mentor-role-and-boundaries',
  'confidentiality',
  'safeguarding',
  'care-context',
  'listening-and-communication',
  'equality-and-diversity',
  'endings',
];

/** How far along their journey a volunteer is. */
export const progressions = ['vetting', 'training', 'review', 'available', 'proposed', 'matched'] as const;
export type Progress = (typeof progressions)[number];

export interface VolunteerSpec {
  id: string;
  peer?: boolean;
  progress?: Progress;
  /** A check issued long ago, expired by now. */
  checkExpired?: boolean;
  profile?: Partial<MatchingProfile>;
  policy?: SchemePolicyInput;
}

export function volunteerSim(spec: VolunteerSpec): JourneySimulator {
  const by = coordinator;
  const input = {
    ...volunteerInputSchema.parse({
      journeyId: spec.id,
      coordinatorId: 'co-7',
      startedAt: T0,
      volunteer: spec.peer
        ? { type: 'peer', dateOfBirth: '2002-03-10', careExperienced: true, leftCareOn: '2021-06-30' }
        : { type: 'traditional', dateOfBirth: '1971-04-12', careExperienced: false },
    }),
    policy: parsePolicy(spec.policy ?? {}),
  };
  const sim = new JourneySimulator(volunteerJourney, input, T0);
  if (spec.profile) sim.must({ type: 'matchingProfile.recorded', by, languages: [], interests: [], availability: [], ...spec.profile });
  const progress = spec.progress ?? 'available';
  sim
    .must({ type: 'infoSession.attended', by })
    .must({ type: 'application.received', by })
    .must({ type: 'interview.held', by, outcome: 'proceed', faceToFace: true });
  const issuedOn = spec.checkExpired ? '2020-01-02' : '2026-01-02';
  sim.must({ type: 'check.recorded', by, checkType: 'PVG', issuedOn, referenceNumber: '1400123456789012', decision: 'clear' });
  if (progress === 'vetting') return sim;
  sim.must({ type: 'reference.received', by, refereeRef: 'ref-a', satisfactory: true });
  sim.must({ type: 'reference.received', by, refereeRef: 'ref-b', satisfactory: true });
  if (spec.checkExpired || progress === 'training') return sim;
  sim.must({ type: 'training.sessionLogged', by, hours: 20, topics: ALL_TOPICS }).must({ type: 'training.completed', by });
  if (progress === 'review') return sim;
  sim.must({ type: 'suitability.reviewed', by, outcome: 'ready' });
  if (spec.peer) sim.must({ type: 'peerCriteria.confirmed', by, readyWillingAble: true, ownSupportInPlace: true });
  if (progress === 'available') return sim;
  const matchId = `m-of-${spec.id}`;
  sim.must({
    type: 'match.proposed',
    by,
    matchId,
    youngPersonId: `yp-other-of-${spec.id}`,
    youngPerson: {
      waitingForMatch: true,
      preferredMentorType: 'either',
      ...(spec.profile?.agesWilling ? { age: spec.profile.agesWilling.from } : {}),
    },
    ageGap: { mentorOlder: true, years: 10 },
  });
  if (progress === 'matched') sim.tell({ type: 'match.started', matchId });
  return sim;
}

export function candidateOf(sim: JourneySimulator, extra: Partial<VolunteerCandidate> = {}): VolunteerCandidate {
  const context = sim.context as { journeyId: string; volunteer: { dateOfBirth: string } };
  return {
    journeyId: context.journeyId,
    definition: volunteerJourney,
    snapshot: sim.snapshot,
    at: sim.now,
    dateOfBirth: context.volunteer.dateOfBirth,
    ...extra,
  };
}

export function youngPerson(
  id: string,
  fields: Omit<Partial<YoungPersonCandidate>, 'preferences'> & { preferences?: Partial<YoungPersonPreferences> | null } = {},
): YoungPersonCandidate {
  const { preferences, ...rest } = fields;
  return {
    journeyId: id,
    waitingForMatch: true,
    preferredMentorType: preferences?.mentorType ?? 'either',
    preferences:
      preferences === null
        ? null
        : { mentorType: 'either', gender: 'noPreference', languages: [], interests: [], ...preferences },
    waitingSince: T0,
    dateOfBirth: '2008-05-01',
    pastMatches: [],
    ...rest,
  };
}
