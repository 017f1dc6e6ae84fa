/**
 * Console sign-in sessions: an operator trades the admin token for a random session id kept in
 * an HttpOnly cookie, plus a per-session CSRF token the page must echo in a header on every
 * action. Sessions live in memory (a restart signs everyone out) and expire after a fixed time.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'dg_console';
export const CSRF_HEADER = 'x-csrf-token';
/** Default session lifetime: a working day. */
export const DEFAULT_SESSION_TTL_MS = 8 * 60 * 60 * 1000;
/** Bound on live sessions so repeated sign-ins cannot grow memory without limit. */
const MAX_SESSIONS = 10_000;

export interface Session {
  id: string;
  csrf: string;
  /** Who signed in, as recorded in the audit log: `console` or `console:<name they gave>`. */
  actor: string;
  expiresAt: number;
}

export interface SessionStore {
  create(actor?: string): Session;
  /** The live session with this id, or undefined when unknown or expired. */
  get(id: string | undefined): Session | undefined;
  delete(id: string): void;
}

const token = (): string => randomBytes(32).toString('base64url');

/**
 * In-memory session store.
 *
 * @example
 * const sessions = createSessionStore();
 * const s = sessions.create(); // set-cookie dg_console=s.id; page gets s.csrf
 */
export function createSessionStore(opts: { ttlMs?: number; now?: () => number } = {}): SessionStore {
  const ttl = opts.ttlMs ?? DEFAULT_SESSION_TTL_MS;
  const now = opts.now ?? Date.now;
  const sessions = new Map<string, Session>();
  return {
    create(actor = 'console') {
      if (sessions.size >= MAX_SESSIONS) {
        const t = now();
        for (const [id, s] of sessions) if (s.expiresAt <= t) sessions.delete(id);
        // Still full: drop the oldest (Map keeps insertion order).
        const oldest = sessions.keys().next();
        if (sessions.size >= MAX_SESSIONS && oldest.done !== true) sessions.delete(oldest.value);
      }
      const session = { id: token(), csrf: token(), actor, expiresAt: now() + ttl };
      sessions.set(session.id, session);
      return session;
    },
    get(id) {
      if (id === undefined) return undefined;
      const session = sessions.get(id);
      if (session === undefined) return undefined;
      if (session.expiresAt <= now()) {
        sessions.delete(id);
        return undefined;
      }
      return session;
    },
    delete(id) {
      sessions.delete(id);
    },
  };
}

/**
 * Value of cookie `name` in a Cookie header, or undefined.
 *
 * @example
 * readCookie('a=1; dg_console=xyz', 'dg_console'); // 'xyz'
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * Set-Cookie value for a session; `secure` when the console is reached over TLS.
 *
 * @example
 * res.setHeader('set-cookie', sessionCookie(s.id, true, 28800));
 */
export function sessionCookie(id: string, secure: boolean, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${id}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

/**
 * Constant-time check of the CSRF header against the session's token.
 *
 * @example
 * csrfMatches(req.headers['x-csrf-token'], session.csrf); // boolean
 */
export function csrfMatches(header: string | string[] | undefined, expected: string): boolean {
  if (typeof header !== 'string') return false;
  const a = Buffer.from(header);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
