/**
 * The workflows the worker registers: one durable interpreter, with an entry point per kind of
 * journey so that the Web UI, the CLI and an auditor see at a glance which journey a run is.
 */
import { runJourney } from './journey.workflow';
import type { JourneyStatus, JourneyWorkflowInput } from '../contracts/messages';

export async function youngPersonJourney(input: JourneyWorkflowInput): Promise<JourneyStatus> {
  return runJourney('youngPerson', input);
}

export async function volunteerJourney(input: JourneyWorkflowInput): Promise<JourneyStatus> {
  return runJourney('volunteer', input);
}

export async function matchJourney(input: JourneyWorkflowInput): Promise<JourneyStatus> {
  return runJourney('match', input);
}

export { coordinatorDigest } from './digest.workflow';
