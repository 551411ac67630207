/**
 * The web app and the HTTP API in one Fastify server, beside the worker (`npm start`). Both are
 * edges: they authenticate, check the permission table (access/), validate with the journeys' own
 * zod schemas and pass events to the journeys client. What a journey allows is the machine's say.
 */
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import { randomBytes } from 'node:crypto';
import { Services, type ServerDeps } from './services';
import { SessionStore } from './sessions';
import { render, setUpViews } from './web/views';
import { problemOf } from './problems';
import { apiRoutes } from './api/routes';
import { webRoutes } from './web/routes';

const here = path.dirname(fileURLToPath(import.meta.url));
const govukDist = path.join(path.dirname(createRequire(import.meta.url).resolve('govuk-frontend/package.json')), 'dist', 'govuk');

export interface ServerOptions {
  /** Signs the CSRF cookie; a fresh one per start unless given (sessions do not outlive the process anyway). */
  cookieSecret?: string;
  /** Requests per minute per client before 429 (default 600). */
  rateLimitPerMinute?: number;
  /** Largest request body accepted, bytes (default 1 MiB; a caseload import is the largest). */
  bodyLimit?: number;
  /** Fastify's own request log (off by default: it would log URLs, which carry only opaque ids, but keep it quiet). */
  logger?: boolean;
}

export async function buildServer(deps: ServerDeps, options: ServerOptions = {}): Promise<FastifyInstance> {
  // maxParamLength: Node refuses request lines over 16 KiB anyway, so the router never answers 414 on its
  // own (an undocumented status without a problem document); an overlong id is refused by the route's
  // schema, as any bad id is.
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: options.bodyLimit ?? 1024 * 1024, trustProxy: false, routerOptions: { maxParamLength: 16_384 } });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const services = new Services(deps);
  const sessions = new SessionStore(
    { idleMinutes: deps.sessionIdleMinutes ?? 60, maxHours: deps.sessionMaxHours ?? 10 },
    () => services.now(),
  );
  app.decorate('services', services);
  app.decorate('sessions', sessions);

  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
  });
  await app.register(rateLimit, { max: options.rateLimitPerMinute ?? 600, timeWindow: '1 minute' });
  await app.register(cookie, { secret: options.cookieSecret ?? randomBytes(32).toString('hex') });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'strict', path: '/' },
    getToken: (request) => (request.body as Record<string, string> | undefined)?._csrf ?? (request.headers['csrf-token'] as string | undefined),
  });
  await app.register(formbody);
  await app.register(fastifyStatic, { root: govukDist, prefix: '/govuk/', decorateReply: false });
  // GOV.UK Frontend's stylesheet asks for its fonts and images at /assets/.
  await app.register(fastifyStatic, { root: path.join(govukDist, 'assets'), prefix: '/assets/', decorateReply: false });
  await app.register(fastifyStatic, { root: path.join(here, 'public'), prefix: '/static/', decorateReply: false });
  await setUpViews(app, govukDist);

  // Pages get a GOV.UK page, the API a problem document; the API's own handler covers its routes.
  app.setErrorHandler(async (error, request, reply) => {
    const problem = problemOf(error);
    if (problem.status >= 500) console.error(`[mentorflow web] ${request.method} ${request.routeOptions.url ?? ''} failed (${request.id}):`, error);
    if (request.url.startsWith('/api/')) return reply.code(problem.status).type('application/problem+json').send(problem);
    return render(request, reply, 'problem', { problem }, problem.status);
  });
  app.setNotFoundHandler(async (request, reply) => {
    const problem = problemOf(Object.assign(new Error('not found'), { statusCode: 404 }));
    if (request.url.startsWith('/api/')) return reply.code(404).type('application/problem+json').send(problem);
    return render(request, reply, 'problem', { problem }, 404);
  });

  await app.register(apiRoutes, { prefix: '/api' });
  await app.register(webRoutes);
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
    sessions: SessionStore;
  }
}
