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
import type { Store } from '../../store/types.js';
import { type AccountService, createAccountService } from '../auth/account-service.js';
import type { CachedKeyAuthenticator } from '../auth/key-authenticator.js';
import { createKeyService, type KeyService } from '../auth/key-service.js';
import { OVERRIDE_KINDS, type OverrideKind, type PersistentEnforcementTable } from '../enforcement-table.js';
import { adminTokenMatches, MIN_ADMIN_TOKEN_LENGTH } from './admin-token.js';
import { Body, queryLimit } from './body.js';
import { HttpError, readJsonObject, sendError, sendJson } from './http.js';
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
const MAX_LIST = 1000;

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  params: string[];
  query: URLSearchParams;
  actor: string;
  body: () => Promise<Record<string, unknown>>;
}

type Route = [method: string, pattern: RegExp, run: (ctx: Ctx) => Promise<void>];

const SEGMENT = '([^/]+)';
const path = (p: string): RegExp => new RegExp(`^${p.replaceAll(':id', SEGMENT)}$`);

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

  const ok = (ctx: Ctx, body: unknown, status = 200): void => sendJson(ctx.res, status, body);
  const list = (ctx: Ctx, data: unknown[]): void => ok(ctx, { data });
  const who = (ctx: Ctx, reason: string | undefined) => ({ actor: ctx.actor, reason });
  const id = (ctx: Ctx, i = 0): string => ctx.params[i] ?? '';

  const routes: Route[] = [
    ['GET', path('/orgs'), async (c) => list(c, await accounts.listOrgs(queryLimit(c.query, 100, MAX_LIST)))],
    [
      'POST',
      path('/orgs'),
      async (c) => {
        const b = new Body(await c.body(), ['id', 'name', 'limits', 'reason']);
        const org = await accounts.createOrg(
          { id: b.string('id', true), name: b.string('name'), limits: b.limits('limits') },
          who(c, b.string('reason')),
        );
        ok(c, org, 201);
      },
    ],
    [
      'GET',
      path('/accounts'),
      async (c) =>
        list(
          c,
          await accounts.listAccounts({
            orgId: c.query.get('org') ?? undefined,
            limit: queryLimit(c.query, 100, MAX_LIST),
          }),
        ),
    ],
    [
      'POST',
      path('/accounts'),
      async (c) => {
        const b = new Body(await c.body(), [
          'id',
          'org_id',
          'verified',
          'signup_channel',
          'payment_fingerprint',
          'email_domain',
          'signup_ip',
          'limits',
          'reason',
        ]);
        const account = await accounts.createAccount(
          {
            id: b.string('id', true),
            orgId: b.string('org_id'),
            verified: b.boolean('verified'),
            signupChannel: b.string('signup_channel'),
            paymentFingerprint: b.string('payment_fingerprint'),
            emailDomain: b.string('email_domain'),
            signupIp: b.string('signup_ip'),
            limits: b.limits('limits'),
          },
          who(c, b.string('reason')),
        );
        ok(c, account, 201);
      },
    ],
    [
      'GET',
      path('/accounts/:id'),
      async (c) => {
        const account = await accounts.getAccount(id(c));
        ok(c, {
          ...account,
          keys: await keys.listKeys({ accountId: account.id, limit: MAX_LIST }),
          enforcement: enforcement.get(account.id) ?? null,
        });
      },
    ],
    [
      'PATCH',
      path('/accounts/:id'),
      async (c) => {
        const b = new Body(await c.body(), ['verified', 'org_id', 'limits', 'signup_channel', 'reason']);
        const account = await accounts.updateAccount(
          id(c),
          {
            verified: b.boolean('verified'),
            orgId: b.nullableString('org_id'),
            limits: b.limits('limits'),
            signupChannel: b.nullableString('signup_channel'),
          },
          who(c, b.string('reason')),
        );
        ok(c, account);
      },
    ],
    [
      'GET',
      path('/keys'),
      async (c) =>
        list(
          c,
          await keys.listKeys({
            accountId: c.query.get('account') ?? undefined,
            limit: queryLimit(c.query, 100, MAX_LIST),
          }),
        ),
    ],
    [
      'POST',
      path('/keys'),
      async (c) => {
        const b = new Body(await c.body(), [
          'account_id',
          'scopes',
          'expires_at',
          'limits',
          'name',
          'reason',
        ]);
        const created = await keys.createKey(
          {
            accountId: b.string('account_id', true),
            scopes: b.stringArray('scopes'),
            expiresAt: b.string('expires_at'),
            limits: b.limits('limits'),
            name: b.string('name'),
          },
          who(c, b.string('reason')),
        );
        ok(c, { ...created.key, secret: created.secret }, 201);
      },
    ],
    ['GET', path('/keys/:id'), async (c) => ok(c, await keys.getKey(id(c)))],
    [
      'POST',
      path('/keys/:id/revoke'),
      async (c) => {
        const b = new Body(await c.body(), ['reason']);
        ok(c, await keys.revokeKey(id(c), who(c, b.string('reason'))));
      },
    ],
    [
      'POST',
      path('/keys/:id/rotate'),
      async (c) => {
        const b = new Body(await c.body(), ['grace_seconds', 'reason']);
        const r = await keys.rotateKey(id(c), {
          ...who(c, b.string('reason')),
          graceSeconds: b.number('grace_seconds', 0),
        });
        ok(c, { ...r.key, secret: r.secret, previous: r.previous }, 201);
      },
    ],
    [
      'GET',
      path('/enforcement'),
      async (c) =>
        list(
          c,
          enforcement.entries().map(([accountId, e]) => ({ account_id: accountId, ...e })),
        ),
    ],
    [
      'GET',
      path('/enforcement/:id'),
      async (c) => {
        const e = enforcement.get(id(c));
        ok(c, { account_id: id(c), ...(e ?? { action: null }) });
      },
    ],
    [
      'POST',
      path('/enforcement/:id'),
      async (c) => {
        const b = new Body(await c.body(), ['action', 'reason', 'case_ref']);
        const kind = b.string('action', true);
        if (!(OVERRIDE_KINDS as readonly string[]).includes(kind)) {
          throw new HttpError(
            400,
            'invalid_request_error',
            `field "action" must be one of ${OVERRIDE_KINDS.join(', ')}`,
          );
        }
        // Overrides change who gets served: a reason is mandatory for the audit trail.
        const reason = b.string('reason', true);
        const e = await enforcement.override(id(c), {
          kind: kind as OverrideKind,
          actor: c.actor,
          reason,
          caseRef: b.string('case_ref'),
        });
        ok(c, { account_id: id(c), ...(e ?? { action: null }) });
      },
    ],
    [
      'GET',
      path('/decisions'),
      async (c) =>
        list(
          c,
          await store.listDecisions({
            accountId: c.query.get('account') ?? undefined,
            limit: queryLimit(c.query, 100, MAX_LIST),
          }),
        ),
    ],
    [
      'GET',
      path('/campaigns'),
      async (c) => list(c, await store.listCampaigns({ limit: queryLimit(c.query, 100, MAX_LIST) })),
    ],
    [
      'GET',
      path('/campaigns/:id'),
      async (c) => {
        const campaign = await store.getCampaign(id(c));
        if (campaign === undefined)
          throw new HttpError(404, 'not_found_error', `no campaign with id "${id(c)}"`);
        ok(c, campaign);
      },
    ],
    [
      'GET',
      path('/audit'),
      async (c) =>
        list(
          c,
          await store.listAudit({
            target: c.query.get('target') ?? undefined,
            limit: queryLimit(c.query, 100, MAX_LIST),
          }),
        ),
    ],
  ];

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
      } else {
        onInternalError(error);
        sendError(res, new HttpError(500, 'api_error', 'internal error'));
      }
    }
    return true;
  };
}
