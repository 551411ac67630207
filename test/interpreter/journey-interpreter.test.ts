/**
 * The journey interpreter on its own, without Temporal: what the workflow carries out and the
 * audit mirror checks. The workflow and mirror tests (test/workflows, test/audit) prove both follow
 * it; these pin down its commands and books directly.
 */
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../machines/policy';
import { youngPersonInputSchema, youngPersonJourney } from '../../machines/young-person';
import { JourneyInterpreter, type Command } from '../../interpreter/journey-interpreter';
import type { RecordedEvent } from '../../contracts/messages';

// 9 January 2026 is a Friday: first contact is due five working days later.
const FRIDAY = '2026-01-09T10:00:00.000Z';
const coordinator = { role: 'coordinator', id: 'co-7' } as const;
const identity = { journeyId: 'yp-42', coordinatorId: 'co-7', workflowId: 'young-person-yp-42', sealedFor: 'young-person-yp-42' };

function started(): { journey: JourneyInterpreter; commands: Command[] } {
  const input = youngPersonInputSchema.parse({
    journeyId: 'yp-42',
    coordinatorId: 'co-7',
    startedAt: FRIDAY,
    referral: { referredBy: { role: 'referrer', id: 'ref-3' }, dateOfBirth: '2008-06-01', careExperienced: true },
  });
  const journey = new JourneyInterpreter(youngPersonJourney, identity, undefined, FRIDAY);
  const step = journey.begin(FRIDAY, FRIDAY, { ...input, policy: defaultPolicy });
  return { journey, commands: step.commands };
}

const contact: RecordedEvent = { type: 'contact.recorded', by: coordinator, method: 'phone' };
const kinds = (commands: Command[]) => commands.map((c) => c.type);
const timerStarts = (commands: Command[]) => commands.flatMap((c) => (c.type === 'startTimer' ? [c.timer] : []));

describe('the journey interpreter', () => {
  it('starts a journey with one timer per pending deadline, then its search facts', () => {
    const { journey, commands } = started();
    expect(kinds(commands)).toEqual(['startTimer', 'index']);
    const [timer] = timerStarts(commands);
    expect(timer).toMatchObject({ ref: 1, summary: 'first contact due', dueAt: '2026-01-16T10:00:00.000Z' });
    expect(commands.at(-1)).toEqual({
      type: 'index',
      facts: {
        stage: 'referral',
        nextDueAt: '2026-01-16T10:00:00.000Z',
        oldestOpenNudgeSince: null,
        state: 'referral.awaitingFirstContact',
        openNudges: [],
        nextDueWhat: 'first contact',
      },
    });
    expect(journey.status()).toMatchObject({ stage: 'referral', nextDueAt: '2026-01-16T10:00:00.000Z', openNudges: [] });
  });

  it('cancels the deadline an event resolves, and a timer that fires afterwards is stale', () => {
    const { journey, commands } = started();
    const [firstContact] = timerStarts(commands);
    const step = journey.record(contact, '2026-01-12T09:00:00.000Z');
    expect(step.outcome).toBe('applied');
    expect(step.commands.filter((c) => c.type === 'cancelTimer').map((c) => (c.type === 'cancelTimer' ? c.timer.ref : 0))).toEqual([firstContact!.ref]);
    const late = journey.timerFired(firstContact!.ref, firstContact!.machineTimerId, '2026-01-16T10:00:00.000Z');
    expect(late).toMatchObject({ outcome: 'stale', note: 'already moved past', commands: [] });
  });

  it('fires an overdue deadline at its due time, opens the nudge then, and numbers the effect', () => {
    const { journey, commands } = started();
    const [firstContact] = timerStarts(commands);
    // The worker was away: the timer is taken two days late, but counts when it fell due.
    const step = journey.timerFired(firstContact!.ref, firstContact!.machineTimerId, '2026-01-18T10:00:00.000Z');
    expect(step.at).toBe('2026-01-16T10:00:00.000Z');
    expect(kinds(step.commands)).toEqual(['startTimer', 'perform', 'index']);
    const perform = step.commands.find((c) => c.type === 'perform');
    expect(perform).toMatchObject({ effectNumber: 1, effect: { type: 'nudgeCoordinator', params: { about: 'firstContactOverdue' } } });
    expect(journey.status().openNudges).toEqual([{ about: 'firstContactOverdue', since: '2026-01-16T10:00:00.000Z' }]);
    expect(step.commands.at(-1)).toMatchObject({
      facts: { oldestOpenNudgeSince: '2026-01-16T10:00:00.000Z', state: 'referral.firstContactOverdue', openNudges: ['firstContactOverdue'] },
    });
  });

  it('refuses an event the machine does not accept now, with the stage, and changes nothing', () => {
    const { journey } = started();
    const before = journey.status();
    const step = journey.record({ type: 'readiness.assessed', by: coordinator, outcome: 'ready' }, '2026-01-12T09:00:00.000Z');
    expect(step.outcome).toBe('refused');
    expect(step.refusal?.code).toMatch(/^(GATE\.UNMET|STAGE\.NOT_NOW)$/);
    expect(step.refusal?.stage).toBe('referral');
    expect(step.commands).toEqual([]);
    expect(journey.status()).toEqual(before);
  });

  it('refuses malformed input and plain personal data with the field named', () => {
    const { journey } = started();
    expect(journey.check({ type: 'contact.recorded', by: coordinator, method: 'carrier pigeon' }, FRIDAY)).toMatchObject({
      code: 'EVENT.INVALID',
      reasons: [expect.stringMatching(/^method: /)],
    });
    const plain = journey.checkSealed({ type: 'consent.recorded', by: coordinator, consent: 'given', ownGoals: ['learn to cook'] });
    expect(plain?.code).toBe('EVENT.INVALID');
    expect(plain?.reasons.join(' ')).toContain('ownGoals: personal data must be sealed');
  });

  it('never drops news from a linked journey: what cannot apply is kept and the co-ordinator told', () => {
    const { journey } = started();
    const news = { type: 'match.proposed', by: { role: 'system', id: 'volunteer-vol-9' }, matchId: 'm-1', volunteerId: 'vol-9' } as RecordedEvent;
    const step = journey.tell(news, '2026-01-12T09:00:00.000Z');
    expect(step.outcome).toBe('unchanged');
    expect(step.commands).toEqual([
      expect.objectContaining({ type: 'perform', effectNumber: 1, effect: expect.objectContaining({ params: expect.objectContaining({ about: 'linkedEventNotApplied' }) }) }),
    ]);
    expect(journey.status().unapplied).toEqual([{ at: '2026-01-12T09:00:00.000Z', event: 'match.proposed', from: 'volunteer-vol-9', reason: expect.any(String) }]);
    const gibberish = journey.tell({ type: 'no.such.event', by: coordinator } as RecordedEvent, '2026-01-12T09:05:00.000Z');
    expect(gibberish.note).toBe('not an event this journey understands');
    expect(journey.status().unapplied).toHaveLength(2);
  });

  it('surfaces a failed effect with a nudge, but not a failed nudge about a failure', () => {
    const { journey } = started();
    const nudge = { type: 'nudgeCoordinator', params: { about: 'firstContactOverdue', summary: 's', whatToDo: 'w' } } as const;
    const commands = journey.effectFailed(nudge, { message: 'mailbox unavailable', type: 'SMTP.REJECTED' }, FRIDAY);
    expect(commands).toEqual([expect.objectContaining({ type: 'perform', effect: expect.objectContaining({ params: expect.objectContaining({ about: 'deliveryFailed' }) }) })]);
    const failedAgain = journey.effectFailed((commands[0] as Extract<Command, { type: 'perform' }>).effect, { message: 'still down' }, FRIDAY);
    expect(failedAgain).toEqual([]);
    expect(journey.status().failures.map((f) => [f.effect, f.about, f.errorType])).toEqual([
      ['nudgeCoordinator', 'firstContactOverdue', 'SMTP.REJECTED'],
      ['nudgeCoordinator', 'deliveryFailed', undefined],
    ]);
  });

  it('carries a journey across continue-as-new: the same status, its timers started again, effects numbered on', () => {
    const { journey } = started();
    journey.record(contact, '2026-01-12T09:00:00.000Z');
    const carried = journey.carry();
    const next = new JourneyInterpreter(youngPersonJourney, identity, carried, '2026-01-13T09:00:00.000Z');
    const step = next.begin('2026-01-13T09:00:00.000Z', '2026-01-13T09:00:00.000Z', {});
    expect(step.trigger).toBe('continue');
    expect(timerStarts(step.commands).map((t) => t.dueAt)).toEqual(carried.timers.map((t) => t.dueAt));
    const { updatedAt: _a, ...was } = journey.status();
    const { updatedAt: _b, ...now } = next.status();
    expect(now).toEqual(was);
    expect(carried.runs).toBe(2);
  });
});
