/** `policy show` and `policy check <file>`: the scheme policy in force, and a policy file explained. */
import path from 'node:path';
import YAML from 'yaml';
import { PolicyError, type SchemePolicy } from '../../machines/policy';
import { loadPolicyFile } from '../../config/policy-file';
import { refuseExtraArguments } from '../args';
import { type Command } from '../command';
import { EXIT, UsageError } from '../errors';

/** The policy as a scheme writes it: every duration back to its text ("5 working days"). */
export function policyDocument(policy: SchemePolicy): unknown {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (typeof record.text === 'string' && typeof record.amount === 'number' && typeof record.unit === 'string') return record.text;
      return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, walk(v)]));
    }
    return value;
  };
  return walk(policy);
}

export const policyShowCommand: Command = {
  name: 'policy show',
  summary: 'the scheme policy in force (YAML), with every default filled in',
  usage: 'npx mentorflow policy show [--json]',
  options: {},
  examples: ['npx mentorflow policy show', 'MENTORFLOW_POLICY=config/policy.yaml npx mentorflow policy show --json'],
  details: [
    'The policy comes from MENTORFLOW_POLICY, else config/policy.yaml, else config/policy.example.yaml.',
    'A journey keeps the policy it started with; this is the one new journeys start with.',
  ],
  async run(args, ctx) {
    refuseExtraArguments(args.positionals, 'policy show');
    const { policy, source } = ctx.policy();
    const document = policyDocument(policy);
    if (ctx.json) ctx.print('', { source, policy: document });
    else ctx.out(`# The scheme policy in force, from ${source}\n${YAML.stringify(document).trimEnd()}`);
    return EXIT.ok;
  },
};

export const policyCheckCommand: Command = {
  name: 'policy check',
  summary: 'check a policy file and explain every error (exit 1 if there is one)',
  usage: 'npx mentorflow policy check <file> [--json]',
  options: {},
  examples: ['npx mentorflow policy check config/policy.yaml'],
  details: ['Every problem names its field and says what is expected, e.g. "youngPerson.firstContactWithin: ..."'],
  async run(args, ctx) {
    const [file, ...extra] = args.positionals;
    if (!file) throw new UsageError('which file? policy check <file>', 'policy check');
    refuseExtraArguments(extra, 'policy check');
    const shown = path.relative(process.cwd(), path.resolve(file)) || file;
    try {
      loadPolicyFile(path.resolve(file));
    } catch (error) {
      if (!(error instanceof PolicyError)) throw error;
      const count = error.problems.length;
      ctx.print(
        [`${shown}: ${count} problem${count === 1 ? '' : 's'}`, ...error.problems.map((p) => `  - ${p}`)],
        { file: shown, valid: false, problems: error.problems },
      );
      return EXIT.error;
    }
    ctx.print(`${shown}: valid`, { file: shown, valid: true, problems: [] });
    return EXIT.ok;
  },
};
