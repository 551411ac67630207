/**
 * Friendly names for the events co-ordinators record most, as a table (not code): each maps onto
 * an event type of one kind of journey, with a few shorter flag names. Every alias works on its
 * own (`npx mentorflow check-in m-123 --with mentor,mentee`) and after its journey's kind
 * (`npx mentorflow match check-in m-123 ...`), which is the form the nudges quote.
 *
 * An alias whose event is not (yet) in the journey's schema is simply not offered.
 */
import type { JourneyKind } from '../machines/journey';
import type { FlagRenames } from './event-catalogue';

export interface EventAlias extends FlagRenames {
  names: readonly string[];
  kind: JourneyKind;
  /** The event type, or the event type chosen by a boolean flag (`--attended` or `--missed`). */
  type: string | Readonly<Record<string, string>>;
}

export const eventAliases: readonly EventAlias[] = [
  // The young person's journey
  { names: ['contact', 'record-contact'], kind: 'youngPerson', type: 'contact.recorded' },
  { names: ['consent', 'record-consent'], kind: 'youngPerson', type: 'consent.recorded', rename: { goal: 'ownGoals', goals: 'ownGoals' } },
  { names: ['readiness', 'record-readiness'], kind: 'youngPerson', type: 'readiness.assessed' },
  { names: ['informal-task'], kind: 'youngPerson', type: 'informalTask.recorded' },
  { names: ['group-activity'], kind: 'youngPerson', type: 'groupActivity.attended' },
  { names: ['preferences'], kind: 'youngPerson', type: 'preferences.recorded', rename: { language: 'languages', interest: 'interests', available: 'availability' } },
  { names: ['withdraw'], kind: 'youngPerson', type: 'journey.withdrawn' },

  // The volunteer's journey
  { names: ['info-session'], kind: 'volunteer', type: 'infoSession.attended' },
  { names: ['application'], kind: 'volunteer', type: 'application.received' },
  { names: ['interview'], kind: 'volunteer', type: 'interview.held' },
  { names: ['check', 'record-check'], kind: 'volunteer', type: 'check.recorded', rename: { type: 'checkType', reference: 'referenceNumber' } },
  { names: ['reference', 'record-reference'], kind: 'volunteer', type: 'reference.received', rename: { referee: 'refereeRef' } },
  { names: ['training-session'], kind: 'volunteer', type: 'training.sessionLogged', rename: { topic: 'topics' } },
  { names: ['training-complete'], kind: 'volunteer', type: 'training.completed' },
  { names: ['suitability'], kind: 'volunteer', type: 'suitability.reviewed' },
  { names: ['peer-criteria'], kind: 'volunteer', type: 'peerCriteria.confirmed' },
  {
    names: ['matching-profile'],
    kind: 'volunteer',
    type: 'matchingProfile.recorded',
    rename: { language: 'languages', interest: 'interests', available: 'availability' },
  },
  { names: ['reschedule-supervision'], kind: 'volunteer', type: 'supervision.rescheduled', rename: { session: 'sessionId' } },
  {
    names: ['supervision', 'record-supervision'],
    kind: 'volunteer',
    type: { attended: 'supervision.attended', missed: 'supervision.missed' },
    rename: { session: 'sessionId' },
  },
  { names: ['exit', 'record-exit'], kind: 'volunteer', type: 'exit.recorded' },
  { names: ['return'], kind: 'volunteer', type: 'volunteer.returned' },

  // The match
  { names: ['introduction'], kind: 'match', type: 'introduction.held' },
  { names: ['accept'], kind: 'match', type: 'youngPerson.accepted' },
  { names: ['decline'], kind: 'match', type: 'youngPerson.declined' },
  { names: ['goals'], kind: 'match', type: 'goals.agreed' },
  { names: ['check-in'], kind: 'match', type: 'checkIn.recorded' },
  { names: ['meeting'], kind: 'match', type: 'meeting.logged' },
  { names: ['review'], kind: 'match', type: 'review.held' },
  { names: ['concern'], kind: 'match', type: 'concern.raised' },
  { names: ['resolve-concern'], kind: 'match', type: 'concern.resolved' },
  { names: ['ending', 'decide-ending'], kind: 'match', type: 'ending.decided', negate: { unplanned: 'planned' } },
  { names: ['formal-ending', 'end'], kind: 'match', type: 'ending.recorded', negate: { unplanned: 'planned' }, rename: { outcome: 'outcomes' } },
];

/**
 * Events recorded through a command of their own, never typed in by hand: a match proposal carries
 * the young person's matching profile, which must come from their journey, not from a flag.
 */
export const eventsWithTheirOwnCommand: Readonly<Record<string, string>> = {
  'match.proposed': 'npx mentorflow propose-match --young-person <id> --volunteer <id>',
};

/** The event types an alias may record. */
export function aliasTypes(alias: EventAlias): string[] {
  return typeof alias.type === 'string' ? [alias.type] : Object.values(alias.type);
}

export function findAlias(name: string, kind?: JourneyKind): EventAlias | undefined {
  return eventAliases.find((a) => a.names.includes(name) && (kind === undefined || a.kind === kind));
}
