import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAdminHandler } from '../gateway/admin/handler.js';
import { loadEnforcementTable, type PersistentEnforcementTable } from '../gateway/enforcement-table.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/types.js';
import { BUILT_IN_POLICY_SOURCE, createConsoleHandler } from './console-handler.js';

const TOKEN = 'test-admin-token-0123456789';
let store: Store;
let enforcement: PersistentEnforcementTable;
let server: Server;
let base: string;

beforeEach(async () => {
  store = openSqliteStore({ path: ':memory:' });
  enforcement = await loadEnforcementTable({ store });
  await store.putCampaign(
    {
      id: 'campaign-0001',
      accounts: ['a1', 'a2'],
      first_action_at: '2026-01-05T06:32:28.959Z',
      score: 0.9,
      evidence: ['e'],
    },
    '2026-01-05T07:00:00.000Z',
  );
  const admin = createAdminHandler({
    store,
    adminToken: TOKEN,
    serverSecret: Buffer.alloc(32, 1),
    enforcement,
  });
  const consoleHandler = createConsoleHandler({
    store,
    enforcement,
    adminToken: TOKEN,
    admin,
    appJs: async () => 'console.log(1)',
  });
  server = createServer((req, res) => {
    void (async () => {
      if (await consoleHandler(req, res)) return;
      if (await admin(req, res)) return;
      res.writeHead(404).end();
    })();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.close();
  await enforcement.flush();
  await store.close();
});

async function signIn(): Promise<{ cookie: string; csrf: string; setCookie: string }> {
  const res = await fetch(`${base}/console/api/session`, {
    method: 'POST',
    body: JSON.stringify({ token: TOKEN }),
  });
  expect(res.status).toBe(200);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const body = (await res.json()) as { csrf: string };
  return { cookie: setCookie.split(';')[0] ?? '', csrf: body.csrf, setCookie };
}

describe('console handler', () => {
  it('serves the page with a strict CSP and the app script', async () => {
    const page = await fetch(`${base}/console`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('/console/app.js');
    const js = await fetch(`${base}/console/app.js`);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
  });

  it('refuses unauthenticated API reads and actions, and the admin API without its token', async () => {
    for (const [method, path] of [
      ['GET', '/console/api/overview'],
      ['GET', '/console/api/campaigns/campaign-0001/signals'],
      ['GET', '/console/api/traffic'],
      ['GET', '/console/api/admin/accounts'],
      ['POST', '/console/api/campaigns/campaign-0001/confirm'],
      ['POST', '/console/api/admin/enforcement/a1'],
      ['GET', '/admin/v1/accounts'],
      ['POST', '/admin/v1/enforcement/a1'],
    ] as const) {
      const res = await fetch(`${base}${path}`, {
        method,
        body: method === 'POST' ? '{"reason":"x","action":"block"}' : null,
      });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(((await res.json()) as { error: { type: string } }).error.type).toBe('authentication_error');
    }
    expect(enforcement.get('a1')).toBeUndefined();
  });

  it('refuses a wrong token at sign-in, and every sign-in after too many wrong ones', async () => {
    const wrong = () =>
      fetch(`${base}/console/api/session`, { method: 'POST', body: '{"token":"nope-nope-nope-nope"}' });
    const res = await wrong();
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
    for (let i = 1; i < 20; i++) expect((await wrong()).status).toBe(401);
    const locked = await fetch(`${base}/console/api/session`, {
      method: 'POST',
      body: JSON.stringify({ token: TOKEN }),
    });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('serves the traffic chart over HTTP from the logged exchanges', async () => {
    await store.insertEvents(
      [
        {
          id: 'e1',
          ts: '2026-01-01T00:00:30.000Z',
          account_id: 'a1',
          client: { ip: '10.0.0.1' },
          api: 'openai.chat',
          model: 'm',
          request: { messages: [] },
          response: { status: 403 },
        },
      ],
      'full',
    );
    const { cookie } = await signIn();
    const res = await fetch(`${base}/console/api/traffic`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      data: [{ start: '2026-01-01T00:00:00.000Z', exchanges: 1, errors: 1 }],
    });
  });

  it('signs in with an HttpOnly SameSite=Strict cookie and needs the CSRF token on actions', async () => {
    const { cookie, csrf, setCookie } = await signIn();
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).not.toMatch(/Secure/);
    const read = await fetch(`${base}/console/api/overview`, { headers: { cookie } });
    expect(read.status).toBe(200);
    const traffic = await fetch(`${base}/console/api/traffic`, { headers: { cookie } });
    expect(await traffic.json()).toEqual({ data: [] });
    const policy = (await (await fetch(`${base}/console/api/policy`, { headers: { cookie } })).json()) as {
      schema: string;
      source: string;
    };
    expect(policy.schema).toBe('distillguard.policy/1');
    expect(policy.source).toBe(BUILT_IN_POLICY_SOURCE);

    const noCsrf = await fetch(`${base}/console/api/campaigns/campaign-0001/confirm`, {
      method: 'POST',
      headers: { cookie },
      body: '{"reason":"confirmed"}',
    });
    expect(noCsrf.status).toBe(403);
    expect(enforcement.get('a1')).toBeUndefined();

    const ok = await fetch(`${base}/console/api/campaigns/campaign-0001/confirm`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrf },
      body: '{"reason":"confirmed"}',
    });
    expect(ok.status).toBe(200);
    expect(enforcement.get('a1')?.action).toBe('block');
    expect(enforcement.get('a2')?.action).toBe('block');
  });

  it('forwards admin reads and CSRF-checked writes to the admin API', async () => {
    const { cookie, csrf } = await signIn();
    const unblock = await fetch(`${base}/console/api/admin/enforcement/a1`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrf },
      body: JSON.stringify({ action: 'block', reason: 'manual' }),
    });
    expect(unblock.status).toBe(200);
    const audit = await fetch(`${base}/console/api/admin/audit?target=account:a1`, { headers: { cookie } });
    const rows = (await audit.json()) as { data: Array<{ actor: string }> };
    expect(rows.data[0]?.actor).toBe('console');

    const named = await fetch(`${base}/console/api/session`, {
      method: 'POST',
      body: JSON.stringify({ token: TOKEN, name: 'ana.k' }),
    });
    const namedCookie = (named.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const namedCsrf = ((await named.json()) as { csrf: string }).csrf;
    await fetch(`${base}/console/api/campaigns/campaign-0001/dismiss`, {
      method: 'POST',
      headers: { cookie: namedCookie, 'x-csrf-token': namedCsrf },
      body: '{"reason":"lab traffic"}',
    });
    const audit2 = await fetch(`${base}/console/api/admin/audit?target=account:a2`, { headers: { cookie } });
    const rows2 = (await audit2.json()) as { data: Array<{ actor: string }> };
    expect(rows2.data[0]?.actor).toBe('console:ana.k');
    const badName = await fetch(`${base}/console/api/session`, {
      method: 'POST',
      body: JSON.stringify({ token: TOKEN, name: '<b>x</b>' }),
    });
    expect(badName.status).toBe(400);
  });

  it('marks the cookie Secure when the console is reached over TLS (via a TLS-terminating proxy)', async () => {
    const res = await fetch(`${base}/console/api/session`, {
      method: 'POST',
      headers: { 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ token: TOKEN }),
    });
    expect(res.headers.get('set-cookie')).toMatch(/; Secure$/);
  });

  it('gives API-shaped errors for bad input and signs out', async () => {
    const { cookie, csrf } = await signIn();
    const bad = await fetch(`${base}/console/api/campaigns/campaign-0001/accounts?limit=0`, {
      headers: { cookie },
    });
    expect(bad.status).toBe(400);
    const missing = await fetch(`${base}/console/api/campaigns/none/accounts`, { headers: { cookie } });
    expect(missing.status).toBe(404);
    const malformed = await fetch(`${base}/console/api/campaigns/%E0%A4%A/examples`, { headers: { cookie } });
    expect(malformed.status).toBe(400);
    const examples = await fetch(`${base}/console/api/campaigns/campaign-0001/examples`, {
      headers: { cookie },
    });
    expect(examples.status).toBe(200);
    const signals = await fetch(`${base}/console/api/campaigns/campaign-0001/signals`, {
      headers: { cookie },
    });
    expect(signals.status).toBe(200);
    expect(await signals.json()).toMatchObject({ total: 2, offset: 0, data: [{ account_id: 'a1' }, {}] });
    const tooMany = await fetch(`${base}/console/api/campaigns/campaign-0001/signals?limit=5000`, {
      headers: { cookie },
    });
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { error: { message: string } }).error.message).toMatch(/limit/);
    const out = await fetch(`${base}/console/api/session`, {
      method: 'DELETE',
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(out.status).toBe(200);
    const after = await fetch(`${base}/console/api/overview`, { headers: { cookie } });
    expect(after.status).toBe(401);
  });
});
