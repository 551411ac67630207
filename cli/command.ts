/** The shape of a CLI command, and the options every command takes. */
import type { OptionsSpec, ParsedArgs } from './args';
import type { CliContext } from './context';

export interface Command {
  /** As typed: "refer", "volunteer enquire", "policy check". */
  name: string;
  /** Other ways to type it: "young-person refer". */
  aliases?: string[];
  summary: string;
  usage: string;
  options: OptionsSpec;
  examples: string[];
  /** More help, after the options (a function when it is built from the schemas). */
  details?: string[] | (() => string[]);
  /**
   * The command's options depend on its arguments (record: the event's fields). When they cannot
   * be known before the command runs (the journey's kind must be asked of Temporal), the
   * arguments are read leniently and the command parses `args.raw` again itself.
   */
  optionsFor?(positionals: string[], values: ParsedArgs['values']): OptionsSpec | undefined;
  /** Help that depends on the arguments (record: one event's flags). */
  helpFor?(positionals: string[], values: ParsedArgs['values']): string[] | undefined;
  run(args: ParsedArgs, ctx: CliContext): Promise<number>;
}

export const globalOptions: OptionsSpec = {
  json: { type: 'boolean', description: 'print JSON for scripts (errors too)' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
  token: { type: 'string', value: '<token>', description: 'your token, with a users file (default: $MENTORFLOW_TOKEN, better: it stays out of shell history)' },
};

export const asOption: OptionsSpec = {
  as: { type: 'string', value: '<role:id>', description: 'who is acting, e.g. coordinator:co-1, without a users file (default: $MENTORFLOW_AS)' },
};

export const kindOption: OptionsSpec = {
  kind: {
    type: 'string',
    value: '<young-person|volunteer|match>',
    description: 'the journey kind, when the id does not start with yp-, vol- or m-',
  },
};
