/**
 * worker/dev-server.ts, the embedded server of `npm start`, on free ports and a throw-away
 * database: starts, serves the namespace, the Web UI and the search attributes, keeps its data
 * across a restart, refuses a port already taken, stops cleanly.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports';
import { startDevServer } from '../../worker/dev-server';
import { MentorflowStage } from '../../contracts/search-attributes';

describe('embedded dev server of npm start', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'mentorflow-dev-server-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts with UI and search attributes, persists to SQLite across a restart, and stops', async () => {
    const [port, uiPort] = [await freePort(), await freePort()];
    const server = await startDevServer({ port, uiPort, dataDir, uiCodecEndpoint: 'http://localhost:8888' });
    try {
      expect(server.address).toBe(`127.0.0.1:${port}`);
      const ui = await fetch(server.uiUrl!);
      expect(ui.status).toBe(200);

      const connection = await Connection.connect({ address: server.address });
      try {
        const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
        expect(Object.keys(customAttributes ?? {})).toEqual(
          expect.arrayContaining(['MentorflowJourneyKind', 'MentorflowStage', 'MentorflowCoordinatorId', 'MentorflowNextDueAt']),
        );
        const client = new Client({ connection });
        await client.workflow.start('neverRun', {
          taskQueue: 'nobody-polls',
          workflowId: 'survives-restart',
          typedSearchAttributes: [{ key: MentorflowStage, value: 'matching' }],
        });
      } finally {
        await connection.close();
      }

      // A second server on the same port is refused with a clear message.
      await expect(startDevServer({ port, uiPort, dataDir: path.join(dataDir, 'other') })).rejects.toThrow(/already in use/);
    } finally {
      await server.stop();
    }
    expect(readFileSync(path.join(dataDir, 'temporal-server.log'), 'utf8')).toContain('server start-dev');

    // Same database: the workflow is still there.
    const again = await startDevServer({ port, uiPort, dataDir, headless: true });
    try {
      expect(again.uiUrl).toBeNull();
      const connection = await Connection.connect({ address: again.address });
      try {
        const description = await new Client({ connection }).workflow.getHandle('survives-restart').describe();
        expect(description.status.name).toBe('RUNNING');
        expect(description.typedSearchAttributes.get(MentorflowStage)).toBe('matching');
      } finally {
        await connection.close();
      }
    } finally {
      await again.stop();
    }
    await expect(Connection.connect({ address: again.address, connectTimeout: 500 })).rejects.toThrow();
  });
});
