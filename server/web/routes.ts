/**
 * The co-ordinator's web app: server-rendered GOV.UK pages over the same journeys client and
 * permission table as the CLI. Every form posts (with its CSRF token) and redirects; a refusal is
 * shown with every reason, in the CLI's words, and nothing is recorded.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AccessDeniedError, actorOf, can, claimedPrincipal, type Principal } from '../../access';
import { JourneyNotFoundError, JourneyRefusedError, newJourneyId, type JourneyListing } from '../../client/journeys';
import { listingOverdue } from '../../client/due-order';
import { findEvent } from '../../client/event-catalogue';
import type { JourneyKind } from '../../machines/journey';
import { volunteerAddressSchema } from '../../activities/notifications/requests';
import { isLoopback } from '../services';
import { SESSION_COOKIE, type Session } from '../sessions';
import { problemOf, type Problem } from '../problems';
import { journeyPath, kindOfSlug, kindSlugs, kindTitles } from '../kinds';
import { render } from './views';
import { controlsOf, dateFromParts, errorsByField, eventFromForm, type FormBody } from './forms';
import { choicesFor, glanceOfListing, journeyPermissions, nudgesOnPage, readJourney, stateTree, timelineOf, todaysWork } from './journey-view';
import { fetchJourneyHistories, fetchJourneys, historyFileNames } from '../../audit/export';
import { isoDateSchema } from '../../machines/journey';
import { reportCharts } from '../../reports/charts';
import { periodWords } from '../../reports/format';
import { schemeReportInParallel } from '../../reports/scheme';
import { historyToJSON } from '../../audit/history-file';
import { issueReasons } from '../../contracts/refusals';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    session?: Session;
  }
}

const PAGE_SIZE = 50;
const PUBLIC_PATHS = ['/sign-in', '/govuk/', '/assets/', '/static/', '/api/', '/favicon.ico', '/healthz'];

export async function webRoutes(app: FastifyInstance): Promise<void> {
  app.addHook('onRequest', async (request, reply) => {
    const session = app.sessions.get(request.cookies[SESSION_COOKIE]);
    if (session) {
      // A user removed from the users file (or single-operator mode left) is signed out at once.
      const stillValid = session.token ? app.services.authenticate(session.token) : app.services.singleOperator() && isLoopback(request.ip);
      if (stillValid) {
        request.session = session;
        request.principal = session.principal;
      } else {
        app.sessions.end(session.id);
      }
    }
    if (!request.principal && !PUBLIC_PATHS.some((p) => request.url === p || request.url.startsWith(p))) {
      return reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`, 303);
    }
  });

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/', async (request, reply) => reply.redirect(request.principal?.role === 'referrer' ? '/my-referrals' : request.principal?.role === 'auditor' ? '/caseload' : '/today', 303));

  // --- Signing in and out -------------------------------------------------------------------

  app.get('/sign-in', async (request, reply) => {
    const next = safeNext((request.query as { next?: string }).next);
    return render(request, reply, 'sign-in', { next, loopback: isLoopback(request.ip) });
  });

  app.post('/sign-in', { preHandler: app.csrfProtection }, async (request, reply) => {
    const body = request.body as FormBody;
    const next = safeNext(str(body.next));
    let principal: Principal | undefined;
    let token: string | undefined;
    const errors: { field: string; text: string }[] = [];
    if (app.services.singleOperator()) {
      const id = str(body.coordinatorId)?.trim() ?? '';
      if (!isLoopback(request.ip)) errors.push({ field: 'coordinatorId', text: 'Without a users file mentorflow is used only on the machine it runs on: ask your administrator for a users file and a token' });
      else if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(id)) errors.push({ field: 'coordinatorId', text: 'Enter your co-ordinator id, for example co-1' });
      else principal = claimedPrincipal('coordinator', id);
    } else {
      token = str(body.token)?.trim() ?? '';
      principal = token ? app.services.authenticate(token) : undefined;
      if (!token) errors.push({ field: 'token', text: 'Enter your token' });
      else if (!principal) errors.push({ field: 'token', text: 'That token is not the token of any user here: it may be mistyped or replaced; ask a co-ordinator for a new one' });
    }
    if (!principal) return render(request, reply, 'sign-in', { next, errors, loopback: isLoopback(request.ip) }, 401);
    app.sessions.end(request.cookies[SESSION_COOKIE]);
    const session = app.sessions.create(principal, token);
    reply.setCookie(SESSION_COOKIE, session.id, { httpOnly: true, sameSite: 'strict', path: '/', maxAge: app.sessions.cookieMaxAgeSeconds, secure: request.protocol === 'https' });
    return reply.redirect(next ?? '/', 303);
  });

  app.post('/sign-out', { preHandler: app.csrfProtection }, async (request, reply) => {
    app.sessions.end(request.cookies[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/sign-in', 303);
  });

  // --- Today, caseload, volunteers ----------------------------------------------------------

  app.get('/today', async (request, reply) => {
    const principal = request.principal!;
    const journeys = app.services.journeysFor(principal);
    const mine = await journeys.dueAcrossScheme(principal.role === 'auditor' ? {} : { coordinatorId: principal.id });
    const now = app.services.now();
    const rows = await Promise.all(
      mine.map(async (listing) => {
        const row = listingRow(listing, now);
        // Read from the search attributes; only a journey indexed before they held this is asked.
        const glance =
          glanceOfListing(listing) ??
          (listing.kind && listing.journeyId ? await journeys.status(listing.kind, listing.journeyId).catch(() => undefined) : undefined);
        const work = glance ? todaysWork(glance, journeyPermissions(journeys, glance)) : { what: [] };
        return { listing, href: row.href, kindTitle: row.kindTitle, overdue: row.overdue, ...work };
      }),
    );
    return render(request, reply, 'today', { rows, overdueCount: rows.filter((r) => r.overdue).length });
  });

  app.get('/caseload', async (request, reply) => {
    const q = request.query as Record<string, string | undefined>;
    const journeys = app.services.journeysFor(request.principal!);
    const id = q.id?.trim();
    if (id) {
      const found = await findById(journeys, id);
      if (found) return reply.redirect(journeyPath(found, id), 303);
    }
    if (!journeys.can('listJourneys')) return render(request, reply, 'my-referrals', { rows: [], notFound: id }, id ? 404 : 200);
    const kind = q.kind ? kindOfSlug(q.kind) : undefined;
    const page = Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1);
    const { total, listings } = await journeys.findPage(
      {
        ...(kind ? { kind } : {}),
        ...(q.stage ? { stage: q.stage } : {}),
        ...(q.coordinator ? { coordinatorId: q.coordinator } : {}),
        ...(q.overdue === 'yes' ? { overdue: true } : {}),
        ...(q.closed === 'yes' ? { includeClosed: true } : {}),
      },
      { offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE },
    );
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const now = app.services.now();
    const rows = listings.map((l) => listingRow(l, now));
    const query = (p: number) => `?${new URLSearchParams({ ...Object.fromEntries(Object.entries(q).filter(([k, v]) => v && k !== 'page' && k !== 'id')), page: String(p) } as Record<string, string>)}`;
    return render(request, reply, 'caseload', {
      rows,
      total,
      filters: { kind: q.kind ?? '', stage: q.stage ?? '', coordinator: q.coordinator ?? '', overdue: q.overdue === 'yes', closed: q.closed === 'yes' },
      notFound: id ? id : undefined,
      pagination: pages > 1 ? { page, pages, previous: page > 1 ? query(page - 1) : undefined, next: page < pages ? query(page + 1) : undefined, items: Array.from({ length: pages }, (_, i) => ({ number: i + 1, href: query(i + 1), current: i + 1 === page })) } : undefined,
    });
  });

  app.get('/volunteers', async (request, reply) => {
    const journeys = app.services.journeysFor(request.principal!);
    const listings = await journeys.find({ kind: 'volunteer' });
    const now = app.services.now();
    const rows = await Promise.all(
      listings.map(async (l) => ({ ...listingRow(l, now), status: await journeys.status('volunteer', l.journeyId!).catch(() => undefined) })),
    );
    return render(request, reply, 'volunteers', { rows });
  });

  app.get('/my-referrals', async (request, reply) => {
    const principal = request.principal!;
    if (principal.role !== 'referrer') return reply.redirect('/caseload', 303);
    const journeys = app.services.journeysFor(principal);
    // A referrer lists nothing (no listJourneys): their referrals are the ids they were given, kept in their session.
    const ids = request.session?.referrals ?? [];
    const rows = await Promise.all(ids.map(async (id) => ({ id, href: journeyPath('youngPerson', id), status: await journeys.status('youngPerson', id).catch(() => undefined) })));
    return render(request, reply, 'my-referrals', { rows });
  });

  // --- A journey's page and its events ------------------------------------------------------

  app.get('/journeys/:kind/:id', async (request, reply) => {
    const { kind, id } = journeyParams(request);
    const journeys = app.services.journeysFor(request.principal!);
    const { status, personal } = await readJourney(journeys, kind, id);
    const timeline = request.principal!.role === 'referrer' ? [] : await timelineOf(app.services.deps.journeys.client, app.services.deps.codec, kind, id).catch(() => []);
    const { mayRecord, mayPropose } = journeyPermissions(journeys, status);
    const choices = choicesFor(status, { mayRecord });
    return render(request, reply, 'journey', {
      kind,
      kindSlug: kindSlugs[kind],
      kindTitle: kindTitles[kind],
      status,
      personal: Object.entries(personal).flatMap(([k, v]) => flattenPersonal(k, v)),
      choices,
      nudges: nudgesOnPage(status, choices, { mayRecord, mayPropose }),
      mayRecord,
      mayExport: journeys.can('audit'),
      mayPropose,
      stateTree: stateTree(kind, status.state),
      timeline,
      links: linkedJourneys(status),
      facts: Object.entries(status.facts).filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object'),
    });
  });

  // An auditor's (or co-ordinator's) export of one journey's full history, every run, payloads as
  // stored (encrypted): the files `mentorflow audit replay` and `audit timeline` read.
  app.get('/journeys/:kind/:id/history.json', async (request, reply) => {
    const { kind, id } = journeyParams(request);
    const journeys = app.services.journeysFor(request.principal!);
    if (!journeys.can('audit')) throw new AccessDeniedError(request.principal!, 'audit');
    const status = await journeys.status(kind, id);
    const runs = await fetchJourneyHistories(app.services.deps.journeys.client, status.workflowId);
    const files = runs.map((run, i) => ({ name: historyFileNames(status.workflowId, runs.length)[i], history: JSON.parse(historyToJSON(run.history)) as unknown }));
    return reply
      .header('content-disposition', `attachment; filename="${status.workflowId}.json"`)
      .type('application/json')
      .send(files.length === 1 ? files[0]!.history : { workflowId: status.workflowId, runs: files });
  });

  // A nudge's link from a list that had only its name (Today): on to the form that resolves it,
  // pre-filled from the journey's facts, or to the journey when none is open to the reader.
  app.get('/journeys/:kind/:id/resolve/:about', async (request, reply) => {
    const { kind, id } = journeyParams(request);
    const about = (request.params as { about: string }).about;
    const journeys = app.services.journeysFor(request.principal!);
    const status = await journeys.status(kind, id);
    const permissions = journeyPermissions(journeys, status);
    const nudge = nudgesOnPage(status, choicesFor(status, permissions), permissions).find((n) => n.about === about);
    return reply.redirect(nudge?.action?.href ?? journeyPath(kind, id), 303);
  });

  app.get('/journeys/:kind/:id/record/:type', async (request, reply) => {
    const { kind, id } = journeyParams(request);
    const type = (request.params as { type: string }).type;
    const event = findEvent(kind, type);
    if (!event) throw new JourneyNotFoundError(`${kindSlugs[kind]}-${id}`);
    const journeys = app.services.journeysFor(request.principal!);
    if (!journeys.can('record')) throw new AccessDeniedError(request.principal!, 'record');
    const status = await journeys.status(kind, id);
    const values = request.query as FormBody;
    return render(request, reply, 'record', { kind, kindTitle: kindTitles[kind], status, event, controls: controlsOf(event, values, {}, suggestionsFor(app)), action: `${journeyPath(kind, id)}/record/${type}`, back: journeyPath(kind, id) });
  });

  app.post('/journeys/:kind/:id/record/:type', { preHandler: app.csrfProtection }, async (request, reply) => {
    const { kind, id } = journeyParams(request);
    const type = (request.params as { type: string }).type;
    const event = findEvent(kind, type);
    if (!event) throw new JourneyNotFoundError(`${kindSlugs[kind]}-${id}`);
    const principal = request.principal!;
    const journeys = app.services.journeysFor(principal);
    const body = request.body as FormBody;
    try {
      await journeys.record(kind, id, eventFromForm(event, body, actorOf(principal)));
    } catch (error) {
      if (!(error instanceof JourneyRefusedError)) throw error;
      const status = await journeys.status(kind, id);
      const fieldErrors = errorsByField(event, error.reasons);
      return render(
        request,
        reply,
        'record',
        { kind, kindTitle: kindTitles[kind], status, event, controls: controlsOf(event, body, fieldErrors, suggestionsFor(app)), action: `${journeyPath(kind, id)}/record/${type}`, back: journeyPath(kind, id), refusal: refusalOf(problemOf(error), fieldErrors) },
        problemOf(error).status,
      );
    }
    flash(request, `Recorded: ${event.label}`);
    return reply.redirect(journeyPath(kind, id), 303);
  });

  // --- Starting journeys and proposing matches ----------------------------------------------

  app.get('/refer', async (request, reply) => render(request, reply, 'refer', { values: { coordinator: request.principal!.role === 'referrer' ? '' : request.principal!.id } }));

  app.post('/refer', { preHandler: app.csrfProtection }, async (request, reply) => {
    const principal = request.principal!;
    const body = request.body as FormBody;
    const journeys = app.services.journeysFor(principal);
    const journeyId = newJourneyId('yp');
    const self = str(body.referredBy) === 'self';
    const details = Object.fromEntries((['name', 'preferredName', 'email', 'phone', 'address'] as const).flatMap((f) => (str(body[f])?.trim() ? [[f, str(body[f])!.trim()]] : [])));
    const goals = (str(body.ownGoals) ?? '').split(/\r?\n/).map((g) => g.trim()).filter(Boolean);
    const referral = {
      referredBy: principal.role === 'referrer' ? actorOf(principal) : self ? { role: 'youngPerson', id: journeyId } : { role: 'referrer', id: str(body.referrerId)?.trim() ?? '' },
      dateOfBirth: dateFromParts(body, 'dateOfBirth'),
      careExperienced: str(body.careExperienced) === 'yes' ? true : str(body.careExperienced) === 'no' ? false : undefined,
      ...(str(body.consent) === 'yes' ? { consentGiven: true } : {}),
      ...(goals.length > 0 ? { ownGoals: goals } : {}),
      ...(str(body.notes)?.trim() ? { referrerNotes: str(body.notes)!.trim() } : {}),
      ...(Object.keys(details).length > 0 ? { details } : {}),
    };
    const coordinatorId = principal.role === 'referrer' ? str(body.coordinator)?.trim() || 'unassigned' : str(body.coordinator)?.trim() || principal.id;
    try {
      await journeys.start('youngPerson', { journeyId, coordinatorId, startedAt: app.services.now().toISOString(), referral });
    } catch (error) {
      if (!(error instanceof JourneyRefusedError)) throw error;
      return render(request, reply, 'refer', { values: body, refusal: refusalOf(problemOf(error), {}) }, problemOf(error).status);
    }
    if (principal.role === 'referrer' && request.session) request.session.referrals = [...(request.session.referrals ?? []), journeyId];
    flash(request, `Referral recorded: the young person's journey ${journeyId} has started.`);
    return reply.redirect(journeyPath('youngPerson', journeyId), 303);
  });

  app.get('/volunteers/new', async (request, reply) => render(request, reply, 'volunteer-new', { values: { coordinator: request.principal!.id } }));

  app.post('/volunteers/new', { preHandler: app.csrfProtection }, async (request, reply) => {
    const principal = request.principal!;
    const body = request.body as FormBody;
    const journeys = app.services.journeysFor(principal);
    const journeyId = newJourneyId('vol');
    const type = str(body.type);
    const leftCareOn = dateFromParts(body, 'leftCareOn');
    const contact = volunteerAddressSchema.safeParse({ email: str(body.email)?.trim(), ...(str(body.firstName)?.trim() ? { firstName: str(body.firstName)!.trim() } : {}) });
    try {
      if (!contact.success) {
        const reasons = issueReasons(contact.error, 'contact');
        throw new JourneyRefusedError('EVENT.INVALID', `cannot register the enquiry: ${reasons.join('; ')}`, reasons);
      }
      await journeys.start(
        'volunteer',
        {
          journeyId,
          coordinatorId: str(body.coordinator)?.trim() || principal.id,
          startedAt: app.services.now().toISOString(),
          volunteer: { type, dateOfBirth: dateFromParts(body, 'dateOfBirth'), careExperienced: str(body.careExperienced) === 'yes' || (str(body.careExperienced) !== 'no' && (type === 'peer' || leftCareOn !== undefined)), ...(leftCareOn ? { leftCareOn } : {}) },
        },
        { contact: contact.data },
      );
    } catch (error) {
      if (!(error instanceof JourneyRefusedError)) throw error;
      return render(request, reply, 'volunteer-new', { values: body, refusal: refusalOf(problemOf(error), {}) }, problemOf(error).status);
    }
    flash(request, `Enquiry registered: the volunteer's journey ${journeyId} has started.`);
    return reply.redirect(journeyPath('volunteer', journeyId), 303);
  });

  // The propose page: with a young person named, their shortlist (docs/matching.md) to choose from.
  app.get('/matches/new', async (request, reply) => {
    const q = request.query as Record<string, string | undefined>;
    const values = { youngPersonId: q.youngPersonId?.trim() ?? '', volunteerId: q.volunteerId?.trim() ?? '', proposeAgain: q.proposeAgain === 'yes' };
    return render(request, reply, 'match-new', { values, ...(await shortlistFor(request, values)) });
  });

  /** The shortlist for the page, or why there is none; a mistyped id is said on the page, not a crash. */
  async function shortlistFor(request: FastifyRequest, values: { youngPersonId: string; proposeAgain: boolean }) {
    if (!values.youngPersonId) return {};
    const principal = request.principal!;
    try {
      const shortlist = await app.services.journeysFor(principal).shortlist(values.youngPersonId, { by: actorOf(principal), ...(values.proposeAgain ? { proposeAgain: true } : {}) });
      return { shortlist };
    } catch (error) {
      if (!(error instanceof JourneyRefusedError) && !(error instanceof JourneyNotFoundError)) throw error;
      return { shortlistProblem: problemOf(error).detail };
    }
  }

  app.get('/matches/plan', async (request, reply) => {
    const principal = request.principal!;
    const plan = await app.services.journeysFor(principal).matchPlan({ by: actorOf(principal) });
    return render(request, reply, 'match-plan', { plan });
  });

  app.post('/matches/new', { preHandler: app.csrfProtection }, async (request, reply) => {
    const principal = request.principal!;
    const body = request.body as FormBody;
    const journeys = app.services.journeysFor(principal);
    const youngPersonId = str(body.youngPersonId)?.trim() ?? '';
    const volunteerId = str(body.volunteerId)?.trim() ?? '';
    let matchId: string;
    try {
      const proposeAgain = str(body.proposeAgain) === 'yes';
      ({ matchId } = await journeys.proposeMatch({ youngPersonId, volunteerId, by: actorOf(principal), ...(proposeAgain ? { proposeAgain } : {}) }));
    } catch (error) {
      if (!(error instanceof JourneyRefusedError) && !(error instanceof JourneyNotFoundError)) throw error;
      const problem = problemOf(error);
      const values = { youngPersonId, volunteerId, proposeAgain: str(body.proposeAgain) === 'yes' };
      return render(request, reply, 'match-new', { values, refusal: refusalOf(problem, {}), ...(await shortlistFor(request, values)) }, problem.status);
    }
    flash(request, `Match ${matchId} proposed: the young person now decides.`);
    return reply.redirect(journeyPath('volunteer', volunteerId), 303);
  });

  // --- Reports (docs/reports.md): the same report as `mentorflow report`, from the live histories ---

  app.get('/reports', async (request, reply) => {
    const principal = request.principal!;
    const journeys = app.services.journeysFor(principal);
    if (!journeys.can('audit')) throw new AccessDeniedError(principal, 'audit');
    const q = request.query as FormBody;
    const today = app.services.now().toISOString().slice(0, 10);
    const threeMonthsAgo = new Date(Date.parse(`${today}T00:00:00.000Z`) - 91 * 86_400_000).toISOString().slice(0, 10);
    const from = dateFromParts(q, 'from') ?? threeMonthsAgo;
    const last = dateFromParts(q, 'to') ?? today;
    const problems = [
      ...(isoDateSchema.safeParse(from).success ? [] : [{ text: 'Enter the first day of the period as a real date', href: '#from-day' }]),
      ...(isoDateSchema.safeParse(last).success ? [] : [{ text: 'Enter the last day of the period as a real date', href: '#to-day' }]),
    ];
    if (problems.length === 0 && last < from) problems.push({ text: 'The last day is on or after the first day', href: '#to-day' });
    const values = { ...dateParts('from', from), ...dateParts('to', last) };
    if (problems.length > 0) {
      return render(request, reply, 'reports', { values, refusal: { title: 'There is a problem', code: 'EVENT.INVALID', detail: '', items: problems } }, 422);
    }
    const to = new Date(Date.parse(`${last}T00:00:00.000Z`) + 86_400_000).toISOString();
    const histories = await fetchJourneys({ client: app.services.deps.journeys.client, ...(app.services.deps.codec ? { codec: app.services.deps.codec } : {}) });
    // Read on worker threads: a large scheme's report must not hold up the worker sharing this process.
    const report = await schemeReportInParallel(histories, { from: `${from}T00:00:00.000Z`, to, policy: app.services.deps.journeys.policy });
    return render(request, reply, 'reports', { values, report, period: periodWords(report), charts: await reportCharts(report) });
  });

  // --- My settings --------------------------------------------------------------------------

  app.get('/settings', async (request, reply) => {
    const digests = app.services.deps.digests;
    const current = digests ? await digests.get(request.principal!.id) : undefined;
    return render(request, reply, 'settings', { digests: Boolean(digests), current: current ?? { enabled: true, time: '08:00' }, known: Boolean(current) });
  });

  app.post('/settings', { preHandler: app.csrfProtection }, async (request, reply) => {
    const principal = request.principal!;
    if (!can(principal, 'coordinate', app.services.accessOptions())) throw new AccessDeniedError(principal, 'coordinate');
    const digests = app.services.deps.digests;
    const body = request.body as FormBody;
    const time = str(body.time)?.trim() ?? '';
    const enabled = str(body.enabled) === 'yes';
    if (!digests) throw new JourneyRefusedError('STAGE.NOT_NOW', 'daily digests are not managed by this server', ['daily digests are not managed by this server']);
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) {
      const refusal = refusalOf({ ...problemOf(new JourneyRefusedError('EVENT.INVALID', 'time', ['time: a time of day such as 08:00'])) }, { time: 'Enter a time of day such as 08:00' });
      return render(request, reply, 'settings', { digests: true, current: { enabled, time }, known: true, refusal }, 422);
    }
    await digests.set(principal.id, { enabled, time });
    flash(request, enabled ? `Your daily digest will come at ${time} on weekdays.` : 'Your daily digest is off.');
    return reply.redirect('/settings', 303);
  });
}

declare module '../sessions' {
  interface Session {
    /** A referrer's referrals made in this session (a referrer cannot list journeys). */
    referrals?: string[];
  }
}

/** The policy's training topics, offered as checkboxes on the training forms. */
function suggestionsFor(app: FastifyInstance): Record<string, readonly string[]> {
  return { topics: app.services.deps.journeys.policy.volunteer.requiredTrainingTopics };
}

function journeyParams(request: FastifyRequest): { kind: JourneyKind; id: string } {
  const params = request.params as { kind: string; id: string };
  const kind = kindOfSlug(params.kind);
  if (!kind || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(params.id)) throw new JourneyNotFoundError(`${params.kind}-${params.id}`);
  return { kind, id: params.id };
}

async function findById(journeys: ReturnType<FastifyInstance['services']['journeysFor']>, id: string): Promise<JourneyKind | undefined> {
  for (const kind of ['youngPerson', 'volunteer', 'match'] as const) {
    try {
      await journeys.status(kind, id);
      return kind;
    } catch (error) {
      if (!(error instanceof JourneyNotFoundError)) throw error;
    }
  }
  return undefined;
}

function listingRow(l: JourneyListing, now: Date) {
  return {
    ...l,
    href: journeyPath(l.kind, l.journeyId),
    kindTitle: l.kind ? kindTitles[l.kind] : '',
    overdue: listingOverdue(l, now),
  };
}

/** The journeys a status names (the match of a young person, the volunteer of a match). */
function linkedJourneys(status: { facts: Record<string, unknown> }): { text: string; href: string }[] {
  const links: { text: string; href: string }[] = [];
  const add = (kind: JourneyKind, id: unknown, text: string) => {
    if (typeof id === 'string' && id) links.push({ text: `${text} ${id}`, href: journeyPath(kind, id) });
  };
  add('match', status.facts.matchId, 'Match');
  add('match', status.facts.currentMatchId, 'Match');
  add('youngPerson', status.facts.youngPersonId, 'Young person');
  add('volunteer', status.facts.volunteerId, 'Volunteer');
  return links;
}

function flattenPersonal(key: string, value: unknown): { key: string; value: string }[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.length === 0 ? [] : [{ key, value: value.map(String).join('; ') }];
  if (typeof value === 'object') return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => flattenPersonal(k, v));
  return [{ key, value: String(value) }];
}

/** The GOV.UK error summary's content: every reason, linked to its field where it names one. */
function refusalOf(problem: Problem, fieldErrors: Record<string, string>) {
  const byReason = new Map(Object.entries(fieldErrors).map(([field, text]) => [text, field]));
  return {
    title: problem.code === 'GATE.UNMET' ? 'This cannot be recorded yet' : problem.code === 'EVENT.INVALID' ? 'There is a problem' : 'This was refused',
    code: problem.code,
    detail: problem.detail,
    items: problem.reasons.map((reason) => {
      const field = [...byReason.entries()].find(([text]) => text.endsWith(reason.slice(reason.indexOf(': ') + 2)))?.[1];
      return { text: reason, ...(field ? { href: `#${field}` } : {}) };
    }),
  };
}

function flash(request: FastifyRequest, message: string): void {
  if (request.session) request.session.flash = message;
}

function str(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}


/** Only a path on this site (never //elsewhere or a full URL): no open redirect after sign-in. */
function safeNext(next: string | undefined): string | undefined {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : undefined;
}

export type { FastifyReply };

/** A date's day, month and year, as the GOV.UK date input's fields. */
function dateParts(name: string, iso: string): Record<string, string> {
  const [year, month, day] = iso.split('-');
  return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(month)), [`${name}-year`]: year ?? '' };
}
