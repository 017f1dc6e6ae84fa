/**
 * HTTP front of the analyst console under `/console`: the page and its bundled script, sign-in
 * (admin token → session cookie), and the console API. Reads and writes of accounts, keys,
 * enforcement, decisions and audit are forwarded to the admin API (same services, same audit
 * trail) with the operator's session standing in for the bearer token. Every request but the page,
 * the script and sign-in needs a session; every state-changing one also needs the session's CSRF
 * token in `X-CSRF-Token`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { defaultPolicy, type Policy } from '../detect/policy.js';
import { adminTokenMatches, MIN_ADMIN_TOKEN_LENGTH } from '../gateway/admin/admin-token.js';
import { HttpError, readJsonObject, sendError, sendJson } from '../gateway/admin/http.js';
import { MAX_SIGNAL_ACCOUNTS } from './campaign-signals.js';
import {
  accountExchanges,
  type ConsoleApiDeps,
  ConsoleApiError,
  campaignAccounts,
  campaignAction,
  campaignDecisions,
  campaignExamples,
  campaignSignals,
  exportIndicators,
  overview,
  TRAFFIC_POINTS,
  traffic,
} from './console-api.js';
import { CONSOLE_HEADERS, consolePage } from './console-page.js';
import {
  CSRF_HEADER,
  createSessionStore,
  csrfMatches,
  DEFAULT_SESSION_TTL_MS,
  readCookie,
  SESSION_COOKIE,
  type Session,
  type SessionStore,
  sessionCookie,
} from './session.js';
import { createSignInGuard, type SignInGuard } from './sign-in-guard.js';
import { cachedTrafficHistory } from './traffic-history.js';

export interface ConsoleHandlerDeps extends ConsoleApiDeps {
  adminToken: string | undefined;
  /** The admin API handler the console forwards to. */
  admin: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  /** The built browser bundle, or undefined when it has not been built. */
  appJs: () => Promise<string | undefined>;
  sessions?: SessionStore;
  /** The detector policy in force, shown read-only (default: the built-in policy). */
  policy?: Policy;
  /** Where `policy` comes from, shown beside it (default: BUILT_IN_POLICY_SOURCE). */
  policySource?: string;
  /** Limits wrong-token sign-ins (default: 20 a minute, then refused until the minute ends). */
  signInGuard?: SignInGuard;
  /** Where unexpected errors go (default: stderr); the browser only sees a 500. */
  onInternalError?: (error: unknown) => void;
}

/** What the policy view says when the detector runs the built-in policy. */
export const BUILT_IN_POLICY_SOURCE = 'built-in default (src/detect/default-policy.json)';

const MAX_BODY = 16 * 1024;
const SAFE_METHODS = new Set(['GET', 'HEAD']);

function isTls(req: IncomingMessage): boolean {
  return (req.socket as TLSSocket).encrypted === true || req.headers['x-forwarded-proto'] === 'https';
}

function sendText(res: ServerResponse, type: string, body: string): void {
  res.writeHead(200, {
    ...CONSOLE_HEADERS,
    'content-type': `${type}; charset=utf-8`,
    'content-length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}

function decodeParam(raw: string | undefined): string {
  try {
    return decodeURIComponent(raw ?? '');
  } catch {
    throw new HttpError(400, 'invalid_request_error', 'malformed percent-encoding in path');
  }
}

/** The operator's name for the audit log: optional, one line of printable text, at most 60 characters. */
function optionalName(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !/^[\p{L}\p{N} ._@-]{1,60}$/u.test(value.trim()))
    throw new HttpError(
      400,
      'invalid_request_error',
      'field "name" must be up to 60 letters, digits, spaces or . _ @ -',
    );
  return value.trim();
}

function requireString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value.trim() === '')
    throw new HttpError(400, 'invalid_request_error', `field "${field}" must be a non-empty string`);
  return value;
}

/**
 * Creates the console handler; it answers `/console` paths and resolves false for others.
 *
 * @example
 * const consoleHandler = createConsoleHandler({ adminToken, admin, store, enforcement, appJs: loadConsoleApp });
 * createGateway({ ..., admin: async (req, res) => (await consoleHandler(req, res)) || admin(req, res) });
 */
export function createConsoleHandler(
  deps: ConsoleHandlerDeps,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const sessions = deps.sessions ?? createSessionStore();
  // One traffic query per 15 s however many analysts reload the overview.
  const withCachedTraffic: ConsoleApiDeps = {
    ...deps,
    trafficHistory: deps.trafficHistory ?? cachedTrafficHistory(deps.store, TRAFFIC_POINTS),
  };
  const guard = deps.signInGuard ?? createSignInGuard();
  const tokenUsable = deps.adminToken !== undefined && deps.adminToken.length >= MIN_ADMIN_TOKEN_LENGTH;
  const onInternalError =
    deps.onInternalError ??
    ((error: unknown) =>
      process.stderr.write(
        `distillguard: console internal error: ${error instanceof Error ? error.stack : String(error)}\n`,
      ));

  function sessionOf(req: IncomingMessage): Session {
    const session = sessions.get(readCookie(req.headers.cookie, SESSION_COOKIE));
    if (session === undefined)
      throw new HttpError(401, 'authentication_error', 'sign in to the console first');
    if (!SAFE_METHODS.has(req.method ?? '') && !csrfMatches(req.headers[CSRF_HEADER], session.csrf))
      throw new HttpError(403, 'authentication_error', `missing or wrong ${CSRF_HEADER} header`);
    return session;
  }

  async function signIn(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJsonObject(req, MAX_BODY);
    const token = requireString(body, 'token');
    const name = optionalName(body.name);
    const wait = guard.retryAfterMs();
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      return sendJson(
        res,
        429,
        { error: { type: 'rate_limit_error', message: `too many wrong tokens; try again in ${seconds} s` } },
        { 'retry-after': String(seconds) },
      );
    }
    if (!adminTokenMatches(`Bearer ${token}`, deps.adminToken ?? '')) {
      guard.failed();
      throw new HttpError(401, 'authentication_error', 'wrong admin token');
    }
    const session = sessions.create(name === undefined ? 'console' : `console:${name}`);
    const maxAge = Math.floor(DEFAULT_SESSION_TTL_MS / 1000);
    sendJson(
      res,
      200,
      { csrf: session.csrf },
      { 'set-cookie': sessionCookie(session.id, isTls(req), maxAge) },
    );
  }

  async function forwardToAdmin(
    req: IncomingMessage,
    res: ServerResponse,
    session: Session,
    rest: string,
    search: string,
  ) {
    // The session stands in for the bearer token; the admin API does the rest (and audits it).
    req.url = `/admin/v1/${rest}${search}`;
    req.headers.authorization = `Bearer ${deps.adminToken ?? ''}`;
    req.headers['x-dg-actor'] = session.actor;
    await deps.admin(req, res);
  }

  async function api(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const sub = url.pathname.slice('/console/api/'.length);
    const method = req.method ?? 'GET';
    if (sub === 'session') {
      if (method === 'POST') return signIn(req, res);
      const session = sessionOf(req);
      if (method === 'GET') return sendJson(res, 200, { csrf: session.csrf });
      if (method === 'DELETE') {
        sessions.delete(session.id);
        return sendJson(res, 200, { signed_out: true }, { 'set-cookie': sessionCookie('', isTls(req), 0) });
      }
      throw new HttpError(405, 'method_not_allowed', `${method} not allowed on ${url.pathname}`);
    }
    const session = sessionOf(req);
    if (sub.startsWith('admin/'))
      return forwardToAdmin(req, res, session, sub.slice('admin/'.length), url.search);
    if (sub === 'overview' && method === 'GET') return sendJson(res, 200, await overview(deps));
    if (sub === 'traffic' && method === 'GET') return sendJson(res, 200, await traffic(withCachedTraffic));
    if (sub === 'policy' && method === 'GET')
      return sendJson(res, 200, {
        source: deps.policySource ?? BUILT_IN_POLICY_SOURCE,
        ...(deps.policy ?? defaultPolicy()),
      });
    const ex = /^accounts\/([^/]+)\/exchanges$/.exec(sub);
    if (ex !== null && method === 'GET') {
      const limit = Number(url.searchParams.get('limit') ?? '50');
      return sendJson(res, 200, { data: await accountExchanges(deps, decodeParam(ex[1]), limit) });
    }
    const m = /^campaigns\/([^/]+)\/(accounts|signals|indicators|examples|decisions|confirm|dismiss)$/.exec(
      sub,
    );
    if (m === null) throw new HttpError(404, 'not_found_error', `no console route ${url.pathname}`);
    const id = decodeParam(m[1]);
    const what = m[2];
    if (what === 'accounts' && method === 'GET') {
      const offset = Number(url.searchParams.get('offset') ?? '0');
      const limit = Number(url.searchParams.get('limit') ?? '200');
      return sendJson(res, 200, await campaignAccounts(deps, id, offset, limit));
    }
    if (what === 'signals' && method === 'GET') {
      const offset = Number(url.searchParams.get('offset') ?? '0');
      const limit = Number(url.searchParams.get('limit') ?? String(MAX_SIGNAL_ACCOUNTS));
      return sendJson(res, 200, await campaignSignals(deps, id, offset, limit));
    }
    if (what === 'examples' && method === 'GET') return sendJson(res, 200, await campaignExamples(deps, id));
    if (what === 'decisions' && method === 'GET')
      return sendJson(res, 200, await campaignDecisions(deps, id));
    if (what === 'indicators' && method === 'GET') {
      const doc = await exportIndicators(deps, id);
      return sendJson(res, 200, doc, {
        'content-disposition': `attachment; filename="indicators-${id.replace(/[^\w.-]/g, '_')}.json"`,
      });
    }
    if ((what === 'confirm' || what === 'dismiss') && method === 'POST') {
      const reason = requireString(await readJsonObject(req, MAX_BODY), 'reason');
      return sendJson(res, 200, await campaignAction(deps, id, what, { actor: session.actor, reason }));
    }
    throw new HttpError(405, 'method_not_allowed', `${method} not allowed on ${url.pathname}`);
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (!tokenUsable)
      throw new HttpError(
        503,
        'service_unavailable',
        `console disabled: set DG_ADMIN_TOKEN (at least ${MIN_ADMIN_TOKEN_LENGTH} characters)`,
      );
    if (url.pathname.startsWith('/console/api/')) return api(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD')
      throw new HttpError(405, 'method_not_allowed', `${req.method ?? '?'} not allowed on ${url.pathname}`);
    if (url.pathname === '/console' || url.pathname === '/console/')
      return sendText(res, 'text/html', consolePage());
    if (url.pathname === '/console/app.js') {
      const js = await deps.appJs();
      if (js === undefined)
        throw new HttpError(503, 'service_unavailable', 'console app not built: run npm run build');
      return sendText(res, 'text/javascript', js);
    }
    throw new HttpError(404, 'not_found_error', `no console page ${url.pathname}`);
  }

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://console.invalid');
    if (url.pathname !== '/console' && !url.pathname.startsWith('/console/')) return false;
    try {
      await route(req, res, url);
    } catch (error) {
      if (res.headersSent) res.destroy();
      else if (error instanceof HttpError) sendError(res, error);
      else if (error instanceof ConsoleApiError)
        sendError(
          res,
          new HttpError(
            error.status,
            error.status === 404 ? 'not_found_error' : 'invalid_request_error',
            error.message,
          ),
        );
      else {
        onInternalError(error);
        sendError(res, new HttpError(500, 'api_error', 'internal error'));
      }
    }
    return true;
  };
}
