// Custom search attributes of mentorflow journeys: the single definition used by workflows,
// the worker, the dev server (`npm start`) and the test servers.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Which journey a workflow runs (young person, volunteer, ...). */
export const MentorflowJourneyKind = defineSearchAttributeKey('MentorflowJourneyKind', SearchAttributeType.KEYWORD);
/** The journey's current stage (the machine state). */
export const MentorflowStage = defineSearchAttributeKey('MentorflowStage', SearchAttributeType.KEYWORD);
/** The co-ordinator whose caseload the journey is on. */
export const MentorflowCoordinatorId = defineSearchAttributeKey('MentorflowCoordinatorId', SearchAttributeType.KEYWORD);
/** When the next nudge or deadline of the journey falls due. */
export const MentorflowNextDueAt = defineSearchAttributeKey('MentorflowNextDueAt', SearchAttributeType.DATETIME);

/** Since when the journey's oldest open nudge has been overdue; unset when nothing is overdue. */
export const MentorflowOverdueSince = defineSearchAttributeKey('MentorflowOverdueSince', SearchAttributeType.DATETIME);

/**
 * What a list needs to show each journey without asking it (Today, due): the full machine state,
 * which says what events it takes; the matters of its open nudges, oldest first; and what falls
 * due next. Names only, never personal data. Unset on journeys that have not taken a step since
 * the patch `index-open-nudges` (docs/versioning.md); a list asks those journeys instead.
 */
export const MentorflowState = defineSearchAttributeKey('MentorflowState', SearchAttributeType.KEYWORD);
export const MentorflowOpenNudges = defineSearchAttributeKey('MentorflowOpenNudges', SearchAttributeType.KEYWORD_LIST);
export const MentorflowNextDue = defineSearchAttributeKey('MentorflowNextDue', SearchAttributeType.KEYWORD);

/** All of them, e.g. to register them on a server. */
export const mentorflowSearchAttributes = [
  MentorflowJourneyKind,
  MentorflowStage,
  MentorflowCoordinatorId,
  MentorflowNextDueAt,
  MentorflowOverdueSince,
  MentorflowState,
  MentorflowOpenNudges,
  MentorflowNextDue,
];
