import { describe, expect, it } from 'vitest';
import type { LimitSpec, Principal } from '../ports.js';
import { formatReset } from './headers.js';
import { createLimiter, effectiveCache } from './limiter.js';

function principal(over: Partial<Principal> = {}): Principal {
  return {
    keyId: 'k1',
    accountId: 'a1',
    orgId: 'o1',
    scopes: [],
    verified: true,
    keyLimits: {},
    accountLimits: {},
    orgLimits: {},
    ...over,
  };
}

const req = (estimatedTokens = 10, estimatedCostUsd = 0, factor = 1) => ({
  estimatedTokens,
  estimatedCostUsd,
  factor,
});
const usage = (tokens: number, costUsd = 0) => ({ inputTokens: tokens, outputTokens: 0, costUsd });

function setup(limits: { key?: LimitSpec; account?: LimitSpec; org?: LimitSpec } = {}) {
  let t = Date.parse('2026-03-10T12:00:00.000Z');
  const limiter = createLimiter({
    defaults: { verified: {}, unverified: { account: { requestsPerMinute: 2 } } },
    now: () => t,
    sweepMs: 0,
  });
  const p = principal({
    keyLimits: limits.key ?? {},
    accountLimits: limits.account ?? {},
    orgLimits: limits.org ?? {},
  });
  return { limiter, p, advance: (ms: number) => (t += ms) };
}

describe('memory limiter', () => {
  it('enforces requests per minute with OpenAI-style headers and retry-after', () => {
    const { limiter, p, advance } = setup({ key: { requestsPerMinute: 3 } });
    const first = limiter.acquire(p, req());
    expect(first.headers).toMatchObject({
      'x-ratelimit-limit-requests': '3',
      'x-ratelimit-remaining-requests': '2',
      'x-ratelimit-reset-requests': '20s',
    });
    limiter.acquire(p, req());
    limiter.acquire(p, req());
    const refused = limiter.acquire(p, req());
    expect(refused).toMatchObject({
      ok: false,
      scope: 'key',
      limit: 'requestsPerMinute',
      retryAfterSeconds: 20,
    });
    expect(refused.headers['retry-after']).toBe('20');
    advance(20_000);
    expect(limiter.acquire(p, req()).ok).toBe(true);
  });

  it('charges estimated tokens and reconciles with real usage on release', () => {
    const { limiter, p } = setup({ account: { tokensPerMinute: 1000 } });
    const v = limiter.acquire(p, req(100));
    if (!v.ok) throw new Error('refused');
    expect(v.headers['x-ratelimit-remaining-tokens']).toBe('900');
    v.lease.release(usage(800));
    // 800 really used: 200 left, so a 300-token estimate no longer fits.
    expect(limiter.acquire(p, req(300))).toMatchObject({
      ok: false,
      scope: 'account',
      limit: 'tokensPerMinute',
    });
    expect(limiter.acquire(p, req(150)).ok).toBe(true);
  });

  it('limits concurrency and frees the slot on release (once)', () => {
    const { limiter, p } = setup({ org: { concurrentRequests: 1 } });
    const a = limiter.acquire(p, req());
    expect(limiter.acquire(p, req())).toMatchObject({
      ok: false,
      scope: 'org',
      limit: 'concurrentRequests',
      retryAfterSeconds: 1,
    });
    if (!a.ok) throw new Error('refused');
    a.lease.release(usage(1));
    a.lease.release(usage(1));
    const b = limiter.acquire(p, req());
    expect(b.ok).toBe(true);
    expect(limiter.acquire(p, req()).ok).toBe(false);
  });

  it('enforces daily budgets, reconciled with real cost, until the next UTC day', () => {
    const { limiter, p, advance } = setup({ account: { dailyBudgetUsd: 1 } });
    const v = limiter.acquire(p, req(10, 0.1));
    if (!v.ok) throw new Error('refused');
    v.lease.release(usage(10, 0.95));
    const refused = limiter.acquire(p, req(10, 0.1));
    expect(refused).toMatchObject({ ok: false, limit: 'dailyBudgetUsd', retryAfterSeconds: 12 * 3600 });
    advance(12 * 3600 * 1000);
    expect(limiter.acquire(p, req(10, 0.1)).ok).toBe(true);
  });

  it('enforces monthly budgets', () => {
    const { limiter, p } = setup({ key: { monthlyBudgetUsd: 0.5 } });
    expect(limiter.acquire(p, req(1, 0.4)).ok).toBe(true);
    expect(limiter.acquire(p, req(1, 0.4))).toMatchObject({
      ok: false,
      scope: 'key',
      limit: 'monthlyBudgetUsd',
    });
  });

  it('a refusal charges nothing in any scope', () => {
    const { limiter, p } = setup({ key: { requestsPerMinute: 100 }, account: { tokensPerMinute: 50 } });
    expect(limiter.acquire(p, req(60)).ok).toBe(true);
    expect(limiter.acquire(p, req(60)).ok).toBe(false);
    const next = limiter.acquire(p, req(0));
    expect(next.headers['x-ratelimit-remaining-requests']).toBe('98');
  });

  it('gives unverified accounts the lower defaults and lets explicit limits win', () => {
    const { limiter } = setup();
    const unverified = principal({ verified: false, accountId: 'u1', keyId: 'ku' });
    expect(limiter.acquire(unverified, req()).ok).toBe(true);
    expect(limiter.acquire(unverified, req()).ok).toBe(true);
    expect(limiter.acquire(unverified, req())).toMatchObject({ ok: false, scope: 'account' });
    const generous = principal({
      verified: false,
      accountId: 'u2',
      keyId: 'kg',
      accountLimits: { requestsPerMinute: 10 },
    });
    for (let i = 0; i < 10; i++) expect(limiter.acquire(generous, req()).ok).toBe(true);
    const verified = principal({ accountId: 'v1', keyId: 'kv' });
    for (let i = 0; i < 100; i++) expect(limiter.acquire(verified, req()).ok).toBe(true);
  });

  it('scales rate and concurrency limits by the throttle factor', () => {
    const { limiter, p } = setup({ account: { requestsPerMinute: 100, concurrentRequests: 10 } });
    const v = limiter.acquire(p, req(1, 0, 0.2));
    expect(v.headers['x-ratelimit-limit-requests']).toBe('20');
    expect(limiter.acquire(p, req(1, 0, 0.2)).ok).toBe(true);
    expect(limiter.acquire(p, req(1, 0, 0.2))).toMatchObject({ ok: false, limit: 'concurrentRequests' });
  });

  it('sweeps idle principals but keeps ones with spending this period', () => {
    const { limiter, p, advance } = setup({ key: { requestsPerMinute: 60, dailyBudgetUsd: 5 } });
    const v = limiter.acquire(p, req(1, 0));
    if (!v.ok) throw new Error('refused');
    v.lease.release(usage(1, 0));
    const spender = principal({
      keyId: 'k2',
      accountId: 'a2',
      orgId: null,
      keyLimits: { dailyBudgetUsd: 5 },
    });
    const s = limiter.acquire(spender, req(1, 1));
    if (!s.ok) throw new Error('refused');
    s.lease.release(usage(1, 1));
    expect(limiter.size).toBe(5);
    advance(2000);
    expect(limiter.sweep()).toBe(3);
    expect(limiter.size).toBe(2);
  });
});

describe('effectiveCache', () => {
  it('reuses one frozen spec per limit object, default and factor', () => {
    const specFor = effectiveCache();
    const explicit: LimitSpec = { requestsPerMinute: 100 };
    const fallback: LimitSpec = { tokensPerMinute: 50 };
    const full = specFor(explicit, fallback, 1);
    expect(full).toEqual({ requestsPerMinute: 100, tokensPerMinute: 50 });
    expect(specFor(explicit, fallback, 1)).toBe(full);
    expect(Object.isFrozen(full)).toBe(true);
    expect(specFor(explicit, fallback, 0.2)).toEqual({ requestsPerMinute: 20, tokensPerMinute: 10 });
    expect(specFor(explicit, undefined, 1)).toEqual({ requestsPerMinute: 100 });
    expect(specFor(explicit, fallback, 1)).toBe(full);
  });

  it('follows a replaced limit object (how the key cache applies new limits)', () => {
    const { limiter, p } = setup({ key: { concurrentRequests: 1 } });
    expect(limiter.acquire(p, req()).ok).toBe(true);
    expect(limiter.acquire(p, req()).ok).toBe(false);
    const raised = { ...p, keyLimits: { concurrentRequests: 2 } };
    expect(limiter.acquire(raised, req()).ok).toBe(true);
  });
});

describe('formatReset', () => {
  it('matches OpenAI formats', () => {
    expect(formatReset(20)).toBe('20ms');
    expect(formatReset(1500)).toBe('1.5s');
    expect(formatReset(360_000)).toBe('6m0s');
    expect(formatReset(3_723_000)).toBe('1h2m3s');
  });
});
