/**
 * What replay must catch: a committed history edited by hand (a timer's duration, an event removed,
 * a recorded decision changed), and workflow code changed without versioning (an extra timer, the
 * same commands in another order). Each is reported for the right journey, at the right event, in
 * plain words.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { historyFromJSON } from '../../audit/history-file';
import { readRun, type Journey } from '../../audit/journey-history';
import { replayJourneys, replayRun } from '../../audit/replay';
import { workflowBundle } from '../helpers/journey-worker';
import { goldenDir, goldenJourneys } from './golden';
import { mutantBundle } from './mutant-bundle';

interface JsonEvent {
  eventId: string;
  eventType: string;
  [attributes: string]: unknown;
}

/** A golden history file as JSON, edited, read back as a run. */
function edited(file: string, edit: (events: JsonEvent[]) => void) {
  const json = JSON.parse(readFileSync(path.join(goldenDir, file), 'utf8')) as { events: JsonEvent[] };
  edit(json.events);
  return readRun(historyFromJSON(json), `${file} (edited)`);
}

const eventOfType = (events: JsonEvent[], type: string, nth = 0) => events.filter((e) => e.eventType === `EVENT_TYPE_${type}`)[nth]!;

describe('a committed history edited by hand', () => {
  it('a timer made longer: Temporal replays it, the machine re-run names the timer and both durations', async () => {
    let eventId = 0;
    const run = edited('lapses/young-person-yp-late.json', (events) => {
      const started = eventOfType(events, 'TIMER_STARTED');
      eventId = Number(started.eventId);
      (started.timerStartedEventAttributes as { startToFireTimeout: string }).startToFireTimeout = '1209600s';
    });
    const [result] = await replayRun(run, { workflowBundle: await workflowBundle() });
    expect(result!.replay.ok).toBe(true); // Temporal does not compare durations...
    expect(result!.ok).toBe(false); // ...the audit does.
    expect(result!.consistency).toEqual([
      { eventId, message: expect.stringMatching(/^timer 'first contact due' in the history: for 1209600s, the machine's runs 604800s \(due 20\d\d-/) },
    ]);
  });

  it('an event removed: the history is reported damaged at the gap', async () => {
    let removed = 0;
    const run = edited('lapses/match-m-lapse.json', (events) => {
      const scheduled = eventOfType(events, 'ACTIVITY_TASK_SCHEDULED', 2);
      removed = Number(scheduled.eventId);
      events.splice(events.indexOf(scheduled), 1);
    });
    const [result] = await replayRun(run, { workflowBundle: await workflowBundle() });
    expect(result!.ok).toBe(false);
    expect(result!.replay.ok).toBe(false);
    const problem = (result!.replay as { problem: { kind: string; eventId: number; plain: string } }).problem;
    expect(problem.kind).toBe('damagedHistory');
    expect(problem.eventId).toBe(removed + 1);
    expect(problem.plain).toBe(`The history is damaged: event ${removed + 1} follows event ${removed - 1} (event ${removed} is missing). It was edited, cut short or reordered after export; export it again.`);
  });

  it("a recorded decision changed (ready becomes not ready): replay and the machine both object, at that Update", async () => {
    let accepted = 0;
    const run = edited('lapses/young-person-yp-late.json', (events) => {
      for (const event of events.filter((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED')) {
        const args = (event.workflowExecutionUpdateAcceptedEventAttributes as { acceptedRequest: { input: { args: { payloads: { data: string }[] } } } })
          .acceptedRequest.input.args.payloads[0]!;
        const value = JSON.parse(Buffer.from(args.data, 'base64').toString()) as { type: string; outcome?: string };
        if (value.type !== 'readiness.assessed') continue;
        accepted = Number(event.eventId);
        args.data = Buffer.from(JSON.stringify({ ...value, outcome: 'notReady' })).toString('base64');
      }
    });
    const [result] = await replayRun(run, { workflowBundle: await workflowBundle() });
    expect(result!.ok).toBe(false);
    expect(result!.consistency[0]).toEqual({
      eventId: accepted,
      message: "after 'readiness.assessed' the journey answered stage 'preferences' (preferences), but the machine reaches 'informalSupport' (readiness.informalSupport.supported)",
    });
    // The code, given 'not ready', sets the readiness re-check timer where the history has none.
    const problem = (result!.replay as { problem: { kind: string; eventId: number; codeDid: string } }).problem;
    expect(problem.kind).toBe('nondeterminism');
    expect(problem.eventId).toBeGreaterThan(accepted);
    expect(problem.codeDid).toBe('started a timer');
  });
});

describe('workflow code changed without versioning', () => {
  const clean = (): Journey[] => goldenJourneys('clean');

  it('an extra timer at the start of every journey: each history fails at its first step, the event named', async () => {
    const bundle = await mutantBundle({
      file: 'workflows/journey.workflow.ts',
      find: '  journey.begin();\n',
      replace: '  await sleep(1);\n  journey.begin();\n',
    });
    const results = await replayJourneys(clean(), { workflowBundle: bundle });
    expect(results.map((r) => r.workflowId).sort()).toEqual(['match-m-clean', 'volunteer-vol-clean', 'young-person-yp-clean']);
    for (const result of results) {
      expect(result.ok, result.workflowId).toBe(false);
      const problem = (result.replay as { problem: { kind: string; plain: string; eventId?: number } }).problem;
      expect(problem.kind).toBe('nondeterminism');
      expect(problem.eventId).toBeGreaterThan(0);
      expect(problem.plain).toMatch(/^At event \d+ \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\) the history has .+, but the current code .+/);
      // The machine is unchanged: the history still agrees with it.
      expect(result.consistency).toEqual([]);
    }
  }, 120_000);

  it('notifications sent before timers are set: the first journey to do both in one step fails there', async () => {
    const bundle = await mutantBundle({
      file: 'interpreter/journey-interpreter.ts',
      find: '    this.reconcileTimers();\n    for (const effect of effects) this.perform(effect);\n',
      replace: '    for (const effect of effects) this.perform(effect);\n    this.reconcileTimers();\n',
    });
    const results = await replayJourneys(goldenJourneys('lapses'), { workflowBundle: bundle });
    const youngPerson = results.find((r) => r.workflowId === 'young-person-yp-late')!;
    expect(youngPerson.ok).toBe(false);
    // When first contact fell overdue, the journey set the escalation timer, then sent the nudge.
    expect((youngPerson.replay as { problem: { plain: string } }).problem.plain).toMatch(
      /^At event 10 \(.+\) the history has "timer set: escalation of an unanswered nudge due on .+", but the current code scheduled an activity \(a notification\) instead\.$/,
    );
  }, 120_000);
});
