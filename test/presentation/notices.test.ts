/**
 * The one table of nudge words (presentation/notices.ts): every matter a machine can raise is
 * worded, the words carry no gaps, the event each names is one its journey takes, and each
 * channel shows it its own way (the CLI's command, the web app's pre-filled form).
 */
import { describe, expect, it } from 'vitest';
import type { AnyStateNode } from 'xstate';
import { journeys } from '../../machines/registry';
import { NUDGE_TAG_PREFIX, type JourneyKind } from '../../machines/journey';
import { findEvent } from '../../client/event-catalogue';
import { noticeWordings, openNudgesOf, wordNotice } from '../../presentation/notices';
import { resolvingPath } from '../../presentation/links';
import { resolvingCommand } from '../../cli/resolving-command';
import { findAlias } from '../../cli/aliases';

const kinds: JourneyKind[] = ['youngPerson', 'volunteer', 'match'];

/** Every `nudge:<about>` tag in a machine's states. */
function nudgeTags(kind: JourneyKind): string[] {
  const found = new Set<string>();
  const walk = (node: AnyStateNode) => {
    for (const tag of node.tags ?? []) if (tag.startsWith(NUDGE_TAG_PREFIX)) found.add(tag.slice(NUDGE_TAG_PREFIX.length));
    for (const child of Object.values(node.states ?? {})) walk(child as AnyStateNode);
  };
  walk(journeys[kind].machine.root as AnyStateNode);
  return [...found];
}

describe('the words of nudges', () => {
  it.each(kinds)('every nudge the %s machine can hold open is worded', (kind) => {
    const tags = nudgeTags(kind);
    expect(tags.length).toBeGreaterThan(0);
    for (const about of tags) expect(noticeWordings, about).toHaveProperty(about);
  });

  it('a nudge with its facts reads whole; without them it still reads, never "undefined"', () => {
    for (const about of Object.keys(noticeWordings)) {
      for (const audience of ['coordinator', 'lead', 'volunteer'] as const) {
        const words = wordNotice({ about }, { kind: 'match', id: 'm-1' }, audience);
        expect(`${words.summary} ${words.whatToDo}`, about).not.toMatch(/undefined|null|\s\s|\(\)/);
      }
    }
    expect(wordNotice({ about: 'meetingGap', facts: { after: '21 days' } }, { kind: 'match', id: 'm-1' }, 'coordinator').summary).toBe(
      'No meeting logged on a match for 21 days',
    );
  });

  it('an escalation of an unanswered nudge says how long it waited', () => {
    const words = wordNotice({ about: 'firstContactOverdue', facts: { unactedFor: '7 days' } }, { kind: 'youngPerson', id: 'yp-1' }, 'lead');
    expect(words.summary).toBe('Still not done 7 days after a nudge: First contact with a referred young person is overdue');
  });

  it('keeps the words an older version wrote into the effect: they are what was sent then', () => {
    const words = wordNotice({ about: 'firstContactOverdue', summary: 'Old words', whatToDo: 'Old advice' }, { kind: 'youngPerson', id: 'yp-1' }, 'coordinator');
    expect(words).toMatchObject({ summary: 'Old words', whatToDo: 'Old advice', resolvedBy: { event: 'contact.recorded' } });
  });

  it('a matter this version does not know is still shown, in plain words', () => {
    expect(wordNotice({ about: 'somethingNewOverdue' }, { kind: 'match', id: 'm-1' }, 'coordinator')).toEqual({
      summary: 'Something new overdue',
      whatToDo: 'Open the journey and record what has been done',
    });
  });
});

describe('the event that resolves a nudge, in each channel', () => {
  const samples: Record<string, Record<string, string | number | boolean>> = {
    supervisionMissed: { sessionId: 'vol-1-supervision-2' },
    supervisionAttendanceNotRecorded: { sessionId: 'vol-1-supervision-2' },
    volunteerCheckExpired: { volunteerId: 'vol-9' },
    volunteerCheckNotClear: { holdsTheMatch: true },
    safeguardingConcern: { category: 'safeguarding', holdsTheMatch: true },
    checkInOverdue: { outstanding: 'mentee' },
  };
  // Matters sent without a state of their own (a reminder, a one-off nudge) belong to these journeys.
  const untagged: Record<string, JourneyKind> = { checkRenewal: 'volunteer', checkExpired: 'volunteer', checkNotClear: 'volunteer', supervisionMissed: 'volunteer' };
  const kindOf = (about: string): JourneyKind => untagged[about] ?? kinds.find((k) => nudgeTags(k).includes(about)) ?? 'match';

  it('names an event its journey records, and the CLI command records that event', () => {
    let named = 0;
    for (const about of Object.keys(noticeWordings)) {
      const kind = kindOf(about);
      const { resolvedBy } = wordNotice({ about, facts: samples[about] ?? {} }, { kind, id: 'j-1' }, 'coordinator');
      if (!resolvedBy) continue;
      named += 1;
      if (resolvedBy.event === 'match.proposed') {
        expect(resolvingCommand(resolvedBy)).toBe('npx mentorflow propose-match --young-person j-1 --volunteer <id>');
        continue;
      }
      expect(findEvent(resolvedBy.kind, resolvedBy.event), `${about}: ${resolvedBy.event}`).toBeDefined();
      const [, , kindWord, verb] = resolvingCommand(resolvedBy).split(' ');
      const alias = findAlias(verb!, resolvedBy.kind);
      expect(alias, `${about}: ${kindWord} ${verb}`).toBeDefined();
      expect([alias!.type].flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)))).toContain(resolvedBy.event);
    }
    expect(named).toBeGreaterThan(15);
  });

  it('names, for every overdue state, an event that state (or one around or beside it) takes: the machine and the words cannot drift', () => {
    let checked = 0;
    for (const kind of kinds) {
      const walk = (node: AnyStateNode): void => {
        for (const tag of node.tags ?? []) {
          if (!tag.startsWith(NUDGE_TAG_PREFIX)) continue;
          const about = tag.slice(NUDGE_TAG_PREFIX.length);
          const { resolvedBy } = wordNotice({ about, facts: samples[about] ?? {} }, { kind, id: 'j-1' }, 'coordinator');
          if (!resolvedBy || resolvedBy.kind !== kind) continue;
          const taken = new Set<string>();
          // Taken by the state, a state around it, or a state in a region running beside it (a
          // volunteer's check is recorded in the check region while vetting waits in the pathway).
          const subtree = (n: AnyStateNode): void => {
            for (const type of n.ownEvents) taken.add(type);
            for (const child of Object.values(n.states ?? {})) subtree(child as AnyStateNode);
          };
          for (let n: AnyStateNode | undefined = node; n; n = n.parent) {
            for (const type of n.ownEvents) taken.add(type);
            if (n.type === 'parallel') subtree(n);
          }
          expect([...taken], `${kind} ${node.id} (${about}) takes ${resolvedBy.event}`).toContain(resolvedBy.event);
          checked += 1;
        }
        for (const child of Object.values(node.states ?? {})) walk(child as AnyStateNode);
      };
      walk(journeys[kind].machine.root as AnyStateNode);
    }
    expect(checked).toBeGreaterThan(8);
  });

  it('fills in what it knows: the session, who is still owed a check-in, the volunteer of a match', () => {
    const check = wordNotice({ about: 'volunteerCheckExpired', facts: { volunteerId: 'vol-9' } }, { kind: 'match', id: 'm-1' }, 'coordinator');
    expect(resolvingCommand(check.resolvedBy!)).toMatch(/^npx mentorflow volunteer record-check vol-9 --type <PVG\|enhancedDBS\|other>/);
    expect(resolvingPath(check.resolvedBy!)).toBe('/journeys/volunteer/vol-9/record/check.recorded');
    const missed = wordNotice({ about: 'supervisionAttendanceNotRecorded', facts: { sessionId: 's-2' } }, { kind: 'volunteer', id: 'vol-1' }, 'coordinator');
    expect(resolvingCommand(missed.resolvedBy!)).toBe('npx mentorflow volunteer record-supervision vol-1 --attended|--missed --session s-2');
    expect(resolvingPath(missed.resolvedBy!)).toBe('/journeys/volunteer/vol-1/record/supervision.attended?sessionId=s-2');
    const checkIn = wordNotice({ about: 'checkInOverdue', facts: { outstanding: 'mentor,mentee' } }, { kind: 'match', id: 'm-1' }, 'coordinator');
    expect(resolvingPath(checkIn.resolvedBy!)).toBe('/journeys/match/m-1/record/checkIn.recorded?with=mentor&with=mentee');
    const wait = wordNotice({ about: 'matchWaitTooLong' }, { kind: 'youngPerson', id: 'yp-1' }, 'coordinator');
    expect(resolvingPath(wait.resolvedBy!)).toBe('/matches/new?youngPersonId=yp-1');
  });

  it("words a status's open nudges from the journey's facts", () => {
    const nudges = openNudgesOf({
      kind: 'match',
      journeyId: 'm-1',
      openNudges: [{ about: 'volunteerCheckExpired', since: '2026-01-01T00:00:00Z' }],
      facts: { volunteerId: 'vol-9', peer: false, check: { nested: true } },
    });
    expect(nudges).toEqual([
      expect.objectContaining({ about: 'volunteerCheckExpired', since: '2026-01-01T00:00:00Z', resolvedBy: { kind: 'volunteer', journeyId: 'vol-9', event: 'check.recorded', values: {} } }),
    ]);
  });
});
