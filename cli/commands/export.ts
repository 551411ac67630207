/**
 * `export evaluation`: the evaluator export (reports/evaluation.ts) from exported histories, as an
 * auditor reads them: one CSV per kind of journey and a data dictionary, pseudonymous and with
 * nothing personal, for an independent evaluation.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { evaluationExport } from '../../reports/evaluation';
import { stringOf } from '../args';
import type { Command } from '../command';
import { EXIT, UsageError } from '../errors';
import { journeysFrom } from './audit';

export const exportEvaluationCommand: Command = {
  name: 'export evaluation',
  summary: 'one pseudonymous CSV per kind of journey and a data dictionary, for an evaluator (nothing personal)',
  usage: 'npx mentorflow export evaluation <file|folder>... --out <folder>',
  options: {
    out: { type: 'string', value: '<folder>', description: 'where to write young-people.csv, volunteers.csv, matches.csv and data-dictionary.csv' },
  },
  examples: ['npx mentorflow audit export --out histories/ && npx mentorflow export evaluation histories/ --out evaluation/'],
  details: [
    'Read from the histories (audit export), so the same files give the same export offline. One row per journey:',
    'dates, stages, outcomes and counts. Each journey id is replaced by a pseudonym, a keyed hash with a key derived',
    "from the scheme's keyring: two exports from this scheme join up, and a match joins its young person and volunteer,",
    'but a pseudonym does not lead back to a journey. Never names, contact details, dates of birth, notes or own words.',
  ],
  async run(args, ctx) {
    const out = stringOf(args, 'out');
    if (!out) throw new UsageError('say where to write the export: --out <folder>', 'export evaluation');
    const journeys = await journeysFrom(args, 'export evaluation', ctx);
    const exported = evaluationExport(journeys, ctx.privacy().keyring.derivedKey('evaluation pseudonyms'));
    mkdirSync(out, { recursive: true });
    const written = Object.entries(exported.files).map(([name, text]) => {
      const file = path.join(out, name);
      writeFileSync(file, text);
      return file;
    });
    const { youngPerson, volunteer, match } = exported.rows;
    ctx.print(
      [`Evaluation export: ${youngPerson} young people, ${volunteer} volunteers, ${match} matches.`, ...written.map((f) => `  ${f}`)],
      { rows: exported.rows, files: written },
    );
    return EXIT.ok;
  },
};
