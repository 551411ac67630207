/** Reads a scheme's policy file (YAML or JSON) and validates it: every error names its field. */
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { defaultPolicy, parsePolicy, PolicyError, type SchemePolicy } from '../machines/policy';

export function loadPolicyFile(file: string | undefined): SchemePolicy {
  if (!file) return defaultPolicy;
  let document: unknown;
  try {
    document = YAML.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PolicyError([`${file}: not readable as YAML or JSON (${(error as Error).message})`]);
  }
  return parsePolicy(document);
}
