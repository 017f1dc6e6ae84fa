import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../ports.js';
import { connectTestRedis, deletePrefix, freshPrefix } from '../testing/redis-env.js';
import { createLimiter } from './limiter.js';
import { createRedisLimiter, type RedisLimiter } from './redis-limiter.js';

function principal(accountLimits: Principal['accountLimits'], extra: Partial<Principal> = {}): Principal {
  return {
    keyId: 'k1',
    accountId: 'a1',
    orgId: null,
    scopes: [],
    verified: true,
    keyLimits: {},
    accountLimits,
    orgLimits: {},
    ...extra,
  };
}

const REQ = { estimatedTokens: 10, estimatedCostUsd: 0, factor: 1 };

describe('Redis limiter (real Redis)', () => {
  const clients: Redis[] = [];
  let prefix: string;
  let logs: string[];
  const replica = async (): Promise<RedisLimiter> => {
    const redis = await connectTestRedis();
    clients.push(redis);
    return createRedisLimiter({
      redis,
      prefix,
      fallback: createLimiter({ sweepMs: 0 }),
      log: (l) => logs.push(l),
    });
  };

  beforeEach(() => {
    prefix = freshPrefix();
    logs = [];
  });
  afterEach(async () => {
    const cleaner = await connectTestRedis();
    await deletePrefix(cleaner, prefix);
    cleaner.disconnect();
    for (const c of clients.splice(0)) c.disconnect();
  });

  it('two replicas under concurrent load never admit more than the limit (+1 per replica)', async () => {
    const [a, b] = [await replica(), await replica()];
    const p = principal({ requestsPerMinute: 25 });
    const verdicts = await Promise.all(
      Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? a : b).acquire(p, REQ)),
    );
    const admitted = verdicts.filter((v) => v.ok).length;
    // The script is atomic, so the bar (limit + 1 per replica) is met with room: exactly the limit.
    expect(admitted).toBeLessThanOrEqual(25 + 2);
    expect(admitted).toBe(25);
    const refused = verdicts.find((v) => !v.ok);
    expect(refused).toMatchObject({ ok: false, scope: 'account', limit: 'requestsPerMinute' });
    expect(refused?.ok === false && refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(a.degraded || b.degraded).toBe(false);
  });

  it('shares concurrency slots across replicas and frees them on release', async () => {
    const [a, b] = [await replica(), await replica()];
    const p = principal({ concurrentRequests: 4 });
    const first = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).acquire(p, REQ)));
    const held = first.filter((v) => v.ok);
    expect(held).toHaveLength(4);
    expect(first.find((v) => !v.ok)).toMatchObject({ limit: 'concurrentRequests' });
    for (const v of held) if (v.ok) v.lease.release({ inputTokens: 1, outputTokens: 1, costUsd: 0 });
    // Release is fire-and-forget; a round trip on the same connection orders after it.
    await clients[0]?.ping();
    await clients[1]?.ping();
    expect((await a.acquire(p, REQ)).ok).toBe(true);
  });

  it('charges daily budgets across replicas and reconciles real cost on release', async () => {
    const [a, b] = [await replica(), await replica()];
    const p = principal({ dailyBudgetUsd: 1 });
    const req = { estimatedTokens: 10, estimatedCostUsd: 0.3, factor: 1 };
    const v1 = await a.acquire(p, req);
    const v2 = await b.acquire(p, req);
    const v3 = await a.acquire(p, req);
    expect([v1.ok, v2.ok, v3.ok]).toEqual([true, true, true]);
    const v4 = await b.acquire(p, req);
    expect(v4).toMatchObject({ ok: false, limit: 'dailyBudgetUsd' });
    // The first request really cost nothing: 0.3 comes back, so one more fits.
    if (v1.ok) v1.lease.release({ inputTokens: 1, outputTokens: 0, costUsd: 0 });
    await clients[0]?.ping();
    expect((await b.acquire(p, req)).ok).toBe(true);
  });

  it('applies the throttle factor and reports rate-limit headers', async () => {
    const a = await replica();
    const p = principal({ requestsPerMinute: 10, tokensPerMinute: 1000 });
    const v = await a.acquire(p, { ...REQ, factor: 0.2 });
    expect(v.ok).toBe(true);
    expect(v.headers['x-ratelimit-limit-requests']).toBe('2');
    expect(v.headers['x-ratelimit-remaining-requests']).toBe('1');
    expect(v.headers['x-ratelimit-limit-tokens']).toBe('200');
    expect((await a.acquire(p, { ...REQ, factor: 0.2 })).ok).toBe(true);
    expect(await a.acquire(p, { ...REQ, factor: 0.2 })).toMatchObject({ ok: false, scope: 'account' });
  });

  it('limits per key and org too, refusing without charging the other scopes', async () => {
    const a = await replica();
    const p = principal({ requestsPerMinute: 5 }, { orgId: 'o1', keyLimits: { requestsPerMinute: 1 } });
    expect((await a.acquire(p, REQ)).ok).toBe(true);
    expect(await a.acquire(p, REQ)).toMatchObject({ ok: false, scope: 'key' });
    // Same account, another key: the refused request above did not use the account's allowance.
    const other = { ...p, keyId: 'k2', keyLimits: {} };
    const results = await Promise.all(Array.from({ length: 6 }, () => a.acquire(other, REQ)));
    expect(results.filter((r) => r.ok)).toHaveLength(4);
  });

  it('falls back to the local limiter when Redis is down, logging once', async () => {
    const down = new Redis('redis://127.0.0.1:1', {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => 1000,
    });
    down.on('error', () => undefined);
    clients.push(down);
    const limiter = createRedisLimiter({
      redis: down,
      prefix,
      fallback: createLimiter({ sweepMs: 0 }),
      log: (l) => logs.push(l),
    });
    const p = principal({ requestsPerMinute: 3 });
    const verdicts = [];
    for (let i = 0; i < 5; i++) verdicts.push(await limiter.acquire(p, REQ));
    expect(verdicts.map((v) => v.ok)).toEqual([true, true, true, false, false]);
    expect(limiter.degraded).toBe(true);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/shared limits unavailable .*local limiter/);
  });

  it('falls back when a call times out on a live connection and recovers after', async () => {
    const redis = await connectTestRedis();
    clients.push(redis);
    const slow = await connectTestRedis({ commandTimeout: 100 });
    clients.push(slow);
    const limiter = createRedisLimiter({
      redis: slow,
      prefix,
      fallback: createLimiter({ sweepMs: 0 }),
      log: (l) => logs.push(l),
    });
    const p = principal({ requestsPerMinute: 100 });
    // Writes (scripts included) stall for 1.5 s on the server: the limiter must not wait for them
    // (its command timeout is 100 ms; the bound leaves room for a loaded machine).
    await redis.call('CLIENT', 'PAUSE', '1500', 'WRITE');
    const t0 = performance.now();
    expect((await limiter.acquire(p, REQ)).ok).toBe(true);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(limiter.degraded).toBe(true);
    await new Promise((r) => setTimeout(r, 1600));
    expect((await limiter.acquire(p, REQ)).ok).toBe(true);
    expect(limiter.degraded).toBe(false);
    expect(logs).toHaveLength(2);
    expect(logs[0]).toMatch(/timed out/i);
    expect(logs[1]).toMatch(/reachable again/);
  });
});
