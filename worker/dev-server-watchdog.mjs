/**
 * Runs the Temporal dev server so that it cannot outlive `npm start`:
 *   node dev-server-watchdog.mjs <pid file> <owner pid> <temporal cli> <args...>
 *
 * Why a watchdog on a pipe: Linux's PR_SET_PDEATHSIG is out of reach from Node without native code,
 * and a `kill -9` of `npm start` runs none of its exit handlers. But the kernel closes the pipe it
 * gave us as stdin whatever way the parent dies, so EOF on stdin means "the parent is gone": we then
 * stop the server cleanly (SIGINT, SIGKILL after 10 s). No polling, nothing left to time.
 *
 * It records the server's pid, and its owner, in <pid file>, so that a later start can still
 * recognise and reclaim a server whose watchdog was killed too (worker/dev-server.ts).
 */
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { setTimeout } from 'node:timers';

const [pidFile, ownerPid, cli, ...args] = process.argv.slice(2);
const server = spawn(cli, args, { stdio: ['ignore', 'inherit', 'inherit'] });
if (server.pid !== undefined) {
  writeFileSync(pidFile, JSON.stringify({ pid: server.pid, ownerPid: Number(ownerPid), watchdogPid: process.pid }) + '\n');
}

let stopping = false;
const stop = (signal) => {
  server.kill(signal);
  if (stopping) return;
  stopping = true;
  setTimeout(() => server.kill('SIGKILL'), 10_000).unref();
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
process.stdin.on('end', () => stop('SIGINT'));
process.stdin.on('error', () => stop('SIGINT'));
process.stdin.resume();

server.once('error', (error) => {
  console.error(`[dev-server-watchdog] ${error.message}`);
  process.exit(1);
});
server.once('exit', (code, signal) => {
  rmSync(pidFile, { force: true });
  process.exit(code ?? (signal ? 1 : 0));
});
