/**
 * One `npm start` per data dir: <data dir>/npm-start.pid holds the pid of the one running. A second
 * start is refused with who holds it and how to stop it; a lock whose owner is dead (kill -9, a
 * power cut) is taken over.
 */
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';
import { isAlive } from './dev-server';

export class DataDirInUseError extends Error {
  readonly code = 'NPM_START.DATA_DIR_IN_USE';
  constructor(
    readonly pid: number,
    readonly dataDir: string,
  ) {
    super(
      `Another \`npm start\` (pid ${pid}) is already running on the data dir ${dataDir}. ` +
        `Stop it first: Ctrl-C in its terminal, or \`kill ${pid}\`. Nothing was changed.`,
    );
  }
}

/** Takes the data dir's lock for this process, released when it exits; throws DataDirInUseError. */
export function lockDataDir(dataDir: string): { release(): void } {
  const file = path.join(dataDir, 'npm-start.pid');
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) throw new DataDirInUseError(pid, dataDir);
      rmSync(file, { force: true }); // stale: its owner is gone
      continue;
    }
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    const release = () => {
      process.removeListener('exit', release);
      try {
        if (Number.parseInt(readFileSync(file, 'utf8'), 10) === process.pid) rmSync(file, { force: true });
      } catch {
        // Already gone.
      }
    };
    process.once('exit', release);
    return { release };
  }
  throw new Error(`Could not take the lock ${file}: another \`npm start\` is starting on the same data dir?`);
}
