/**
 * The journey's search attributes, kept in step with what the interpreter says after each step:
 * opaque ids and stage names only, never personal data.
 */
import { patched, upsertSearchAttributes } from '@temporalio/workflow';
import type { JourneyKind } from '../machines/journey';
import type { SearchFacts } from '../interpreter/journey-interpreter';
import {
  MentorflowCoordinatorId,
  MentorflowJourneyKind,
  MentorflowNextDue,
  MentorflowNextDueAt,
  MentorflowOpenNudges,
  MentorflowOverdueSince,
  MentorflowStage,
  MentorflowState,
} from '../contracts/search-attributes';

/** docs/versioning.md: journeys recorded before these patches replay without the attributes they add. */
export const INDEX_OVERDUE_SINCE = 'index-overdue-since';
export const INDEX_OPEN_NUDGES = 'index-open-nudges';

interface Listed {
  state: string;
  openNudges: string[];
  nextDueWhat: string | null;
}

export class SearchIndex {
  private indexed: { stage?: string; nextDueAt?: string | null; overdueSince?: string | null; listed?: string } = {};

  constructor(
    private readonly kind: JourneyKind,
    private readonly input: { start: { coordinatorId: string }; indexed?: boolean },
  ) {}

  /**
   * Keep the search attributes (opaque ids and stage names only) in step with the journey.
   * Overdue matters are indexed too, so that a journey whose nudge and escalation have both gone
   * out, and which has nothing more due, still shows as overdue. Journeys recorded before this was
   * added replay without it. So are the state, the open nudges' matters and what falls due next,
   * so that Today and `due` can show each journey without asking it.
   */
  update(facts: SearchFacts): void {
    if (this.input.indexed === false) return;
    const { stage, nextDueAt } = facts;
    const overdueSince = patched(INDEX_OVERDUE_SINCE) ? facts.oldestOpenNudgeSince : undefined;
    const listed: Listed | undefined = patched(INDEX_OPEN_NUDGES)
      ? { state: facts.state, openNudges: facts.openNudges, nextDueWhat: facts.nextDueWhat }
      : undefined;
    const listedKey = listed ? JSON.stringify(listed) : undefined;
    if (
      this.indexed.stage === stage &&
      this.indexed.nextDueAt === nextDueAt &&
      this.indexed.overdueSince === overdueSince &&
      this.indexed.listed === listedKey
    ) {
      return;
    }
    const first = this.indexed.stage === undefined;
    this.indexed = { stage, nextDueAt, overdueSince, listed: listedKey };
    upsertSearchAttributes([
      ...(first
        ? [
            { key: MentorflowJourneyKind, value: this.kind },
            { key: MentorflowCoordinatorId, value: this.input.start.coordinatorId },
          ]
        : []),
      { key: MentorflowStage, value: stage },
      { key: MentorflowNextDueAt, value: nextDueAt ? new Date(nextDueAt) : null },
      ...(overdueSince !== undefined ? [{ key: MentorflowOverdueSince, value: overdueSince ? new Date(overdueSince) : null }] : []),
      ...(listed
        ? [
            { key: MentorflowState, value: listed.state },
            { key: MentorflowOpenNudges, value: listed.openNudges },
            { key: MentorflowNextDue, value: listed.nextDueWhat },
          ]
        : []),
    ]);
  }
}
