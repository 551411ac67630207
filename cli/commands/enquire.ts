/** `volunteer enquire`: start a volunteer's journey from an enquiry. */
import { volunteerAddressSchema } from '../../activities/notifications/requests';
import { newJourneyId } from '../../client/journeys';
import { booleanOf, stringOf, type ParsedArgs } from '../args';
import { asOption, type Command } from '../command';
import type { CliContext } from '../context';
import { CliRefusal, UsageError } from '../errors';
import { checkStartInput, startOf } from '../start';
import { coordinatorOf } from './refer';
import { issueReasons } from '../../contracts/refusals';

export const enquireCommand: Command = {
  name: 'volunteer enquire',
  aliases: ['enquire'],
  summary: "register a volunteer's enquiry: starts their journey and prints its new opaque id",
  usage: 'npx mentorflow volunteer enquire --type peer|traditional --date-of-birth <YYYY-MM-DD> --email <address> [options]',
  options: {
    ...asOption,
    coordinator: { type: 'string', value: '<id>', description: 'the co-ordinator whose caseload it joins (default: yours, with --as coordinator:<id>)' },
    type: { type: 'string', value: '<peer|traditional>', description: 'peer (care-experienced) or traditional mentor' },
    dateOfBirth: { type: 'string', value: '<YYYY-MM-DD>', description: "the volunteer's date of birth (the peer age gap)" },
    dob: { type: 'string', value: '<YYYY-MM-DD>', description: 'same as --date-of-birth' },
    careExperienced: { type: 'boolean', description: 'care-experienced (--no-care-experienced if not; default: yes for peer, no for traditional)' },
    leftCareOn: { type: 'string', value: '<YYYY-MM-DD>', description: 'when they left care (peer mentors: separation from their own transition)' },
    email: { type: 'string', value: '<address>', description: 'where reminders and supervision invitations go (never in ids, logs or search attributes)' },
    firstName: { type: 'string', value: '<name>', description: 'for the greeting of their emails' },
    enquiredOn: { type: 'string', value: '<YYYY-MM-DD>', description: 'when they enquired (default: now)' },
    id: { type: 'string', value: '<id>', description: 'an opaque journey id to use (default: a new random one, vol-...)' },
  },
  examples: [
    'npx mentorflow volunteer enquire --as coordinator:co-1 --type traditional --dob 1980-02-14 --email sam@example.org --first-name Sam',
    'npx mentorflow volunteer enquire --as coordinator:co-1 --type peer --dob 2001-06-01 --care-experienced --left-care-on 2020-07-01 --email lee@example.org',
  ],
  details: ['The email address and first name are held by the journey for messages only: never in ids, logs or search attributes.'],
  run: enquire,
};

async function enquire(args: ParsedArgs, ctx: CliContext): Promise<number> {
  const by = ctx.actor(args, 'volunteer enquire');
  const coordinatorId = coordinatorOf(args, by, 'volunteer enquire');
  const type = stringOf(args, 'type');
  if (!type) throw new UsageError('say which kind of mentor: --type peer or --type traditional', 'volunteer enquire');
  const dateOfBirth = stringOf(args, 'dateOfBirth') ?? stringOf(args, 'dob');
  if (!dateOfBirth) throw new UsageError('the date of birth is needed: --date-of-birth <YYYY-MM-DD>', 'volunteer enquire');
  const email = stringOf(args, 'email');
  if (!email) throw new UsageError('an email address is needed for reminders and invitations: --email <address>', 'volunteer enquire');
  const firstName = stringOf(args, 'firstName');
  const contact = volunteerAddressSchema.safeParse({ email, ...(firstName ? { firstName } : {}) });
  if (!contact.success) {
    const reasons = issueReasons(contact.error, 'contact');
    throw new CliRefusal('EVENT.INVALID', `cannot register the enquiry: ${reasons.join('; ')}`, reasons);
  }
  const leftCareOn = stringOf(args, 'leftCareOn');
  const journeyId = stringOf(args, 'id') ?? newJourneyId('vol');
  const input = checkStartInput(
    'volunteer',
    {
      journeyId,
      coordinatorId,
      startedAt: startOf(stringOf(args, 'enquiredOn'), ctx.now()),
      volunteer: {
        type,
        dateOfBirth,
        careExperienced: booleanOf(args, 'careExperienced') ?? (type === 'peer' || leftCareOn !== undefined),
        ...(leftCareOn ? { leftCareOn } : {}),
      },
    },
    "register the volunteer's enquiry",
  );

  // An id of your own may be a journey that has ended: the client never starts it afresh (it says
  // it was already started).
  const started = await (await ctx.journeys()).start('volunteer', input, { contact: contact.data });
  if (ctx.json) {
    ctx.print('', { kind: 'volunteer', ...started });
  } else {
    ctx.out(started.journeyId);
    ctx.err(
      started.alreadyStarted
        ? `A volunteer's journey ${started.journeyId} was already started: nothing new was started.`
        : `Enquiry registered: volunteer's journey ${started.journeyId} started on co-ordinator ${coordinatorId}'s caseload.\n` +
            `Next, when they come to an information session: npx mentorflow info-session ${started.journeyId}`,
    );
  }
  return 0;
}
