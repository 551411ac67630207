/**
 * Progress of an import on stderr: a bar redrawn in place on a terminal, plain lines otherwise
 * (a log file, CI). Lines carry line numbers, opaque ids and stages only.
 */
import type { Output } from '../context';

export interface Progress {
  tick(note: string): void;
  done(): void;
}

export function progress(stream: Output, total: number, label: string): Progress {
  let count = 0;
  if (stream.isTTY) {
    const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - 40));
    const draw = (note: string) => {
      const filled = total === 0 ? width : Math.round((count / total) * width);
      const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
      stream.write(`\r\x1b[2K${label} [${bar}] ${count}/${total} ${note}`.slice(0, (stream.columns ?? 120) + 8));
    };
    draw('');
    return {
      tick(note) {
        count++;
        draw(note);
      },
      done() {
        stream.write('\n');
      },
    };
  }
  return {
    tick(note) {
      count++;
      stream.write(`${label}: ${count}/${total} ${note}\n`);
    },
    done() {},
  };
}
