/**
 * A real SMTP server on loopback for activity tests (smtp-server, the server half of nodemailer's
 * project), with the failures a mail server has in real life: it can refuse a recipient for good
 * (550), defer (451), or be down altogether and come back on the same port.
 *
 * Also a small MIME reader and iCalendar reader, enough for what nodemailer writes: headers with
 * RFC 2047 words, multipart bodies, base64 and quoted-printable. Kept here rather than adding
 * mailparser, because the tests only need to look at messages this project writes.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface ReceivedMail {
  mailFrom: string;
  rcptTo: string[];
  raw: Buffer;
  message: MimePart;
}

export interface TestSmtpServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** For `createMailer({ smtp })`. */
  readonly smtp: { host: string; port: number; secure: false };
  readonly received: ReceivedMail[];
  /** Refuse this recipient for good at RCPT TO. */
  rejectRecipient(address: string, code?: number): void;
  /** Defer the next `count` messages at MAIL FROM with a 4xx reply. */
  deferNext(count: number, code?: number): void;
  /**
   * Answer the next messages at the end of DATA with these codes, one each, in order (e.g. 451
   * then 554): the message is not taken.
   */
  failDataNext(codes: number[]): void;
  /**
   * Take the next `count` messages (they count as received) and cut the connection before
   * answering "250 OK": the sender cannot know it was delivered (the classic duplicate case).
   */
  dropAfterDataNext(count: number): void;
  /** Wait this long before answering each DATA (a slow relay), so that faults land mid-send. */
  slowReplies(ms: number): void;
  /** Stop listening: connections are refused until `up()`. */
  down(): Promise<void>;
  up(): Promise<void>;
  /** Connections that reached the server (none while it is down). */
  readonly connections: number;
  stop(): Promise<void>;
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const rejected = new Map<string, number>();
  const deferred = { count: 0, code: 451 };
  const dataFailures: number[] = [];
  let drops = 0;
  let replyDelayMs = 0;
  let connections = 0;
  let port = 0;

  const options: SMTPServerOptions = {
    authOptional: true,
    // Plain SMTP on loopback: the tests are about delivery, not TLS certificates.
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 1_000,
    // No reverse DNS of 127.0.0.1 on every connection.
    disableReverseLookup: true,
    onConnect(_session, callback) {
      connections += 1;
      callback();
    },
    onMailFrom(_address, _session, callback) {
      if (deferred.count > 0) {
        deferred.count -= 1;
        return callback(smtpError(deferred.code, '4.3.0 Try again later'));
      }
      callback();
    },
    onRcptTo(address, _session, callback) {
      const code = rejected.get(address.address.toLowerCase());
      if (code) return callback(smtpError(code, `5.1.1 <${address.address}>: Recipient address rejected: User unknown`));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const failWith = dataFailures.shift();
        if (failWith !== undefined) {
          return callback(smtpError(failWith, failWith >= 500 ? '5.6.0 Message refused' : '4.3.0 Try again later'));
        }
        received.push({
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw,
          message: parseMime(raw),
        });
        if (drops > 0) {
          drops -= 1;
          // smtp-server gives no handle on the socket; its connection objects keep it as _socket.
          const connection = [...(server as unknown as { connections: Set<{ session: { id: string }; _socket: { destroy(): void } }> }).connections].find(
            (c) => c.session.id === session.id,
          );
          connection?._socket.destroy();
          return;
        }
        setTimeout(() => callback(), replyDelayMs);
      });
    },
  };

  let server: SMTPServer | undefined;
  const listen = async () => {
    const s = new SMTPServer(options);
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    s.on('error', () => {});
    port = (s.server.address() as AddressInfo).port;
    server = s;
  };
  const close = async () => {
    const s = server;
    server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };

  await listen();
  return {
    host: '127.0.0.1',
    get port() {
      return port;
    },
    get smtp() {
      return { host: '127.0.0.1', port, secure: false as const };
    },
    received,
    get connections() {
      return connections;
    },
    rejectRecipient(address, code = 550) {
      rejected.set(address.toLowerCase(), code);
    },
    deferNext(count, code = 451) {
      deferred.count = count;
      deferred.code = code;
    },
    failDataNext(codes) {
      dataFailures.push(...codes);
    },
    dropAfterDataNext(count) {
      drops = count;
    },
    slowReplies(ms) {
      replyDelayMs = ms;
    },
    down: close,
    up: listen,
    stop: close,
  };
}

// ---------------------------------------------------------------------------------------------
// MIME

export interface MimePart {
  /** Header values by lower-case name, unfolded and decoded (RFC 2047). */
  headers: Map<string, string[]>;
  header(name: string): string | undefined;
  /** Lower case, e.g. "text/plain". */
  contentType: string;
  params: Record<string, string>;
  /** Decoded (base64 / quoted-printable) body of a leaf part. */
  body: Buffer;
  parts: MimePart[];
  /** The raw header block, before decoding. */
  rawHeaders: string;
}

function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[QqBb]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_all, _charset: string, enc: string, text: string) => {
      if (enc.toUpperCase() === 'B') return Buffer.from(text, 'base64').toString('utf8');
      return decodeQuotedPrintable(text.replace(/_/g, ' ')).toString('utf8');
    });
}

function decodeQuotedPrintable(text: string): Buffer {
  const bytes: number[] = [];
  const input = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < input.length; i++) {
    const ch = input[i]!;
    if (ch === '=' && /^[0-9A-Fa-f]{2}$/.test(input.slice(i + 1, i + 3))) {
      bytes.push(parseInt(input.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(ch, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

function parseParams(value: string): { value: string; params: Record<string, string> } {
  const [first, ...rest] = value.split(';');
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"|"$/g, '');
  }
  return { value: (first ?? '').trim().toLowerCase(), params };
}

export function parseMime(raw: Buffer | string): MimePart {
  const text = typeof raw === 'string' ? raw : raw.toString('latin1');
  const split = text.search(/\r?\n\r?\n/);
  const rawHeaders = split < 0 ? text : text.slice(0, split);
  const bodyText = split < 0 ? '' : text.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string[]>();
  for (const line of rawHeaders.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = decodeWords(Buffer.from(line.slice(colon + 1).trim(), 'latin1').toString('utf8'));
    headers.set(name, [...(headers.get(name) ?? []), value]);
  }
  const { value: contentType, params } = parseParams(headers.get('content-type')?.[0] ?? 'text/plain');
  const part: MimePart = {
    headers,
    header: (name) => headers.get(name.toLowerCase())?.[0],
    contentType,
    params,
    body: Buffer.alloc(0),
    parts: [],
    rawHeaders,
  };
  if (contentType.startsWith('multipart/') && params.boundary) {
    const boundary = `--${params.boundary}`;
    const sections = bodyText.split(new RegExp(`\\r?\\n?${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    // sections[0] is the preamble; a section starting with "--" is the epilogue.
    for (const section of sections.slice(1)) {
      if (section.startsWith('--')) break;
      part.parts.push(parseMime(section.replace(/^[ \t]*\r?\n/, '')));
    }
    return part;
  }
  const encoding = (part.header('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'base64') part.body = Buffer.from(bodyText.replace(/\s+/g, ''), 'base64');
  else if (encoding === 'quoted-printable') part.body = decodeQuotedPrintable(bodyText);
  else part.body = Buffer.from(bodyText, 'latin1');
  return part;
}

/** Every leaf part, depth first. */
export function leaves(part: MimePart): MimePart[] {
  return part.parts.length ? part.parts.flatMap(leaves) : [part];
}

/** The decoded text of the first leaf of this type, or undefined. */
export function partText(message: MimePart, contentType: string, filter: (p: MimePart) => boolean = () => true): string | undefined {
  const found = leaves(message).find((p) => p.contentType === contentType && filter(p));
  return found?.body.toString('utf8');
}

// ---------------------------------------------------------------------------------------------
// iCalendar

export interface IcsProperty {
  name: string;
  params: Record<string, string>;
  value: string;
}

export interface IcsComponent {
  name: string;
  properties: IcsProperty[];
  components: IcsComponent[];
  /** The first property of that name. */
  prop(name: string): IcsProperty | undefined;
  /** The first sub-component of that name. */
  component(name: string): IcsComponent | undefined;
}

/** Parse an iCalendar object (RFC 5545): unfold, split properties and parameters, nest components. */
export function parseIcs(text: string): IcsComponent {
  const lines = text.replace(/\r\n[ \t]/g, '').split('\r\n').filter((l) => l !== '');
  const make = (name: string): IcsComponent => {
    const c: IcsComponent = {
      name,
      properties: [],
      components: [],
      prop: (n) => c.properties.find((p) => p.name === n),
      component: (n) => c.components.find((x) => x.name === n),
    };
    return c;
  };
  const root = make('ROOT');
  const stack = [root];
  for (const line of lines) {
    const property = parseIcsLine(line);
    const current = stack[stack.length - 1]!;
    if (property.name === 'BEGIN') {
      const child = make(property.value);
      current.components.push(child);
      stack.push(child);
    } else if (property.name === 'END') {
      if (current.name !== property.value) throw new Error(`END:${property.value} closes ${current.name}`);
      stack.pop();
    } else {
      current.properties.push(property);
    }
  }
  if (stack.length !== 1) throw new Error(`${stack[stack.length - 1]!.name} is never closed`);
  const calendar = root.components[0];
  if (!calendar || calendar.name !== 'VCALENDAR') throw new Error('not a VCALENDAR');
  return calendar;
}

function parseIcsLine(line: string): IcsProperty {
  // The value starts at the first colon outside a quoted parameter value.
  let inQuotes = false;
  let colon = -1;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') inQuotes = !inQuotes;
    else if (line[i] === ':' && !inQuotes) {
      colon = i;
      break;
    }
  }
  if (colon < 0) throw new Error(`not a content line: ${line}`);
  const [name, ...rawParams] = line.slice(0, colon).split(/;(?=(?:[^"]*"[^"]*")*[^"]*$)/);
  const params: Record<string, string> = {};
  for (const p of rawParams) {
    const eq = p.indexOf('=');
    params[p.slice(0, eq).toUpperCase()] = p.slice(eq + 1).replace(/^"|"$/g, '');
  }
  return { name: name!.toUpperCase(), params, value: line.slice(colon + 1) };
}

/** RFC 5545 TEXT value, unescaped. */
export function icsText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_all, ch: string) => (ch === 'n' || ch === 'N' ? '\n' : ch));
}
