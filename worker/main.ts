/**
 * The main job (`npm start`): the embedded Temporal dev server (unless TEMPORAL_ADDRESS points at
 * a cluster or Temporal Cloud), the search attributes, the codec server that shows decrypted
 * payloads in the Web UI and the Temporal CLI, and the mentorflow worker. Ctrl-C stops it all
 * cleanly; the journeys live in the server's SQLite file and carry on at the next start.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import YAML from 'yaml';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { openActivities } from '../activities';
import { parseDirectory } from '../activities/notifications';
import { ensureDigestSchedules } from './schedules';
import { registerSearchAttributes } from './search-attributes';
import { connectionOptions, loadConfig } from '../config';
import { createJourneyWorker } from './create-worker';
import { defaultUiPort, startDevServer, type DevServer } from './dev-server';
import { lockDataDir } from './data-dir-lock';
import { checkKeyringNotLost } from './first-run';
import { loadPolicyFile } from '../config/policy-file';
import { openPrivacy, type Privacy } from '../privacy';
import { OPERATOR, ensureOperatorToken, startCodecServer, tokenAuthenticator, type Authenticate, type CodecServer } from '../privacy/codec-server';
import { authenticateToken } from '../access';
import { findOnPath, resolveTemporalBinaries } from '../config/temporal-paths.mjs';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../server/app';
import type { ServerDeps } from '../server/services';
import { digestSettings, digestSettingsFile, readDigestSettings } from './digest-settings';

async function main(): Promise<void> {
  const config = loadConfig();
  // Fail now, with the field named, rather than when the first journey starts.
  const policy = loadPolicyFile(config.policyFile);
  mkdirSync(config.dataDir, { recursive: true });
  // Before anything else: a second `npm start` on this data dir is refused, touching nothing.
  lockDataDir(config.dataDir);
  // Every payload is encrypted with the scheme's keyring; the first start makes one, and only the first.
  checkKeyringNotLost(config);
  const privacy = openPrivacy(config.privacy, { create: true });
  if (privacy.createdKeyring) warnToBackUp(config.privacy.keyringFile, config.privacy.personKeysDir);
  // Before any server starts: a delivery log or outbox that cannot be written is said now, plainly.
  const opened = await openActivities({
    dataDir: config.dataDir,
    outboxDir: config.outboxDir,
    directoryFile: config.directoryFile,
    timeZone: policy.timeZone,
    ...(config.web.publicUrl ? { webUrl: config.web.publicUrl } : {}),
    ...(config.templatesDir ? { templatesDir: config.templatesDir } : {}),
    ...(config.smtp ? { smtp: config.smtp } : {}),
    openPersonal: (sealed) => privacy.personalData.open(sealed),
  });
  Runtime.install({ logger: new DefaultLogger((process.env.MENTORFLOW_LOG_LEVEL as 'INFO' | undefined) ?? 'WARN') });

  // Before the dev server, so that its Web UI is started knowing where to decode.
  const uiPort = defaultUiPort();
  const codec = config.codecServer.enabled ? await startCodecServerFor(config, privacy, uiPort) : undefined;

  let devServer: DevServer | undefined;
  if (!config.temporal.address) {
    console.log('Starting the embedded Temporal dev server...');
    try {
      devServer = await startDevServer({
        dataDir: config.dataDir,
        namespace: config.temporal.namespace,
        uiPort,
        // The dev server's Web UI sends no credentials: its endpoint carries the operator's token.
        ...(codec?.operatorToken ? { uiCodecEndpoint: `${codec.localUrl}/t/${codec.operatorToken.token}` } : {}),
      });
    } catch (error) {
      await codec?.server.close();
      throw error;
    }
  }
  const address = config.temporal.address ?? devServer!.address;
  const options = connectionOptions(config.temporal, address);

  const clientConnection = await Connection.connect(options);
  await registerSearchAttributes(clientConnection, config.temporal.namespace, { existingClusterMayRefuse: !devServer });
  const client = new Client({ connection: clientConnection, namespace: config.temporal.namespace, dataConverter: privacy.dataConverter });
  // One daily digest per co-ordinator (a Temporal Schedule), weekday mornings in the scheme's time
  // zone, at the time each co-ordinator chose (or off) in the web app's My settings.
  const directory = parseDirectory(YAML.parse(readFileSync(config.directoryFile, 'utf8')));
  const settingsFile = digestSettingsFile(config.dataDir);
  const digests = await ensureDigestSchedules(client, {
    directory,
    timeZone: policy.timeZone,
    taskQueue: config.temporal.taskQueue,
    personal: readDigestSettings(settingsFile),
  });
  const digestCount = digests.created.length + digests.updated.length + digests.unchanged.length;

  const connection = await NativeConnection.connect(options);
  const worker = await createJourneyWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    activities: opened.activities,
    dataConverter: privacy.dataConverter,
    ...(config.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: config.maxCachedWorkflows } : {}),
  });

  // The web app and HTTP API (server/): the co-ordinators' front door.
  const web = config.web.enabled
    ? await startWebServer(config, {
        journeys: { client, taskQueue: config.temporal.taskQueue, policy, personalData: privacy.personalData },
        codec: privacy.codec,
        usersFile: config.usersFile,
        digests: digestSettings({ client, file: settingsFile, directory, timeZone: policy.timeZone, taskQueue: config.temporal.taskQueue }),
      })
    : undefined;

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the worker${devServer ? ' and the dev server' : ''}; journeys carry on at the next start.`);
    worker.shutdown();
  };
  process.on('SIGINT', () => stop('Ctrl-C'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  printWhatIsRunning({ config, address, devServer, codec, web, policyFile: config.policyFile, digests: `${digestCount} co-ordinators, 08:00 on weekdays (${policy.timeZone})` });
  try {
    await worker.run();
  } finally {
    await web?.app.close();
    await connection.close();
    await clientConnection.close();
    await opened.close();
    await codec?.server.close();
    await devServer?.stop();
    console.log('Stopped.');
  }
}

interface RunningWeb {
  app: FastifyInstance;
  /** The URL a browser on this machine opens. */
  url: string;
}

async function startWebServer(config: ReturnType<typeof loadConfig>, deps: ServerDeps): Promise<RunningWeb> {
  const app = await buildServer(deps);
  const { host, port } = config.web;
  try {
    await app.listen({ host, port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`Port ${port} (web app) is already in use on ${host}: is another \`npm start\` running? Stop it, or choose another port with MENTORFLOW_WEB_PORT.`, { cause: error });
    }
    throw error;
  }
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return { app, url: `http://${shownHost}:${actualPort}` };
}

interface RunningCodecServer {
  server: CodecServer;
  /** The URL a browser or the CLI on this machine uses (127.0.0.1 when bound to every address). */
  localUrl: string;
  /** Single-operator mode (no users file): the local operator's token, in `file`. */
  operatorToken?: { token: string; file: string };
  logFile: string;
}

/**
 * The codec server, with who may use it: the users of the users file (access/) when there is one,
 * else the local operator, whose token is made at the first run and kept in <data dir>/operator-token.
 * Once a users file exists the operator token stops working (add yourself as a user).
 */
async function startCodecServerFor(config: ReturnType<typeof loadConfig>, privacy: Privacy, uiPort: number): Promise<RunningCodecServer> {
  const { host, port } = config.codecServer;
  const operatorToken = existsSync(config.usersFile) ? undefined : ensureOperatorToken(config.dataDir);
  const users = authenticateToken(config.usersFile);
  const operator: Authenticate = operatorToken ? tokenAuthenticator([{ token: operatorToken.token, principal: OPERATOR }]) : () => undefined;
  const authenticate: Authenticate = (token) => (existsSync(config.usersFile) ? users(token) : operator(token));
  const logFile = path.join(config.dataDir, 'codec-server.log');
  let server: CodecServer;
  try {
    server = await startCodecServer({
      codec: privacy.codec,
      personalData: privacy.personalData,
      authenticate,
      host,
      port,
      allowedOrigins: config.codecServer.origins ?? [`http://127.0.0.1:${uiPort}`, `http://localhost:${uiPort}`],
      // Who decoded how many payloads, when: never what they contained.
      log: (line) => appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`, { mode: 0o600 }),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`Port ${port} (codec server) is already in use on ${host}: is another \`npm start\` running? Stop it, or choose another port with MENTORFLOW_CODEC_PORT.`, {
        cause: error,
      });
    }
    throw error;
  }
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    console.warn(`  !! The codec server listens on ${host}, beyond this machine, over plain HTTP: tokens and decrypted data cross the network unencrypted. Put it behind TLS.`);
  }
  const localUrl = host === '0.0.0.0' || host === '::' ? `http://127.0.0.1:${server.port}` : server.url;
  return { server, localUrl, logFile, ...(operatorToken ? { operatorToken: { token: operatorToken.token, file: operatorToken.file } } : {}) };
}

function warnToBackUp(keyringFile: string, personKeysDir: string): void {
  console.warn(
    [
      '',
      '  !! A new keyring was created: ' + keyringFile,
      '  !! Every journey is encrypted with it. Without it, no history can ever be read again.',
      '  !! Back it up now, somewhere safe and apart from the .data folder (docs/privacy.md).',
      '  !! Person keys (' + personKeysDir + ') are what erasure destroys: back them up too,',
      '  !! but never into a backup that is kept after a person is erased.',
      '',
    ].join('\n'),
  );
}

function printWhatIsRunning(args: {
  config: ReturnType<typeof loadConfig>;
  address: string;
  devServer: DevServer | undefined;
  codec: RunningCodecServer | undefined;
  web: RunningWeb | undefined;
  policyFile: string | undefined;
  digests: string;
}): void {
  const { config, address, devServer, codec } = args;
  const temporal = findOnPath('temporal') ? 'temporal' : (resolveTemporalBinaries().temporalCli ?? 'temporal');
  const codecLines = codec
    ? [
        `  Codec server    ${codec.localUrl} (decrypted payloads for the Web UI and the Temporal CLI; who asked: ${codec.logFile})`,
      ]
    : [];
  const uiNote = codec?.operatorToken ? ' (decrypted through the codec server, as the local operator)' : codec ? ` (to see decrypted data, set your codec endpoint in the Web UI: ${codec.localUrl}/t/<your token>)` : '';
  const cliLines = codec
    ? [
        '',
        "A journey's history, decrypted, with the Temporal CLI:",
        `  ${temporal} workflow show --address ${address} --namespace ${config.temporal.namespace} --workflow-id young-person-<journey id> \\`,
        `    --codec-endpoint ${codec.localUrl} --codec-auth "Bearer ${codec.operatorToken ? `$(cat ${codec.operatorToken.file})` : '$MENTORFLOW_TOKEN'}"`,
      ]
    : [];
  const lines = [
    '',
    'mentorflow is running.',
    '',
    ...(args.web
      ? [
          `  Web app         ${args.web.url}  (co-ordinators start here${existsSync(config.usersFile) ? ': sign in with your token' : ': single-operator mode, this machine only'})`,
          `  HTTP API        ${args.web.url}/api (docs ${args.web.url}/api/docs, OpenAPI ${args.web.url}/api/openapi.json)`,
        ]
      : []),
    `  Temporal        ${address} (namespace ${config.temporal.namespace})${devServer ? ', embedded dev server, data in ' + config.dataDir : ''}`,
    ...(devServer?.uiUrl ? [`  Web UI          ${devServer.uiUrl}${uiNote}`] : []),
    ...codecLines,
    `  Worker          task queue ${config.temporal.taskQueue}`,
    `  Policy          ${args.policyFile ?? 'built-in defaults (DOMAIN.md)'}`,
    `  Staff directory ${config.directoryFile}`,
    `  Daily digests   ${args.digests}`,
    `  Email           ${config.smtp ? `SMTP ${config.smtp.host}:${config.smtp.port}` : `outbox folder ${config.outboxDir} (.eml files; set SMTP_HOST to send for real)`}`,
    '',
    ...(args.web ? [`Open ${args.web.url} in a browser. Or, in another terminal (a co-ordinator's first steps):`] : ['Next, in another terminal (a co-ordinator\'s first steps):']),
    '  export MENTORFLOW_AS=coordinator:co-1',
    '  npx mentorflow --help',
    '  npx mentorflow refer --date-of-birth 2008-05-01 --care-experienced --referrer sw-17',
    '  npx mentorflow due',
    '  (a walkthrough: docs/walkthrough.md)',
    ...cliLines,
    '',
    'Ctrl-C stops everything; journeys carry on where they were at the next `npm start`.',
    '',
  ];
  console.log(lines.join('\n'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
