/**
 * Two embedded gateways sharing PostgreSQL and Redis, driven over real HTTP: the scale-out
 * deployment as `serve --store postgres://… --redis redis://…` runs it.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  dropSchema,
  freshSchemaName,
  requirePostgres,
  TEST_POSTGRES_URL,
} from '../store/test-helpers/postgres-env.js';
import { type EmbeddedGateway, startEmbedded } from './embedded.js';
import { connectTestRedis, deletePrefix, freshPrefix, TEST_REDIS_URL } from './testing/redis-env.js';
import { startTcpProxy, type TcpProxy } from './testing/tcp-proxy.js';

const TOKEN = 'admin-token-for-tests-0123456789';
const ENV = { DG_SERVER_SECRET: 'cd'.repeat(32), DG_ADMIN_TOKEN: TOKEN };

async function admin(gw: EmbeddedGateway, method: string, path: string, body?: object) {
  const res = await fetch(`${gw.url}/admin/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'x-dg-actor': 'ops' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Status and body of one chat request; 0 when the connection was closed under us. */
async function chat(gw: EmbeddedGateway, secret: string): Promise<{ status: number; text: string }> {
  try {
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'mock-small', messages: [{ role: 'user', content: 'hello' }] }),
    });
    return { status: res.status, text: await res.text() };
  } catch {
    return { status: 0, text: '' };
  }
}

describe('scale-out: two gateways on shared PostgreSQL and Redis', () => {
  let schema: string;
  let prefix: string;
  let proxy: TcpProxy;
  const gateways: EmbeddedGateway[] = [];

  beforeAll(async () => {
    await requirePostgres();
    (await connectTestRedis()).disconnect();
  });
  afterEach(async () => {
    for (const g of gateways.splice(0)) await g.close();
    await proxy.close();
    await dropSchema(schema);
    const r = await connectTestRedis();
    await deletePrefix(r, prefix);
    r.disconnect();
  });

  const start = async (maxStaleKeysMs?: number): Promise<EmbeddedGateway> => {
    const url = new URL(TEST_POSTGRES_URL);
    url.host = `127.0.0.1:${proxy.port}`;
    url.searchParams.set('schema', schema);
    const gw = await startEmbedded({
      port: 0,
      dbPath: ':memory:',
      storeUrl: url.toString(),
      redis: { url: TEST_REDIS_URL, prefix },
      mockUpstream: true,
      env: ENV,
      log: () => undefined,
      ...(maxStaleKeysMs === undefined ? {} : { maxStaleKeysMs }),
    });
    gateways.push(gw);
    return gw;
  };

  it('a block and a key revocation made through A are enforced by B; B keeps serving while PostgreSQL is down', async () => {
    schema = freshSchemaName();
    prefix = freshPrefix();
    proxy = await startTcpProxy(Number(new URL(TEST_POSTGRES_URL).port || 5432));
    const a = await start();
    const b = await start();

    expect((await admin(a, 'POST', '/accounts', { id: 'acct-1', verified: true })).status).toBe(201);
    const created = await admin(a, 'POST', '/keys', { account_id: 'acct-1' });
    expect(created.status).toBe(201);
    const secret = String(created.body.secret);
    const keyId = String((created.body.key as { id?: string } | undefined)?.id ?? created.body.id);
    const until = async (cond: () => Promise<boolean>, ms = 1000): Promise<number> => {
      const t0 = performance.now();
      while (!(await cond())) {
        if (performance.now() - t0 > ms) throw new Error(`not within ${ms} ms`);
        await new Promise((r) => setTimeout(r, 5));
      }
      return performance.now() - t0;
    };
    await until(async () => (await chat(b, secret)).status === 200);

    expect(
      (await admin(a, 'POST', '/enforcement/acct-1', { action: 'block', reason: 'campaign' })).status,
    ).toBe(200);
    await until(async () => (await chat(b, secret)).status === 403);
    expect((await admin(a, 'POST', '/enforcement/acct-1', { action: 'unblock', reason: 'fp' })).status).toBe(
      200,
    );
    await until(async () => (await chat(b, secret)).status === 200);

    // PostgreSQL goes away: B answers from its key cache, A refuses admin writes clearly.
    await proxy.cut();
    expect((await chat(b, secret)).status).toBe(200);
    const write = await admin(a, 'POST', '/accounts', { id: 'acct-2' });
    expect(write.status).toBe(503);
    expect(JSON.stringify(write.body)).toMatch(/PostgreSQL at .* is unavailable.*the change was not made/);
    await proxy.restore();

    expect((await admin(a, 'POST', `/keys/${keyId}/revoke`, { reason: 'leaked' })).status).toBe(200);
    // Just after the outage B's PostgreSQL pool is still reconnecting, so this checks the revocation
    // lands, not the 1 s bar: enforcement-feed.test.ts measures that (p99 over 100 trials) without an outage.
    await until(async () => /revoked/.test((await chat(b, secret)).text), 5000);
  });

  it('PostgreSQL down past the cached-keys window: API-shaped 503 with retry-after in both formats', async () => {
    schema = freshSchemaName();
    prefix = freshPrefix();
    proxy = await startTcpProxy(Number(new URL(TEST_POSTGRES_URL).port || 5432));
    const gw = await start(3000);
    expect((await admin(gw, 'POST', '/accounts', { id: 'acct-1', verified: true })).status).toBe(201);
    const created = await admin(gw, 'POST', '/keys', { account_id: 'acct-1' });
    const secret = String(created.body.secret);
    expect((await chat(gw, secret)).status).toBe(200);

    await proxy.cut();
    // Inside the window the cache still answers; past it every key is refused with 503.
    expect((await chat(gw, secret)).status).toBe(200);
    const anthropic = async () =>
      fetch(`${gw.url}/v1/messages`, {
        method: 'POST',
        headers: {
          'x-api-key': secret,
          'anthropic-version': '2023-06-01',
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          model: 'mock-claude',
          max_tokens: 16,
          messages: [{ role: 'user', content: 'hi' }],
        }),
      });
    const t0 = Date.now();
    let res = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST' });
    while (Date.now() - t0 < 10_000) {
      res = await fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'mock-small', messages: [{ role: 'user', content: 'hello' }] }),
      });
      if (res.status !== 200) break;
      await res.text();
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toEqual({
      error: {
        message: 'the gateway cannot check API keys right now (its key store is unreachable); retry later',
        type: 'server_error',
        param: null,
        code: 'key_store_unavailable',
      },
    });
    const a = await anthropic();
    expect(a.status).toBe(503);
    expect(a.headers.get('retry-after')).toBe('5');
    expect(await a.json()).toEqual({
      type: 'error',
      error: {
        type: 'overloaded_error',
        message: 'the gateway cannot check API keys right now (its key store is unreachable); retry later',
      },
    });

    // The store answers again: keys are accepted again without a restart.
    await proxy.restore();
    const t1 = Date.now();
    let back = 0;
    while (Date.now() - t1 < 10_000 && back !== 200) {
      back = (await chat(gw, secret)).status;
      if (back !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(back).toBe(200);
  }, 30_000);
});
