/**
 * The codec server on loopback, with real keyrings and person keys: who may decode, CORS for the
 * Web UI's origin only, personal fields opened or hidden by role, erasure, a wrong key as a clear
 * error; and the real Temporal CLI reading a journey's history through it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import {
  OPERATOR,
  ensureOperatorToken,
  startCodecServer,
  tokenAuthenticator,
  type CodecPrincipal,
  type CodecServer,
} from '../../privacy/codec-server';
import { SEALED_PLACEHOLDER, type Privacy } from '../../privacy';
import { resolveTemporalBinaries } from '../../config/temporal-paths.mjs';
import { freshPrivacy, testPrivacy } from '../helpers/privacy';
import { createDevServerEnvironment } from '../helpers/temporal-env';
import { withJourneyWorker } from '../helpers/journey-worker';
import { referralStart } from '../helpers/scenario';

const UI_ORIGIN = 'http://127.0.0.1:8233';
const principals: Record<string, CodecPrincipal> = {
  'tok-coordinator-0001': { id: 'co-1', role: 'coordinator', personalData: true },
  'tok-auditor-000000001': { id: 'aud-1', role: 'auditor', personalData: false },
  'tok-auditor-granted-01': { id: 'aud-2', role: 'auditor', personalData: true },
  'tok-referrer-0000001': { id: 'sw-1', role: 'referrer', personalData: false },
};
const authenticate = tokenAuthenticator(Object.entries(principals).map(([token, principal]) => ({ token, principal })));

const toPayload = (value: unknown): Payload => defaultPayloadConverter.toPayload(value)!;
const asJson = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});
const fromJson = (p: { metadata: Record<string, string>; data: string }): unknown =>
  defaultPayloadConverter.fromPayload({
    metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(p.data, 'base64'),
  });

async function post(url: string, payloads: Payload[], headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default', ...headers },
    body: JSON.stringify({ payloads: payloads.map(asJson) }),
  });
  const body = (await response.json()) as { payloads?: { metadata: Record<string, string>; data: string }[]; error?: string };
  return { status: response.status, headers: response.headers, body };
}

describe('the codec server', () => {
  let privacy: Privacy;
  let server: CodecServer;
  const lines: string[] = [];

  beforeAll(async () => {
    privacy = freshPrivacy();
    server = await startCodecServer({
      codec: privacy.codec,
      personalData: privacy.personalData,
      authenticate,
      port: 0,
      allowedOrigins: [UI_ORIGIN],
      log: (line) => lines.push(line),
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  const encrypted = (...values: unknown[]) => privacy.codec.encode(values.map(toPayload));
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  it('binds to loopback by default and decodes what the EncryptionCodec encoded, with a bearer token', async () => {
    expect(server.host).toBe('127.0.0.1');
    const payloads = await encrypted({ stage: 'referral', note: 'x' }, 'second');
    const { status, body } = await post(`${server.url}/decode`, payloads, bearer('tok-coordinator-0001'));
    expect(status).toBe(200);
    expect(body.payloads!.map(fromJson)).toEqual([{ stage: 'referral', note: 'x' }, 'second']);
    // Metadata of a decoded payload is the original's (json/plain), not the encrypted wrapper's.
    expect(Buffer.from(body.payloads![0]!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
  });

  it('takes the token from the path too (the Web UI cannot send headers), under any mount point', async () => {
    const payloads = await encrypted('from the Web UI');
    for (const url of [`${server.url}/t/tok-coordinator-0001/decode`, `${server.url}/t/tok-coordinator-0001/default/decode`]) {
      const { status, body } = await post(url, payloads);
      expect(status).toBe(200);
      expect(body.payloads!.map(fromJson)).toEqual(['from the Web UI']);
    }
  });

  it('refuses without a token and with a bad one (401), and a referrer (403)', async () => {
    const payloads = await encrypted('secret');
    const none = await post(`${server.url}/decode`, payloads);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/Bearer/);
    expect(none.body.payloads).toBeUndefined();
    expect((await post(`${server.url}/decode`, payloads, bearer('tok-wrong-0000000000'))).status).toBe(401);
    expect((await post(`${server.url}/t/tok-wrong-0000000000/decode`, payloads)).status).toBe(401);
    expect((await post(`${server.url}/decode`, payloads, { Authorization: 'tok-coordinator-0001' })).status).toBe(401);
    const referrer = await post(`${server.url}/decode`, payloads, bearer('tok-referrer-0000001'));
    expect(referrer.status).toBe(403);
    expect(referrer.body.error).toMatch(/referrer cannot read histories/);
    expect(JSON.stringify(referrer.body)).not.toMatch(/secret/);
  });

  it('answers the CORS preflight for the Web UI origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/t/tok-coordinator-0001/decode`, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-namespace' },
      });
    const allowed = await preflight(UI_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/X-Namespace/i);
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/Authorization/i);
    expect(allowed.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(allowed.headers.get('access-control-allow-private-network')).toBeNull();
    const fromPage = await fetch(`${server.url}/decode`, {
      method: 'OPTIONS',
      headers: { Origin: UI_ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Private-Network': 'true' },
    });
    expect(fromPage.headers.get('access-control-allow-private-network')).toBe('true');

    const other = await preflight('http://evil.example');
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    // A request from another origin is refused even with a good token.
    const fromOther = await post(`${server.url}/decode`, await encrypted('x'), { ...bearer('tok-coordinator-0001'), Origin: 'http://evil.example' });
    expect(fromOther.status).toBe(403);
    const fromUi = await post(`${server.url}/decode`, await encrypted('x'), { ...bearer('tok-coordinator-0001'), Origin: UI_ORIGIN });
    expect(fromUi.status).toBe(200);
    expect(fromUi.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
  });

  it('opens personal fields for a co-ordinator and a granted auditor, shows a placeholder to an auditor without the grant', async () => {
    const subject = 'young-person-yp-codec1';
    const input = { journeyId: 'yp-codec1', referral: { dateOfBirth: privacy.personalData.seal(subject, '2008-05-01'), careExperienced: true } };
    const payloads = await encrypted(input);
    const seen = async (token: string) => fromJson((await post(`${server.url}/decode`, payloads, bearer(token))).body.payloads![0]!);
    expect(await seen('tok-coordinator-0001')).toEqual({ journeyId: 'yp-codec1', referral: { dateOfBirth: '2008-05-01', careExperienced: true } });
    expect(await seen('tok-auditor-granted-01')).toEqual({ journeyId: 'yp-codec1', referral: { dateOfBirth: '2008-05-01', careExperienced: true } });
    expect(await seen('tok-auditor-000000001')).toEqual({ journeyId: 'yp-codec1', referral: { dateOfBirth: SEALED_PLACEHOLDER, careExperienced: true } });
  });

  it('shows "[erased on …]" once the person is erased, and leaves everyone else readable', async () => {
    const erased = 'young-person-yp-codec2';
    const kept = 'young-person-yp-codec3';
    const payloads = await encrypted({ a: privacy.personalData.seal(erased, 'Jamie Example'), b: privacy.personalData.seal(kept, 'Sam Sample') });
    privacy.personalData.keys.erase(erased, { role: 'coordinator', id: 'co-1' }, 'retention period ended', new Date('2031-02-03T10:00:00Z'));
    const { status, body } = await post(`${server.url}/decode`, payloads, bearer('tok-coordinator-0001'));
    expect(status).toBe(200);
    expect(fromJson(body.payloads![0]!)).toEqual({ a: '[erased on 2031-02-03]', b: 'Sam Sample' });
  });

  it('a payload encrypted with a key the keyring lacks is a clear error, never garbage', async () => {
    const other = freshPrivacy();
    const foreign = await other.codec.encode([toPayload('from another scheme')]);
    const { status, body } = await post(`${server.url}/decode`, foreign, bearer('tok-coordinator-0001'));
    expect(status).toBe(500);
    expect(body.payloads).toBeUndefined();
    expect(body.error).toMatch(new RegExp(`encrypted with key "${other.keyring.currentKeyId}", which is not in the keyring`));
  });

  it('encodes for a co-ordinator (the Web UI sending a signal), so the worker can decrypt it; not for an auditor', async () => {
    const { status, body } = await post(`${server.url}/encode`, [toPayload({ type: 'checkin.held' })], bearer('tok-coordinator-0001'));
    expect(status).toBe(200);
    const encoded = body.payloads!.map((p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
      data: Buffer.from(p.data, 'base64'),
    }));
    expect(encoded[0]!.metadata.encoding!.toString()).toBe('binary/encrypted');
    expect(defaultPayloadConverter.fromPayload((await privacy.codec.decode(encoded))[0]!)).toEqual({ type: 'checkin.held' });
    expect((await post(`${server.url}/encode`, [toPayload('x')], bearer('tok-auditor-granted-01'))).status).toBe(403);
  });

  it('answers a malformed body with 400 and an unknown path with 404', async () => {
    const bad = await fetch(`${server.url}/decode`, { method: 'POST', headers: bearer('tok-coordinator-0001'), body: '{"payloads": 3}' });
    expect(bad.status).toBe(400);
    expect((await fetch(`${server.url}/other`, { method: 'POST', headers: bearer('tok-coordinator-0001') })).status).toBe(404);
  });

  it('logs counts and principal ids, never payload content or tokens', () => {
    const log = lines.join('\n');
    expect(log).toMatch(/codec decode: 2 payload\(s\) for coordinator co-1/);
    expect(log).toMatch(/refused \(403\) for referrer sw-1/);
    expect(log).not.toMatch(/Jamie|Sam Sample|2008-05-01|secret|tok-/);
  });
});

describe('the operator token', () => {
  it('is made once, readable by its owner only, and authenticates as a co-ordinator with personal data', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'mentorflow-operator-'));
    const first = ensureOperatorToken(dataDir);
    expect(first.created).toBe(true);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const again = ensureOperatorToken(dataDir);
    expect(again).toMatchObject({ token: first.token, created: false });
    expect(readFileSync(first.file, 'utf8').trim()).toBe(first.token);
    const auth = tokenAuthenticator([{ token: first.token, principal: OPERATOR }]);
    expect(auth(first.token)).toEqual({ id: 'operator', role: 'coordinator', personalData: true });
    expect(auth(`${first.token}x`)).toBeUndefined();
  });
});

describe('the Temporal CLI through the codec server', () => {
  const run = promisify(execFile);
  /** The journey's start input as `temporal workflow show --output json` prints it (proto JSON: bytes in base64). */
  const startInput = (stdout: string): { encoding: string; text: string } => {
    const history = JSON.parse(stdout) as { events: { workflowExecutionStartedEventAttributes?: { input: { payloads: { metadata: { encoding: string }; data: string }[] } } }[] };
    const payload = history.events[0]!.workflowExecutionStartedEventAttributes!.input.payloads[0]!;
    return { encoding: Buffer.from(payload.metadata.encoding, 'base64').toString(), text: Buffer.from(payload.data, 'base64').toString() };
  };

  it('`temporal workflow show --codec-endpoint` shows a journey decrypted, with personal fields opened; without it, encrypted', async () => {
    const { temporalCli } = resolveTemporalBinaries();
    if (!temporalCli) throw new Error('no Temporal CLI: run `node scripts/temporal-binaries.mjs`');
    const env = await createDevServerEnvironment();
    // The keyring the environment's client encrypts with (test/helpers/temporal-env.ts).
    const privacy = testPrivacy();
    const log: string[] = [];
    const server = await startCodecServer({ codec: privacy.codec, personalData: privacy.personalData, authenticate, port: 0, log: (line) => log.push(line) });
    try {
      await withJourneyWorker(env, { privacy }, async ({ journeys }) => {
        const journeyId = `yp-cli${Date.now().toString(36)}`;
        const { workflowId } = await journeys.start('youngPerson', referralStart(journeyId, new Date().toISOString(), '2008-05-01'));
        const show = async (...extra: string[]) =>
          (await run(temporalCli, ['workflow', 'show', '--address', env.address, '--namespace', 'default', '--workflow-id', workflowId, '--output', 'json', ...extra])).stdout;

        const plain = startInput(await show());
        expect(plain.encoding).toBe('binary/encrypted');
        expect(plain.text).not.toMatch(/2008-05-01|careExperienced|sw-1/);

        const decoded = startInput(await show('--codec-endpoint', server.url, '--codec-auth', 'Bearer tok-coordinator-0001'));
        expect(decoded.encoding).toBe('json/plain');
        expect(JSON.parse(decoded.text).start).toMatchObject({ journeyId, referral: { dateOfBirth: '2008-05-01', careExperienced: true } });
        expect(decoded.text).not.toContain('sealed:v1:');

        const auditor = startInput(await show('--codec-endpoint', server.url, '--codec-auth', 'Bearer tok-auditor-000000001'));
        expect(JSON.parse(auditor.text).start.referral).toMatchObject({ dateOfBirth: SEALED_PLACEHOLDER, careExperienced: true });

        // A refused CLI retries until its deadline, then fails ("context deadline exceeded"): it never shows the payloads.
        await expect(show('--codec-endpoint', server.url, '--codec-auth', 'Bearer tok-referrer-0000001', '--command-timeout', '3s')).rejects.toThrow();
        expect(log).toContain('codec decode: refused (403) for referrer sw-1 namespace=default');
      });
    } finally {
      await server.close();
      await env.teardown();
    }
  });
});
