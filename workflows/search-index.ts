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
  MentorflowNextDueAt,
  MentorflowOverdueSince,
  MentorflowStage,
} from '../contracts/search-attributes';

export class SearchIndex {
  private indexed: { stage?: string; nextDueAt?: string | null; overdueSince?: string | null } = {};

  constructor(
    private readonly kind: JourneyKind,
    private readonly input: { start: { coordinatorId: string }; indexed?: boolean },
  ) {}

  /**
   * Keep the search attributes (opaque ids and stage names only) in step with the journey.
   * Overdue matters are indexed too, so that a journey whose nudge and escalation have both gone
   * out, and which has nothing more due, still shows as overdue. Journeys recorded before this was
   * added replay without it.
   */
  update(facts: SearchFacts): void {
    if (this.input.indexed === false) return;
    const { stage, nextDueAt } = facts;
    const overdueSince = patched('index-overdue-since') ? facts.oldestOpenNudgeSince : undefined;
    if (this.indexed.stage === stage && this.indexed.nextDueAt === nextDueAt && this.indexed.overdueSince === overdueSince) return;
    const first = this.indexed.stage === undefined;
    this.indexed = { stage, nextDueAt, overdueSince };
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
    ]);
  }
}
