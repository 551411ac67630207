/**
 * The worked examples in the OpenAPI document (server/api/examples.ts) are requests the API
 * accepts: each passes the very schema its route validates with, read back from the document.
 * No Temporal server: the client's start answers "already started", so a body that passes the
 * route's schema comes back 200 from the handler, and one that does not, 422.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../machines/policy';
import { journeys as registry } from '../../machines/registry';
import { buildServer } from '../../server/app';
import { eventExamples } from '../../server/api/examples';
import { testPrivacy } from '../helpers/privacy';

/** @fastify/swagger puts a body schema's first example on its media type, as OpenAPI's `example`. */
type Operation = { requestBody?: { content: Record<string, { example?: unknown }> } };

describe('the API examples', () => {
  it('are in the document for every body that starts a journey or records an event, and each is accepted by its schema', async () => {
    const client = {
      workflow: {
        start: async (type: string, options: { workflowId: string }) => {
          throw new WorkflowExecutionAlreadyStartedError('already started', options.workflowId, type);
        },
      },
    } as unknown as Client;
    const app = await buildServer({
      journeys: { client, taskQueue: 'examples', policy: defaultPolicy, personalData: testPrivacy().personalData },
      // The example's date of birth is eligible on this day, whatever the year the test runs in.
      now: () => new Date('2026-12-07T10:00:00.000Z'),
      usersFile: path.join(mkdtempSync(path.join(tmpdir(), 'mentorflow-examples-')), 'users.yaml'),
    });
    try {
      const doc = (await (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json()) as { paths: Record<string, Record<string, Operation>> };
      const exampleOf = (route: string) => doc.paths[route]?.post?.requestBody?.content['application/json']?.example;
      for (const route of ['/api/referrals', '/api/volunteers', '/api/matches']) expect(exampleOf(route), route).toBeDefined();

      for (const kind of ['youngPerson', 'volunteer', 'match'] as const) {
        const slug = kind === 'youngPerson' ? 'young-person' : kind;
        const example = exampleOf(`/api/journeys/${slug}/{id}/events`);
        expect(example).toEqual(eventExamples[kind]);
        // `by` is the caller, filled in by the API before validation.
        const parsed = registry[kind].recordedEvents.safeParse({ ...(example as object), by: { role: 'coordinator', id: 'co-1' } });
        expect(parsed.success, `${kind} ${JSON.stringify(example)}: ${parsed.error?.message}`).toBe(true);
      }
      // The bodies that start journeys, sent as they are: they pass the route's schema and the
      // eligibility checks, and reach Temporal.
      for (const [url, example] of [['/api/referrals', exampleOf('/api/referrals')], ['/api/volunteers', exampleOf('/api/volunteers')]] as const) {
        const answer = await app.inject({ method: 'POST', url, headers: { 'x-mentorflow-as': 'coordinator:co-1' }, payload: example as object });
        expect(answer.statusCode, `${url}: ${answer.body}`).toBe(200);
        expect(answer.json()).toMatchObject({ alreadyStarted: true });
      }
    } finally {
      await app.close();
    }
  });
});
