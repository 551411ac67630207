/**
 * The committed machine diagrams (docs/machines/*.md) must be what scripts/diagrams.ts draws from
 * the machines now; when a machine changes, regenerate them with `npx tsx scripts/diagrams.ts`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { and, not, setup } from 'xstate';
import { effects, nudgeTag } from '../../machines/journey';
import { youngPersonJourney } from '../../machines/young-person';
import { diagrams, journeys, main, mermaid, staleDiagrams } from '../../scripts/diagrams';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const REGENERATE = 'regenerate the diagrams with: npx tsx scripts/diagrams.ts';

describe('the committed machine diagrams', () => {
  it.each(diagrams().map((diagram) => [diagram.path, diagram.content]))('%s is up to date', (path, content) => {
    const file = join(ROOT, path);
    expect(existsSync(file), `${path} is missing: ${REGENERATE}`).toBe(true);
    expect(readFileSync(file, 'utf8'), `${path} is stale: ${REGENERATE}`).toBe(content);
  });

  it('are one per journey, with no diagram left over from a journey that is gone', () => {
    expect(diagrams().map((d) => d.path)).toEqual(journeys.map(({ journey }) => `docs/machines/${journey.kind}.md`));
    expect(staleDiagrams(ROOT), REGENERATE).toEqual([]);
  });
});

describe('--check', () => {
  let scratch: string | undefined;
  afterEach(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    scratch = undefined;
    vi.restoreAllMocks();
  });

  /** A copy of the committed diagrams to spoil. */
  function copyOfDiagrams(): string {
    scratch = mkdtempSync(join(tmpdir(), 'mentorflow-diagrams-'));
    for (const { path, content } of diagrams()) {
      mkdirSync(dirname(join(scratch, path)), { recursive: true });
      writeFileSync(join(scratch, path), content);
    }
    return scratch;
  }

  it('passes when every diagram is up to date', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(main(['--check'], copyOfDiagrams())).toBe(0);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('up to date'));
  });

  it('exits non-zero naming each stale, missing or left-over diagram', () => {
    const root = copyOfDiagrams();
    const [first, second] = diagrams();
    writeFileSync(join(root, first!.path), first!.content.replace('after(firstContactWithin)', 'after(someOtherDelay)'));
    rmSync(join(root, second!.path));
    writeFileSync(join(root, 'docs/machines/retired.md'), '# gone\n');
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(main(['--check'], root)).toBe(1);
    const said = error.mock.calls.flat().join('\n');
    expect(said).toContain(first!.path);
    expect(said).toContain(second!.path);
    expect(said).toContain('docs/machines/retired.md (no journey draws it any more)');
    expect(said).toContain('npx tsx scripts/diagrams.ts');
    // Checking writes nothing.
    expect(existsSync(join(root, second!.path))).toBe(false);
  });

  it('without --check, writes the diagrams and says which changed', () => {
    const root = copyOfDiagrams();
    const [first] = diagrams();
    writeFileSync(join(root, first!.path), 'stale\n');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(main([], root)).toBe(0);
    expect(readFileSync(join(root, first!.path), 'utf8')).toBe(first!.content);
    expect(log.mock.calls.flat().filter((line) => String(line).startsWith('wrote'))).toHaveLength(1);
    expect(staleDiagrams(root)).toEqual([]);
  });
});

describe("the young person's diagram", () => {
  const lines = mermaid(youngPersonJourney.machine);

  it('is the same text every time it is drawn', () => {
    expect(mermaid(youngPersonJourney.machine)).toEqual(lines);
    expect(diagrams()).toEqual(diagrams());
  });

  it('has a box for every state, nested as in the machine', () => {
    expect(lines[0]).toBe('stateDiagram-v2');
    for (const line of [
      '  [*] --> checkingEligibility',
      '  state "referral" as referral',
      '  state referral {',
      '    [*] --> referral_awaitingFirstContact',
      '    state "firstContactOverdue" as referral_firstContactOverdue',
      '      state "recheckDue" as readiness_informalSupport_recheckDue',
      '    state "waitedTooLong" as waitingForMatch_waitedTooLong',
      '  mentored --> [*]',
      '  notEligible --> [*]',
    ]) {
      expect(lines).toContain(line);
    }
  });

  it('labels arrows with events, [guards], after(delays), always, and the effects they send', () => {
    for (const line of [
      '  checkingEligibility --> referral : always [eligible]',
      '  referral_awaitingFirstContact --> referral_firstContactOverdue : after(firstContactWithin)',
      '  referral_firstContactOverdue --> referral_firstContactOverdue : after(nudgeUnactedFor) / escalateToLead',
      '  referral_contacted --> readiness : always [consentAndGoalsRecorded]',
      '  readiness_informalSupport_supported --> readiness_informalSupport_recheckDue : after(readinessRecheckAfter)',
      '  readiness_informalSupport --> readiness_informalSupport : informalTask.recorded',
      '  waitingForMatch_waiting --> waitingForMatch_waitedTooLong : after(matchWaitNudgeAfter)',
      '  matchProposed --> inMatch : match.started [isCurrentMatch]',
      '  inMatch --> waitingForMatch : match.ended [isCurrentMatch and endedWithRematch]',
      '  anyStage --> closed : journey.withdrawn [journeyOpen and notInAMatch]',
    ]) {
      expect(lines).toContain(line);
    }
  });

  it('notes each nudge on the box that keeps it open', () => {
    const text = lines.join('\n');
    for (const [state, about] of [
      ['referral_firstContactOverdue', 'firstContactOverdue'],
      ['readiness_informalSupport_recheckDue', 'readinessRecheckDue'],
      ['waitingForMatch_waitedTooLong', 'matchWaitTooLong'],
    ]) {
      expect(text).toMatch(new RegExp(`note right of ${state}\\n\\s+nudge: ${about}\\n\\s+on entry / nudgeCoordinator\\n\\s+end note`));
    }
  });
});

describe('drawing any journey machine', () => {
  // The shapes the volunteer and match machines use: side-by-side regions, history, guards with
  // parameters and not/or, numeric delays, a state named like a Mermaid keyword, root handlers.
  const machine = setup({
    types: { context: {} as { n: number }, events: {} as { type: 'go' } | { type: 'stop' } | { type: 'note' } },
    actions: { ...effects, count: () => {} },
    guards: { ready: () => true, vetted: () => true, checked: (_, _params: { outcome: string; peer: boolean; late: boolean }) => true },
    delays: { soon: 1000 },
  }).createMachine({
    id: 'sample',
    context: { n: 0 },
    initial: 'end',
    on: { note: { actions: 'count' } },
    states: {
      end: { on: { go: { guard: { type: 'checked', params: { outcome: 'ready', peer: true, late: false } }, target: 'both' } } },
      both: {
        type: 'parallel',
        states: {
          left: {
            initial: 'waiting',
            states: {
              waiting: { after: { 5000: 'late', soon: { actions: { type: 'remindVolunteer', params: { about: 'x', summary: 's', whatToDo: 'w' } } } } },
              late: { tags: [nudgeTag('lateness'), 'other'] },
              last: { type: 'history' },
            },
          },
          right: {
            initial: 'idle',
            states: { idle: { always: { guard: and(['ready', not('vetted')]), target: '#sample.done' } } },
          },
        },
        on: { stop: { target: 'done' } },
      },
      done: { type: 'final' },
    },
  });
  const lines = mermaid(machine);

  it('separates side-by-side regions, escapes reserved names and spells out every kind of guard', () => {
    expect(lines).toEqual([
      'stateDiagram-v2',
      '  [*] --> end_',
      '  state "end" as end_',
      '  state "both" as both',
      '  state both {',
      '    state "left" as both_left',
      '    state both_left {',
      '      [*] --> both_left_waiting',
      '      state "waiting" as both_left_waiting',
      '      state "late" as both_left_late',
      '      note right of both_left_late',
      '        nudge: lateness',
      '      end note',
      '      state "last (history)" as both_left_last',
      '    }',
      '    --',
      '    state "right" as both_right',
      '    state both_right {',
      '      [*] --> both_right_idle',
      '      state "idle" as both_right_idle',
      '    }',
      '  }',
      '  state "done" as done',
      '  done --> [*]',
      '  state "(from any stage)" as anyStage',
      '  anyStage --> anyStage : note',
      '  end_ --> both : go [checked(ready, peer)]',
      '  both --> done : stop',
      '  both_left_waiting --> both_left_late : after(5000ms)',
      '  both_left_waiting --> both_left_waiting : after(soon) / remindVolunteer',
      '  both_right_idle --> done : always [ready and not vetted]',
    ]);
  });
});
