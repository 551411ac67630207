/**
 * The HTTP API on a real dev server: every response checked against the OpenAPI document the
 * server generates from its zod schemas, the permission matrix (role x route), Idempotency-Key
 * recording once, and bad input answered with problem+json naming what is wrong.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020';
import { useDevServerEnvironment } from '../helpers/temporal-env';
import { withJourneyWorker } from '../helpers/journey-worker';
import { startWeb } from '../helpers/web';
import { bornYearsAgo } from '../cli/run-cli';
import { addUser } from '../../access';

const env = useDevServerEnvironment();

type Doc = { openapi: string; paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>; components: Record<string, unknown> };

/** Checks each answer against the operation's documented response for its status and content type. */
function documentChecker(doc: Doc) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema(JSON.parse(JSON.stringify({ $id: 'doc', components: doc.components }).replaceAll('"#/components/', '"doc#/components/')));
  return (method: string, template: string, status: number, contentType: string, body: unknown): string[] => {
    const operation = doc.paths[template]?.[method.toLowerCase()];
    if (!operation) return [`${method} ${template} is not in the document`];
    const response = operation.responses[String(status)];
    if (!response) return [`${method} ${template} answered ${status}, which the document does not list`];
    const type = contentType.split(';')[0]!.trim();
    const media = response.content?.[type];
    if (!media) return [`${method} ${template} ${status} answered ${type}, the document says ${Object.keys(response.content ?? {}).join(', ')}`];
    const schema = JSON.parse(JSON.stringify(media.schema).replaceAll('"#/components/', '"doc#/components/'));
    const validate = ajv.compile(schema);
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${method} ${template} ${status}: ${e.instancePath} ${e.message}`);
  };
}

describe('HTTP API', () => {
  it('answers every role as the permission table says, each answer as the OpenAPI document says; Idempotency-Key records once; bad input is a clear problem', async () => {
    await withJourneyWorker(env(), { indexed: true }, async (h) => {
      const usersFile = path.join(mkdtempSync(path.join(tmpdir(), 'mentorflow-api-')), 'users.yaml');
      const tokens = {
        coordinator: addUser(usersFile, { id: 'co-api', role: 'coordinator' }, 'test').token,
        referrer: addUser(usersFile, { id: 'sw-api', role: 'referrer' }, 'test').token,
        auditor: addUser(usersFile, { id: 'au-api', role: 'auditor' }, 'test').token,
      };
      const web = await startWeb(h, { usersFile });
      try {
        const docResponse = await fetch(`${web.url}/api/openapi.json`);
        const doc = (await docResponse.json()) as Doc;
        expect(doc.openapi).toBe('3.1.0');
        const check = documentChecker(doc);
        const mismatches: string[] = [];

        const call = async (who: keyof typeof tokens | 'nobody', method: string, template: string, values: Record<string, string>, body?: unknown, headers: Record<string, string> = {}) => {
          const url = template.replace(/\{(\w+)\}/g, (_, k: string) => values[k]!);
          const response = await fetch(`${web.url}${url}`, {
            method,
            headers: { ...(who === 'nobody' ? {} : { authorization: `Bearer ${tokens[who]}` }), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
            ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
          });
          const text = await response.text();
          const json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
          mismatches.push(...check(method, template.split('?')[0]!, response.status, response.headers.get('content-type') ?? '', json));
          expect(text).not.toMatch(/\n\s+at .*\.ts:\d+/); // never a stack trace
          return { status: response.status, json: json as Record<string, unknown> & { code?: string; reasons?: string[] } };
        };

        const referral = { referredBy: { role: 'referrer', id: 'sw-other' }, dateOfBirth: bornYearsAgo(17), careExperienced: true, consentGiven: true, ownGoals: ['a job'] };
        const started = await call('coordinator', 'POST', '/api/referrals', {}, { referral });
        expect(started.status).toBe(201);
        const yp = started.json.journeyId as string;
        const ids = { kind: 'young-person', id: yp };

        // The permission matrix: what each role gets from each route.
        const matrix: [string, string, unknown, Record<'coordinator' | 'referrer' | 'auditor' | 'nobody', number>][] = [
          ['GET', '/api/whoami', undefined, { coordinator: 200, referrer: 200, auditor: 200, nobody: 401 }],
          ['GET', '/api/journeys', undefined, { coordinator: 200, referrer: 403, auditor: 200, nobody: 401 }],
          ['GET', '/api/due', undefined, { coordinator: 200, referrer: 403, auditor: 200, nobody: 401 }],
          ['GET', '/api/journeys/{kind}/{id}', undefined, { coordinator: 200, referrer: 404, auditor: 200, nobody: 401 }],
          ['GET', '/api/journeys/{kind}/{id}/personal', undefined, { coordinator: 200, referrer: 404, auditor: 200, nobody: 401 }],
          ['GET', '/api/journeys/{kind}/{id}/events', undefined, { coordinator: 200, referrer: 404, auditor: 200, nobody: 401 }],
          ['GET', '/api/policy', undefined, { coordinator: 200, referrer: 200, auditor: 200, nobody: 401 }],
          ['GET', '/api/audit/journeys/{kind}/{id}/history', undefined, { coordinator: 200, referrer: 403, auditor: 200, nobody: 401 }],
          ['GET', '/api/young-people/{id}/shortlist', undefined, { coordinator: 200, referrer: 403, auditor: 403, nobody: 401 }],
          ['GET', '/api/match-plan', undefined, { coordinator: 200, referrer: 403, auditor: 403, nobody: 401 }],
          ['POST', '/api/journeys/young-person/{id}/events', { type: 'journey.withdrawn', reason: 'other' }, { coordinator: 200, referrer: 403, auditor: 403, nobody: 401 }],
          ['POST', '/api/volunteers', { volunteer: { type: 'traditional', dateOfBirth: bornYearsAgo(40), careExperienced: false }, contact: { email: 'v@example.org' } }, { coordinator: 201, referrer: 403, auditor: 403, nobody: 401 }],
          ['POST', '/api/journeys/{kind}/{id}/erasure', { reason: 'asked to be forgotten' }, { coordinator: 0, referrer: 404, auditor: 403, nobody: 401 }],
        ];
        for (const [method, template, body, expected] of matrix) {
          for (const who of ['referrer', 'auditor', 'nobody', 'coordinator'] as const) {
            if (expected[who] === 0) continue; // the co-ordinator's erasure is checked apart, on a journey of its own
            // The withdrawal ends the journey: the co-ordinator's goes last.
            const answer = await call(who, method, template, ids, body);
            expect(answer.status, `${who} ${method} ${template}: ${JSON.stringify(answer.json)}`).toBe(expected[who]);
          }
        }
        // A referrer refers in their own name only, and then follows that referral.
        const own = await call('referrer', 'POST', '/api/referrals', {}, { coordinatorId: 'co-api', referral: { ...referral, referredBy: { role: 'referrer', id: 'sw-api' } } });
        expect(own.status).toBe(201);
        expect((await call('referrer', 'GET', '/api/journeys/{kind}/{id}', { kind: 'young-person', id: own.json.journeyId as string })).status).toBe(200);
        expect((await call('referrer', 'POST', '/api/referrals', {}, { referral })).status).toBe(403);

        // Idempotency-Key: a retried event is recorded once and answered as the first time.
        const second = await call('coordinator', 'POST', '/api/referrals', {}, { referral });
        const id2 = { kind: 'young-person', id: second.json.journeyId as string };
        expect((await call('coordinator', 'POST', '/api/journeys/young-person/{id}/events', id2, { type: 'contact.recorded', method: 'phone' })).status).toBe(200);
        // Not ready yet: informal support, where tasks are recorded.
        expect((await call('coordinator', 'POST', '/api/journeys/young-person/{id}/events', id2, { type: 'readiness.assessed', outcome: 'notReady' })).status).toBe(200);
        const task = { type: 'informalTask.recorded', task: 'housing' };
        const first = await call('coordinator', 'POST', '/api/journeys/young-person/{id}/events', id2, task, { 'idempotency-key': 'task-key-0001' });
        const retried = await call('coordinator', 'POST', '/api/journeys/young-person/{id}/events', id2, task, { 'idempotency-key': 'task-key-0001' });
        expect(first.status).toBe(200);
        expect(retried).toEqual(first);
        expect((await h.journeys.status('youngPerson', id2.id)).facts.informalTasks).toBe(1);
        await call('coordinator', 'POST', '/api/journeys/young-person/{id}/events', id2, task, { 'idempotency-key': 'task-key-0002' });
        expect((await h.journeys.status('youngPerson', id2.id)).facts.informalTasks).toBe(2);
        // A retried start starts one journey.
        const startA = await call('coordinator', 'POST', '/api/referrals', {}, { referral }, { 'idempotency-key': 'referral-key-1' });
        const startB = await call('coordinator', 'POST', '/api/referrals', {}, { referral }, { 'idempotency-key': 'referral-key-1' });
        expect([startA.status, startB.status]).toEqual([201, 200]);
        expect(startB.json.journeyId).toBe(startA.json.journeyId);

        // Bad input: named, problem+json, nothing recorded.
        const invalid = await call('coordinator', 'POST', '/api/journeys/young-person/{id}/events', id2, { type: 'readiness.assessed', outcome: 'maybe' });
        expect(invalid.status).toBe(422);
        expect(invalid.json.code).toBe('EVENT.INVALID');
        expect(invalid.json.reasons!.join(' ')).toContain('outcome');
        const notJson = await call('coordinator', 'POST', '/api/journeys/young-person/{id}/events', id2, '{"type": ');
        expect(notJson.status).toBe(400);
        const huge = await call('coordinator', 'POST', '/api/journeys/young-person/{id}/events', id2, { type: 'contact.recorded', method: 'x'.repeat(2 * 1024 * 1024) });
        expect(huge.status).toBe(413);
        const vol = await call('coordinator', 'POST', '/api/volunteers', {}, { volunteer: { type: 'traditional', dateOfBirth: bornYearsAgo(40), careExperienced: false }, contact: { email: 'w@example.org' } });
        await call('coordinator', 'POST', '/api/journeys/young-person/{id}/events', id2, { type: 'readiness.assessed', outcome: 'ready' });
        await call('coordinator', 'POST', '/api/journeys/young-person/{id}/events', id2, { type: 'preferences.recorded', mentorType: 'either' });
        const early = await call('coordinator', 'POST', '/api/matches', {}, { youngPersonId: id2.id, volunteerId: vol.json.journeyId });
        expect(early.status).toBe(409);
        expect(early.json.code).toBe('GATE.UNMET');
        expect(early.json.reasons!.length).toBeGreaterThan(1);
        const missing = await call('coordinator', 'GET', '/api/journeys/{kind}/{id}', { kind: 'volunteer', id: 'vol-doesnotexist' });
        expect([missing.status, missing.json.code]).toEqual([404, 'JOURNEY.NOT_FOUND']);
        // Found by Schemathesis: an event for a journey that does not exist was a 500.
        const nowhere = await call('coordinator', 'POST', '/api/journeys/match/{id}/events', { id: 'm-doesnotexist' }, { type: 'meeting.logged', on: '2026-12-01' });
        expect([nowhere.status, nowhere.json.code]).toEqual([404, 'JOURNEY.NOT_FOUND']);

        // Found by Schemathesis: an id longer than the router's default limit (100) was a bare 414.
        const longId = await call('coordinator', 'GET', '/api/young-people/{id}/shortlist', { id: 'y'.repeat(300) });
        expect(longId.status).toBeGreaterThanOrEqual(400);
        expect(longId.status).toBeLessThan(500);
        expect(longId.status).not.toBe(414);
        expect(longId.json.code).toBeTypeOf('string');

        // A caseload import: checked first, nothing half-imported, safe to send twice.
        const csv = ['id,kind,coordinator,stage,date_of_birth,care_experienced,referred_on,referred_by,contact_method,own_goals', `yp-imp-0001,young-person,co-api,readiness,${bornYearsAgo(18)},yes,2026-11-02,sw-17,phone,a job`].join('\n');
        const asCsv = { 'content-type': 'text/csv' };
        const badCsv = `${csv}\nyp-imp-0002,young-person,co-api,readiness,not-a-date,yes,2026-11-02,sw-17,phone,a job`;
        const refusedImport = await call('coordinator', 'POST', '/api/imports', {}, badCsv, asCsv);
        expect([refusedImport.status, refusedImport.json.code]).toEqual([422, 'IMPORT.BAD_ROWS']);
        expect(refusedImport.json.reasons!.join(' ')).toMatch(/^line 3 \(yp-imp-0002\)/);
        expect(await h.journeys.exists('youngPerson', 'yp-imp-0001')).toBe(false);
        expect((await call('referrer', 'POST', '/api/imports', {}, csv, asCsv)).status).toBe(403);
        const imported = await call('coordinator', 'POST', '/api/imports', {}, csv, asCsv);
        expect(imported.status, JSON.stringify(imported.json)).toBe(200);
        expect(imported.json.results).toMatchObject([{ id: 'yp-imp-0001', outcome: 'started', stage: 'readiness' }]);
        const again = await call('coordinator', 'POST', '/api/imports', {}, csv, asCsv);
        expect(again.json.results).toMatchObject([{ id: 'yp-imp-0001', outcome: 'alreadyStarted' }]);

        // Erasure, by a co-ordinator: the person's details then read "[erased on ...]".
        const erased = await call('coordinator', 'POST', '/api/journeys/{kind}/{id}/erasure', id2, { reason: 'asked to be forgotten' });
        expect(erased.status).toBe(200);
        const personal = await call('coordinator', 'GET', '/api/journeys/{kind}/{id}/personal', id2);
        expect(JSON.stringify(personal.json)).toContain('[erased on');
        // Asked again (a retry, a second script): refused, saying when it was done, never a 500.
        const twice = await call('coordinator', 'POST', '/api/journeys/{kind}/{id}/erasure', id2, { reason: 'asked again' });
        expect(twice.status).toBe(409);
        expect(twice.json.code).toBe('PERSON.ALREADY_ERASED');
        expect(twice.json.reasons!.join(' ')).toContain('reason: asked to be forgotten');

        expect(mismatches).toEqual([]);
      } finally {
        await web.app.close();
      }
    });
  }, 180_000);
});
