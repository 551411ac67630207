/**
 * The HTTP API: everything the CLI does for a co-ordinator, referrer or auditor, over the same
 * journeys client and permission table. `Authorization: Bearer <token>` from the users file; without
 * a users file (single-operator mode) only this machine may call it, naming the acting person in
 * `X-Mentorflow-As`. Failures are application/problem+json (server/problems.ts). Every POST takes an
 * `Idempotency-Key`: a retry with the same key records nothing twice and answers as the first did.
 * The OpenAPI document is generated from the zod schemas below: GET /api/openapi.json, /api/docs.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, jsonSchemaTransformObject, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AccessDeniedError, AuthenticationError, actorOf, claimedPrincipal, principalRoles, roleWords, type Principal } from '../../access';
import { journeyIdForRequest, newJourneyId, JourneyRefusedError } from '../../client/journeys';
import { journeyListingSchema, journeyStatusSchema, matchPlanSchema, shortlistSchema } from '../../client/schemas';
import { eventCatalogue } from '../../client/event-catalogue';
import { actorSchema, opaqueIdSchema, type JourneyKind } from '../../machines/journey';
import { referralSchema } from '../../machines/young-person/events';
import { volunteerProfileSchema } from '../../machines/volunteer/events';
import { volunteerAddressSchema } from '../../activities/notifications/requests';
import { journeys as registry } from '../../machines/registry';
import { fetchJourneyHistories } from '../../audit/export';
import { historyToJSON } from '../../audit/history-file';
import { problem, problemOf, problemSchema } from '../problems';
import { isLoopback } from '../services';
import { kindOfSlug, kindSlugSchema } from '../kinds';
import { eventExamples, matchExample, referralExample, volunteerExample } from './examples';
import { eventChoices } from '../web/journey-view';
import { CsvSyntaxError, parseCsv } from '../../client/import/csv';
import { planImport } from '../../client/import/plan';
import { importRows } from '../../client/import/run';

declare module 'fastify' {
  interface FastifyRequest {
    apiPrincipal?: Principal;
  }
}

const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 413: problemSchema, 422: problemSchema, 429: problemSchema, 500: problemSchema, 503: problemSchema };
const journeyParams = z.object({ kind: kindSlugSchema, id: opaqueIdSchema.describe('the journey id, e.g. yp-7k3m9q2x4d') });
const idempotencyHeaders = z.object({
  'idempotency-key': z.string().min(8).max(200).optional().describe('the same key on a retry records nothing twice and answers as the first request did'),
});
const security = [{ bearer: [] }];

export async function apiRoutes(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'mentorflow HTTP API',
        version: '1',
        description:
          'Journeys of young people, volunteer mentors and matches. The journeys decide: a refused event is a problem (RFC 9457) naming every unmet gate, and nothing is recorded. Personal fields are sealed by the server before they reach Temporal.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'a token from the scheme\'s users file (mentorflow users add)' } } },
    },
    transform: jsonSchemaTransform,
    transformObject: (input) => problemsAsProblemJson(jsonSchemaTransformObject(input) as OpenApiDocument) as ReturnType<typeof jsonSchemaTransformObject>,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/api/docs') || request.url === '/api/openapi.json') return;
    request.apiPrincipal = authenticate(app, request);
  });
  // A recorded event's `by` is the caller: filled in before the schema is applied.
  app.addHook('preValidation', async (request) => {
    const body = request.body as Record<string, unknown> | undefined;
    if (request.apiPrincipal && body && typeof body === 'object' && !Array.isArray(body) && body.by === undefined && request.routeOptions.config.fillActor) {
      body.by = actorOf(request.apiPrincipal);
    }
  });
  app.setErrorHandler(async (error, request, reply) => {
    const problem = invalidInputProblem(error, request) ?? problemOf(error);
    if (problem.status >= 500) console.error(`[mentorflow api] ${request.method} ${request.routeOptions.url ?? ''} failed (${request.id}):`, error);
    return reply.code(problem.status).type('application/problem+json').send(problem);
  });

  const api = app.withTypeProvider<ZodTypeProvider>();
  const journeysOf = (request: FastifyRequest) => app.services.journeysFor(request.apiPrincipal!);

  api.get('/whoami', { schema: { summary: 'Who the token says you are', tags: ['access'], security, response: { 200: z.object({ id: z.string(), role: z.enum(principalRoles), roleWords: z.string(), personalData: z.boolean(), singleOperator: z.boolean() }), ...problems } } }, async (request) => {
    const p = request.apiPrincipal!;
    return { ...p, roleWords: roleWords[p.role], singleOperator: app.services.singleOperator() };
  });

  api.get(
    '/journeys',
    {
      schema: {
        summary: 'Journeys, from the search attributes: overdue first, then by next due date',
        tags: ['journeys'],
        security,
        querystring: z.object({
          kind: kindSlugSchema.optional(),
          stage: z.string().max(64).optional(),
          coordinator: opaqueIdSchema.optional(),
          overdue: z.enum(['yes', 'no']).optional(),
          closed: z.enum(['yes', 'no']).optional().describe('ended journeys too'),
          offset: z.coerce.number().int().min(0).default(0),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: z.object({ total: z.number().int(), journeys: z.array(journeyListingSchema) }), ...problems },
      },
    },
    async (request) => {
      const q = request.query;
      const kind = q.kind ? kindOfSlug(q.kind) : undefined;
      const filter = { ...(kind ? { kind } : {}), ...(q.stage ? { stage: q.stage } : {}), ...(q.coordinator ? { coordinatorId: q.coordinator } : {}), overdue: q.overdue === 'yes', includeClosed: q.closed === 'yes' };
      const { total, listings } = await journeysOf(request).findPage(filter, { offset: q.offset, limit: q.limit });
      return { total, journeys: listings };
    },
  );

  api.get(
    '/due',
    { schema: { summary: 'What is overdue (longest first), then what is due (soonest first)', tags: ['journeys'], security, querystring: z.object({ coordinator: opaqueIdSchema.optional() }), response: { 200: z.object({ due: z.array(journeyListingSchema) }), ...problems } } },
    async (request) => {
      return { due: await journeysOf(request).dueAcrossScheme(request.query.coordinator ? { coordinatorId: request.query.coordinator } : {}) };
    },
  );

  api.get('/journeys/:kind/:id', { schema: { summary: "A journey's status", tags: ['journeys'], security, params: journeyParams, response: { 200: journeyStatusSchema, ...problems } } }, async (request) =>
    journeysOf(request).status(kindOf(request.params.kind), request.params.id),
  );

  api.get(
    '/journeys/:kind/:id/personal',
    { schema: { summary: "A journey's personal details: opened for those allowed, placeholders otherwise, \"[erased on ...]\" after erasure", tags: ['journeys'], security, params: journeyParams, response: { 200: z.record(z.string(), z.unknown()), ...problems } } },
    async (request) => journeysOf(request).personal(kindOf(request.params.kind), request.params.id),
  );

  api.get(
    '/journeys/:kind/:id/events',
    {
      schema: {
        summary: 'The events the journey takes now (its machine says), those that resolve an open nudge first',
        tags: ['journeys'],
        security,
        params: journeyParams,
        response: { 200: z.object({ events: z.array(z.object({ type: z.string(), label: z.string(), resolves: z.string().optional() })) }), ...problems },
      },
    },
    async (request) => {
      const kind = kindOf(request.params.kind);
      const status = await journeysOf(request).status(kind, request.params.id);
      return { events: eventChoices(kind, status).map((c) => ({ type: c.event.type, label: c.event.label, ...(c.resolves ? { resolves: c.resolves } : {}) })) };
    },
  );

  for (const kind of ['youngPerson', 'volunteer', 'match'] as const) {
    const slug = kind === 'youngPerson' ? 'young-person' : kind;
    api.post(
      `/journeys/${slug}/:id/events`,
      {
        config: { fillActor: true },
        schema: {
          summary: `Record an event on a ${slug} journey`,
          description: `One of: ${eventCatalogue(kind).map((e) => `\`${e.type}\` (${e.label})`).join(', ')}. \`by\` may be left out: it is the caller. Refused (409 GATE.UNMET, STAGE.NOT_NOW; 422 EVENT.INVALID) with every reason, and nothing recorded.`,
          tags: ['events'],
          security,
          params: z.object({ id: opaqueIdSchema }),
          headers: idempotencyHeaders,
          body: registry[kind].recordedEvents.meta({ examples: [eventExamples[kind]] }),
          response: { 200: journeyStatusSchema, ...problems },
        },
      },
      async (request) => {
        const key = request.headers['idempotency-key'];
        return journeysOf(request).record(kind, request.params.id, request.body as Parameters<ReturnType<typeof journeysOf>['record']>[2], key ? { updateId: `api:${request.apiPrincipal!.id}:${key}` } : {});
      },
    );
  }

  const started = z.object({ kind: z.enum(['youngPerson', 'volunteer']), journeyId: z.string(), workflowId: z.string(), alreadyStarted: z.boolean().describe('true when a retry found the journey its key had started') });

  api.post(
    '/referrals',
    {
      schema: {
        summary: 'Refer a young person: starts their journey (eligibility checked first: 422 REFERRAL.NOT_ELIGIBLE)',
        tags: ['journeys'],
        security,
        headers: idempotencyHeaders,
        body: z
          .object({ coordinatorId: opaqueIdSchema.optional().describe("the co-ordinator whose caseload it joins (default: the caller's)"), referredOn: z.iso.datetime().optional(), referral: referralSchema })
          .strict()
          .meta({ examples: [referralExample] }),
        response: { 201: started, 200: started, ...problems },
      },
    },
    async (request, reply) => {
      const p = request.apiPrincipal!;
      const key = request.headers['idempotency-key'];
      const journeyId = key ? journeyIdForRequest('yp', p.id, key) : newJourneyId('yp');
      const coordinatorId = request.body.coordinatorId ?? p.id;
      const result = await journeysOf(request).start('youngPerson', { journeyId, coordinatorId, startedAt: request.body.referredOn ?? app.services.now().toISOString(), referral: request.body.referral });
      return reply.code(result.alreadyStarted ? 200 : 201).send({ kind: 'youngPerson' as const, ...result });
    },
  );

  api.post(
    '/volunteers',
    {
      schema: {
        summary: "Register a volunteer's enquiry: starts their journey",
        tags: ['journeys'],
        security,
        headers: idempotencyHeaders,
        body: z
          .object({ coordinatorId: opaqueIdSchema.optional(), enquiredOn: z.iso.datetime().optional(), volunteer: volunteerProfileSchema, contact: volunteerAddressSchema })
          .strict()
          .meta({ examples: [volunteerExample] }),
        response: { 201: started, 200: started, ...problems },
      },
    },
    async (request, reply) => {
      const p = request.apiPrincipal!;
      const key = request.headers['idempotency-key'];
      const journeyId = key ? journeyIdForRequest('vol', p.id, key) : newJourneyId('vol');
      const result = await journeysOf(request).start(
        'volunteer',
        { journeyId, coordinatorId: request.body.coordinatorId ?? p.id, startedAt: request.body.enquiredOn ?? app.services.now().toISOString(), volunteer: request.body.volunteer },
        { contact: request.body.contact },
      );
      return reply.code(result.alreadyStarted ? 200 : 201).send({ kind: 'volunteer' as const, ...result });
    },
  );

  api.post(
    '/matches',
    {
      schema: {
        summary: "Propose a match: the volunteer's journey judges every gate (409 GATE.UNMET lists them all); if met, the match journey starts",
        tags: ['journeys'],
        security,
        headers: idempotencyHeaders,
        body: z
          .object({
            youngPersonId: opaqueIdSchema,
            volunteerId: opaqueIdSchema,
            proposeAgain: z.boolean().optional().describe("the co-ordinator decides the young person's previous mentor may be proposed again"),
          })
          .strict()
          .meta({ examples: [matchExample] }),
        response: { 201: z.object({ matchId: z.string(), volunteer: journeyStatusSchema }), ...problems },
      },
    },
    async (request, reply) => {
      const p = request.apiPrincipal!;
      const key = request.headers['idempotency-key'];
      const { proposeAgain, ...pair } = request.body;
      const result = await journeysOf(request).proposeMatch({
        ...pair,
        ...(proposeAgain ? { proposeAgain: true } : {}),
        by: actorOf(p),
        ...(key ? { matchId: journeyIdForRequest('m', p.id, key), updateId: `api:${p.id}:${key}` } : {}),
      });
      return reply.code(201).send(result);
    },
  );

  api.get(
    '/young-people/:id/shortlist',
    {
      schema: {
        summary: 'The volunteers who may be proposed to this young person, best first with reasons, and the others with the gates that keep them off (docs/matching.md)',
        tags: ['matching'],
        security,
        params: z.object({ id: opaqueIdSchema }),
        querystring: z.object({ proposeAgain: z.enum(['yes', 'no']).optional().describe("yes: the young person's previous mentor may be proposed again") }),
        response: { 200: shortlistSchema, ...problems },
      },
    },
    async (request) =>
      journeysOf(request).shortlist(request.params.id, { by: actorOf(request.apiPrincipal!), ...(request.query.proposeAgain === 'yes' ? { proposeAgain: true } : {}) }),
  );

  api.get(
    '/match-plan',
    {
      schema: {
        summary: 'The best assignment across the waiting list, for a co-ordinator to review: nothing is proposed (docs/matching.md)',
        tags: ['matching'],
        security,
        response: { 200: matchPlanSchema, ...problems },
      },
    },
    async (request) => journeysOf(request).matchPlan({ by: actorOf(request.apiPrincipal!) }),
  );

  // A caseload from a spreadsheet, as `mentorflow import` takes it (docs/cli.md "import").
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  const rowResult = z.object({
    line: z.number().int(),
    id: z.string(),
    kind: z.enum(['youngPerson', 'volunteer', 'match']),
    outcome: z.enum(['started', 'alreadyStarted', 'resumed', 'failed']),
    recorded: z.number().int(),
    stage: z.string().nullable(),
    expectedStage: z.string(),
    error: z.object({ code: z.string(), message: z.string(), reasons: z.array(z.string()) }).optional(),
    refused: z.boolean().optional(),
  });
  api.post(
    '/imports',
    {
      schema: {
        summary: 'Import an existing caseload (CSV, one row per person): every row is checked first; nothing starts while a row is bad unless skipBadRows=yes; safe to send twice',
        tags: ['journeys'],
        security,
        consumes: ['text/csv'],
        querystring: z.object({ dryRun: z.enum(['yes', 'no']).optional(), skipBadRows: z.enum(['yes', 'no']).optional() }),
        body: z.string().describe('the CSV file, UTF-8; its columns as for `mentorflow import --help`'),
        response: {
          200: z.object({ dryRun: z.boolean(), planned: z.array(z.object({ line: z.number().int(), id: z.string(), kind: z.string(), stage: z.string() })), bad: z.array(z.object({ line: z.number().int(), id: z.string().optional(), reasons: z.array(z.string()) })), ignoredColumns: z.array(z.string()), results: z.array(rowResult) }),
          ...problems,
        },
      },
    },
    async (request) => {
      const journeys = journeysOf(request);
      if (!journeys.can('import')) throw new AccessDeniedError(request.apiPrincipal!, 'import');
      let csv;
      try {
        csv = parseCsv(request.body);
      } catch (error) {
        if (error instanceof CsvSyntaxError) throw new JourneyRefusedError(error.code, error.message, [error.message]);
        throw error;
      }
      const plan = planImport(csv, { by: actorOf(request.apiPrincipal!), policy: app.services.deps.journeys.policy, now: app.services.now() });
      if (plan.bad.length > 0 && request.query.skipBadRows !== 'yes') {
        const reasons = plan.bad.map((b) => `line ${b.line}${b.id ? ` (${b.id})` : ''}: ${b.reasons.join('; ')}`);
        throw new JourneyRefusedError('IMPORT.BAD_ROWS', `${plan.bad.length} rows are bad: nothing was imported (correct them, or send skipBadRows=yes)`, reasons);
      }
      const dryRun = request.query.dryRun === 'yes';
      const results = dryRun ? [] : await importRows(journeys, plan.rows);
      return { dryRun, planned: plan.rows.map((r) => ({ line: r.line, id: r.id, kind: r.kind, stage: r.stage })), bad: plan.bad, ignoredColumns: plan.ignoredColumns, results };
    },
  );

  api.get('/policy', { schema: { summary: 'The scheme policy in force for new journeys', tags: ['scheme'], security, response: { 200: z.record(z.string(), z.unknown()), ...problems } } }, async (request) => {
    journeysOf(request); // authenticated is enough: the policy holds no personal data
    return app.services.deps.journeys.policy as unknown as Record<string, unknown>;
  });

  api.get(
    '/audit/journeys/:kind/:id/history',
    {
      schema: {
        summary: "A journey's full history, every run, payloads as stored (encrypted), each in the standard history JSON: for `mentorflow audit replay`",
        tags: ['audit'],
        security,
        params: journeyParams,
        response: { 200: z.object({ workflowId: z.string(), runs: z.array(z.object({ runId: z.string(), history: z.unknown() })) }), ...problems },
      },
    },
    async (request) => {
      const journeys = journeysOf(request);
      const kind = kindOf(request.params.kind);
      if (!journeys.can('audit')) throw new AccessDeniedError(request.apiPrincipal!, 'audit');
      const status = await journeys.status(kind, request.params.id);
      const runs = await fetchJourneyHistories(app.services.deps.journeys.client, status.workflowId);
      return { workflowId: status.workflowId, runs: runs.map((r) => ({ runId: r.runId, history: JSON.parse(historyToJSON(r.history)) as unknown })) };
    },
  );

  api.post(
    '/journeys/:kind/:id/erasure',
    {
      schema: {
        summary: "Erase a person's personal data for good (their own key destroyed): who, when and why are recorded, never what",
        tags: ['privacy'],
        security,
        params: journeyParams,
        body: z.object({ reason: z.string().min(3).max(500) }).strict(),
        response: { 200: z.object({ subject: z.string(), erasedAt: z.string(), erasedBy: actorSchema, reason: z.string() }).loose(), ...problems },
      },
    },
    async (request) => {
      const kind = kindOf(request.params.kind);
      const journeys = journeysOf(request);
      await journeys.status(kind, request.params.id);
      return journeys.erasePersonalData(kind, request.params.id, request.body.reason, app.services.now()) as unknown as { subject: string; erasedAt: string; erasedBy: { role: 'coordinator'; id: string }; reason: string };
    },
  );
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's body is a recorded event whose `by` is the caller. */
    fillActor?: boolean;
  }
}

type OpenApiDocument = { paths?: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> }>> };

/** Refusals and errors are sent as application/problem+json (RFC 9457): the document says so. */
function problemsAsProblemJson(document: OpenApiDocument): OpenApiDocument {
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (Number(status) >= 400 && response.content?.['application/json']) {
          response.content = { 'application/problem+json': response.content['application/json'] };
        }
      }
    }
  }
  return document;
}

/**
 * A request the route's zod schema refused: an event or a start with a mistake is EVENT.INVALID
 * (422) with each issue named as the CLI names it ("method: Invalid option ..."); a malformed path,
 * query or header is REQUEST.INVALID (400).
 */
function invalidInputProblem(error: unknown, request: FastifyRequest) {
  if (!hasZodFastifySchemaValidationErrors(error)) return undefined;
  const reasons = error.validation.map((v) => `${v.instancePath.replace(/^\//, '').replaceAll('/', '.') || 'request'}: ${v.message}`);
  const context = (error as { validationContext?: string }).validationContext;
  if (context === 'body' && request.method === 'POST') return problem('EVENT.INVALID', `the request was refused: ${reasons.join('; ')}`, reasons);
  return problem('REQUEST.INVALID', `the ${context ?? 'request'} is not valid: ${reasons.join('; ')}`, reasons);
}

function kindOf(slug: string): JourneyKind {
  return kindOfSlug(slug)!;
}

/** The caller: a token's user, or (single-operator mode, this machine only) who X-Mentorflow-As names. */
function authenticate(app: FastifyInstance, request: FastifyRequest): Principal {
  const header = request.headers.authorization;
  const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
  if (app.services.singleOperator()) {
    if (!isLoopback(request.ip)) throw new AuthenticationError('ACCESS.NO_USERS_FILE', 'this mentorflow has no users file: its API answers only on the machine it runs on; add users (mentorflow users add) to use it from elsewhere');
    if (token) throw new AuthenticationError('ACCESS.NO_USERS_FILE', 'a token is given but this mentorflow has no users file: leave out the token, or add users (mentorflow users add)');
    const named = request.headers['x-mentorflow-as'];
    // Every event in a child's history says truly who recorded it: nobody records unnamed.
    if (!named && request.method !== 'GET') throw new AuthenticationError('ACCESS.NO_TOKEN', 'say who is acting: X-Mentorflow-As: coordinator:<your id> (single-operator mode, no users file)');
    const claim = String(named ?? 'coordinator:operator');
    const parsed = actorSchema.safeParse({ role: claim.split(':')[0], id: claim.split(':').slice(1).join(':') });
    if (!parsed.success || !(principalRoles as readonly string[]).includes(parsed.data.role)) {
      throw new AuthenticationError('ACCESS.NOT_YOU', `X-Mentorflow-As must name a co-ordinator, lead co-ordinator, referrer or auditor as role:id (e.g. coordinator:co-1), not "${claim}"`);
    }
    return claimedPrincipal(parsed.data.role as Principal['role'], parsed.data.id);
  }
  if (!token) throw new AuthenticationError('ACCESS.NO_TOKEN', 'say who you are: Authorization: Bearer <your token> (ask a co-ordinator for one)');
  const principal = app.services.authenticate(token);
  if (!principal) throw new AuthenticationError('ACCESS.BAD_TOKEN', 'the token is not the token of any user here: mistyped, replaced, or from another scheme');
  return principal;
}

export { JourneyRefusedError };
