/**
 * Where messages go: an SMTP server, or, when none is configured, an outbox folder in which every
 * message is an `.eml` file a mail client can open (handy for a pilot, a demo or a laptop).
 * Both are nodemailer transports, so the bytes written to the outbox are the bytes SMTP would send.
 */
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { z } from 'zod';

export const smtpConfigSchema = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535),
    /** TLS from the first byte (port 465). With false, STARTTLS is still used when offered. */
    secure: z.boolean(),
    /** Refuse to send unless the server offers STARTTLS. */
    requireTLS: z.boolean().optional(),
    auth: z.object({ user: z.string().min(1), pass: z.string().min(1) }).strict().optional(),
  })
  .strict();
export type SmtpConfig = z.infer<typeof smtpConfigSchema>;

export const mailerConfigSchema = z
  .object({
    smtp: smtpConfigSchema.optional(),
    /** Used only when there is no `smtp`. */
    outboxDir: z.string().min(1).default('.data/outbox'),
  })
  .strict();
export type MailerConfig = z.input<typeof mailerConfigSchema>;

export interface MailAddress {
  name?: string;
  address: string;
}

export interface OutgoingMessage {
  /** With angle brackets: "<…@…>". */
  messageId: string;
  from: MailAddress;
  to: MailAddress;
  replyTo?: MailAddress;
  subject: string;
  text: string;
  html: string;
  /** An iTIP calendar part: sent as `text/calendar; method=…` and as an `invite.ics` attachment. */
  calendar?: { method: 'REQUEST' | 'CANCEL'; content: string };
  headers?: Record<string, string>;
}

export interface SendResult {
  /** True when the outbox already held this Message-ID: nothing was written. */
  duplicate: boolean;
}

export interface Mailer {
  readonly deliversTo: 'smtp' | 'outbox';
  send(message: OutgoingMessage): Promise<SendResult>;
  close(): void;
}

export function createMailer(config: MailerConfig): Mailer {
  const parsed = mailerConfigSchema.parse(config);
  return parsed.smtp ? smtpMailer(parsed.smtp) : outboxMailer(parsed.outboxDir);
}

function mailOptions(message: OutgoingMessage) {
  return {
    messageId: message.messageId,
    from: message.from,
    to: message.to,
    ...(message.replyTo ? { replyTo: message.replyTo } : {}),
    subject: message.subject,
    text: message.text,
    html: message.html,
    ...(message.calendar
      ? { icalEvent: { method: message.calendar.method, filename: 'invite.ics', content: message.calendar.content } }
      : {}),
    headers: message.headers ?? {},
  };
}

// Messages are built from templates and data here, never from files or URLs.
const noContentFetching = { disableFileAccess: true, disableUrlAccess: true } as const;

function smtpMailer(smtp: SmtpConfig): Mailer {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.requireTLS !== undefined ? { requireTLS: smtp.requireTLS } : {}),
    ...(smtp.auth ? { auth: smtp.auth } : {}),
    // Fail an attempt well inside an activity's start-to-close timeout, so Temporal can retry it.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    ...noContentFetching,
  });
  return {
    deliversTo: 'smtp',
    async send(message) {
      await transport.sendMail(mailOptions(message));
      return { duplicate: false };
    },
    close: () => transport.close(),
  };
}

/** "<3f…@scheme.org.uk>" becomes "3f…_scheme.org.uk": safe on every file system. */
export function safeFileStem(messageId: string): string {
  return messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9._-]/g, '_');
}

function fileTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace('.', '');
}

function outboxMailer(outboxDir: string): Mailer {
  const transport = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    // RFC 5322 lines end in CRLF.
    newline: 'windows',
    ...noContentFetching,
  });
  return {
    deliversTo: 'outbox',
    async send(message) {
      await mkdir(outboxDir, { recursive: true });
      const stem = safeFileStem(message.messageId);
      // The file name starts with the time, so the folder lists in the order messages were sent;
      // the Message-ID part makes a second write of the same message a no-op.
      const existing = await readdir(outboxDir);
      if (existing.some((name) => name.endsWith(`-${stem}.eml`))) return { duplicate: true };
      const info = await transport.sendMail(mailOptions(message));
      const name = `${fileTimestamp(new Date())}-${stem}.eml`;
      const partial = path.join(outboxDir, `.${name}.partial`);
      // Write then rename, so a mail client or a watcher never sees half a message.
      await writeFile(partial, info.message as Buffer);
      await rename(partial, path.join(outboxDir, name));
      return { duplicate: false };
    },
    close: () => transport.close(),
  };
}
