/**
 * Runs a journey machine purely, on a simulated clock, with the same runtime the workflow uses
 * (machines/runtime.ts). Tests record events, advance time, and read back the stage, the open
 * nudges, the pending timers and every effect with the moment it happened.
 */
import type { AnyMachineSnapshot } from 'xstate';
import { addDurationMs, parseDuration } from '../../machines/duration';
import type { EffectParams, JourneyDefinition, NotifyParams } from '../../machines/journey';
import { wordNotice, type NoticeAudience } from '../../presentation/notices';
import { resolvingCommand } from '../../cli/resolving-command';
import {
  applyEvent,
  fireTimer,
  judge,
  nextTimer,
  openNudgesOf,
  startJourney,
  type Effect,
  type PendingTimer,
  type StepResult,
  type Verdict,
} from '../../machines/runtime';

export interface TimedEffect {
  at: string;
  effect: Effect;
}

export class JourneySimulator {
  snapshot: AnyMachineSnapshot;
  timers: PendingTimer[] = [];
  readonly effects: TimedEffect[] = [];
  readonly firedTimers: { at: string; delayName: string }[] = [];
  private nowMs: number;

  constructor(
    readonly definition: JourneyDefinition,
    input: unknown,
    startIso: string,
  ) {
    this.nowMs = Date.parse(startIso);
    const result = startJourney(definition, input, startIso);
    this.snapshot = result.snapshot;
    this.take(result);
  }

  get now(): string {
    return new Date(this.nowMs).toISOString();
  }

  get stage(): string {
    return this.definition.stage(this.snapshot);
  }

  get openNudges(): string[] {
    return openNudgesOf(this.snapshot);
  }

  // Each machine's context has its own shape; tests read it as the machine they drive defines it.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  get context(): Record<string, any> {
    return this.snapshot.context;
  }

  /** Pending timers by delay name, e.g. { firstContactWithin: '2026-01-12T...' }. */
  get due(): Record<string, string> {
    return Object.fromEntries(this.timers.map((t) => [t.delayName, t.dueAt]));
  }

  /** Record an event as a person would (a Temporal Update): judged first, applied only if accepted. */
  record(event: { type: string } & Record<string, unknown>): Verdict {
    const withAt = { ...event, at: this.now };
    const verdict = judge(this.definition, this.snapshot, withAt);
    if (verdict.accepted) this.take(applyEvent(this.definition, this.snapshot, this.timers, event, this.now));
    return verdict;
  }

  /** Record an event that must be accepted; throws with the refusal otherwise. */
  must(event: { type: string } & Record<string, unknown>): this {
    const verdict = this.record(event);
    if (!verdict.accepted) throw new Error(`${event.type} refused at stage '${this.stage}': ${verdict.message}`);
    return this;
  }

  /** Apply an event told by another journey (a signal): applied as it comes. */
  tell(event: { type: string } & Record<string, unknown>): this {
    this.take(applyEvent(this.definition, this.snapshot, this.timers, event, this.now));
    return this;
  }

  /** Let simulated time pass, firing every timer that falls due on the way, in order. */
  advance(duration: string | number): this {
    const target =
      typeof duration === 'number' ? this.nowMs + duration : addDurationMs(this.nowMs, mustParse(duration));
    return this.advanceTo(new Date(target).toISOString());
  }

  /**
   * `firedTimersAtMost`: stop firing once this many timers have fired in all, and only move the
   * clock. A workflow task delivers its Updates and signals before the timers that fired with them,
   * so an event that arrived with a timer is taken before it, at the task's time.
   */
  advanceTo(iso: string, options: { firedTimersAtMost?: number } = {}): this {
    const target = Date.parse(iso);
    for (;;) {
      const next = nextTimer(this.timers);
      if (!next || Date.parse(next.dueAt) > target) break;
      if (options.firedTimersAtMost !== undefined && this.firedTimers.length >= options.firedTimersAtMost) break;
      this.nowMs = Math.max(this.nowMs, Date.parse(next.dueAt));
      this.firedTimers.push({ at: this.now, delayName: next.delayName });
      this.take(fireTimer(this.definition, this.snapshot, this.timers, next.id, this.now));
    }
    this.nowMs = Math.max(this.nowMs, target);
    return this;
  }

  /** Effects of one type, e.g. every nudge, with when they happened. */
  effectsOf<T extends Effect['type']>(type: T): { at: string; params: EffectParams[T] }[] {
    return this.effects
      .filter((e) => e.effect.type === type)
      .map((e) => ({ at: e.at, params: this.worded(e.effect.type, e.effect.params) as EffectParams[T] }));
  }

  /**
   * A notice with the words its reader gets (presentation/notices.ts) and, for staff, the CLI's
   * command for the event that resolves it, so tests read the nudge as a co-ordinator would.
   */
  private worded(type: Effect['type'], params: unknown): unknown {
    const audience: NoticeAudience | undefined = ({ nudgeCoordinator: 'coordinator', escalateToLead: 'lead', remindVolunteer: 'volunteer' } as Record<string, NoticeAudience>)[type];
    if (!audience) return params;
    const notice = params as NotifyParams;
    const journeyId = String((this.snapshot.context as { journeyId: string }).journeyId);
    const words = wordNotice(notice, { kind: this.definition.kind, id: journeyId }, audience);
    const command = audience !== 'volunteer' && words.resolvedBy ? `: ${resolvingCommand(words.resolvedBy)}` : '';
    return { ...notice, summary: words.summary, whatToDo: `${words.whatToDo}${command}` };
  }

  /** The `about` of every notification (nudge, escalation, reminder) so far, in order. */
  get notified(): string[] {
    return this.effects
      .filter((e) => ['nudgeCoordinator', 'escalateToLead', 'remindVolunteer'].includes(e.effect.type))
      .map((e) => (e.effect.params as { about: string }).about);
  }

  private take(result: StepResult): void {
    this.snapshot = result.snapshot;
    this.timers = result.timers;
    for (const effect of result.effects) this.effects.push({ at: this.now, effect });
  }
}

function mustParse(text: string) {
  const parsed = parseDuration(text);
  if (!parsed) throw new Error(`bad duration in test: ${text}`);
  return parsed;
}
