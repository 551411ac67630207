/** The CLI's argument parser and the flags it reads from the journeys' zod schemas. */
import { describe, expect, it } from 'vitest';
import { listOf, parseArgs } from '../../cli/args';
import { UsageError } from '../../cli/errors';
import { buildEvent, eventCatalogue, eventOptions, findEvent } from '../../cli/event-catalogue';
import { parseActor } from '../../cli/context';
import { findAlias } from '../../cli/aliases';

const co = { role: 'coordinator', id: 'co-1' } as const;

describe('parseArgs', () => {
  const spec = {
    json: { type: 'boolean' },
    dateOfBirth: { type: 'string' },
    careExperienced: { type: 'boolean' },
    goal: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  } as const;

  it('reads kebab or camel case flags, inline values, negations and repeats', () => {
    const args = parseArgs(
      ['yp-1', '--date-of-birth', '2008-05-01', '--no-care-experienced', '--goal=a job', '--goal', 'a flat', '--json', '-h'],
      spec,
    );
    expect(args.positionals).toEqual(['yp-1']);
    expect(args.values).toEqual({ dateOfBirth: '2008-05-01', careExperienced: false, goal: ['a job', 'a flat'], json: true, help: true });
    expect(parseArgs(['--dateOfBirth=2008-05-01', '--care-experienced=yes'], spec).values).toEqual({
      dateOfBirth: '2008-05-01',
      careExperienced: true,
    });
  });

  it('names an unknown option and lists the known ones', () => {
    expect(() => parseArgs(['--name', 'Alex'], spec)).toThrow(UsageError);
    expect(() => parseArgs(['--name', 'Alex'], spec)).toThrow(/unknown option --name \(options here: --json, --date-of-birth/);
  });

  it('says when a value is missing', () => {
    expect(() => parseArgs(['--date-of-birth'], spec)).toThrow('--date-of-birth needs a value');
    expect(() => parseArgs(['--date-of-birth', '--json'], spec)).toThrow('--date-of-birth needs a value');
  });

  it('keeps unknown flags when lenient, to find the arguments first', () => {
    const args = parseArgs(['vol-1', 'check.recorded', '--issued-on', '2025-01-01', '--face-to-face'], {}, { lenient: true });
    expect(args.positionals).toEqual(['vol-1', 'check.recorded']);
    expect(args.values).toEqual({ issuedOn: '2025-01-01', faceToFace: true });
  });

  it('splits lists on commas, keeping an escaped comma', () => {
    const args = parseArgs(['--goal', 'a,b', '--goal', 'c\\, d'], spec);
    expect(listOf(args, 'goal')).toEqual(['a', 'b', 'c, d']);
    expect(listOf(args, 'goal', { split: false })).toEqual(['a,b', 'c\\, d']);
  });
});

describe('the acting person', () => {
  it('is role:id, validated with the journeys\' actor schema', () => {
    expect(parseActor('coordinator:co-1')).toEqual(co);
    expect(() => parseActor('coordinator')).toThrow(/not an acting person/);
    expect(() => parseActor('boss:co-1')).toThrow(/role/);
    expect(() => parseActor('coordinator:Jane Smith')).toThrow(/opaque/);
  });
});

describe('events from the schemas', () => {
  it('lists every event a journey records, with typed fields', () => {
    const types = eventCatalogue('youngPerson').map((e) => e.type);
    expect(types).toContain('contact.recorded');
    expect(types).toContain('preferences.recorded');
    const preferences = findEvent('youngPerson', 'preferences.recorded')!;
    expect(preferences.label).toBe("record the young person's preferences");
    expect(preferences.fields.find((f) => f.name === 'mentorType')).toMatchObject({ kind: 'enum', required: true, values: ['peer', 'traditional', 'either'] });
    expect(preferences.fields.find((f) => f.name === 'languages')).toMatchObject({ kind: 'list', required: false });
    expect(preferences.fields.map((f) => f.name)).not.toContain('by');
  });

  it('builds an event from flags, typed by the schema', () => {
    const event = findEvent('youngPerson', 'preferences.recorded')!;
    const args = parseArgs(['--mentor-type', 'peer', '--languages', 'en,cy', '--interests', 'music'], eventOptions(event));
    expect(buildEvent(event, args, co)).toEqual({
      type: 'preferences.recorded',
      by: co,
      mentorType: 'peer',
      languages: ['en', 'cy'],
      interests: ['music'],
    });
  });

  it('names the missing required flags with their values', () => {
    const event = findEvent('youngPerson', 'contact.recorded')!;
    expect(() => buildEvent(event, parseArgs([], eventOptions(event)), co)).toThrow(
      'to record first contact, give --method <phone|inPerson|video|message|letter>',
    );
  });

  it('maps an alias and its shorter flags onto the event', () => {
    const alias = findAlias('consent')!;
    const event = findEvent(alias.kind, alias.type as string)!;
    const args = parseArgs(['--consent', 'given', '--goal', 'a job', '--goal', 'a flat'], eventOptions(event, alias));
    expect(buildEvent(event, args, co, alias)).toEqual({ type: 'consent.recorded', by: co, consent: 'given', ownGoals: ['a job', 'a flat'] });
  });
});
