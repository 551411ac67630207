import type { AnyMachineSnapshot } from 'xstate';
import { eventTime, type JourneyDefinition } from '../journey';
import { activeMatches, satisfactoryReferences, type VolunteerContext } from './context';
import { volunteerInputSchema, volunteerLinkedEvents, volunteerRecordedEvents, type VolunteerEvent } from './events';
import {
  interviewUnmet,
  matchProposalUnmet,
  peerCriteriaUnmet,
  reviewUnmet,
  supervisionSessionUnmet,
  trainingUnmet,
} from './gates';
import { volunteerMachine } from './machine';

export * from './events';
export * from './gates';
export { capacityOf, checkExpiresAt, checkStatus, type VolunteerContext } from './context';
export { volunteerMachine, type VolunteerMachine } from './machine';

/** Where the volunteer is: the top-level state, or the pathway's stage once in the scheme. */
function stageOf(snapshot: AnyMachineSnapshot): string {
  const value = snapshot.value as string | Record<string, unknown>;
  if (typeof value === 'string') return value;
  if ('inScheme' in value) {
    const pathway = (value.inScheme as { pathway: string | Record<string, unknown> }).pathway;
    return typeof pathway === 'string' ? pathway : Object.keys(pathway)[0]!;
  }
  return Object.keys(value)[0]!;
}

/** The safeguarding check's standing, from the check region (outside the scheme: not tracked). */
function checkStandingOf(snapshot: AnyMachineSnapshot): string | null {
  for (const standing of ['valid', 'expired', 'notClear', 'none'] as const) {
    if (snapshot.matches({ inScheme: { check: standing } } as never)) return standing;
  }
  return null;
}

export const volunteerJourney: JourneyDefinition = {
  kind: 'volunteer',
  machine: volunteerMachine,
  recordedEvents: volunteerRecordedEvents,
  linkedEvents: volunteerLinkedEvents,
  input: volunteerInputSchema,
  eventLabels: {
    'infoSession.attended': 'record that the volunteer attended an information session',
    'application.received': 'record the application',
    'interview.held': 'record the interview',
    'check.recorded': 'record a safeguarding check',
    'reference.received': 'record a reference',
    'training.sessionLogged': 'record a training session',
    'training.completed': 'record that training is complete',
    'suitability.reviewed': 'record the suitability review',
    'peerCriteria.confirmed': 'confirm the peer-mentor criteria',
    'matchingProfile.recorded': "record the volunteer's matching profile",
    'match.proposed': 'propose a match',
    'supervision.rescheduled': 'reschedule a supervision session',
    'supervision.attended': 'record supervision attendance',
    'supervision.missed': 'record a missed supervision session',
    'exit.recorded': "record the volunteer's exit",
    'volunteer.returned': "record the volunteer's return",
    'match.started': 'note that a match started',
    'match.declined': 'note that a match was declined',
    'match.ended': 'note that a match ended',
  },
  dueLabels: {
    vettingPendingNudgeAfter: 'vetting',
    checkRenewalReminder: 'check renewal reminder',
    checkExpiry: 'safeguarding check expiry',
    supervisionAttendanceGrace: 'supervision session attendance',
    nudgeUnactedFor: 'escalation of an unanswered nudge',
  },
  decisionEvents: [
    'interview.held',
    'check.recorded',
    'training.completed',
    'suitability.reviewed',
    'peerCriteria.confirmed',
    'match.proposed',
    'exit.recorded',
    'volunteer.returned',
  ],
  unmetGates(snapshot, event) {
    const context = snapshot.context as VolunteerContext;
    const e = event as VolunteerEvent;
    const now = eventTime(e, context.startedAt);
    const stage = stageOf(snapshot);
    switch (e.type) {
      case 'interview.held':
        return interviewUnmet(e);
      case 'training.completed':
        return trainingUnmet(context);
      case 'peerCriteria.confirmed':
        return peerCriteriaUnmet(context.volunteer, context.policy, now, e);
      case 'match.proposed':
        return matchProposalUnmet(context, e, now);
      case 'suitability.reviewed':
        return stage === 'available' ? reviewUnmet(context) : [];
      case 'supervision.rescheduled':
      case 'supervision.attended':
      case 'supervision.missed':
        return stage === 'matched' ? supervisionSessionUnmet(context, e.sessionId) : [];
      default:
        return [];
    }
  },
  stage: stageOf,
  // Name and contact details are not in the machine: the workflow holds them, sealed (`contact`).
  personalFields: { input: ['volunteer.dateOfBirth'], events: { 'matchingProfile.recorded': ['gender'] } },
  personal(snapshot) {
    return { dateOfBirth: (snapshot.context as VolunteerContext).volunteer.dateOfBirth };
  },
  /**
   * What a proposal needs from the volunteer's side: their type, their date of birth for the age
   * gap, and the ages they mentor (the young person's age is sent only then).
   */
  matchingProfile(snapshot) {
    const c = snapshot.context as VolunteerContext;
    return {
      type: c.volunteer.type,
      dateOfBirth: c.volunteer.dateOfBirth,
      ...(c.matchingProfile?.agesWilling ? { agesWilling: c.matchingProfile.agesWilling } : {}),
    };
  },
  summary(snapshot) {
    const c = snapshot.context as VolunteerContext;
    const { referencesRequired, minimumTrainingHours, requiredTrainingTopics } = c.policy.volunteer;
    return {
      stage: stageOf(snapshot),
      interviewPassedAt: c.interviewPassedAt ?? null,
      check: c.check
        ? {
            type: c.check.checkType,
            decision: c.check.decision,
            issuedOn: c.check.issuedOn,
            expiresOn: c.check.expiresOn,
            standing: checkStandingOf(snapshot),
          }
        : null,
      renewalPending: c.pendingCheck !== undefined,
      checksRecorded: c.checksRecorded,
      renewalRemindersSent: c.renewalRemindersSent,
      referencesReceived: satisfactoryReferences(c),
      referencesRequired,
      trainingHours: c.training.hours,
      trainingHoursRequired: minimumTrainingHours,
      trainingSessions: c.training.sessions,
      trainingTopicsCovered: [...c.training.topics].sort(),
      trainingTopicsMissing: requiredTrainingTopics.filter((t) => !c.training.topics.includes(t)),
      trainingCompletedAt: c.training.completedAt ?? null,
      suitability: c.suitability?.outcome ?? null,
      suitabilityReviewedAt: c.suitability?.reviewedAt ?? null,
      peerCriteriaConfirmedAt: c.peerCriteria?.confirmedAt ?? null,
      activeMatchIds: activeMatches(c).map((m) => m.matchId),
      proposedMatchIds: c.matches.filter((m) => m.status === 'proposed').map((m) => m.matchId),
      matchesProposed: c.matchesProposed,
      nextSupervision: c.supervision.current
        ? { sessionId: c.supervision.current.sessionId, startsAt: c.supervision.current.startsAt }
        : null,
      supervisionAttended: c.supervision.attended,
      supervisionMissed: c.supervision.missed,
      exit: c.exit ?? null,
      returns: c.returns,
    };
  },
};
