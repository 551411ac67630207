/**
 * The main job (`npm start`): the embedded Temporal dev server (unless TEMPORAL_ADDRESS points at
 * a cluster or Temporal Cloud), the search attributes, and the mentorflow worker. Ctrl-C stops it
 * all cleanly; the journeys live in the server's SQLite file and carry on at the next start.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import YAML from 'yaml';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createActivities } from '../activities';
import { parseDirectory } from '../activities/notifications';
import { ensureDigestSchedules } from './schedules';
import { registerSearchAttributes } from './search-attributes';
import { connectionOptions, loadConfig } from './config';
import { createJourneyWorker } from './create-worker';
import { startDevServer, type DevServer } from './dev-server';
import { loadPolicyFile } from './policy-file';

async function main(): Promise<void> {
  const config = loadConfig();
  // Fail now, with the field named, rather than when the first journey starts.
  const policy = loadPolicyFile(config.policyFile);
  mkdirSync(config.dataDir, { recursive: true });
  Runtime.install({ logger: new DefaultLogger((process.env.MENTORFLOW_LOG_LEVEL as 'INFO' | undefined) ?? 'WARN') });

  let devServer: DevServer | undefined;
  if (!config.temporal.address) {
    console.log('Starting the embedded Temporal dev server...');
    devServer = await startDevServer({ dataDir: config.dataDir, namespace: config.temporal.namespace });
  }
  const address = config.temporal.address ?? devServer!.address;
  const options = connectionOptions(config.temporal, address);

  const client = await Connection.connect(options);
  await registerSearchAttributes(client, config.temporal.namespace, { existingClusterMayRefuse: !devServer });
  // One daily digest per co-ordinator (a Temporal Schedule), weekday mornings in the scheme's time zone.
  const digests = await ensureDigestSchedules(new Client({ connection: client, namespace: config.temporal.namespace }), {
    directory: parseDirectory(YAML.parse(readFileSync(config.directoryFile, 'utf8'))),
    timeZone: policy.timeZone,
    taskQueue: config.temporal.taskQueue,
  });
  await client.close();
  const digestCount = digests.created.length + digests.updated.length + digests.unchanged.length;

  const connection = await NativeConnection.connect(options);
  const worker = await createJourneyWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    activities: await createActivities({
      dataDir: config.dataDir,
      outboxDir: config.outboxDir,
      directoryFile: config.directoryFile,
      timeZone: policy.timeZone,
      ...(config.templatesDir ? { templatesDir: config.templatesDir } : {}),
      ...(config.smtp ? { smtp: config.smtp } : {}),
    }),
    ...(config.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: config.maxCachedWorkflows } : {}),
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the worker${devServer ? ' and the dev server' : ''}; journeys carry on at the next start.`);
    worker.shutdown();
  };
  process.on('SIGINT', () => stop('Ctrl-C'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  printWhatIsRunning({ config, address, devServer, policyFile: config.policyFile, digests: `${digestCount} co-ordinators, 08:00 on weekdays (${policy.timeZone})` });
  try {
    await worker.run();
  } finally {
    await connection.close();
    await devServer?.stop();
    console.log('Stopped.');
  }
}

function printWhatIsRunning(args: {
  config: ReturnType<typeof loadConfig>;
  address: string;
  devServer: DevServer | undefined;
  policyFile: string | undefined;
  digests: string;
}): void {
  const { config, address, devServer } = args;
  const lines = [
    '',
    'mentorflow is running.',
    '',
    `  Temporal        ${address} (namespace ${config.temporal.namespace})${devServer ? ', embedded dev server, data in ' + config.dataDir : ''}`,
    ...(devServer?.uiUrl ? [`  Web UI          ${devServer.uiUrl}`] : []),
    `  Worker          task queue ${config.temporal.taskQueue}`,
    `  Policy          ${args.policyFile ?? 'built-in defaults (DOMAIN.md)'}`,
    `  Staff directory ${config.directoryFile}`,
    `  Daily digests   ${args.digests}`,
    `  Email           ${config.smtp ? `SMTP ${config.smtp.host}:${config.smtp.port}` : `outbox folder ${config.outboxDir} (.eml files; set SMTP_HOST to send for real)`}`,
    '',
    'Next, in another terminal (a co-ordinator\'s first steps):',
    '  export MENTORFLOW_AS=coordinator:co-1',
    '  npx mentorflow --help',
    '  npx mentorflow refer --date-of-birth 2008-05-01 --care-experienced --referrer sw-17',
    '  npx mentorflow due',
    '  (a walkthrough: docs/walkthrough.md)',
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
