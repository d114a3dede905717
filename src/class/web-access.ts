/**
 * Who may open the instructor's web view: a browser that redeemed a one-time login link.
 *
 * The link is printed on the instructor's terminal only. It is neither the class token (which the
 * room has) nor the instructor token (which stays in its file): it opens one browser, once, within
 * a few minutes, and gives that browser a session cookie (HttpOnly, SameSite=Strict). Codes and
 * sessions are kept hashed and in memory, so a restarted server asks for a new link.
 */
import { hashToken, newToken } from './secrets.js';

export const LOGIN_LINK_MS = 10 * 60_000;
export const SESSION_MS = 12 * 3600_000;
/** At most this many links and sessions are kept: minting more forgets the oldest. */
const MAX_KEPT = 50;

export interface WebSession {
  /** Sent back by the page with every change it asks for (clearing a hand). */
  csrfToken: string;
}

export class WebAccess {
  private readonly codes = new Map<string, number>();
  private readonly sessions = new Map<string, { expiresAt: number; csrfToken: string }>();

  constructor(
    /** Per server, so two class servers on one machine (cookies ignore ports) keep apart. */
    readonly cookieName: string,
    private readonly clock: () => number = Date.now,
  ) {}

  /** A fresh one-time code for the login link. */
  newLoginCode(): string {
    const code = newToken();
    keep(this.codes, key(code), this.clock() + LOGIN_LINK_MS);
    return code;
  }

  /** Trades a code for a session; undefined when the code is unknown, used or expired. */
  redeem(code: string | null): { sessionId: string; session: WebSession } | undefined {
    if (!code) return undefined;
    const k = key(code);
    const expiresAt = this.codes.get(k);
    this.codes.delete(k); // once, whatever happens next
    if (expiresAt === undefined || expiresAt < this.clock()) return undefined;
    const sessionId = newToken();
    const session = { expiresAt: this.clock() + SESSION_MS, csrfToken: newToken() };
    keep(this.sessions, key(sessionId), session);
    return { sessionId, session: { csrfToken: session.csrfToken } };
  }

  /** The session the request's cookie names, if it is one of ours and still valid. */
  session(cookieHeader: string | undefined): WebSession | undefined {
    const id = readCookie(cookieHeader, this.cookieName);
    if (!id) return undefined;
    const session = this.sessions.get(key(id));
    if (!session) return undefined;
    if (session.expiresAt < this.clock()) {
      this.sessions.delete(key(id));
      return undefined;
    }
    return { csrfToken: session.csrfToken };
  }

  setCookie(sessionId: string): string {
    return `${this.cookieName}=${sessionId}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${SESSION_MS / 1000}`;
  }
}

/** Map keys are hashes: a heap dump or a timing probe of the map does not give away a live code. */
function key(secret: string): string {
  return hashToken(secret).toString('base64url');
}

function keep<V>(map: Map<string, V>, k: string, value: V): void {
  if (map.size >= MAX_KEPT) map.delete(map.keys().next().value!);
  map.set(k, value);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{1,256}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}
