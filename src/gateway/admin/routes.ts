/**
 * The admin API's route table: one entry per method and path under `/admin/v1`, each reading
 * its input field by field (`Body`) and calling the account/key services, the enforcement table
 * or the store. Authentication, matching and error mapping live in handler.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Store } from '../../store/types.js';
import type { AccountService } from '../auth/account-service.js';
import type { KeyService } from '../auth/key-service.js';
import { OVERRIDE_KINDS, type OverrideKind, type PersistentEnforcementTable } from '../enforcement-table.js';
import { Body, queryLimit } from './body.js';
import { HttpError, sendJson } from './http.js';

const MAX_LIST = 1000;

/** What a route handler gets: the request, path parameters (decoded), query, actor and a body reader. */
export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  params: string[];
  query: URLSearchParams;
  actor: string;
  body: () => Promise<Record<string, unknown>>;
}

export type Route = [method: string, pattern: RegExp, run: (ctx: Ctx) => Promise<void>];

export interface RouteDeps {
  store: Store;
  accounts: AccountService;
  keys: KeyService;
  enforcement: PersistentEnforcementTable;
}

const SEGMENT = '([^/]+)';
const path = (p: string): RegExp => new RegExp(`^${p.replaceAll(':id', SEGMENT)}$`);

const ok = (ctx: Ctx, body: unknown, status = 200): void => sendJson(ctx.res, status, body);
const list = (ctx: Ctx, data: unknown[]): void => ok(ctx, { data });
const who = (ctx: Ctx, reason: string | undefined) => ({ actor: ctx.actor, reason });
const id = (ctx: Ctx, i = 0): string => ctx.params[i] ?? '';

/**
 * Builds the route table; paths are relative to `/admin/v1`.
 *
 * @example
 * const routes = buildRoutes({ store, accounts, keys, enforcement });
 * const hit = routes.find(([method, pattern]) => method === 'GET' && pattern.test('/orgs'));
 */
export function buildRoutes(deps: RouteDeps): Route[] {
  const { store, accounts, keys, enforcement } = deps;
  return [
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
}
