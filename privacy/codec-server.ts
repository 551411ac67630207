/**
 * The codec server: Temporal's remote codec protocol over plain HTTP, so that an authorised person
 * sees decrypted payloads in the Temporal Web UI (`--ui-codec-endpoint`) and the Temporal CLI
 * (`--codec-endpoint`, `--codec-auth`). See docs/privacy.md, "Seeing decrypted data".
 *
 * - `POST <base>/decode` and `POST <base>/encode`; only the last path segment names the operation
 *   (the protocol lets the endpoint be mounted anywhere, e.g. `/{namespace}/decode`). Body and
 *   answer are Payloads as proto3 JSON: `{"payloads":[{"metadata":{"k":"<base64>"},"data":"<base64>"}]}`.
 * - Who asks: `Authorization: Bearer <token>` (the CLI's `--codec-auth`), or a capability token in
 *   the path, `/t/<token>/decode` (the dev server's Web UI cannot send headers). No token or an
 *   unknown one: 401. A referrer: 403 (the Web UI shows every journey, referrers see only their own
 *   referrals, through mentorflow). `/encode` (the Web UI's "send a signal") is for co-ordinators.
 * - Decode: the scheme's layer (EncryptionCodec) first; then, inside `json/plain` payloads, sealed
 *   personal values are opened for a principal with `personalData`, and replaced by a placeholder
 *   for anyone else ("[erased on …]" once the person's key is destroyed).
 * - A payload that cannot be decrypted (a key not in the keyring, the wrong key) fails the request
 *   with the reason in a JSON error, never with garbage.
 * - CORS for the Web UI's origin(s) only. Binds 127.0.0.1 unless told otherwise. Logs counts and
 *   principal ids, never payload content.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { isSealedValue } from '../machines/journey';
import { DecryptionError } from './aead';
import { KeyringError, UnknownKeyError } from './keyring';
import { PersonKeyMissingError } from './person-keys';
import type { PersonalData } from './sealing';
import { issueReasons } from '../contracts/refusals';

/** The roles of access/ (built apart); the codec server needs only these three facts about a person. */
export type CodecRole = 'coordinator' | 'referrer' | 'auditor' | 'leadCoordinator';

export interface CodecPrincipal {
  id: string;
  role: CodecRole;
  /** May read personal fields: co-ordinators always, auditors where granted. */
  personalData: boolean;
}

/** Who a bearer token belongs to, or undefined for an unknown token. Supplied by access/ (or the operator token below). */
export type Authenticate = (token: string) => CodecPrincipal | undefined;

export const DEFAULT_CODEC_PORT = 8234;

export interface CodecServerOptions {
  /** The scheme's payload codec (privacy/payload-codec.ts EncryptionCodec). */
  codec: PayloadCodec;
  /** Opens sealed personal values for those allowed to read them. */
  personalData: PersonalData;
  authenticate: Authenticate;
  /** Default 127.0.0.1 (this machine only). */
  host?: string;
  /** Default 8234; 0 picks a free port. */
  port?: number;
  /** Browser origins allowed to call (CORS), e.g. the Web UI's `http://127.0.0.1:8233`. Others get no CORS headers and a 403. */
  allowedOrigins?: readonly string[];
  /** One line per request: operation, counts, principal id and role. Never payload content. */
  log?: (line: string) => void;
  /** Largest request body accepted; default 64 MiB (a Web UI page of history). */
  maxBodyBytes?: number;
}

export interface CodecServer {
  /** `http://host:port`, without a token. */
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Payloads as proto3 JSON: every bytes field (data, each metadata value) is base64.

const base64Field = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'is not base64');
const payloadsBody = z.object({
  payloads: z.array(
    z.object({
      metadata: z.record(z.string(), base64Field).nullish(),
      data: base64Field.nullish(),
    }),
  ),
});
type JsonPayload = z.infer<typeof payloadsBody>['payloads'][number];

function fromJson(payload: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(payload.data ?? '', 'base64'),
  };
}

function toJson(payload: Payload): { metadata: Record<string, string>; data: string } {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
    data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
  };
}

// ---------------------------------------------------------------------------------------------
// Personal fields inside decoded payloads.

const utf8 = new TextDecoder();
const SEALED_MARKER = 'sealed:v1:';

/**
 * The payload with its sealed personal values opened (`granted`) or replaced by a placeholder.
 * Only `json/plain` payloads can hold them; anything else is returned as it is.
 */
export function revealPayload(payload: Payload, personalData: PersonalData, granted: boolean): Payload {
  const encoding = payload.metadata?.encoding;
  if (!encoding || utf8.decode(encoding) !== 'json/plain' || !payload.data) return payload;
  const text = utf8.decode(payload.data);
  if (!text.includes(SEALED_MARKER)) return payload;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return payload;
  }
  if (!containsSealed(value)) return payload;
  return { ...payload, data: Buffer.from(JSON.stringify(personalData.reveal(value, granted)), 'utf8') };
}

function containsSealed(value: unknown): boolean {
  if (typeof value === 'string') return isSealedValue(value);
  if (Array.isArray(value)) return value.some(containsSealed);
  if (value !== null && typeof value === 'object') return Object.values(value).some(containsSealed);
  return false;
}

// ---------------------------------------------------------------------------------------------
// The server.

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** Roles that may use the codec server at all, and those that may encode (write through the Web UI). */
const MAY_DECODE: ReadonlySet<CodecRole> = new Set(['coordinator', 'leadCoordinator', 'auditor']);
const MAY_ENCODE: ReadonlySet<CodecRole> = new Set(['coordinator', 'leadCoordinator']);

/** `/t/<token>/…/decode` → the token and the operation; only the last segment names the operation. */
function route(pathname: string): { operation: 'decode' | 'encode' | undefined; pathToken: string | undefined } {
  const segments = pathname.split('/').filter((s) => s !== '');
  const last = segments.at(-1);
  const operation = last === 'decode' || last === 'encode' ? last : undefined;
  let pathToken: string | undefined;
  if (segments[0] === 't' && segments.length >= 3) {
    try {
      pathToken = decodeURIComponent(segments[1]!);
    } catch {
      pathToken = undefined;
    }
  }
  return { operation, pathToken };
}

function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

function readBody(request: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    request.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limit) {
        refused = true;
        reject(new HttpError(413, `the request body is larger than ${limit} bytes`, 'CODEC.TOO_LARGE'));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!refused) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    request.on('error', reject);
  });
}

/** Errors whose message is safe and useful to show: which key, and what to restore. None carries payload content. */
function isKeyProblem(error: unknown): error is Error {
  return error instanceof DecryptionError || error instanceof UnknownKeyError || error instanceof KeyringError || error instanceof PersonKeyMissingError;
}

export async function startCodecServer(options: CodecServerOptions): Promise<CodecServer> {
  const host = options.host ?? '127.0.0.1';
  const allowedOrigins = new Set(options.allowedOrigins ?? []);
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024 * 1024;
  const log = options.log ?? (() => {});

  const corsHeaders = (origin: string | undefined, privateNetwork: boolean): Record<string, string> =>
    origin && allowedOrigins.has(origin)
      ? {
          'Access-Control-Allow-Origin': origin,
          'Access-Control-Allow-Methods': 'POST, OPTIONS',
          'Access-Control-Allow-Headers': 'Content-Type, X-Namespace, Authorization',
          'Access-Control-Max-Age': '600',
          // Chrome's Private Network Access: a page on the internet (Temporal Cloud's UI) calling loopback.
          ...(privateNetwork ? { 'Access-Control-Allow-Private-Network': 'true' } : {}),
          Vary: 'Origin',
        }
      : { Vary: 'Origin' };

  const handle = async (request: http.IncomingMessage, response: http.ServerResponse): Promise<void> => {
    const origin = request.headers.origin;
    const cors = corsHeaders(origin, request.headers['access-control-request-private-network'] === 'true');
    const send = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      const text = JSON.stringify(body);
      response.writeHead(status, { ...cors, ...extra, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
      response.end(text);
    };
    const { pathname } = new URL(request.url ?? '/', 'http://codec.invalid');
    const { operation, pathToken } = route(pathname);
    const namespace = String(request.headers['x-namespace'] ?? '-');
    let who = 'nobody';

    try {
      if (origin !== undefined && !allowedOrigins.has(origin)) {
        throw new HttpError(403, `origin ${origin} is not allowed to call this codec server (MENTORFLOW_CODEC_ORIGINS)`, 'CODEC.ORIGIN');
      }
      if (request.method === 'OPTIONS') {
        // CORS preflight: browsers send no credentials with it.
        response.writeHead(204, cors);
        response.end();
        return;
      }
      if (!operation) throw new HttpError(404, 'the codec server answers POST …/decode and POST …/encode', 'CODEC.NOT_FOUND');
      if (request.method !== 'POST') throw new HttpError(405, `${operation} takes POST`, 'CODEC.METHOD');

      const token = bearerToken(request.headers.authorization) ?? pathToken;
      const principal = token ? options.authenticate(token) : undefined;
      if (!principal) {
        log(`codec ${operation}: refused (401, ${token ? 'unknown token' : 'no token'}) namespace=${namespace}`);
        send(401, { error: 'a token is needed: Authorization: Bearer <token>, or /t/<token>/ in the endpoint URL', code: 'CODEC.UNAUTHENTICATED' }, { 'WWW-Authenticate': 'Bearer realm="mentorflow codec server"' });
        return;
      }
      who = `${principal.role} ${principal.id}`;
      if (!(operation === 'decode' ? MAY_DECODE : MAY_ENCODE).has(principal.role)) {
        log(`codec ${operation}: refused (403) for ${who} namespace=${namespace}`);
        throw new HttpError(
          403,
          operation === 'decode'
            ? `a ${principal.role} cannot read histories through the codec server (it shows every journey); use mentorflow to follow your own referrals`
            : `a ${principal.role} cannot encode payloads (the Web UI's signals and starts are for co-ordinators)`,
          'CODEC.FORBIDDEN',
        );
      }

      const text = await readBody(request, maxBodyBytes);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new HttpError(400, 'the body is not JSON', 'CODEC.BAD_REQUEST');
      }
      const parsed = payloadsBody.safeParse(json);
      if (!parsed.success) {
        throw new HttpError(400, `the body is not {"payloads":[{"metadata":{…},"data":"<base64>"}]}: ${issueReasons(parsed.error, 'body').join('; ')}`, 'CODEC.BAD_REQUEST');
      }
      const payloads = parsed.data.payloads.map(fromJson);
      let result: Payload[];
      if (operation === 'encode') {
        result = await options.codec.encode(payloads);
      } else {
        const decoded = await options.codec.decode(payloads);
        result = decoded.map((p) => revealPayload(p, options.personalData, principal.personalData));
      }
      log(`codec ${operation}: ${payloads.length} payload(s) for ${who}${operation === 'decode' ? ` (personal data ${principal.personalData ? 'shown' : 'not shown'})` : ''} namespace=${namespace}`);
      send(200, { payloads: result.map(toJson) });
    } catch (error) {
      if (error instanceof HttpError) {
        send(error.status, { error: error.message, code: error.code });
      } else if (isKeyProblem(error)) {
        log(`codec ${operation ?? '-'}: failed (${error.name}) for ${who} namespace=${namespace}`);
        send(500, { error: `cannot ${operation ?? 'decode'}: ${error.message}`, code: 'CODEC.KEY' });
      } else {
        // Unexpected: the message might quote a payload, so it is neither logged nor returned.
        log(`codec ${operation ?? '-'}: failed (${error instanceof Error ? error.name : 'error'}) for ${who} namespace=${namespace}`);
        send(500, { error: `the codec server could not ${operation ?? 'answer'} these payloads (${error instanceof Error ? error.name : 'error'})`, code: 'CODEC.FAILED' });
      }
    }
  };

  const server = http.createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_CODEC_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    host,
    port,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}

// ---------------------------------------------------------------------------------------------
// The local operator's token: until access/ configures users, the person running `npm start` is
// the one who may read the histories of this machine's dev server.

/** The operator token in `<dataDir>/operator-token` (mode 0600), made at the first run. */
export function ensureOperatorToken(dataDir: string): { token: string; file: string; created: boolean } {
  const file = path.join(dataDir, 'operator-token');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
      return { token: readToken(file), file, created: true };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  // Someone may have loosened it: a token readable by others is a key readable by others.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return { token: readToken(file), file, created: false };
}

function readToken(file: string): string {
  const token = readFileSync(file, 'utf8').trim();
  if (token.length < 16) throw new Error(`${file} does not hold a token (delete it and start again to make a new one)`);
  return token;
}

/** Each token to its principal, compared in constant time. */
export function tokenAuthenticator(tokens: ReadonlyArray<{ token: string; principal: CodecPrincipal }>): Authenticate {
  const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest();
  const known = tokens.map((t) => ({ digest: digest(t.token), principal: t.principal }));
  return (token) => {
    const candidate = digest(token);
    let found: CodecPrincipal | undefined;
    for (const k of known) if (timingSafeEqual(k.digest, candidate)) found = k.principal;
    return found;
  };
}

/** The first authenticator that knows the token, e.g. access/'s users and the operator token. */
export function anyOf(...authenticators: Authenticate[]): Authenticate {
  return (token) => {
    for (const authenticate of authenticators) {
      const principal = authenticate(token);
      if (principal) return principal;
    }
    return undefined;
  };
}

/** The local operator: a co-ordinator who may read personal data. */
export const OPERATOR: CodecPrincipal = { id: 'operator', role: 'coordinator', personalData: true };
