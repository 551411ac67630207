#!/usr/bin/env node
// Obtains and caches, outside git, the two Temporal servers mentorflow runs:
//
//  - the Temporal CLI (`temporal server start-dev`, the dev server of `npm start` and of the
//    dev-server tests): `temporal` on PATH, else a cached build, else `go install` of
//    github.com/temporalio/cli v1.5.1, else nothing (the SDK then downloads one: needs internet);
//  - the time-skipping test server (Java, io.temporal:temporal-test-server) fetched with Maven,
//    started through a generated wrapper `<wrapper> <port>`, the way the Temporal SDK runs an
//    `existing-path` test server. The wrapper uses an AppCDS archive generated here, because
//    the SDK gives the server only 5 s to accept connections and a plain JVM start is too slow
//    on a loaded 2-CPU machine.
//
// Cache: ${MENTORFLOW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mentorflow}; it records the paths in
// <cache>/manifest.json (read by config/temporal-paths.mjs). Idempotent: a second run only
// checks the manifest (no network, no process started). Concurrent runs serialise on a lock.
//
// Usage: node scripts/temporal-binaries.mjs [options]
//   --json              print the manifest as JSON on stdout (messages go to stderr)
//   --only=cli          only the Temporal CLI (e.g. for `npm start` on a machine without Java)
//   --only=test-server  only the time-skipping test server
//   --force             rebuild what is cached (CLI build, jars, CDS archive)
//   --measure[=N]       measure N (default 5) starts of the test server, with and without CDS
//   -q, --quiet         no messages unless something is built or fails
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { Buffer } from 'node:buffer';
import console from 'node:console';
import http2 from 'node:http2';
import net from 'node:net';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import {
  MANIFEST_VERSION,
  TEMPORAL_CLI_VERSION,
  TEST_SERVER_VERSION,
  findOnPath,
  isExecutable,
  manifestPath,
  readManifest,
  temporalCacheDir,
} from '../config/temporal-paths.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const POM = join(here, 'temporal-test-server', 'pom.xml');
const TEST_SERVER_MAIN = 'io.temporal.testserver.TestServer';
/** JVM flags of the wrapper: C1 only and the serial GC start faster and cost less CPU for a small, short-lived server. */
const JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-XX:-UsePerfData'];
/** The archive is optional: a JVM that cannot map it runs without it, silently. */
const CDS_QUIET = ['-Xlog:cds=off', '-Xlog:cds+dynamic=off'];
const LOCK_WAIT_MS = 30 * 60_000;

class SetupError extends Error {}

const args = process.argv.slice(2);
const opt = {
  json: args.includes('--json'),
  force: args.includes('--force'),
  quiet: args.includes('-q') || args.includes('--quiet'),
  only: args.find((a) => a.startsWith('--only='))?.slice('--only='.length) ?? null,
  measure: (() => {
    const m = args.find((a) => a === '--measure' || a.startsWith('--measure='));
    if (!m) return 0;
    return m.includes('=') ? Number(m.split('=')[1]) : 5;
  })(),
};
if (opt.only && !['cli', 'test-server'].includes(opt.only)) {
  console.error(`temporal-binaries: unknown --only=${opt.only} (cli | test-server)`);
  process.exit(64);
}
const wantCli = opt.only !== 'test-server';
const wantTestServer = opt.only !== 'cli';

const t0 = performance.now();
let built = false;
function log(message) {
  if (!opt.quiet || built) process.stderr.write(`[temporal-binaries] ${message}\n`);
}
function warn(message) {
  process.stderr.write(`[temporal-binaries] ${message}\n`);
}
const secs = (ms) => `${(ms / 1000).toFixed(1)}s`;

/** Runs a command quickly and quietly; null if it cannot run or fails. */
function probe(cmd, cmdArgs, timeout = 20_000) {
  const r = spawnSync(cmd, cmdArgs, { encoding: 'utf8', timeout, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error || r.status !== 0) return null;
  return `${r.stdout}${r.stderr}`.trim();
}

/** Runs a long command, its output going to our stderr, or kept and shown only on failure (`quiet`). */
function run(cmd, cmdArgs, { quiet = false, ...options } = {}) {
  return new Promise((resolve, reject) => {
    const out = quiet ? 'pipe' : process.stderr;
    const child = spawn(cmd, cmdArgs, { stdio: ['ignore', out, out], ...options });
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new SetupError(`${cmd} ${cmdArgs.join(' ')} failed (${signal ?? `exit code ${code}`})${output ? `:\n${output}` : ''}`)),
    );
  });
}

function writeFileAtomic(path, content, mode) {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content, mode ? { mode } : undefined);
  renameSync(tmp, path);
}

// ---------------------------------------------------------------------------------------------
// Lock: a directory created atomically; stale when its owner process is gone.

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

async function acquireLock(cacheDir) {
  const lockDir = join(cacheDir, '.lock');
  const ownerFile = join(lockDir, 'owner.json');
  const started = Date.now();
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(ownerFile, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
      const release = () => rmSync(lockDir, { recursive: true, force: true });
      process.once('exit', release);
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
        process.once(signal, () => {
          release();
          process.exit(130);
        });
      }
      return release;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    let stale;
    try {
      const owner = JSON.parse(readFileSync(ownerFile, 'utf8'));
      stale = owner.host === hostname() && !pidAlive(owner.pid);
      if (!announced) {
        log(`waiting for another setup to finish (pid ${owner.pid} on ${owner.host}, since ${owner.since})`);
        announced = true;
      }
    } catch {
      // owner not written yet, or the owner died between mkdir and write
      try {
        stale = Date.now() - statSync(lockDir).mtimeMs > 60_000;
      } catch {
        continue; // released meanwhile
      }
    }
    if (stale) {
      log(`removing stale lock ${lockDir}`);
      rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() - started > LOCK_WAIT_MS) {
      throw new SetupError(`gave up waiting for ${lockDir} after ${secs(LOCK_WAIT_MS)}; remove it if no setup is running`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

// ---------------------------------------------------------------------------------------------
// Temporal CLI

function cliVersion(path) {
  const out = probe(path, ['--version']);
  return out && /temporal version/i.test(out) ? out.split('\n')[0] : null;
}

function cachedCliPath(cacheDir) {
  return join(cacheDir, `temporal-cli-${TEMPORAL_CLI_VERSION}`, 'temporal');
}

async function ensureCli(cacheDir) {
  const started = performance.now();
  const fromEnv = process.env.MENTORFLOW_TEMPORAL_CLI;
  if (fromEnv) {
    const version = cliVersion(fromEnv);
    if (!version) throw new SetupError(`MENTORFLOW_TEMPORAL_CLI=${fromEnv} does not run \`temporal --version\``);
    log(`Temporal CLI: ${fromEnv} (MENTORFLOW_TEMPORAL_CLI; ${version})`);
    return { temporalCli: fromEnv, temporalCliSource: 'env', temporalCliVersion: version };
  }
  const onPath = findOnPath('temporal');
  if (onPath) {
    const version = cliVersion(onPath);
    if (version) {
      log(`Temporal CLI: ${onPath} (on PATH; ${version})`);
      return { temporalCli: onPath, temporalCliSource: 'path', temporalCliVersion: version };
    }
    log(`ignoring ${onPath}: \`temporal --version\` fails`);
  }
  const cached = cachedCliPath(cacheDir);
  if (!opt.force && isExecutable(cached)) {
    const version = cliVersion(cached);
    if (version) {
      log(`Temporal CLI: ${cached} (cached v${TEMPORAL_CLI_VERSION})`);
      return { temporalCli: cached, temporalCliSource: 'cache', temporalCliVersion: version };
    }
  }
  const go = findOnPath('go');
  if (!go || !probe(go, ['version'])) {
    warn(
      'Temporal CLI: none on PATH and no Go toolchain to build one. The Temporal SDK will download the CLI itself ' +
        'when a dev server is started (needs internet access to temporal.download). Without internet: install Go ' +
        `(https://go.dev/dl/) and run this script again, or put a \`temporal\` binary on PATH.`,
    );
    return { temporalCli: null, temporalCliSource: 'sdk-download', temporalCliVersion: null };
  }
  built = true;
  const finalDir = dirname(cached);
  const tmpDir = `${finalDir}.tmp-${process.pid}`;
  rmSync(tmpDir, { recursive: true, force: true });
  log(`Temporal CLI: building v${TEMPORAL_CLI_VERSION} from source with ${probe(go, ['version'])} (about 5 minutes the first time)...`);
  await run(go, ['install', `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`], {
    cwd: cacheDir,
    env: { ...process.env, GOBIN: tmpDir },
  });
  const version = cliVersion(join(tmpDir, 'temporal'));
  if (!version) throw new SetupError(`the Temporal CLI built in ${tmpDir} does not run \`temporal --version\``);
  rmSync(finalDir, { recursive: true, force: true });
  renameSync(tmpDir, finalDir);
  log(`Temporal CLI: built ${cached} in ${secs(performance.now() - started)}`);
  return { temporalCli: cached, temporalCliSource: 'go-install', temporalCliVersion: version };
}

// ---------------------------------------------------------------------------------------------
// Time-skipping test server

function findJava() {
  const home = process.env.JAVA_HOME;
  const candidate = home && isExecutable(join(home, 'bin', 'java')) ? join(home, 'bin', 'java') : findOnPath('java');
  if (!candidate) return null;
  const out = probe(candidate, ['-version']);
  if (!out) return null;
  const path = realpathSync(candidate);
  const major = Number(/version "(?:1\.)?(\d+)/.exec(out)?.[1] ?? 0);
  return { path, version: out.split('\n')[0], major, fingerprint: javaFingerprint(path) };
}

/** Changes when the JDK is upgraded: the CDS archive must then be regenerated. */
function javaFingerprint(javaPath) {
  const jvm = join(dirname(dirname(javaPath)), 'lib', 'server', 'libjvm.so');
  const file = existsSync(jvm) ? jvm : javaPath;
  try {
    const s = statSync(file);
    return `${file}:${s.size}:${Math.floor(s.mtimeMs)}`;
  } catch {
    return null;
  }
}

function installHint(what) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return (
    `${what}. On Debian/Ubuntu: ${root ? '' : 'sudo '}apt-get update && ${root ? '' : 'sudo '}apt-get install -y ` +
    'default-jre-headless maven (Java 17 or later; Maven only for the first download of the jars). ' +
    'Or set MENTORFLOW_TEST_SERVER to an executable that starts a Temporal test server as `<exe> <port>`.'
  );
}

function testServerDir(cacheDir) {
  return join(cacheDir, `temporal-test-server-${TEST_SERVER_VERSION}`);
}

function jarsOf(libDir) {
  try {
    return readdirSync(libDir)
      .filter((f) => f.endsWith('.jar'))
      .sort()
      .map((f) => join(libDir, f));
  } catch {
    return [];
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts `cmd ...args <port>`, resolves with the ms until the port accepts connections. */
async function startAndWait(cmd, cmdArgs, timeoutMs, stderrFile) {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(cmd, [...cmdArgs, String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  let exited = null;
  child.once('exit', (code, signal) => (exited = signal ?? `exit code ${code}`));
  for (;;) {
    if (exited) throw new SetupError(`${cmd} exited (${exited}) before listening:\n${stderr}`);
    if (await canConnect(port)) break;
    if (performance.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new SetupError(`${cmd} did not listen on port ${port} within ${secs(timeoutMs)}:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const ms = performance.now() - started;
  const stop = (signal = 'SIGTERM') =>
    new Promise((resolve) => {
      if (exited) return resolve(exited);
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.once('exit', (code, sig) => {
        clearTimeout(timer);
        if (stderrFile) writeFileSync(stderrFile, stderr);
        resolve(sig ?? code);
      });
      child.kill(signal);
    });
  return { ms, port, stop };
}

/** One unary gRPC call over plain HTTP/2 (the request message is given already encoded). */
function grpcCall(port, path, message = Buffer.alloc(0)) {
  return new Promise((resolve) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.once('error', (e) => resolve(`error: ${e.message}`));
    const frame = Buffer.alloc(5 + message.length);
    frame.writeUInt32BE(message.length, 1);
    message.copy(frame, 5);
    const req = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers' });
    let status = null;
    req.on('response', (h) => (status = h['grpc-status'] ?? status));
    req.on('trailers', (h) => (status = h['grpc-status'] ?? status));
    req.on('data', () => {});
    req.once('error', (e) => resolve(`error: ${e.message}`));
    req.once('close', () => {
      session.close();
      resolve(status);
    });
    req.end(frame);
  });
}

/** Field 1 (string) of a protobuf message, e.g. DescribeNamespaceRequest.namespace. */
const pbString1 = (s) => Buffer.concat([Buffer.from([0x0a, Buffer.byteLength(s)]), Buffer.from(s)]);

/**
 * Generates the AppCDS archive: runs the server once with -XX:ArchiveClassesAtExit, makes it
 * answer the calls the SDK makes at start-up, stops it with SIGTERM (the archive is written at exit).
 */
async function generateCds(java, classpath, archive, logFile) {
  const tmp = `${archive}.tmp-${process.pid}`;
  rmSync(tmp, { force: true });
  const server = await startAndWait(
    java.path,
    [...JVM_FLAGS, `-XX:ArchiveClassesAtExit=${tmp}`, '-cp', classpath, TEST_SERVER_MAIN],
    120_000,
    logFile,
  );
  const calls = [
    ['/temporal.api.workflowservice.v1.WorkflowService/GetSystemInfo'],
    ['/temporal.api.workflowservice.v1.WorkflowService/DescribeNamespace', pbString1('default')],
    ['/temporal.api.testservice.v1.TestService/GetCurrentTime'],
    ['/temporal.api.testservice.v1.TestService/LockTimeSkipping'],
    ['/temporal.api.testservice.v1.TestService/UnlockTimeSkipping'],
    ['/temporal.api.workflowservice.v1.WorkflowService/GetSystemInfo'],
  ];
  for (const [path, message] of calls) await grpcCall(server.port, path, message);
  await server.stop('SIGTERM');
  if (!existsSync(tmp) || statSync(tmp).size === 0) throw new SetupError(`no CDS archive written; see ${logFile}`);
  // The JVM refuses (-Xshare:on) an archive that does not match this JDK and class path.
  const check = spawnSync(java.path, [...JVM_FLAGS, '-Xshare:on', `-XX:SharedArchiveFile=${tmp}`, '-cp', classpath, '-version'], {
    encoding: 'utf8',
  });
  if (check.status !== 0) throw new SetupError(`the CDS archive is not usable: ${check.stderr || check.stdout}`);
  renameSync(tmp, archive);
}

function wrapperScript(java, classpath, archive) {
  const q = (s) => `'${s.replaceAll("'", `'\\''`)}'`;
  const cds = archive ? [`-XX:SharedArchiveFile=${archive}`, ...CDS_QUIET] : [];
  return [
    '#!/bin/sh',
    `# Temporal time-skipping test server ${TEST_SERVER_VERSION}, generated by scripts/temporal-binaries.mjs; do not edit.`,
    '# Usage: temporal-test-server <port> [extra args] (how the Temporal SDK starts an `existing-path` test server).',
    '# exec: the SDK stops the server by killing this process, which must therefore be the JVM itself.',
    `# MENTORFLOW_TEST_SERVER_JAVA_OPTS adds JVM options.`,
    `exec ${q(java.path)} ${[...JVM_FLAGS, ...cds].map(q).join(' ')} $MENTORFLOW_TEST_SERVER_JAVA_OPTS \\`,
    `  -cp ${q(classpath)} \\`,
    `  ${TEST_SERVER_MAIN} "$@"`,
    '',
  ].join('\n');
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

/** Is the cached test server complete and made for this JDK? (no process started) */
function testServerUpToDate(dir) {
  const build = readJson(join(dir, 'build.json'));
  if (!build || build.version !== TEST_SERVER_VERSION) return false;
  if (!isExecutable(join(dir, 'temporal-test-server')) || !existsSync(build.javaPath)) return false;
  if (javaFingerprint(build.javaPath) !== build.javaFingerprint) return false;
  if (build.cds && !existsSync(join(dir, 'cds.jsa'))) return false;
  return jarsOf(join(dir, 'lib')).length === build.jars;
}

async function ensureTestServer(cacheDir) {
  const dir = testServerDir(cacheDir);
  const wrapper = join(dir, 'temporal-test-server');
  if (process.env.MENTORFLOW_TEST_SERVER) {
    if (!isExecutable(process.env.MENTORFLOW_TEST_SERVER)) {
      throw new SetupError(`MENTORFLOW_TEST_SERVER=${process.env.MENTORFLOW_TEST_SERVER} is not an executable`);
    }
    log(`test server: ${process.env.MENTORFLOW_TEST_SERVER} (MENTORFLOW_TEST_SERVER)`);
    return { testServer: process.env.MENTORFLOW_TEST_SERVER, testServerVersion: null, testServerCds: false, java: null };
  }
  if (!opt.force && testServerUpToDate(dir)) {
    const build = readJson(join(dir, 'build.json'));
    log(`test server: ${wrapper} (cached v${TEST_SERVER_VERSION}${build.cds ? ', AppCDS' : ''})`);
    return {
      testServer: wrapper,
      testServerVersion: TEST_SERVER_VERSION,
      testServerCds: build.cds,
      java: { path: build.javaPath, version: build.javaVersion },
    };
  }

  const java = findJava();
  if (!java) throw new SetupError(installHint('No working `java` found (needed for the time-skipping test server)'));
  if (java.major < 11) throw new SetupError(installHint(`${java.version} is too old`));
  built = true;

  // 1. jars, fetched once with Maven into a temporary directory, then renamed into place.
  const libDir = join(dir, 'lib');
  let jars = opt.force ? [] : jarsOf(libDir);
  if (!jars.some((j) => j.includes(`temporal-test-server-${TEST_SERVER_VERSION}.jar`)) || !existsSync(join(dir, 'lib.complete'))) {
    const mvn = findOnPath('mvn');
    if (!mvn || !probe(mvn, ['-v'])) throw new SetupError(installHint('No working `mvn` found (needed once to fetch the test server jars)'));
    const started = performance.now();
    const tmpDir = `${dir}.tmp-${process.pid}`;
    rmSync(tmpDir, { recursive: true, force: true });
    mkdirSync(tmpDir, { recursive: true });
    copyFileSync(POM, join(tmpDir, 'pom.xml'));
    log(`test server: fetching io.temporal:temporal-test-server:${TEST_SERVER_VERSION} with Maven...`);
    await run(
      mvn,
      [
        '-q',
        '-B',
        '-f',
        join(tmpDir, 'pom.xml'),
        'dependency:copy-dependencies',
        `-DoutputDirectory=${join(tmpDir, 'lib')}`,
        '-DincludeScope=runtime',
      ],
      { cwd: tmpDir, quiet: true },
    );
    writeFileSync(join(tmpDir, 'lib.complete'), `${new Date().toISOString()}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmpDir, dir);
    jars = jarsOf(libDir);
    log(`test server: ${jars.length} jars in ${libDir} (${secs(performance.now() - started)})`);
  }
  // An explicit, sorted class path: CDS checks that it is the same at run time as at dump time.
  const classpath = jars.join(':');

  // 2. AppCDS archive (JDK 13+), optional: without it the wrapper still works, only slower.
  const archive = join(dir, 'cds.jsa');
  rmSync(archive, { force: true });
  let cds = false;
  if (java.major >= 13 && process.env.MENTORFLOW_NO_CDS !== '1') {
    const started = performance.now();
    try {
      await generateCds(java, classpath, archive, join(dir, 'cds-training.log'));
      cds = true;
      log(`test server: AppCDS archive ${archive} (${Math.round(statSync(archive).size / 1e6)} MB) in ${secs(performance.now() - started)}`);
    } catch (e) {
      warn(`test server: no AppCDS archive (${e.message.split('\n')[0]}); the server will start more slowly`);
    }
  }

  // 3. wrapper + build record
  writeFileAtomic(wrapper, wrapperScript(java, classpath, cds ? archive : null), 0o755);
  chmodSync(wrapper, 0o755);
  writeFileAtomic(
    join(dir, 'build.json'),
    `${JSON.stringify(
      {
        version: TEST_SERVER_VERSION,
        javaPath: java.path,
        javaVersion: java.version,
        javaFingerprint: java.fingerprint,
        jars: jars.length,
        cds,
        builtAt: new Date().toISOString(),
      },
      null,
      2,
    )}\n`,
  );
  const first = await startAndWait(wrapper, [], 60_000);
  await first.stop();
  log(`test server: ${wrapper} (${java.version}); starts listening in ${Math.round(first.ms)} ms`);
  return { testServer: wrapper, testServerVersion: TEST_SERVER_VERSION, testServerCds: cds, java: { path: java.path, version: java.version } };
}

async function measure(manifest, runs) {
  if (!manifest.testServer) return;
  const build = readJson(join(dirname(manifest.testServer), 'build.json'));
  const variants = [['wrapper (as used by the tests)', manifest.testServer, []]];
  if (build) {
    const classpath = jarsOf(join(dirname(manifest.testServer), 'lib')).join(':');
    variants.push(['plain `java -cp <the same jars> TestServer` (no CDS, default JIT and GC)', build.javaPath, ['-cp', classpath, TEST_SERVER_MAIN]]);
  }
  for (const [name, cmd, cmdArgs] of variants) {
    const times = [];
    for (let i = 0; i < runs; i++) {
      const s = await startAndWait(cmd, cmdArgs, 60_000);
      times.push(Math.round(s.ms));
      await s.stop('SIGKILL');
    }
    const sorted = [...times].sort((a, b) => a - b);
    warn(`measure: ${name}: start-to-listen ms ${times.join(', ')} (median ${sorted[Math.floor(sorted.length / 2)]})`);
  }
}

// ---------------------------------------------------------------------------------------------

function manifestIsFresh(manifest, cacheDir) {
  if (!manifest) return false;
  if (wantCli) {
    if (!isExecutable(manifest.temporalCli)) return false;
    if (manifest.temporalCliSource === 'env' && manifest.temporalCli !== process.env.MENTORFLOW_TEMPORAL_CLI) return false;
  }
  if (wantTestServer) {
    if (process.env.MENTORFLOW_TEST_SERVER) return manifest.testServer === process.env.MENTORFLOW_TEST_SERVER;
    if (manifest.testServer !== join(testServerDir(cacheDir), 'temporal-test-server')) return false;
    if (!testServerUpToDate(dirname(manifest.testServer))) return false;
  }
  return true;
}

async function main() {
  const cacheDir = temporalCacheDir();
  mkdirSync(cacheDir, { recursive: true });
  let manifest = readManifest(cacheDir);

  if (opt.force || !manifestIsFresh(manifest, cacheDir)) {
    const release = await acquireLock(cacheDir);
    try {
      manifest = readManifest(cacheDir); // another process may have done it while we waited
      if (opt.force || !manifestIsFresh(manifest, cacheDir)) {
        for (const entry of readdirSync(cacheDir)) {
          if (/\.tmp-\d+$/.test(entry)) rmSync(join(cacheDir, entry), { recursive: true, force: true });
        }
        const previous = manifest ?? {};
        const cli = wantCli
          ? await ensureCli(cacheDir)
          : {
              temporalCli: previous.temporalCli ?? null,
              temporalCliSource: previous.temporalCliSource ?? 'sdk-download',
              temporalCliVersion: previous.temporalCliVersion ?? null,
            };
        const testServer = wantTestServer
          ? await ensureTestServer(cacheDir)
          : {
              testServer: previous.testServer ?? null,
              testServerVersion: previous.testServerVersion ?? null,
              testServerCds: previous.testServerCds ?? false,
              java: previous.java ?? null,
            };
        manifest = { manifestVersion: MANIFEST_VERSION, ...cli, ...testServer, updatedAt: new Date().toISOString() };
        writeFileAtomic(manifestPath(cacheDir), `${JSON.stringify(manifest, null, 2)}\n`);
      }
    } finally {
      release();
    }
  }
  if (!opt.quiet || built) {
    log(`Temporal CLI: ${manifest.temporalCli ?? '(none: the SDK will download it, needs internet)'} [${manifest.temporalCliSource}]`);
    log(`test server:  ${manifest.testServer ?? '(none)'}${manifest.testServerCds ? ' [AppCDS]' : ''}`);
    log(`manifest ${manifestPath(cacheDir)}; done in ${secs(performance.now() - t0)}`);
  }
  if (opt.measure > 0) await measure(manifest, opt.measure);
  if (opt.json) process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
  if (wantTestServer && !manifest.testServer) throw new SetupError(installHint('No time-skipping test server'));
}

main().catch((e) => {
  warn(e instanceof SetupError ? `ERROR: ${e.message}` : `ERROR: ${e.stack ?? e}`);
  process.exit(1);
});
