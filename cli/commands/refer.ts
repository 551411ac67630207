/** `refer`: start a young person's journey from a referral (or a self-referral). */
import { newJourneyId } from '../../client/journeys';
import { booleanOf, listOf, requireString, stringOf, type ParsedArgs } from '../args';
import { asOption, type Command } from '../command';
import type { CliContext } from '../context';
import { parseActor } from '../context';
import { UsageError } from '../errors';
import { checkStartInput, startOf } from '../start';

export const referCommand: Command = {
  name: 'refer',
  aliases: ['young-person refer'],
  summary: "refer a young person: starts their journey and prints its new opaque id",
  usage: 'npx mentorflow refer --date-of-birth <YYYY-MM-DD> --care-experienced (--referrer <id> | --self) [options]',
  options: {
    ...asOption,
    coordinator: { type: 'string', value: '<id>', description: 'the co-ordinator whose caseload it joins (default: yours, with --as coordinator:<id>)' },
    dateOfBirth: { type: 'string', value: '<YYYY-MM-DD>', description: "the young person's date of birth (eligibility: age at referral)" },
    dob: { type: 'string', value: '<YYYY-MM-DD>', description: 'same as --date-of-birth' },
    careExperienced: { type: 'boolean', description: 'looked after now or in the past (--no-care-experienced if not)' },
    referrer: { type: 'string', value: '<id|referrer:id>', description: 'who referred: the opaque id of a social worker, personal adviser or agency' },
    self: { type: 'boolean', description: 'the young person referred themself' },
    consent: { type: 'boolean', description: 'the young person has already consented (e.g. a self-referral)' },
    goal: { type: 'string', multiple: true, value: '<words>', description: "one of the young person's own goals, in their words (repeat for more)" },
    notes: { type: 'string', value: '<text>', description: "the referrer's notes, kept apart from the young person's goals" },
    name: { type: 'string', value: '<full name>', description: "the young person's name (sealed with their own key; never in ids, logs or search attributes)" },
    preferredName: { type: 'string', value: '<name>', description: 'what they like to be called' },
    email: { type: 'string', value: '<address>', description: 'their email address (sealed)' },
    phone: { type: 'string', value: '<number>', description: 'their phone number (sealed)' },
    address: { type: 'string', value: '<text>', description: 'their postal address (sealed)' },
    referredOn: { type: 'string', value: '<YYYY-MM-DD>', description: 'when the referral was made (default: now)' },
    id: { type: 'string', value: '<id>', description: 'an opaque journey id to use (default: a new random one, yp-...)' },
  },
  examples: [
    'npx mentorflow refer --as coordinator:co-1 --date-of-birth 2008-05-01 --care-experienced --referrer sw-17 --name "Jamie Example" --phone "07700 900123"',
    'npx mentorflow refer --as coordinator:co-1 --dob 2007-11-30 --care-experienced --self --consent --goal "find a college course"',
  ],
  details: [
    'Eligibility (age at referral, care experience) is checked against the scheme policy before anything',
    'starts; a referral that is not eligible is refused with the reasons (exit code 2).',
    'The id printed is random: never derived from the young person\'s details.',
    'Name, contact details, date of birth, goals and notes are sealed with a key of the young person\'s own',
    'before they leave this machine: erasing that key (mentorflow erase) makes them unreadable everywhere.',
  ],
  run: refer,
};

async function refer(args: ParsedArgs, ctx: CliContext): Promise<number> {
  const by = ctx.actor(args, 'refer');
  const coordinatorId = coordinatorOf(args, by, 'refer');
  const dateOfBirth = stringOf(args, 'dateOfBirth') ?? stringOf(args, 'dob');
  if (!dateOfBirth) throw new UsageError('the date of birth is needed: --date-of-birth <YYYY-MM-DD>', 'refer');
  const careExperienced = booleanOf(args, 'careExperienced');
  if (careExperienced === undefined) throw new UsageError('say whether the young person is care-experienced: --care-experienced or --no-care-experienced', 'refer');
  const self = booleanOf(args, 'self') === true;
  const referrer = stringOf(args, 'referrer');
  if (self === Boolean(referrer)) throw new UsageError('say who referred: --referrer <id>, or --self for a self-referral', 'refer');

  const journeyId = stringOf(args, 'id') ?? newJourneyId('yp');
  const startedAt = startOf(stringOf(args, 'referredOn'), ctx.now());
  const ownGoals = listOf(args, 'goal', { split: false });
  const consent = booleanOf(args, 'consent');
  const notes = stringOf(args, 'notes');
  const details = Object.fromEntries(
    (['name', 'preferredName', 'email', 'phone', 'address'] as const).flatMap((field) => {
      const value = stringOf(args, field);
      return value === undefined ? [] : [[field, value]];
    }),
  );
  if (Object.keys(details).length > 0 && !details.name) throw new UsageError('contact details go with a name: --name <full name>', 'refer');
  const referral = {
    referredBy: self ? { role: 'youngPerson', id: journeyId } : parseActor(referrer!.includes(':') ? referrer! : `referrer:${referrer}`, 'refer'),
    dateOfBirth,
    careExperienced,
    ...(consent !== undefined ? { consentGiven: consent } : {}),
    ...(ownGoals.length > 0 ? { ownGoals } : {}),
    ...(notes ? { referrerNotes: notes } : {}),
    ...(details.name ? { details } : {}),
  };
  const input = checkStartInput('youngPerson', { journeyId, coordinatorId, startedAt, referral }, 'refer the young person');

  // An id of your own may be a journey that has ended: the client never starts it afresh (it says
  // it was already started).
  const started = await (await ctx.journeys()).start('youngPerson', input);
  if (ctx.json) {
    ctx.print('', { kind: 'youngPerson', ...started });
  } else {
    ctx.out(started.journeyId);
    ctx.err(
      started.alreadyStarted
        ? `A young person's journey ${started.journeyId} was already started: nothing new was started.`
        : `Referral recorded: young person's journey ${started.journeyId} started on co-ordinator ${coordinatorId}'s caseload.\n` +
            (by.role === 'referrer'
              ? `Next: the co-ordinator contacts them; follow its progress with: npx mentorflow status ${started.journeyId}`
              : `Next: contact them, then: npx mentorflow contact ${started.journeyId} --method phone|inPerson|video|message|letter`),
    );
  }
  return 0;
}

/** `--coordinator`, else the acting co-ordinator. */
export function coordinatorOf(args: ParsedArgs, by: { role: string; id: string }, command: string): string {
  const given = stringOf(args, 'coordinator');
  if (given) return given;
  if (by.role === 'coordinator' || by.role === 'leadCoordinator') return by.id;
  return requireString(args, 'coordinator', `the co-ordinator (you are acting as ${by.role})`, command);
}
