/**
 * Commands that need no Temporal: `policy show`, `policy check`, and `--help` on every command
 * (in-process, and once through the real `bin/mentorflow.js` in a child process).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { parsePolicy } from '../../machines/policy';
import { repoRoot } from '../../config';
import { cli } from './run-cli';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'mentorflow-cli-policy-'));
function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('policy show', () => {
  it('prints the policy in force as YAML a scheme could write, every default filled in', async () => {
    const policyFile = file('scheme.yaml', 'schemeId: north\nyoungPerson:\n  firstContactWithin: 3 working days\n');
    const shown = await cli(undefined, ['policy', 'show'], { env: { MENTORFLOW_POLICY: policyFile } });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`# The scheme policy in force, from ${policyFile}`);
    const document = YAML.parse(shown.stdout) as { schemeId: string; youngPerson: { firstContactWithin: string; matchWaitNudgeAfter: string } };
    expect(document.schemeId).toBe('north');
    expect(document.youngPerson.firstContactWithin).toBe('3 working days');
    expect(document.youngPerson.matchWaitNudgeAfter).toBe('6 weeks');
    // What is shown is itself a valid policy, the same as the one in force.
    expect(parsePolicy(document)).toEqual(parsePolicy(YAML.parse('schemeId: north\nyoungPerson:\n  firstContactWithin: 3 working days\n')));

    const json = (await cli(undefined, ['policy', 'show', '--json'], { env: { MENTORFLOW_POLICY: policyFile } })).json<{ source: string; policy: { schemeId: string } }>();
    expect(json).toMatchObject({ source: policyFile, policy: { schemeId: 'north' } });
  });
});

describe('policy check', () => {
  it('says a good file is valid', async () => {
    const example = path.join(repoRoot, 'config', 'policy.example.yaml');
    const checked = await cli(undefined, ['policy', 'check', example]);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toMatch(/policy\.example\.yaml: valid/);
  });

  it('explains every error of a bad file and exits 1', async () => {
    const bad = file('bad.yaml', 'schemeId: North Scheme\nyoungPerson:\n  firstContactWithin: soon\n  maxAgeAtReferral: 99\nvolunteer:\n  trainingHours: 20\n');
    const checked = await cli(undefined, ['policy', 'check', bad]);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toContain('bad.yaml: 4 problems');
    expect(checked.stdout).toContain('  - schemeId: a scheme id is lower case letters, digits and hyphens');
    expect(checked.stdout).toContain('  - youngPerson.firstContactWithin: "soon" is not a duration');
    expect(checked.stdout).toMatch(/ {2}- youngPerson\.maxAgeAtReferral: .*30/);
    expect(checked.stdout).toMatch(/ {2}- volunteer: .*trainingHours/);

    const json = (await cli(undefined, ['policy', 'check', bad, '--json'])).json<{ valid: boolean; problems: string[] }>();
    expect(json.valid).toBe(false);
    expect(json.problems).toHaveLength(4);
  });

  it('says when the file cannot be read', async () => {
    const checked = await cli(undefined, ['policy', 'check', path.join(dir, 'missing.yaml')]);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toContain('not readable');
  });
});

describe('without Temporal', () => {
  it('says it cannot reach Temporal, and where it looked (exit 1)', async () => {
    const run = await cli(undefined, ['status', 'yp-1', '--json'], { env: { TEMPORAL_ADDRESS: '127.0.0.1:1' } });
    expect(run.code).toBe(1);
    expect(run.json<{ error: { code: string; message: string } }>().error).toMatchObject({
      code: 'TEMPORAL.UNREACHABLE',
      message: expect.stringContaining('cannot reach Temporal at 127.0.0.1:1'),
    });
  }, 20_000);
});

describe('--help', () => {
  it('lists every command, and each command has help with an example', async () => {
    const general = await cli(undefined, ['--help']);
    expect(general.code).toBe(0);
    const names = [...general.stdout.matchAll(/^ {2}([a-z][a-z-]*(?: [a-z-]+)?) {2,}/gm)].map((m) => m[1]!);
    expect(names).toEqual(expect.arrayContaining(['refer', 'volunteer enquire', 'record', 'propose-match', 'status', 'caseload', 'due', 'policy show', 'policy check', 'import', 'contact']));
    for (const name of names) {
      const help = await cli(undefined, [...name.split(' '), '--help']);
      expect(help.code, name).toBe(0);
      expect(help.stdout, name).toContain(`npx mentorflow ${name}:`);
      expect(help.stdout, name).toMatch(/Examples:\n {2}npx mentorflow /);
    }
  });

  it('shows the flags of one event, read from its schema', async () => {
    const help = await cli(undefined, ['record', 'yp-1', 'preferences.recorded', '--help']);
    expect(help.stdout).toMatch(/--mentor-type <peer\|traditional\|either>\s+required/);
    expect(help.stdout).toContain('Example: npx mentorflow record yp-1 preferences.recorded --as coordinator:co-1 --mentor-type peer');
  });

  it('names an unknown command', async () => {
    const unknown = await cli(undefined, ['frobnicate']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
  });

  it('runs as a real process through bin/mentorflow.js', async () => {
    const { stdout } = await run(process.execPath, [path.join(repoRoot, 'bin', 'mentorflow.js'), '--help'], { cwd: repoRoot });
    expect(stdout).toContain('Usage: npx mentorflow <command>');
    const refer = await run(process.execPath, [path.join(repoRoot, 'bin', 'mentorflow.js'), 'refer', '--help'], { cwd: repoRoot });
    expect(refer.stdout).toContain('Examples:\n  npx mentorflow refer --as coordinator:co-1');
    const failed = await run(process.execPath, [path.join(repoRoot, 'bin', 'mentorflow.js'), 'policy', 'check'], { cwd: repoRoot }).catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 1, stderr: expect.stringContaining('which file? policy check <file>') });
  }, 30_000);
});
