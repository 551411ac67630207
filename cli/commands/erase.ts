/**
 * `erase`, `erasures` and `keys rotate` (docs/privacy.md "Erasure"). Erasure destroys a person's own
 * key: their personal fields become unreadable everywhere (Temporal's histories, exports, backups of
 * either), while the journey's shape stays, answers its status and replays.
 */
import { describeErasure, erasuresFor } from '../../access';
import { JourneyNotFoundError } from '../../client/journeys';
import { rotateKeyringFile, type ErasureRecord } from '../../privacy';
import { workflowIdFor } from '../../contracts/ids';
import { booleanOf, refuseExtraArguments, requireString, stringOf } from '../args';
import { asOption, kindOption, type Command } from '../command';
import type { Input } from '../context';
import { CliRefusal, UsageError } from '../errors';
import { table } from '../format';
import { kindFromPrefix, kindWords, resolveKind } from '../kinds';

export const eraseCommand: Command = {
  name: 'erase',
  summary: "erase a person's personal data for good (co-ordinators): destroys their key, keeps a record",
  usage: 'npx mentorflow erase <journeyId> --reason <text> [--yes] [--kind young-person|volunteer|match]',
  options: {
    ...asOption,
    ...kindOption,
    reason: { type: 'string', value: '<text>', description: 'why, e.g. "retention period ended" (kept in the record: never personal data)' },
    yes: { type: 'boolean', description: 'do not ask to type the journey id (scripts)' },
  },
  examples: [
    'npx mentorflow erase yp-7k3m9q2x4d --reason "retention period ended (policy 7y)"',
    'npx mentorflow erase vol-2b8d0f1h3k --reason "erasure request 2025-014" --yes',
  ],
  details: [
    "Shows the journey and the names of the personal fields it holds, then asks you to type the journey id",
    '(at a terminal), or takes --yes (a script); without either it refuses. The person\'s key is destroyed: their',
    'personal fields read "[erased on <date>]" for everyone, in every history and export, for good. The journey',
    'itself stays: its stages, dates and decisions, its status, replay and compliance. The record (who, when, why,',
    'never what) is listed by: npx mentorflow erasures. Back-ups of the person keys made before now still hold the',
    'key: see docs/privacy.md "Erasure".',
  ],
  async run(args, ctx) {
    const [journeyId, ...extra] = args.positionals;
    if (!journeyId) throw new UsageError('give the journey id: erase <journeyId> --reason <text>', 'erase');
    refuseExtraArguments(extra, 'erase');
    const reason = requireString(args, 'reason', 'why (e.g. "retention period ended")', 'erase').trim();
    if (reason === '') throw new UsageError('give a reason: --reason <text>', 'erase');
    ctx.actor(args, 'erase'); // the record names who erased: nobody unnamed erases anything
    const explicit = stringOf(args, 'kind');
    const kind = await resolveKind(journeyId, explicit, explicit || kindFromPrefix(journeyId) ? undefined : await ctx.journeys());
    const workflowId = workflowIdFor(kind, journeyId);
    const journeys = await ctx.journeys();
    const { keys } = ctx.privacy().personalData;

    const already = keys.erasureOf(workflowId);
    if (already && !keys.hasKey(workflowId)) {
      throw new CliRefusal('PERSON.ALREADY_ERASED', `the personal data of ${kindWords[kind]} ${journeyId} was already erased`, [describeErasure(already)]);
    }
    let stage: string | undefined;
    let fields: string[] = [];
    try {
      stage = (await journeys.status(kind, journeyId)).stage;
      fields = await journeys.personalFieldNames(kind, journeyId);
    } catch (error) {
      if (!(error instanceof JourneyNotFoundError)) throw error;
      if (!keys.hasKey(workflowId)) throw error;
    }
    if (!keys.hasKey(workflowId)) {
      throw new CliRefusal('PERSON.NO_KEY', `there is nothing to erase for ${kindWords[kind]} ${journeyId}: no personal data was ever sealed for them here`, [
        `no key for ${workflowId} in ${keys.dir}`,
      ]);
    }

    const plan = [
      `Erase the personal data of the ${kindWords[kind]} journey ${journeyId} (${workflowId})`,
      stage ? `  stage now:        ${stage}` : '  the journey is not in Temporal (its history may have been deleted); its key is',
      `  personal fields:  ${fields.length > 0 ? fields.join(', ') : stage ? 'none held now (earlier events may still hold some)' : 'unknown'}`,
      `  reason:           ${reason}`,
      '',
      'Their key is destroyed: these fields become unreadable for everyone, in every history, export and backup',
      'of the database, for good. The journey, its stages, dates and decisions stay.',
    ];
    ctx.err(plan.join('\n'));

    if (booleanOf(args, 'yes') !== true) {
      const stdin = ctx.stdin();
      if (!stdin.isTTY) {
        throw new CliRefusal('ERASE.NOT_CONFIRMED', 'erasure not confirmed: run it at a terminal and type the journey id, or add --yes in a script', [
          'nothing was erased',
        ]);
      }
      ctx.stderr.write(`Type the journey id (${journeyId}) to erase, anything else to stop: `);
      const typed = (await firstLine(stdin))?.trim();
      if (typed !== journeyId) {
        throw new CliRefusal('ERASE.NOT_CONFIRMED', `erasure not confirmed (${typed ? 'a different id was typed' : 'nothing was typed'}): nothing was erased`, [
          'nothing was erased',
        ]);
      }
    }

    const record: ErasureRecord = journeys.erasePersonalData(kind, journeyId, reason, ctx.now());
    ctx.print(
      [
        `Erased: ${describeErasure(record)}.`,
        `Their personal fields now read "[erased on ${record.erasedAt.slice(0, 10)}]". The record: npx mentorflow erasures`,
      ],
      record,
    );
    return 0;
  },
};

export const erasuresCommand: Command = {
  name: 'erasures',
  summary: 'the erasure records: whose personal data was erased, when, by whom and why (never what)',
  usage: 'npx mentorflow erasures [--json]',
  options: {},
  examples: ['npx mentorflow erasures', 'npx mentorflow erasures --json'],
  async run(args, ctx) {
    refuseExtraArguments(args.positionals, 'erasures');
    const identity = ctx.identity(args);
    const records = erasuresFor(identity.principal, ctx.privacy().personalData, { singleOperator: identity.mode === 'singleOperator' });
    ctx.print(
      records.length === 0
        ? 'No personal data has been erased.'
        : [
            `${records.length} erasure${records.length === 1 ? '' : 's'}, oldest first:`,
            ...table([
              ['erased on', 'journey', 'by', 'reason'],
              ...records.map((r) => [r.erasedAt.replace('T', ' ').slice(0, 16) + ' UTC', r.subject, `${r.erasedBy.role}:${r.erasedBy.id}`, r.reason]),
            ]),
          ],
      { erasures: records },
    );
    return 0;
  },
};

export const keysRotateCommand: Command = {
  name: 'keys rotate',
  summary: "add a new key to the scheme's keyring and make it current (lead co-ordinators)",
  usage: 'npx mentorflow keys rotate [--json]',
  options: {},
  examples: ['npx mentorflow keys rotate'],
  details: [
    'New data is encrypted with the new key; older keys stay in the keyring, so nothing already stored is lost.',
    'A running worker and codec server read the new key from the file the first time they meet it: no restart.',
    'Then back the keyring up again: a backup made before the rotation cannot read what is written after it.',
  ],
  async run(args, ctx) {
    refuseExtraArguments(args.positionals, 'keys rotate');
    const { privacy } = ctx.configuration();
    if (privacy.keyringJson) {
      throw new CliRefusal('KEYRING.NOT_A_FILE', 'the keyring comes from MENTORFLOW_KEYRING_JSON: rotate it where it is kept (your secrets manager)', [
        'MENTORFLOW_KEYRING_JSON is set',
      ]);
    }
    const rotated = rotateKeyringFile(privacy.keyringFile, ctx.now());
    ctx.print(
      [
        `The keyring ${privacy.keyringFile} has a new current key, ${rotated.current} (was ${rotated.previous}; kept, to read older data).`,
        'A running worker and codec server pick the new key up from this file the first time they meet it.',
        'Now back the keyring up again, apart from the database: older backups cannot read what is written from now on.',
      ],
      { keyringFile: privacy.keyringFile, ...rotated, backUpAgain: true },
    );
    return 0;
  },
};

export const erasureCommands: Command[] = [eraseCommand, erasuresCommand, keysRotateCommand];

/** The first line typed (undefined at the end of input). */
async function firstLine(input: Input): Promise<string | undefined> {
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    const newline = text.indexOf('\n');
    if (newline >= 0) return text.slice(0, newline);
  }
  return text === '' ? undefined : text;
}
