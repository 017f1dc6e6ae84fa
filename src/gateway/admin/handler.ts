/**
 * The admin HTTP API under `/admin/v1/`: organisations, accounts, keys, enforcement overrides,
 * decisions, campaigns and the audit log — JSON in and out, behind a bearer admin token.
 * `createAdminHandler` returns a handler the gateway's server calls first for every request; it
 * answers admin paths and returns false for everything else.
 *
 * The token is shared, so the operator's name comes from the `X-DG-Actor` header (default
 * `admin`) and is recorded with every change in the audit log.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StoreUnavailableError } from '../../store/errors.js';
import type { Store } from '../../store/types.js';
import { type AccountService, createAccountService } from '../auth/account-service.js';
import type { CachedKeyAuthenticator } from '../auth/key-authenticator.js';
import { createKeyService, type KeyService } from '../auth/key-service.js';
import type { PersistentEnforcementTable } from '../enforcement-table.js';
import { adminTokenMatches, MIN_ADMIN_TOKEN_LENGTH } from './admin-token.js';
import { HttpError, readJsonObject, sendError } from './http.js';
import { buildRoutes } from './routes.js';
import { ServiceError } from './service-error.js';

export interface AdminDeps {
  store: Store;
  /** Bearer token required on every admin request; empty/undefined disables the admin API (503). */
  adminToken: string | undefined;
  /** Keys the API-key hashes (see resolveServerSecret). */
  serverSecret: Buffer;
  enforcement: PersistentEnforcementTable;
  /** The gateway's live key cache, so key and account changes apply from the next request. */
  authenticator?: CachedKeyAuthenticator;
  now?: () => Date;
  /** Largest accepted request body. */
  maxBodyBytes?: number;
  /** Where unexpected errors are reported (default: stderr); the client only sees a 500. */
  onInternalError?: (error: unknown) => void;
}

const PREFIX = '/admin/v1';

/**
 * @example
 * const admin = createAdminHandler({ store, adminToken: process.env.DG_ADMIN_TOKEN, serverSecret, enforcement, authenticator });
 * http.createServer(async (req, res) => {
 *   if (await admin(req, res)) return;
 *   proxy(req, res);
 * });
 */
export function createAdminHandler(
  deps: AdminDeps,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const { store, enforcement } = deps;
  const accounts: AccountService = createAccountService(deps);
  const keys: KeyService = createKeyService(deps);
  const maxBody = deps.maxBodyBytes ?? 64 * 1024;
  const onInternalError =
    deps.onInternalError ??
    ((error: unknown) => {
      process.stderr.write(
        `distillguard: admin API internal error: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
    });
  const tokenUsable = deps.adminToken !== undefined && deps.adminToken.length >= MIN_ADMIN_TOKEN_LENGTH;

  const routes = buildRoutes({ store, accounts, keys, enforcement });

  async function dispatch(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (!tokenUsable) {
      throw new HttpError(
        503,
        'service_unavailable',
        `admin API disabled: set DG_ADMIN_TOKEN (at least ${MIN_ADMIN_TOKEN_LENGTH} characters)`,
      );
    }
    // Authenticate before routing, so unauthenticated callers learn nothing about the routes.
    if (!adminTokenMatches(req.headers.authorization, deps.adminToken ?? '')) {
      throw new HttpError(
        401,
        'authentication_error',
        'missing or invalid admin token (Authorization: Bearer <token>)',
      );
    }
    const sub = url.pathname.slice(PREFIX.length) || '/';
    const matching = routes.map((r) => [r, r[1].exec(sub)] as const).filter(([, m]) => m !== null);
    if (matching.length === 0) throw new HttpError(404, 'not_found_error', `no admin route ${url.pathname}`);
    const hit = matching.find(([r]) => r[0] === req.method);
    if (hit === undefined) {
      const allowed = matching.map(([r]) => r[0]).join(', ');
      res.setHeader('allow', allowed);
      throw new HttpError(
        405,
        'method_not_allowed',
        `${req.method ?? '?'} not allowed on ${url.pathname}; allowed: ${allowed}`,
      );
    }
    const [route, match] = hit;
    let params: string[];
    try {
      params = (match?.slice(1) ?? []).map((p) => decodeURIComponent(p));
    } catch {
      throw new HttpError(400, 'invalid_request_error', 'malformed percent-encoding in path');
    }
    const actorHeader = req.headers['x-dg-actor'];
    const actor =
      typeof actorHeader === 'string' && actorHeader.trim() !== ''
        ? actorHeader.trim().slice(0, 200)
        : 'admin';
    await route[2]({
      req,
      res,
      params,
      query: url.searchParams,
      actor,
      body: () => readJsonObject(req, maxBody),
    });
  }

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://admin.invalid');
    if (url.pathname !== '/admin' && !url.pathname.startsWith('/admin/')) return false;
    try {
      if (!url.pathname.startsWith(`${PREFIX}/`))
        throw new HttpError(404, 'not_found_error', `admin routes are under ${PREFIX}/`);
      await dispatch(req, res, url);
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
      } else if (error instanceof HttpError) {
        sendError(res, error);
      } else if (error instanceof ServiceError) {
        const type =
          error.kind === 'not_found'
            ? 'not_found_error'
            : error.kind === 'conflict'
              ? 'conflict_error'
              : 'invalid_request_error';
        sendError(res, new HttpError(error.status, type, error.message));
      } else if (error instanceof StoreUnavailableError) {
        // A database outage is not a bug: say so, so operators retry instead of filing one.
        sendError(res, new HttpError(503, 'api_error', `${error.message}; the change was not made`));
      } else {
        onInternalError(error);
        sendError(res, new HttpError(500, 'api_error', 'internal error'));
      }
    }
    return true;
  };
}
