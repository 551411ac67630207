/**
 * The web app in a real browser (Debian's chromium through playwright-core) on a real dev server:
 * a co-ordinator's day from referral to a proposed match, the same forms with JavaScript off,
 * axe-core on every page of the flow, keyboard reach, and who may see and do what.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { useDevServerEnvironment } from '../helpers/temporal-env';
import { withJourneyWorker } from '../helpers/journey-worker';
import { launchBrowser, screenshotDir, startWeb } from '../helpers/web';
import { bornYearsAgo, eventually } from '../cli/run-cli';
import { addUser } from '../../access';
import { trainingTopics } from '../../machines/policy';
import { JourneyRefusedError } from '../../client/journeys';
import { historyFromJSON } from '../../audit/history-file';
import { readRun } from '../../audit/journey-history';
import { decodeHistory } from '../../audit/history-events';
import { exportJourneys } from '../../audit/export';
import { loadEncodedJourneys } from '../../audit/journey-history';
import { schemeReport } from '../../reports/scheme';

/** What the tests read of an element in the page (no DOM types in this Node project). */
interface Focusable {
  id: string;
  innerText: string;
}

const env = useDevServerEnvironment();
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Serious or critical axe-core violations on the page, as "rule: target" lines. */
async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the browser's devtools protocol: the page's own CSP (rightly) refuses inline scripts.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return axe.run();
  });
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

class Visit {
  readonly violations: Record<string, string[]> = {};
  constructor(
    readonly page: Page,
    readonly base: string,
    readonly prefix: string,
    private readonly checkAxe = true,
  ) {}
  /** After each page: axe-core, and a screenshot for a person to look at. */
  async looked(name: string): Promise<void> {
    await this.page.screenshot({ path: path.join(screenshotDir(), `${this.prefix}-${name}.png`), fullPage: true });
    if (!this.checkAxe) return;
    const found = await axeViolations(this.page);
    if (found.length > 0) this.violations[name] = found;
  }
  async goto(pathname: string, name?: string): Promise<void> {
    await this.page.goto(`${this.base}${pathname}`);
    if (name) await this.looked(name);
  }
  async signIn(field: 'coordinatorId' | 'token', value: string): Promise<void> {
    await this.goto('/sign-in', 'sign-in');
    await this.page.fill(`#${field}`, value);
    await this.page.click('button:has-text("Sign in")');
  }
  heading(): Promise<string> {
    return this.page.locator('h1').first().innerText();
  }
}

async function fillDate(page: Page, name: string, iso: string): Promise<void> {
  const [y, m, d] = iso.split('-');
  await page.fill(`#${name}-day`, String(Number(d)));
  await page.fill(`#${name}-month`, String(Number(m)));
  await page.fill(`#${name}-year`, y!);
}

async function referThroughForm(v: Visit, name: string): Promise<string> {
  await v.goto('/refer', 'refer');
  await fillDate(v.page, 'dateOfBirth', bornYearsAgo(17));
  await v.page.check('#careExperienced');
  await v.page.fill('#referrerId', 'sw-17');
  await v.page.fill('#name', name);
  await v.page.click('button:has-text("Refer")');
  const id = /\/journeys\/young-person\/(yp-[0-9a-z]+)/.exec(v.page.url())?.[1];
  expect(id, `after referring, at ${v.page.url()}: ${await v.page.locator('main').innerText()}`).toBeTruthy();
  return id!;
}

/** Record an event through its form: `choose` fills it in. Returns the page's text after. */
async function record(v: Visit, kind: string, id: string, type: string, choose: (page: Page) => Promise<void>, name?: string): Promise<string> {
  await v.goto(`/journeys/${kind}/${id}/record/${type}`, name);
  expect(await v.heading(), await v.page.locator('main').innerText()).not.toMatch(/^(Not found|Not allowed|Something went wrong|Refused)/);
  await choose(v.page);
  await v.page.click('button:has-text("Record")');
  return v.page.locator('main').innerText();
}

describe('web app in a browser', () => {
  it("a co-ordinator's day: refer, see the nudge on Today, record through the forms, a too-early proposal refused with every gate, then proposed", async () => {
    const policy = { youngPerson: { firstContactWithin: '3 seconds' } };
    await withJourneyWorker(env(), { indexed: true, policy }, async (h) => {
      const web = await startWeb(h);
      const context = await browser.newContext();
      const v = new Visit(await context.newPage(), web.url, 'flow');
      try {
        await v.signIn('coordinatorId', 'co-web');
        expect(await v.heading()).toBe('Today');
        await v.looked('today-empty');

        const name = `Jamie "J" <script>window.pwned=1</script> Ødegård`;
        const yp = await referThroughForm(v, name);
        await v.looked('journey-referred');
        // Escaped, shown as text, never run.
        expect(await v.page.locator('main').innerText()).toContain(name);
        expect(await v.page.evaluate(() => (globalThis as unknown as { pwned?: number }).pwned)).toBeUndefined();

        // The first-contact nudge falls due and appears on Today, with the action that resolves it.
        const action = await eventually(
          async () => {
            await v.goto('/today');
            const row = v.page.locator('tr', { hasText: yp });
            return (await row.count()) > 0 && (await row.innerText()).includes('Overdue') ? row.locator('a', { hasText: 'Record first contact' }).getAttribute('href') : null;
          },
          (href) => Boolean(href),
          20_000,
        );
        await v.looked('today-overdue');
        await v.goto(action!, 'record-contact');
        await v.page.check('#method-2'); // in person
        await v.page.click('button:has-text("Record")');
        expect(await v.page.locator('.govuk-notification-banner').innerText()).toContain('Recorded: record first contact');
        await v.looked('journey-contacted');

        // A mistake is refused with the field named, and nothing is recorded.
        const invalid = await record(v, 'young-person', yp, 'consent.recorded', async () => {});
        expect(invalid).toContain('There is a problem');
        expect(await v.page.locator('.govuk-error-summary__list a[href="#consent"]').count()).toBe(1);
        await v.looked('record-consent-refused');
        expect((await h.journeys.status('youngPerson', yp)).state).toBe('referral.contacted');

        await record(v, 'young-person', yp, 'consent.recorded', async (p) => {
          await p.check('#consent');
          await p.fill('#ownGoals', 'find a college course');
        });
        await record(v, 'young-person', yp, 'readiness.assessed', (p) => p.check('#outcome'));
        const prefs = await record(v, 'young-person', yp, 'preferences.recorded', (p) => p.check('#mentorType-3'), 'record-preferences');
        expect(prefs).toContain('Recorded');
        expect((await h.journeys.status('youngPerson', yp)).stage).toBe('waitingForMatch');

        // A volunteer's enquiry through its form.
        await v.goto('/volunteers/new', 'volunteer-new');
        await v.page.check('#type');
        await fillDate(v.page, 'dateOfBirth', bornYearsAgo(45));
        await v.page.fill('#email', 'sam@example.org');
        await v.page.fill('#firstName', 'Sam');
        await v.page.click('button:has-text("Register enquiry")');
        const vol = /\/journeys\/volunteer\/(vol-[0-9a-z]+)/.exec(v.page.url())?.[1];
        expect(vol, await v.page.locator('main').innerText()).toBeTruthy();

        // Too early: refused, every unmet gate listed in the CLI's words, nothing recorded.
        await v.goto(`/matches/new?youngPersonId=${yp}&volunteerId=${vol}`, 'match-new');
        await v.page.click('button:has-text("Propose match")');
        // allInnerTexts does not wait: under load it read the form before the refused page came.
        await v.page.locator('.govuk-error-summary').waitFor();
        const listed = await v.page.locator('.govuk-error-summary__list li').allInnerTexts();
        const refusal = await h.journeys.proposeMatch({ youngPersonId: yp, volunteerId: vol!, by: { role: 'coordinator', id: 'co-web' } }).catch((e: unknown) => e);
        expect(refusal).toBeInstanceOf(JourneyRefusedError);
        expect(listed.length).toBeGreaterThan(1);
        expect(listed).toEqual((refusal as JourneyRefusedError).reasons);
        await v.looked('match-refused');
        expect((await h.journeys.status('volunteer', vol!)).facts.matchesProposed).toBe(0);

        // The volunteer's way to ready, through the forms.
        await record(v, 'volunteer', vol!, 'infoSession.attended', async () => {});
        await record(v, 'volunteer', vol!, 'application.received', async () => {});
        await record(v, 'volunteer', vol!, 'interview.held', async (p) => {
          await p.check('#outcome');
          await p.check('#faceToFace');
        });
        await record(v, 'volunteer', vol!, 'check.recorded', async (p) => {
          await p.check('#checkType');
          await fillDate(p, 'issuedOn', new Date().toISOString().slice(0, 10));
          await p.fill('#referenceNumber', 'PVG-1234');
          await p.check('#decision');
        }, 'record-check');
        for (const referee of ['ref-1', 'ref-2']) {
          await record(v, 'volunteer', vol!, 'reference.received', async (p) => {
            await p.fill('#refereeRef', referee);
            await p.check('#satisfactory');
          });
        }
        await record(v, 'volunteer', vol!, 'training.sessionLogged', async (p) => {
          await p.fill('#hours', '20.5');
          for (const [i] of trainingTopics.entries()) await p.check(`#topics${i === 0 ? '' : `-${i + 1}`}`);
        }, 'record-training');
        await record(v, 'volunteer', vol!, 'training.completed', async () => {});
        const ready = await record(v, 'volunteer', vol!, 'suitability.reviewed', (p) => p.check('#outcome'));
        expect(ready, ready).toContain('Recorded');
        expect((await h.journeys.status('volunteer', vol!)).stage).toBe('available');
        await v.goto('/volunteers', 'volunteers');
        expect(await v.page.locator('tr', { hasText: vol! }).innerText()).toContain('20.5 of');

        // Matching help: the plan across the waiting list suggests this pair; the shortlist proposes it.
        await eventually(
          async () => {
            await v.goto('/matches/plan');
            return v.page.locator('tr', { hasText: vol! }).count();
          },
          (rows) => rows > 0,
          20_000,
        );
        expect(await v.page.locator('tr', { hasText: vol! }).innerText()).toContain(yp);
        expect(await v.page.locator('main').innerText()).toContain('Nothing has been proposed.');
        await v.looked('match-plan');
        await v.goto(`/matches/new?youngPersonId=${yp}`, 'match-shortlist');
        expect(await v.page.locator('caption').innerText()).toContain(`may be proposed to ${yp}`);
        await v.page.click(`button[aria-label="Propose ${vol} to ${yp}"]`);
        const banner = await v.page.locator('.govuk-notification-banner').innerText();
        const matchId = /Match (m-[0-9a-z]+) proposed/.exec(banner)?.[1];
        expect(matchId, banner).toBeTruthy();
        // On both journeys' pages.
        await eventually(async () => (await h.journeys.status('youngPerson', yp)).stage, (s) => s === 'matchProposed');
        await v.goto(`/journeys/young-person/${yp}`, 'journey-proposed');
        expect(await v.page.locator('main').innerText()).toContain('match proposed');
        await v.goto(`/journeys/volunteer/${vol}`);
        expect(await v.page.locator('main').innerText()).toContain(matchId!);
        await v.goto(`/journeys/match/${matchId}`, 'journey-match');
        expect(await v.heading()).toContain(matchId!);
        await v.goto('/caseload', 'caseload');
        await v.goto('/settings', 'settings');

        // Reports: the live report is the one an auditor makes offline from an export.
        await v.goto('/reports', 'reports');
        const exportDir = mkdtempSync(path.join(tmpdir(), 'mentorflow-web-export-'));
        await exportJourneys({ client: h.client, outDir: exportDir });
        const offline = schemeReport(await loadEncodedJourneys([exportDir], h.privacy.codec), {
          from: new Date(Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`) - 91 * 86_400_000).toISOString(),
          to: new Date(Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`) + 86_400_000).toISOString(),
          policy: h.policy,
        });
        expect(await v.page.locator('.govuk-inset-text').innerText()).toBe(`${offline.headline}.`);
        expect(offline.funnel[0]!.count).toBeGreaterThan(0);
        // The funnel and the nudges; no match has started or ended yet, so no time-to-match or length chart.
        expect(await v.page.locator('figure svg[role="img"]').count()).toBe(2);
        await v.page.fill('#to-day', '31');
        await v.page.fill('#to-month', '2');
        await v.page.click('button:has-text("Show report")');
        expect(await v.page.locator('.govuk-error-summary').innerText()).toContain('Enter the last day of the period as a real date');
        await v.looked('reports-refused');

        expect(v.violations).toEqual({});
      } finally {
        await context.close();
        await web.app.close();
      }
    });
  }, 180_000);

  it('works with JavaScript off, and the keyboard reaches every control of a form', async () => {
    await withJourneyWorker(env(), { indexed: true }, async (h) => {
      const web = await startWeb(h);
      const context = await browser.newContext({ javaScriptEnabled: false });
      const v = new Visit(await context.newPage(), web.url, 'nojs', false);
      try {
        await v.signIn('coordinatorId', 'co-nojs');
        const yp = await referThroughForm(v, 'Alex NoScript');
        await record(v, 'young-person', yp, 'contact.recorded', (p) => p.check('#method'));
        expect((await h.journeys.status('youngPerson', yp)).state).toBe('referral.contacted');
      } finally {
        await context.close();
      }
      const keyboard = await browser.newContext();
      const page = await keyboard.newPage();
      try {
        const k = new Visit(page, web.url, 'keys', false);
        await k.signIn('coordinatorId', 'co-keys');
        const yp = await referThroughForm(k, 'Kim Keys');
        await k.goto(`/journeys/young-person/${yp}/record/preferences.recorded`);
        const controls = await page.locator('main form input:not([type=hidden]), main form textarea, main form select, main form button').evaluateAll((els) => els.map((e) => (e as unknown as Focusable).id || (e as unknown as Focusable).innerText));
        const reached = new Set<string>();
        for (let i = 0; i < 80; i++) {
          await page.keyboard.press('Tab');
          reached.add(await page.evaluate(() => { const active = (globalThis as unknown as { document: { activeElement: Focusable | null } }).document.activeElement; return active?.id || active?.innerText || ''; }));
        }
        // Radios are one tab stop (arrow keys move within a group): each group's first or checked radio counts.
        const groups = new Map<string, string[]>();
        for (const id of controls) groups.set(id.replace(/-\d+$/, ''), [...(groups.get(id.replace(/-\d+$/, '')) ?? []), id]);
        const missed = [...groups.entries()].filter(([, ids]) => !ids.some((id) => reached.has(id))).map(([g]) => g);
        expect(missed).toEqual([]);
      } finally {
        await keyboard.close();
        await web.app.close();
      }
    });
  }, 120_000);

  it("with a users file: a referrer sees only their own referrals, an auditor cannot record, and a forged form is refused", async () => {
    await withJourneyWorker(env(), { indexed: true }, async (h) => {
      const usersFile = path.join(mkdtempSync(path.join(tmpdir(), 'mentorflow-users-')), 'users.yaml');
      const coordinator = addUser(usersFile, { id: 'co-u', role: 'coordinator' }, 'test').token;
      const referrer = addUser(usersFile, { id: 'sw-u', role: 'referrer' }, 'test').token;
      const auditor = addUser(usersFile, { id: 'au-u', role: 'auditor' }, 'test').token;
      const web = await startWeb(h, { usersFile });
      const open = async (prefix: string) => new Visit(await (await browser.newContext()).newPage(), web.url, prefix);
      try {
        // Someone else's referral.
        const other = await h.journeys.start('youngPerson', {
          journeyId: 'yp-otherref01',
          coordinatorId: 'co-u',
          startedAt: new Date().toISOString(),
          referral: { referredBy: { role: 'referrer', id: 'sw-other' }, dateOfBirth: bornYearsAgo(17), careExperienced: true },
        });

        const bad = await open('users');
        await bad.signIn('token', 'mft_not-a-token');
        expect(await bad.page.locator('.govuk-error-summary').innerText()).toContain('not the token of any user');

        const r = await open('referrer');
        await r.signIn('token', referrer);
        expect(await r.heading()).toBe('My referrals');
        await r.looked('my-referrals');
        await r.goto('/refer');
        await fillDate(r.page, 'dateOfBirth', bornYearsAgo(16));
        await r.page.check('#careExperienced');
        await r.page.click('button:has-text("Refer")');
        const mine = /\/journeys\/young-person\/(yp-[0-9a-z]+)/.exec(r.page.url())?.[1];
        expect(mine, await r.page.locator('main').innerText()).toBeTruthy();
        await r.looked('referrer-journey');
        expect(await r.page.locator('main').innerText()).not.toContain('Record first contact');
        const byLink = await r.page.goto(`${web.url}/journeys/young-person/${other.journeyId}`);
        expect(byLink?.status()).toBe(404);
        await r.goto(`/caseload?id=${other.journeyId}`);
        expect(await r.page.locator('main').innerText()).toContain(`No referral ${other.journeyId} of yours`);
        expect((await r.page.goto(`${web.url}/caseload`))?.status()).toBe(200); // their own referrals page, not the scheme's

        const a = await open('auditor');
        await a.signIn('token', auditor);
        await a.goto(`/journeys/young-person/${other.journeyId}`, 'auditor-journey');
        expect(await a.page.locator('main').innerText()).not.toContain('Record first contact');
        // The auditor's export: the journey's history as `mentorflow audit replay` reads it.
        const download = await a.page.request.get(`${web.url}/journeys/young-person/${other.journeyId}/history.json`);
        expect(download.status()).toBe(200);
        // Encrypted as stored: read with the scheme's keyring, as `audit replay` does.
        expect(readRun(await decodeHistory(historyFromJSON(await download.text()), h.privacy.codec)).workflowId).toBe(other.workflowId);
        expect((await r.page.request.get(`${web.url}/journeys/young-person/${mine}/history.json`)).status()).toBe(403);
        // Even a hand-made post with a valid CSRF token is refused: the permission table says no.
        await a.goto(`/journeys/young-person/${other.journeyId}/record/contact.recorded`);
        expect(await a.heading()).toBe('Not allowed');
        const token = await a.page.evaluate(() => (globalThis as unknown as { document: { querySelector(s: string): { value: string } | null } }).document.querySelector('input[name=_csrf]')?.value);
        const posted = await a.page.request.post(`${web.url}/journeys/young-person/${other.journeyId}/record/contact.recorded`, { form: { _csrf: token ?? '', method: 'phone' }, maxRedirects: 0 });
        expect(posted.status()).toBe(403);

        const c = await open('coordinator');
        await c.signIn('token', coordinator);
        expect(await c.heading()).toBe('Today');
        const forged = await c.page.request.post(`${web.url}/journeys/young-person/${other.journeyId}/record/contact.recorded`, { form: { method: 'phone' }, maxRedirects: 0 });
        expect(forged.status()).toBe(403);
        expect(await forged.text()).toContain('security token');
        expect((await h.journeys.status('youngPerson', other.journeyId)).stage).toBe('referral');
        // Signed out, the session is gone.
        await c.page.click('button:has-text("Sign out")');
        expect((await c.page.goto(`${web.url}/today`))?.url()).toContain('/sign-in');
        expect({ ...r.violations, ...a.violations }).toEqual({});
      } finally {
        await web.app.close();
      }
    });
  }, 180_000);
});
