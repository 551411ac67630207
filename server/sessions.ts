/**
 * Web sessions: the browser holds only a random session id (an httpOnly, SameSite=Strict cookie);
 * the server holds who it is. Sessions end on sign-out, after an idle spell and after a working
 * day however busy, and with the server's restart (kept in memory: a restart means signing in again).
 */
import { randomBytes } from 'node:crypto';
import type { Principal } from '../access';

export const SESSION_COOKIE = 'mentorflow_session';

export interface Session {
  id: string;
  principal: Principal;
  /** Users-file mode: the token, so that a user removed from the file is signed out at once. */
  token?: string;
  createdAt: number;
  lastSeenAt: number;
  /** A message for the next page (after a redirect): "Contact recorded". */
  flash?: string;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly limits: { idleMinutes: number; maxHours: number },
    private readonly now: () => Date,
  ) {}

  create(principal: Principal, token?: string): Session {
    this.sweep();
    const at = this.now().getTime();
    const session: Session = { id: randomBytes(32).toString('base64url'), principal, ...(token ? { token } : {}), createdAt: at, lastSeenAt: at };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id (its idle clock restarted), or undefined. */
  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    const at = this.now().getTime();
    if (this.expired(session, at)) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastSeenAt = at;
    return session;
  }

  end(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  get cookieMaxAgeSeconds(): number {
    return this.limits.maxHours * 3600;
  }

  private expired(session: Session, at: number): boolean {
    return at - session.lastSeenAt > this.limits.idleMinutes * 60_000 || at - session.createdAt > this.limits.maxHours * 3_600_000;
  }

  private sweep(): void {
    const at = this.now().getTime();
    for (const [id, session] of this.sessions) if (this.expired(session, at)) this.sessions.delete(id);
  }
}
