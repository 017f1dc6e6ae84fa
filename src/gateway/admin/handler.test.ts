import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../store/sqlite.js';
import type { Store } from '../../store/types.js';
import { type CachedKeyAuthenticator, createKeyAuthenticator } from '../auth/key-authenticator.js';
import { loadEnforcementTable, type PersistentEnforcementTable } from '../enforcement-table.js';
import { createAdminHandler } from './handler.js';

const TOKEN = 'admin-token-0123456789';
const serverSecret = Buffer.from('z'.repeat(32));

describe('admin API over HTTP', () => {
  let store: Store;
  let server: Server;
  let base: string;
  let auth: CachedKeyAuthenticator;
  let enforcement: PersistentEnforcementTable;
  const internal: unknown[] = [];

  async function start(adminToken: string | undefined = TOKEN): Promise<void> {
    store = openSqliteStore({ path: ':memory:' });
    auth = await createKeyAuthenticator({ store, serverSecret });
    enforcement = await loadEnforcementTable({ store });
    const admin = createAdminHandler({
      store,
      adminToken,
      serverSecret,
      enforcement,
      authenticator: auth,
      onInternalError: (e) => internal.push(e),
    });
    server = createServer((req, res) => {
      void admin(req, res).then((handled) => {
        if (!handled) {
          res.writeHead(418);
          res.end('not admin');
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'x-dg-actor': 'ana',
        'content-type': 'application/json',
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return {
      status: res.status,
      json: (await res.json()) as Record<string, unknown> & { data?: Array<Record<string, unknown>> },
    };
  }

  beforeEach(() => {
    internal.length = 0;
  });
  afterEach(async () => {
    await new Promise((r) => server.close(r));
    await store.close();
  });

  it('passes non-admin paths through and refuses missing or wrong tokens', async () => {
    await start();
    expect((await fetch(`${base}/v1/chat/completions`)).status).toBe(418);
    expect(await call('GET', '/admin/v1/accounts', undefined, { authorization: '' })).toMatchObject({
      status: 401,
      json: { error: { type: 'authentication_error' } },
    });
    expect(
      (await call('GET', '/admin/v1/accounts', undefined, { authorization: `Bearer ${TOKEN}x` })).status,
    ).toBe(401);
    expect((await call('GET', '/admin/v1/accounts', undefined, { authorization: TOKEN })).status).toBe(401);
    expect((await call('GET', '/admin/v1/nope')).status).toBe(404);
    expect((await call('GET', '/admin/other')).status).toBe(404);
    const wrongMethod = await call('DELETE', '/admin/v1/accounts');
    expect(wrongMethod).toMatchObject({ status: 405, json: { error: { type: 'method_not_allowed' } } });
  });

  it('is disabled without a usable admin token', async () => {
    await start('short');
    expect(
      await call('GET', '/admin/v1/accounts', undefined, { authorization: 'Bearer short' }),
    ).toMatchObject({
      status: 503,
      json: { error: { message: expect.stringMatching(/DG_ADMIN_TOKEN/) } },
    });
  });

  it('manages orgs, accounts and keys; keys work and stop working at once', async () => {
    await start();
    expect(
      (await call('POST', '/admin/v1/orgs', { id: 'acme', limits: { requestsPerMinute: 500 } })).status,
    ).toBe(201);
    const acct = await call('POST', '/admin/v1/accounts', {
      id: 'a1',
      org_id: 'acme',
      signup_channel: 'self-serve',
    });
    expect(acct).toMatchObject({ status: 201, json: { id: 'a1', org_id: 'acme', verified: false } });
    expect((await call('POST', '/admin/v1/accounts', { id: 'a1' })).status).toBe(409);

    const created = await call('POST', '/admin/v1/keys', {
      account_id: 'a1',
      scopes: ['m1'],
      limits: { requestsPerMinute: 5 },
    });
    expect(created.status).toBe(201);
    const secret = String(created.json.secret);
    const keyId = String(created.json.id);
    expect(created.json).not.toHaveProperty('hash');
    expect(auth.authenticate(secret)).toMatchObject({
      ok: true,
      principal: { orgLimits: { requestsPerMinute: 500 } },
    });

    const patched = await call('PATCH', '/admin/v1/accounts/a1', { verified: true, reason: 'KYC done' });
    expect(patched.json.verified).toBe(true);
    expect(auth.authenticate(secret)).toMatchObject({ ok: true, principal: { verified: true } });

    const got = await call('GET', '/admin/v1/accounts/a1');
    expect(got.json.keys).toHaveLength(1);
    expect(JSON.stringify(got.json)).not.toContain(secret);
    expect((await call('GET', '/admin/v1/keys?account=a1')).json.data).toHaveLength(1);

    const rotated = await call('POST', `/admin/v1/keys/${keyId}/rotate`, { grace_seconds: 0 });
    expect(rotated.status).toBe(201);
    expect(auth.authenticate(secret)).toEqual({ ok: false, reason: 'revoked_key' });
    const next = String(rotated.json.secret);
    expect(auth.authenticate(next).ok).toBe(true);
    expect(
      (await call('POST', `/admin/v1/keys/${String(rotated.json.id)}/revoke`, { reason: 'leaked' })).status,
    ).toBe(200);
    expect(auth.authenticate(next)).toEqual({ ok: false, reason: 'revoked_key' });

    const audit = await call('GET', '/admin/v1/audit?limit=50');
    const actions = (audit.json.data ?? []).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'org.create',
        'account.create',
        'key.create',
        'account.update',
        'key.rotate',
        'key.revoke',
      ]),
    );
    expect((audit.json.data ?? []).every((a) => a.actor === 'ana')).toBe(true);
  });

  it('answers bad input with specific 400s', async () => {
    await start();
    expect((await call('POST', '/admin/v1/accounts', '{nope')).json).toMatchObject({
      error: { type: 'invalid_request_error', message: expect.stringMatching(/not valid JSON/) },
    });
    expect((await call('POST', '/admin/v1/accounts', { id: 'a1', verifed: true })).json).toMatchObject({
      error: { message: expect.stringMatching(/unknown field "verifed"/) },
    });
    expect((await call('POST', '/admin/v1/accounts', { id: 'a1', limits: { rpm: 3 } })).json).toMatchObject({
      error: { message: expect.stringMatching(/limits\.rpm: unknown limit/) },
    });
    expect((await call('POST', '/admin/v1/keys', { account_id: 'ghost' })).status).toBe(404);
    expect((await call('GET', '/admin/v1/audit?limit=0')).json).toMatchObject({
      error: { message: expect.stringMatching(/"limit"/) },
    });
    expect((await call('POST', '/admin/v1/accounts', [1])).status).toBe(400);
    expect((await call('POST', '/admin/v1/accounts', { id: 'x'.repeat(70_000) })).status).toBe(413);
    expect(internal).toEqual([]);
  });

  it('overrides enforcement with an audited reason, effective on the next request', async () => {
    await start();
    enforcement.set('a9', { action: 'block', reasons: ['hydra'], caseRef: 'c1', campaignId: 'c1' });
    expect((await call('POST', '/admin/v1/enforcement/a9', { action: 'unblock' })).json).toMatchObject({
      error: { message: 'missing required field "reason"' },
    });
    expect((await call('POST', '/admin/v1/enforcement/a9', { action: 'pardon', reason: 'x' })).status).toBe(
      400,
    );
    const r = await call('POST', '/admin/v1/enforcement/a9', { action: 'unblock', reason: 'false positive' });
    expect(r).toMatchObject({ status: 200, json: { account_id: 'a9', action: null } });
    expect(enforcement.get('a9')).toBeUndefined();
    await call('POST', '/admin/v1/enforcement/a8', {
      action: 'block',
      reason: 'abuse report 7',
      case_ref: 'T-7',
    });
    expect(enforcement.get('a8')).toMatchObject({ action: 'block', caseRef: 'T-7' });
    expect((await call('GET', '/admin/v1/enforcement')).json.data).toEqual([
      expect.objectContaining({ account_id: 'a8', action: 'block' }),
    ]);
    expect((await call('GET', '/admin/v1/enforcement/a8')).json.action).toBe('block');
    const audit = await call('GET', '/admin/v1/audit?target=account:a9');
    expect(audit.json.data?.[0]).toMatchObject({
      actor: 'ana',
      action: 'enforcement.unblock',
      reason: 'false positive',
    });
  });

  it('lists decisions and campaigns from the store', async () => {
    await start();
    await store.insertDecisions(
      [
        {
          at: '2026-01-01T00:00:00.000Z',
          event_id: 'e1',
          account_id: 'a1',
          action: 'throttle',
          score: 0.6,
          reasons: ['r'],
        },
      ],
      'detector',
    );
    await store.putCampaign(
      {
        id: 'hydra-1',
        accounts: ['a1'],
        first_action_at: '2026-01-01T00:00:00.000Z',
        score: 0.9,
        evidence: ['e'],
      },
      '2026-01-01T00:00:00.000Z',
    );
    expect((await call('GET', '/admin/v1/decisions?account=a1')).json.data?.[0]).toMatchObject({
      action: 'throttle',
    });
    expect((await call('GET', '/admin/v1/campaigns')).json.data).toHaveLength(1);
    expect((await call('GET', '/admin/v1/campaigns/hydra-1')).json.accounts).toEqual(['a1']);
    expect((await call('GET', '/admin/v1/campaigns/none')).status).toBe(404);
  });
});
