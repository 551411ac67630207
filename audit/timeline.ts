/**
 * A journey's timeline, offline from its history file(s) alone: every event in order, who did it,
 * when, the stage before and after, the timers set, fired and cancelled, the nudges, reminders and
 * invitations sent (and whether they were delivered), the news to and from linked journeys and the
 * child journeys started.
 *
 * Stages come from re-running the machine over the history (./mirror.ts), checked against the stage
 * each Update returned. Refused events (an unmet gate, invalid input) are answered before anything
 * is written, so no history holds them: a timeline cannot list them.
 */
import type { Actor, JourneyKind } from '../machines/journey';
import type { JourneyStatus, RecordedEvent } from '../contracts/messages';
import {
  attributesOf,
  durationMs,
  eventIdOf,
  eventTimeOf,
  eventTypeOf,
  firstPayload,
  summaryOf,
  type HistoryEvent,
} from './history-events';
import type { Journey, JourneyRun, RunEnding } from './journey-history';
import { mirrorRun, type ConsistencyIssue, type JourneyStep, type MirroredRun } from './mirror';
import { redactMessage, shownFieldsOf, type ShownValue } from './redact';
import { noticeAudiences, wordNotice, type NoticeInput } from '../presentation/notices';
import { sentence } from '../presentation/words';

export type TimelineKind =
  | 'journeyStarted'
  | 'journeyContinued'
  | 'recorded'
  | 'recordFailed'
  | 'linked'
  | 'timerSet'
  | 'timerFired'
  | 'timerCancelled'
  | 'notificationRequested'
  | 'notificationDelivered'
  | 'notificationFailed'
  | 'childStarted'
  | 'childStartFailed'
  | 'childEnded'
  | 'journeyTold'
  | 'journeyToldFailed'
  | 'taskFailed'
  | 'continuedAsNew'
  | 'ended'
  | 'stopped'
  | 'bookkeeping'
  | 'other';

export interface TimelineEntry {
  /** Position in the journey's timeline, from 1. */
  n: number;
  /** Which run of the journey (1, then 2 after a continue-as-new, ...). */
  run: number;
  /** The history event, within its run. */
  eventId: number;
  /** When the history recorded it (UTC). */
  at: string;
  kind: TimelineKind;
  /** One line, in a co-ordinator's words. */
  what: string;
  /** The journey event (e.g. "contact.recorded"), the timer or the notification's matter. */
  event?: string;
  /** Who did it: a person (role and opaque id), or the system. */
  by?: Actor;
  stageBefore: string | null;
  stageAfter: string | null;
  /** The full machine state after a step that moved the machine. */
  state?: string;
  /** Codes, dates, counts and opaque ids only (./redact.ts). */
  details: Record<string, ShownValue>;
  /** The entry this one follows up (a delivery its request, a firing its timer). */
  ref?: number;
}

export interface Timeline {
  kind: JourneyKind;
  journeyId: string;
  workflowId: string;
  schemeId: string;
  machineVersion: number;
  runs: number;
  startedAt: string;
  /** The last event of the last run. */
  lastEventAt: string;
  ending: RunEnding;
  /** The stage the history leaves the journey at. */
  stage: string | null;
  entries: TimelineEntry[];
  /** Where the history and the machine disagree (./mirror.ts). Empty for a sound history. */
  issues: (ConsistencyIssue & { run: number })[];
}

export interface TimelineOptions {
  /** Also list workflow-task, activity-started and other bookkeeping events. */
  includeBookkeeping?: boolean;
}

export const system: Actor = { role: 'system', id: 'mentorflow' };

const notificationKinds: Record<string, string> = {
  nudge: 'Nudge',
  escalation: 'Escalation',
  reminder: 'Reminder',
  digest: 'Digest',
};

/** The events that only say the workflow did its work (listed with `includeBookkeeping`). */
const bookkeepingTypes = new Set([
  'workflowTaskScheduled',
  'workflowTaskStarted',
  'workflowTaskCompleted',
  'workflowTaskTimedOut',
  'activityTaskStarted',
  'childWorkflowExecutionStarted',
  'externalWorkflowExecutionSignaled',
  'workflowExecutionUpdateCompleted',
  'upsertWorkflowSearchAttributes',
  'workflowPropertiesModified',
]);

/** The timeline of a journey (all its runs). */
export function journeyTimeline(journey: Journey, options: TimelineOptions = {}): Timeline {
  return timelineOf(journey.runs.map(mirrorRun), options);
}

/** The timeline from runs already re-run (the compliance rules re-use the same mirror). */
export function timelineOf(mirrored: readonly MirroredRun[], options: TimelineOptions = {}): Timeline {
  const first = mirrored[0]!.run;
  const last = mirrored[mirrored.length - 1]!;
  const builder = new TimelineBuilder(options);
  mirrored.forEach((m, i) => builder.addRun(m, i + 1));
  return {
    kind: first.kind,
    journeyId: first.journeyId,
    workflowId: first.workflowId,
    schemeId: first.input.policy.schemeId,
    machineVersion: first.input.machineVersion ?? 1,
    runs: mirrored.length,
    startedAt: first.startedAt,
    lastEventAt: last.run.lastEventAt,
    ending: last.run.ending,
    stage: builder.stage,
    entries: builder.entries,
    issues: mirrored.flatMap((m, i) => m.issues.map((issue) => ({ ...issue, run: i + 1 }))),
  };
}

class TimelineBuilder {
  readonly entries: TimelineEntry[] = [];
  stage: string | null = null;
  private openNudges: string[] = [];
  /** Entry numbers by (run, event id), for references. */
  private readonly byEvent = new Map<string, number>();

  constructor(private readonly options: TimelineOptions) {}

  addRun(mirrored: MirroredRun, run: number): void {
    const steps = new Map(mirrored.steps.map((s) => [s.eventId, s]));
    const events = mirrored.run.history.events ?? [];
    for (const event of events) this.addEvent(mirrored, run, event, steps);
  }

  private push(
    run: number,
    event: HistoryEvent,
    entry: Omit<TimelineEntry, 'n' | 'run' | 'eventId' | 'at' | 'stageBefore' | 'stageAfter' | 'details'> &
      Partial<Pick<TimelineEntry, 'stageBefore' | 'stageAfter' | 'details' | 'at'>>,
  ): void {
    const n = this.entries.length + 1;
    const eventId = eventIdOf(event);
    this.byEvent.set(`${run}/${eventId}`, n);
    this.entries.push({
      n,
      run,
      eventId,
      at: entry.at ?? eventTimeOf(event),
      stageBefore: entry.stageBefore === undefined ? this.stage : entry.stageBefore,
      stageAfter: entry.stageAfter === undefined ? this.stage : entry.stageAfter,
      details: entry.details ?? {},
      ...entry,
    } as TimelineEntry);
  }

  private ref(run: number, eventId: unknown): number | undefined {
    return this.byEvent.get(`${run}/${Number(eventId)}`);
  }

  private stepEntry(run: number, event: HistoryEvent, step: JourneyStep | undefined, entry: Parameters<TimelineBuilder['push']>[2]): void {
    if (!step) {
      this.push(run, event, entry);
      return;
    }
    const opened = step.openNudges.filter((n) => !this.openNudges.includes(n));
    const closed = this.openNudges.filter((n) => !step.openNudges.includes(n));
    this.push(run, event, {
      ...entry,
      stageBefore: step.stageBefore,
      stageAfter: step.stageAfter,
      ...(step.outcome === 'applied' ? { state: step.stateAfter } : {}),
      details: {
        ...(entry.details ?? {}),
        ...(opened.length > 0 ? { nudgesOpened: opened } : {}),
        ...(closed.length > 0 ? { nudgesClosed: closed } : {}),
      },
    });
    this.stage = step.stageAfter;
    this.openNudges = step.openNudges;
  }

  private addEvent(mirrored: MirroredRun, run: number, event: HistoryEvent, steps: Map<number, JourneyStep>): void {
    const type = eventTypeOf(event);
    const eventId = eventIdOf(event);
    const step = steps.get(eventId);
    const attributes = attributesOf(event);
    switch (type) {
      case 'workflowExecutionStarted': {
        const input = mirrored.run.input;
        const start = step ?? mirrored.steps[0];
        const continued = Boolean(input.carried);
        const by = starterOf(mirrored.run);
        this.stepEntry(run, event, start, {
          kind: continued ? 'journeyContinued' : 'journeyStarted',
          what: continued
            ? `Journey continued in run ${run} (continue-as-new), where run ${run - 1} left it`
            : startedWhat(mirrored.run),
          ...(by ? { by } : {}),
          details: startDetails(mirrored.run),
          stageBefore: continued ? (start?.stageAfter ?? null) : null,
        });
        return;
      }
      case 'workflowExecutionUpdateAccepted': {
        const a = event.workflowExecutionUpdateAcceptedEventAttributes!;
        const raw = firstPayload<RecordedEvent>(a.acceptedRequest?.input?.args);
        const label = raw ? mirrored.definition.eventLabels[raw.type] : undefined;
        const failed = step?.outcome === 'failed';
        this.stepEntry(run, event, step, {
          kind: failed ? 'recordFailed' : 'recorded',
          what: failed
            ? `Tried to ${label ?? `record '${raw?.type}'`}; refused after acceptance: ${redactMessage(step?.note ?? '')}`
            : sentence(pastTense(label, raw?.type)),
          ...(raw?.type ? { event: raw.type } : {}),
          ...(raw?.by ? { by: raw.by } : {}),
          details: shownFieldsOf(raw),
        });
        return;
      }
      case 'workflowExecutionSignaled': {
        const raw = firstPayload<RecordedEvent>(event.workflowExecutionSignaledEventAttributes!.input);
        const from = raw?.by?.id;
        const label = raw ? mirrored.definition.eventLabels[raw.type] : undefined;
        const applied = step?.outcome === 'applied';
        this.stepEntry(run, event, step, {
          kind: 'linked',
          what: `${applied ? 'News' : 'News not applied'} from ${from ?? 'another journey'}: ${label ? label.replace(/^note (that )?/, '') : raw?.type}${
            applied ? '' : ` (${step?.note ?? 'no effect'})`
          }`,
          ...(raw?.type ? { event: raw.type } : {}),
          ...(raw?.by ? { by: raw.by } : {}),
          details: shownFieldsOf(raw),
        });
        return;
      }
      case 'timerStarted': {
        const a = event.timerStartedEventAttributes!;
        const timer = mirrored.timers.get(a.timerId ?? '');
        const summary = summaryOf(event) ?? timer?.summary ?? `timer ${a.timerId}`;
        // The journey's own due time; without it, when Temporal will fire the timer.
        const dueAt = timer?.dueAt ?? new Date(Date.parse(eventTimeOf(event)) + durationMs(a.startToFireTimeout)).toISOString();
        this.push(run, event, {
          kind: 'timerSet',
          what: `Timer set: ${summary} on ${dueAt}`,
          event: summary,
          by: system,
          details: { timerId: a.timerId ?? '', dueAt },
        });
        return;
      }
      case 'timerFired': {
        const a = event.timerFiredEventAttributes!;
        const timer = mirrored.timers.get(a.timerId ?? '');
        const summary = timer?.summary ?? `timer ${a.timerId}`;
        const stale = step?.outcome === 'stale';
        this.stepEntry(run, event, step, {
          kind: 'timerFired',
          what: stale ? `Timer fired, no longer needed: ${summary}` : `Timer fired: ${summary}`,
          event: summary,
          by: system,
          details: { timerId: a.timerId ?? '', ...(timer ? { dueAt: timer.dueAt } : {}) },
          ...refTo(this.ref(run, a.startedEventId)),
        });
        return;
      }
      case 'timerCanceled': {
        const a = event.timerCanceledEventAttributes!;
        const summary = mirrored.timers.get(a.timerId ?? '')?.summary ?? `timer ${a.timerId}`;
        this.push(run, event, {
          kind: 'timerCancelled',
          what: `Timer cancelled (no longer due): ${summary}`,
          event: summary,
          by: system,
          details: { timerId: a.timerId ?? '' },
          ...refTo(this.ref(run, a.startedEventId)),
        });
        return;
      }
      case 'activityTaskScheduled': {
        const a = event.activityTaskScheduledEventAttributes!;
        const { what, about, details } = describeActivity(a.activityType?.name ?? '', firstPayload<Record<string, unknown>>(a.input));
        this.push(run, event, { kind: 'notificationRequested', what, ...(about ? { event: about } : {}), by: system, details });
        return;
      }
      case 'activityTaskCompleted': {
        const a = event.activityTaskCompletedEventAttributes!;
        const receipt = firstPayload<{ deliveredTo?: string; alreadyDelivered?: boolean }>(a.result);
        const request = this.entryFor(run, a.scheduledEventId);
        this.push(run, event, {
          kind: 'notificationDelivered',
          what: `Delivered: ${request?.what ?? 'a notification'}`,
          ...(request?.event ? { event: request.event } : {}),
          by: system,
          details: {
            ...(receipt?.deliveredTo ? { deliveredTo: receipt.deliveredTo } : {}),
            ...(receipt?.alreadyDelivered ? { alreadyDelivered: true } : {}),
          },
          ...refTo(request?.n),
        });
        return;
      }
      case 'activityTaskFailed':
      case 'activityTaskTimedOut':
      case 'activityTaskCanceled': {
        const a = attributes as { scheduledEventId?: unknown; failure?: { message?: string | null; applicationFailureInfo?: { type?: string | null } | null; cause?: { message?: string | null } | null } | null };
        const request = this.entryFor(run, a.scheduledEventId);
        const reason =
          type === 'activityTaskCanceled'
            ? 'cancelled'
            : type === 'activityTaskTimedOut'
              ? `gave up: ${a.failure?.message ?? 'timed out'}${a.failure?.cause?.message ? ` (${a.failure.cause.message})` : ''}`
              : (a.failure?.message ?? 'failed');
        const errorType = a.failure?.applicationFailureInfo?.type;
        this.push(run, event, {
          kind: 'notificationFailed',
          what: `Not delivered: ${request?.what ?? 'a notification'}: ${redactMessage(reason)}`,
          ...(request?.event ? { event: request.event } : {}),
          by: system,
          details: errorType ? { errorType } : {},
          ...refTo(request?.n),
        });
        return;
      }
      case 'startChildWorkflowExecutionInitiated': {
        const a = event.startChildWorkflowExecutionInitiatedEventAttributes!;
        const input = firstPayload<{ start?: Record<string, unknown> }>(a.input);
        this.push(run, event, {
          kind: 'childStarted',
          what: `Started the match journey ${a.workflowId}`,
          event: a.workflowType?.name ?? 'child',
          by: system,
          details: shownFieldsOf({
            matchId: input?.start?.journeyId,
            youngPersonId: input?.start?.youngPersonId,
            volunteerId: input?.start?.volunteerId,
          }),
        });
        return;
      }
      case 'startChildWorkflowExecutionFailed': {
        const a = event.startChildWorkflowExecutionFailedEventAttributes!;
        this.push(run, event, {
          kind: 'childStartFailed',
          what: `Could not start the match journey ${a.workflowId}${a.cause ? ` (${String(a.cause)})` : ''}`,
          by: system,
          ...refTo(this.ref(run, a.initiatedEventId)),
        });
        return;
      }
      case 'childWorkflowExecutionCompleted':
      case 'childWorkflowExecutionFailed':
      case 'childWorkflowExecutionTerminated':
      case 'childWorkflowExecutionCanceled':
      case 'childWorkflowExecutionTimedOut': {
        const a = attributes as { workflowExecution?: { workflowId?: string | null } | null };
        this.push(run, event, {
          kind: 'childEnded',
          what: `The match journey ${a.workflowExecution?.workflowId ?? ''} ${type.replace('childWorkflowExecution', '').toLowerCase()}`,
          by: system,
        });
        return;
      }
      case 'signalExternalWorkflowExecutionInitiated': {
        const a = event.signalExternalWorkflowExecutionInitiatedEventAttributes!;
        const told = firstPayload<RecordedEvent>(a.input);
        this.push(run, event, {
          kind: 'journeyTold',
          what: `Told ${a.workflowExecution?.workflowId}: ${told?.type ?? a.signalName}`,
          ...(told?.type ? { event: told.type } : {}),
          by: system,
          details: { to: a.workflowExecution?.workflowId ?? '', ...shownFieldsOf(told) },
        });
        return;
      }
      case 'signalExternalWorkflowExecutionFailed': {
        const a = event.signalExternalWorkflowExecutionFailedEventAttributes!;
        const request = this.entryFor(run, a.initiatedEventId);
        this.push(run, event, {
          kind: 'journeyToldFailed',
          what: `Could not tell ${a.workflowExecution?.workflowId}: ${request?.event ?? ''} (${String(a.cause ?? 'failed')})`,
          by: system,
          ...refTo(request?.n),
        });
        return;
      }
      case 'workflowTaskFailed': {
        const a = event.workflowTaskFailedEventAttributes!;
        this.push(run, event, {
          kind: 'taskFailed',
          what: `The workflow failed to process a task: ${redactMessage(a.failure?.message ?? String(a.cause ?? 'unknown'))}`,
          by: system,
        });
        return;
      }
      case 'workflowExecutionContinuedAsNew':
        this.push(run, event, { kind: 'continuedAsNew', what: `Continued as new (run ${run + 1}), the journey carried over`, by: system });
        return;
      case 'workflowExecutionCompleted': {
        const result = firstPayload<JourneyStatus>(event.workflowExecutionCompletedEventAttributes!.result);
        this.push(run, event, {
          kind: 'ended',
          what: `Journey ended at stage ${result?.stage ?? this.stage}`,
          by: system,
          ...(result?.state ? { state: result.state } : {}),
        });
        return;
      }
      case 'workflowExecutionTerminated':
      case 'workflowExecutionCanceled':
      case 'workflowExecutionFailed':
      case 'workflowExecutionTimedOut': {
        const a = attributes as { reason?: string | null; failure?: { message?: string | null } | null };
        const how = type.replace('workflowExecution', '').toLowerCase();
        const why = a.reason ?? a.failure?.message;
        this.push(run, event, { kind: 'stopped', what: `Journey ${how}${why ? `: ${redactMessage(why)}` : ''}`, by: system });
        return;
      }
      default:
        if (bookkeepingTypes.has(type)) {
          if (this.options.includeBookkeeping) this.push(run, event, { kind: 'bookkeeping', what: type, by: system });
          return;
        }
        this.push(run, event, { kind: 'other', what: `History event: ${type}`, by: system });
    }
  }

  private entryFor(run: number, eventId: unknown): TimelineEntry | undefined {
    const n = this.ref(run, eventId);
    return n ? this.entries[n - 1] : undefined;
  }
}

function refTo(n: number | undefined): { ref?: number } {
  return n ? { ref: n } : {};
}

function starterOf(run: JourneyRun): Actor | undefined {
  const referral = run.input.start.referral as { referredBy?: Actor } | undefined;
  if (run.kind === 'youngPerson' && referral?.referredBy) return referral.referredBy;
  if (run.parentWorkflowId) return { role: 'system', id: run.parentWorkflowId };
  return undefined;
}

function startedWhat(run: JourneyRun): string {
  const start = run.input.start;
  switch (run.kind) {
    case 'youngPerson': {
      const referral = start.referral as { referredBy?: Actor } | undefined;
      return referral?.referredBy?.role === 'youngPerson' ? 'Self-referral received' : 'Referral received';
    }
    case 'volunteer':
      return 'Volunteer enquiry received';
    case 'match':
      return `Match proposed: volunteer ${String(start.volunteerId)} for young person ${String(start.youngPersonId)}`;
  }
}

function startDetails(run: JourneyRun): Record<string, ShownValue> {
  const start = run.input.start;
  const details: Record<string, ShownValue> = {
    startedAt: start.startedAt,
    coordinatorId: start.coordinatorId,
    schemeId: run.input.policy.schemeId,
    machineVersion: run.input.machineVersion ?? 1,
  };
  if (run.kind === 'match') Object.assign(details, shownFieldsOf({ youngPersonId: start.youngPersonId, volunteerId: start.volunteerId }), { peer: Boolean(start.peer) });
  if (run.kind === 'volunteer') {
    const volunteer = start.volunteer as { type?: string } | undefined;
    if (volunteer?.type) details.volunteerType = volunteer.type;
  }
  return details;
}

/** "record first contact" -> "recorded first contact"; "propose a match" -> "proposed a match". */
function pastTense(label: string | undefined, type: string | undefined): string {
  if (!label) return `recorded '${type ?? 'an event'}'`;
  const [verb, ...rest] = label.split(' ');
  const irregular: Record<string, string> = { hold: 'held', log: 'logged', decide: 'decided', note: 'noted', raise: 'raised', accept: 'accepted', decline: 'declined', reschedule: 'rescheduled', propose: 'proposed', confirm: 'confirmed', record: 'recorded' };
  const past = irregular[verb!] ?? (verb!.endsWith('e') ? `${verb}d` : `${verb}ed`);
  return [past, ...rest].join(' ');
}


const recipients = (to: Record<string, unknown> | undefined): string => {
  if (!to) return 'someone';
  if (to.lead) return 'the lead co-ordinator';
  if (typeof to.coordinatorId === 'string') return `co-ordinator ${to.coordinatorId}`;
  if (to.volunteer) return 'the volunteer';
  return 'someone';
};

/** A notification activity's request, with nothing personal (never the address). */
function describeActivity(
  activity: string,
  input: Record<string, unknown> | undefined,
): { what: string; about?: string; details: Record<string, ShownValue> } {
  const params = (input?.params ?? {}) as Record<string, unknown>;
  if (activity === 'sendNotification') {
    const kind = String(input?.kind ?? 'notification');
    const about = typeof params.about === 'string' ? params.about : undefined;
    // What the message said: the words in the request where an older version wrote them there,
    // else the words presentation/ gives the matter, as the email activity does.
    const journey = input?.journey as { kind: JourneyKind; id: string } | undefined;
    const summary = about && journey ? wordNotice(params as unknown as NoticeInput, journey, noticeAudiences[kind] ?? 'coordinator').summary : about ?? '';
    const details: Record<string, ShownValue> = { activity, kind };
    if (about) details.about = about;
    if (typeof params.dueAt === 'string') details.dueAt = params.dueAt;
    return {
      what: `${notificationKinds[kind] ?? sentence(kind)} to ${recipients(input?.to as Record<string, unknown>)}: ${redactMessage(summary)}`,
      ...(about ? { about } : {}),
      details,
    };
  }
  if (activity === 'sendSupervisionInvitation') {
    const cancel = input?.method === 'CANCEL';
    const details: Record<string, ShownValue> = { activity, method: String(input?.method ?? ''), ...shownFieldsOf({ sessionId: params.sessionId, startsAt: params.startsAt }) };
    if (typeof params.sequence === 'number') details.sequence = params.sequence;
    return {
      what: `Supervision ${cancel ? 'cancellation' : 'invitation'} to the volunteer: session ${String(params.sessionId)} at ${String(params.startsAt)}`,
      about: cancel ? 'supervisionCancelled' : 'supervisionInvitation',
      details,
    };
  }
  return { what: `Activity ${activity}`, details: { activity } };
}
