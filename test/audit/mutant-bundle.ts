/**
 * A workflow bundle built from a copy of the workflow code (workflows/ and the interpreter/ it
 * runs) with one edit, as a developer might make it without versioning: what replay of the
 * committed histories must catch. The copy sits in a temp folder beside links to the real
 * machines/, contracts/, activities/ and node_modules/, so its imports resolve as they do in the
 * repository.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { repoRoot } from '../../config';

export interface Edit {
  /** A file under workflows/ or interpreter/, e.g. "interpreter/journey-interpreter.ts". */
  file: string;
  /** Text that must occur exactly once in the file. */
  find: string;
  replace: string;
}

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

export async function mutantBundle(edit: Edit): Promise<{ code: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mentorflow-mutant-'));
  try {
    for (const copied of ['workflows', 'interpreter']) {
      cpSync(path.join(repoRoot, copied), path.join(dir, copied), { recursive: true });
    }
    for (const linked of ['machines', 'contracts', 'activities', 'node_modules']) {
      symlinkSync(path.join(repoRoot, linked), path.join(dir, linked), 'dir');
    }
    const file = path.join(dir, edit.file);
    const source = readFileSync(file, 'utf8');
    const at = source.indexOf(edit.find);
    if (at < 0 || source.indexOf(edit.find, at + 1) >= 0) {
      throw new Error(`the edit must match exactly once in ${edit.file}: ${JSON.stringify(edit.find)}`);
    }
    writeFileSync(file, source.replace(edit.find, edit.replace));
    return await bundleWorkflowCode({ workflowsPath: path.join(dir, 'workflows', 'index.ts'), logger: quiet });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
