import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StoreUnavailableError } from '../store/errors.js';
import {
  dropSchema,
  freshSchemaName,
  requirePostgres,
  TEST_POSTGRES_URL,
} from '../store/test-helpers/postgres-env.js';
import { account } from '../store/test-helpers/store-contract.js';
import { createKeyAuthenticator } from './auth/key-authenticator.js';
import { createKeyService } from './auth/key-service.js';
import { loadEnforcementTable } from './enforcement-table.js';
import { boundStaleness, isPostgresUrl, openConfiguredStore, startSharedState } from './shared-state.js';
import { connectTestRedis, deletePrefix, freshPrefix } from './testing/redis-env.js';
import { startTcpProxy } from './testing/tcp-proxy.js';

const ENV = { DG_SERVER_SECRET: 'ab'.repeat(32) };

describe('shared state composition (real PostgreSQL and Redis)', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('opens SQLite for a path and PostgreSQL (with ?schema=) for a URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-shared-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const lite = await openConfiguredStore({ location: join(dir, 'db.sqlite'), env: {} });
    await lite.store.close();
    expect(lite.serverSecret.length).toBeGreaterThanOrEqual(32);

    await requirePostgres();
    const schema = freshSchemaName();
    cleanups.push(() => dropSchema(schema));
    const pgStore = await openConfiguredStore({
      location: `${TEST_POSTGRES_URL}?schema=${schema}`,
      env: ENV,
    });
    cleanups.push(() => pgStore.store.close());
    expect(pgStore.description).toMatch(new RegExp(`schema ${schema}`));
    await pgStore.store.putAccount(account('a1'));
    expect(await pgStore.store.getAccount('a1')).toBeDefined();
    expect(isPostgresUrl('postgresql://x/y')).toBe(true);
    expect(isPostgresUrl('distillguard.db')).toBe(false);
  });

  it('refuses a PostgreSQL store without a shared DG_SERVER_SECRET', async () => {
    await expect(openConfiguredStore({ location: TEST_POSTGRES_URL, env: {} })).rejects.toThrow(
      /set DG_SERVER_SECRET \(the same value on each\)/,
    );
  });

  it('PostgreSQL down: cached keys keep answering for the bounded time, writes fail clearly', async () => {
    await requirePostgres();
    const proxy = await startTcpProxy(Number(new URL(TEST_POSTGRES_URL).port || 5432));
    cleanups.push(() => proxy.close());
    const schema = freshSchemaName();
    cleanups.push(() => dropSchema(schema));
    const url = new URL(TEST_POSTGRES_URL);
    url.host = `127.0.0.1:${proxy.port}`;
    url.searchParams.set('schema', schema);
    const { store, serverSecret } = await openConfiguredStore({
      location: url.toString(),
      env: ENV,
      log: () => undefined,
    });
    cleanups.push(() => store.close());
    await store.putAccount(account('a1', { verified: true }));
    const inner = await createKeyAuthenticator({ store, serverSecret, refreshMs: 0 });
    let t = 1_000_000;
    const logged: string[] = [];
    const auth = boundStaleness(inner, {
      maxStaleMs: 60_000,
      checkMs: 20,
      now: () => t,
      log: (line) => logged.push(line),
    });
    cleanups.push(async () => auth.close());
    const keys = createKeyService({ store, serverSecret, authenticator: auth });
    const { secret } = await keys.createKey({ accountId: 'a1' }, { actor: 'ops' });
    expect(auth.authenticate(secret).ok).toBe(true);

    await proxy.cut();
    await new Promise((r) => setTimeout(r, 100));
    t += 30_000;
    expect(auth.authenticate(secret).ok).toBe(true);
    await expect(keys.createKey({ accountId: 'a1' }, { actor: 'ops' })).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    t += 31_000;
    expect(auth.authenticate(secret)).toEqual({ ok: false, reason: 'key_store_unavailable' });
    expect(logged.join('\n')).toMatch(/key store unreachable for 61 s \(limit 60 s\)/);

    await proxy.restore();
    // The staleness check polls every 20 ms: a poll begun while the store was cut may still be in
    // flight, and a refresh asked now joins it (overlapping polls are coalesced) and fails with it.
    await vi.waitFor(() => auth.refreshIfChanged(), { timeout: 5_000, interval: 50 });
    expect(auth.authenticate(secret).ok).toBe(true);
  });

  it('with Redis, limits are shared and enforcement is fed between two replicas', async () => {
    await requirePostgres();
    const schema = freshSchemaName();
    cleanups.push(() => dropSchema(schema));
    const prefix = freshPrefix();
    cleanups.push(async () => {
      const r = await connectTestRedis();
      await deletePrefix(r, prefix);
      r.disconnect();
    });
    const replica = async () => {
      const { store, serverSecret } = await openConfiguredStore({
        location: `${TEST_POSTGRES_URL}?schema=${schema}`,
        env: ENV,
      });
      cleanups.push(() => store.close());
      const authenticator = await createKeyAuthenticator({ store, serverSecret, refreshMs: 0 });
      cleanups.push(async () => authenticator.close());
      const table = await loadEnforcementTable({ store });
      const shared = await startSharedState({
        redisUrl: 'redis://127.0.0.1:6379',
        table,
        authenticator,
        prefix,
        log: () => undefined,
      });
      cleanups.push(() => shared.close());
      return shared;
    };
    const a = await replica();
    const b = await replica();
    await a.enforcement.override('x', { kind: 'block', actor: 'ops', reason: 'test' });
    const t0 = Date.now();
    while (b.enforcement.get('x')?.action !== 'block') {
      if (Date.now() - t0 > 1000) throw new Error('not propagated within 1 s');
      await new Promise((r) => setTimeout(r, 5));
    }
    const p = {
      keyId: 'k',
      accountId: 'acct',
      orgId: null,
      scopes: [],
      verified: true,
      keyLimits: {},
      accountLimits: { requestsPerMinute: 3 },
      orgLimits: {},
    };
    const req = { estimatedTokens: 1, estimatedCostUsd: 0, factor: 1 };
    const v = await Promise.all([a, b, a, b, a, b].map((s) => s.limiter.acquire(p, req)));
    expect(v.filter((x) => x.ok)).toHaveLength(3);
  });

  it('starts with Redis down (local limits, stored enforcement) instead of failing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-shared-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const { store, serverSecret } = await openConfiguredStore({ location: join(dir, 'db.sqlite'), env: {} });
    cleanups.push(() => store.close());
    const authenticator = await createKeyAuthenticator({ store, serverSecret, refreshMs: 0 });
    const table = await loadEnforcementTable({ store });
    const logs: string[] = [];
    const shared = await startSharedState({
      redisUrl: 'redis://127.0.0.1:1',
      table,
      authenticator,
      log: (l) => logs.push(l),
    });
    cleanups.push(() => shared.close());
    const p = {
      keyId: 'k',
      accountId: 'acct',
      orgId: null,
      scopes: [],
      verified: true,
      keyLimits: {},
      accountLimits: { requestsPerMinute: 1 },
      orgLimits: {},
    };
    const req = { estimatedTokens: 1, estimatedCostUsd: 0, factor: 1 };
    expect((await shared.limiter.acquire(p, req)).ok).toBe(true);
    expect((await shared.limiter.acquire(p, req)).ok).toBe(false);
    expect(logs.join('\n')).toMatch(/Redis unavailable at start/);
    expect(logs.join('\n')).toMatch(/local limiter/);
  });
});
