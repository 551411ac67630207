/**
 * Pages are Nunjucks templates on GOV.UK Frontend's own macros (server/views/, the package's
 * dist/govuk/), rendered on the server: every page and form works with JavaScript off.
 */
import nunjucks from 'nunjucks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import view from '@fastify/view';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { can, roleWords, type Principal } from '../../access';
import { dateTimeWords, dateWords, dueWords, words } from './words';

const here = path.dirname(fileURLToPath(import.meta.url));

export async function setUpViews(app: FastifyInstance, govukDist: string): Promise<void> {
  await app.register(view, {
    engine: { nunjucks },
    templates: [path.join(here, '..', 'views'), path.dirname(govukDist)],
    options: {
      onConfigure: (env: nunjucks.Environment) => {
        env.addFilter('date', dateWords);
        env.addFilter('dateTime', dateTimeWords);
        env.addFilter('words', words);
        env.addFilter('due', (iso: string | null) => dueWords(iso, app.services.now()));
        env.addGlobal('serviceName', 'mentorflow');
      },
    },
  });
}

interface NavItem {
  href: string;
  text: string;
  active?: boolean;
}

/** What a role finds in the header: only the pages it may use. */
export function navigationFor(principal: Principal | undefined, currentPath: string, singleOperator: boolean): NavItem[] {
  if (!principal) return [];
  const items: NavItem[] = [];
  const options = { singleOperator };
  if (principal.role === 'referrer') {
    items.push({ href: '/my-referrals', text: 'My referrals' }, { href: '/refer', text: 'Refer a young person' });
  } else {
    if (principal.role !== 'auditor') items.push({ href: '/today', text: 'Today' });
    if (can(principal, 'listJourneys', options)) items.push({ href: '/caseload', text: 'Caseload' }, { href: '/volunteers', text: 'Volunteers' });
    if (can(principal, 'proposeMatch', options)) items.push({ href: '/matches/plan', text: 'Matching' });
    if (can(principal, 'audit', options)) items.push({ href: '/reports', text: 'Reports' });
    if (can(principal, 'refer', options)) items.push({ href: '/refer', text: 'Refer a young person' });
    if (can(principal, 'startJourney', options)) items.push({ href: '/volunteers/new', text: 'New volunteer' });
    if (principal.role !== 'auditor') items.push({ href: '/settings', text: 'My settings' });
  }
  return items.map((item) => ({ ...item, active: currentPath === item.href || currentPath.startsWith(`${item.href}/`) }));
}

/** Render a page with what every page needs: the user, the navigation, the CSRF token, the CSP nonce. */
export async function render(request: FastifyRequest, reply: FastifyReply, page: string, data: Record<string, unknown> = {}, status = 200): Promise<FastifyReply> {
  const principal = request.principal;
  const singleOperator = request.server.services.singleOperator();
  const flash = request.session?.flash;
  if (request.session) delete request.session.flash;
  const html = await reply.viewAsync(`pages/${page}.njk`, {
    ...data,
    csrfToken: reply.generateCsrf(),
    cspNonce: reply.cspNonce.script,
    user: principal ? { ...principal, roleWords: roleWords[principal.role] } : undefined,
    singleOperator,
    flash,
    navigation: navigationFor(principal, request.url.split('?')[0]!, singleOperator),
  });
  return reply.code(status).type('text/html; charset=utf-8').send(html);
}
