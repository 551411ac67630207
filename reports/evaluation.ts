/**
 * The evaluator export: one CSV per kind of journey, one row per journey, for an independent
 * evaluation. Read from the histories (the audit library re-runs each journey's machine over its
 * history), so an export made offline from `audit export` files is the same as one made live.
 *
 * What a row holds is listed once, in `evaluationColumns` (which also writes the data dictionary):
 * dates, stages, outcomes and counts from each journey's status facts, which never hold personal
 * data. Journey ids are replaced by pseudonyms, a keyed hash with a key of the scheme's own, so two
 * exports from one scheme join up (and a match's row joins its young person's and volunteer's) but
 * a pseudonym does not lead back to the journey. Never names, contact details, dates of birth,
 * notes, own words or any other free text; never who referred.
 */
import { createHmac } from 'node:crypto';
import type { JourneyKind } from '../machines/journey';
import { mirrorRun } from '../audit/mirror';
import type { Journey } from '../audit/journey-history';
import { csv } from '../audit/format';

/** What one column reads from a journey's final facts. */
export interface EvaluationColumn {
  name: string;
  meaning: string;
  value(row: JourneyFacts, pseudonym: (journeyId: string) => string): unknown;
}

export interface JourneyFacts {
  kind: JourneyKind;
  journeyId: string;
  stage: string;
  ended: boolean;
  startedAt: string;
  facts: Record<string, unknown>;
}

const day = (value: unknown) => (typeof value === 'string' ? value.slice(0, 10) : '');
const fact = (name: string) => (row: JourneyFacts) => row.facts[name] ?? '';
const dayOf = (name: string) => (row: JourneyFacts) => day(row.facts[name]);
const countOf = (name: string) => (row: JourneyFacts) => (Array.isArray(row.facts[name]) ? (row.facts[name] as unknown[]).length : (row.facts[name] ?? ''));
const pseudonymOf = (name: string) => (row: JourneyFacts, pseudonym: (id: string) => string) =>
  typeof row.facts[name] === 'string' ? pseudonym(row.facts[name] as string) : '';
const nested = (name: string, key: string) => (row: JourneyFacts) => {
  const value = row.facts[name] as Record<string, unknown> | null | undefined;
  return value?.[key] ?? '';
};

const common: EvaluationColumn[] = [
  { name: 'id', meaning: 'pseudonym of the journey: the same in every export from this scheme, never the journey id', value: (r, p) => p(r.journeyId) },
  { name: 'started_on', meaning: 'the day the journey started (referral, enquiry, or proposal of the match)', value: (r) => day(r.startedAt) },
  { name: 'stage', meaning: "where the journey is, or where it ended (the machine's stage name)", value: (r) => r.stage },
  { name: 'ended', meaning: 'yes if the journey has ended', value: (r) => (r.ended ? 'yes' : 'no') },
];

export const evaluationColumns: Record<JourneyKind, EvaluationColumn[]> = {
  youngPerson: [
    ...common,
    { name: 'self_referral', meaning: 'yes if the young person referred themself', value: (r) => (r.facts.selfReferral ? 'yes' : 'no') },
    { name: 'first_contact_on', meaning: 'the day of first contact with the co-ordinator', value: dayOf('firstContactAt') },
    { name: 'consent', meaning: 'given or declined', value: fact('consent') },
    { name: 'readiness_conversations', meaning: 'readiness conversations held', value: fact('readinessConversations') },
    { name: 'informal_tasks', meaning: 'informal support tasks recorded', value: fact('informalTasks') },
    { name: 'group_activities', meaning: 'group activities attended', value: fact('groupActivities') },
    { name: 'ready_on', meaning: 'the day assessed ready for formal mentoring', value: dayOf('readySince') },
    { name: 'preferred_mentor_type', meaning: 'peer, traditional or either', value: fact('preferredMentorType') },
    { name: 'matches_ended', meaning: 'matches this young person was in that have ended', value: countOf('pastMatchIds') },
    { name: 'current_match', meaning: 'pseudonym of the match they are in now (joins matches.csv)', value: pseudonymOf('currentMatchId') },
    { name: 'closed_reason', meaning: 'why the journey closed (matchEnded, consentDeclined, notEligible, a withdrawal reason...)', value: nested('closure', 'reason') },
    { name: 'closed_on', meaning: 'the day the journey closed', value: (r) => day(nested('closure', 'at')(r)) },
  ],
  volunteer: [
    ...common,
    { name: 'interview_passed_on', meaning: 'the day of the face-to-face interview that let them go on', value: dayOf('interviewPassedAt') },
    { name: 'check_standing', meaning: 'the safeguarding check: valid, expired, notClear or none (never its content)', value: nested('check', 'standing') },
    { name: 'checks_recorded', meaning: 'safeguarding checks recorded', value: fact('checksRecorded') },
    { name: 'references', meaning: 'satisfactory references received', value: fact('referencesReceived') },
    { name: 'training_hours', meaning: 'training hours done', value: fact('trainingHours') },
    { name: 'training_sessions', meaning: 'training sessions logged', value: fact('trainingSessions') },
    { name: 'training_completed_on', meaning: 'the day training was recorded complete', value: dayOf('trainingCompletedAt') },
    { name: 'suitability', meaning: 'the suitability review: ready, peerSupportGroup, alternativeRole or notSuitable', value: fact('suitability') },
    { name: 'suitability_reviewed_on', meaning: 'the day of the suitability review', value: dayOf('suitabilityReviewedAt') },
    { name: 'peer_criteria_confirmed_on', meaning: 'the day the peer-mentor criteria were confirmed (peer mentors)', value: dayOf('peerCriteriaConfirmedAt') },
    { name: 'matches_proposed', meaning: 'matches proposed to this volunteer, in all', value: fact('matchesProposed') },
    { name: 'matches_active', meaning: 'matches active now', value: countOf('activeMatchIds') },
    { name: 'supervision_attended', meaning: 'supervision sessions attended', value: fact('supervisionAttended') },
    { name: 'supervision_missed', meaning: 'supervision sessions missed', value: fact('supervisionMissed') },
    { name: 'exit_reason', meaning: 'why they left: steppedDown, movedAway, notSuitable, notProceeded, other', value: nested('exit', 'reason') },
    { name: 'exited_on', meaning: 'the day they left', value: (r) => day(nested('exit', 'at')(r)) },
    { name: 'returns', meaning: 'times they came back after leaving', value: fact('returns') },
  ],
  match: [
    ...common,
    { name: 'young_person', meaning: "pseudonym of the young person's journey (joins young-people.csv)", value: pseudonymOf('youngPersonId') },
    { name: 'volunteer', meaning: "pseudonym of the volunteer's journey (joins volunteers.csv)", value: pseudonymOf('volunteerId') },
    { name: 'peer', meaning: 'yes if the mentor is a peer mentor', value: (r) => (r.facts.peer ? 'yes' : r.facts.peer === false ? 'no' : '') },
    { name: 'introductions', meaning: 'introductions held before the young person chose', value: fact('introductions') },
    { name: 'not_started_by', meaning: 'if it never started: youngPerson (declined), coordinator (withdrawn), volunteerExited or safeguarding', value: nested('notStarted', 'by') },
    { name: 'not_started_reason', meaning: 'the reason given', value: nested('notStarted', 'reason') },
    { name: 'started_on_match', meaning: 'the day the young person accepted: the match started', value: dayOf('matchStartedAt') },
    { name: 'goals_agreed_on', meaning: 'the day the first goals were agreed', value: dayOf('goalsAgreedAt') },
    { name: 'meetings', meaning: 'meetings logged', value: fact('meetingsLogged') },
    { name: 'check_ins', meaning: "co-ordinator check-ins completed (with both mentor and mentee)", value: fact('checkInsCompleted') },
    { name: 'reviews', meaning: 'reviews held', value: fact('reviewsHeld') },
    { name: 'concerns', meaning: 'concerns raised (complaints, concerns, safeguarding)', value: fact('concernsRaised') },
    { name: 'ending_reason', meaning: 'why it ended: goalsMet, youngPersonChoice, mentorWithdrew, movedAway, safeguarding, lostContact, other', value: fact('endingReason') },
    { name: 'ending_planned', meaning: 'yes if the ending was planned', value: (r) => (r.facts.endingPlanned === true ? 'yes' : r.facts.endingPlanned === false ? 'no' : '') },
    { name: 'rematch', meaning: 'yes if the young person is to be offered a new mentor', value: (r) => (r.facts.rematch === true ? 'yes' : r.facts.rematch === false ? 'no' : '') },
    { name: 'ended_on', meaning: 'the day the formal ending was recorded', value: dayOf('endedAt') },
    {
      name: 'length_days',
      meaning: 'days from the start of the match to its formal ending',
      value: (r) =>
        typeof r.facts.matchStartedAt === 'string' && typeof r.facts.endedAt === 'string'
          ? Math.round((Date.parse(r.facts.endedAt) - Date.parse(r.facts.matchStartedAt)) / 86_400_000)
          : '',
    },
    { name: 'formal_ending_method', meaning: 'closingMeeting or letter, once the formal ending is recorded', value: fact('endingMethod') },
    { name: 'outcome_codes', meaning: "the scheme's outcome codes recorded at the formal ending, separated by ;", value: (r) => (Array.isArray(r.facts.endingOutcomes) ? (r.facts.endingOutcomes as string[]).join(';') : '') },
  ],
};

export const evaluationFiles: Record<JourneyKind, string> = { youngPerson: 'young-people.csv', volunteer: 'volunteers.csv', match: 'matches.csv' };

/** A journey's facts at the end of its last run, from its history alone. */
export function journeyFactsOf(journey: Journey): JourneyFacts | undefined {
  const last = journey.runs.at(-1);
  if (!last) return undefined;
  const mirrored = mirrorRun(last);
  if (!mirrored.final) return undefined;
  return {
    kind: journey.kind,
    journeyId: journey.journeyId,
    stage: mirrored.definition.stage(mirrored.final),
    ended: mirrored.final.status !== 'active' || last.ending === 'completed',
    startedAt: journey.runs[0]!.input.start.startedAt,
    facts: mirrored.definition.summary(mirrored.final) as Record<string, unknown>,
  };
}

/** A keyed hash of a journey id: "p-" and 16 hex digits. */
export function pseudonymizer(key: Buffer): (journeyId: string) => string {
  return (journeyId) => `p-${createHmac('sha256', key).update(journeyId).digest('hex').slice(0, 16)}`;
}

export interface EvaluationExport {
  /** File name to its CSV text, the data dictionary included. */
  files: Record<string, string>;
  rows: Record<JourneyKind, number>;
}

export function evaluationExport(journeys: readonly Journey[], key: Buffer): EvaluationExport {
  const pseudonym = pseudonymizer(key);
  const byKind: Record<JourneyKind, JourneyFacts[]> = { youngPerson: [], volunteer: [], match: [] };
  for (const journey of journeys) {
    const facts = journeyFactsOf(journey);
    if (facts) byKind[facts.kind].push(facts);
  }
  const files: Record<string, string> = {};
  const rows = { youngPerson: 0, volunteer: 0, match: 0 };
  for (const kind of Object.keys(evaluationColumns) as JourneyKind[]) {
    const columns = evaluationColumns[kind];
    // Sorted by pseudonym: the order says nothing of when, or in what order, journeys began.
    const lines = byKind[kind].map((r) => columns.map((c) => c.value(r, pseudonym))).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    files[evaluationFiles[kind]] = csv(columns.map((c) => c.name), lines);
    rows[kind] = lines.length;
  }
  files['data-dictionary.csv'] = csv(
    ['file', 'column', 'meaning'],
    (Object.keys(evaluationColumns) as JourneyKind[]).flatMap((kind) => evaluationColumns[kind].map((c) => [evaluationFiles[kind], c.name, c.meaning])),
  );
  return { files, rows };
}
