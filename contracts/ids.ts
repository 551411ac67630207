/**
 * Workflow ids are built from the journey kind and an opaque id only: they are stored and shown
 * in plain text (Web UI, CLI, logs), so they must never carry a name or a date of birth.
 */
import type { JourneyKind } from '../machines/journey';

const prefixes: Record<JourneyKind, string> = {
  youngPerson: 'young-person',
  volunteer: 'volunteer',
  match: 'match',
};

export function workflowIdFor(kind: JourneyKind, journeyId: string): string {
  return `${prefixes[kind]}-${journeyId}`;
}

export function journeyOfWorkflowId(workflowId: string): { kind: JourneyKind; journeyId: string } | undefined {
  for (const [kind, prefix] of Object.entries(prefixes) as [JourneyKind, string][]) {
    if (workflowId.startsWith(`${prefix}-`)) return { kind, journeyId: workflowId.slice(prefix.length + 1) };
  }
  return undefined;
}

/** The Temporal workflow type that runs each kind of journey. */
export const workflowTypes: Record<JourneyKind, string> = {
  youngPerson: 'youngPersonJourney',
  volunteer: 'volunteerJourney',
  match: 'matchJourney',
};
