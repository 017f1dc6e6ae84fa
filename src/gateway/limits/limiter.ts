/**
 * The in-memory `Limiter`: per key, account and organisation it enforces requests/min and
 * tokens/min (GCRA buckets), concurrent requests, and daily/monthly cost budgets. Each request
 * costs a constant amount of work: three scopes × five limits, one map lookup each.
 *
 * Tokens and cost are charged from the estimate at admission and reconciled with the upstream's
 * real usage when the lease is released, so long answers are paid for even though they are not
 * known in advance. A throttle enforcement passes `factor` < 1, which scales rate and concurrency
 * limits down (budgets are money and stay as configured).
 */
import type { Limiter, LimitLease, LimitSpec, LimitVerdict, Principal } from '../ports.js';
import { type GcraCheck, type GcraState, gcraAdjust, gcraCheck } from './gcra.js';
import { rateLimitHeaders } from './headers.js';
import type { LimitDefaultsInput } from './limit-spec.js';

const MINUTE = 60_000;

/** Defaults per scope, used where a principal has no explicit limit. */
export type ScopedLimits = LimitDefaultsInput['verified'];

/** Defaults for verified and unverified accounts (unverified ones get lower ones); parsed by parseLimitDefaults. */
export type LimitDefaults = LimitDefaultsInput;

/**
 * Built-in defaults: verified accounts are limited only by what is configured for them;
 * unverified ones get a modest allowance, because throwaway unverified accounts are the cheapest
 * raw material of a distillation campaign.
 */
export const DEFAULT_LIMITS: LimitDefaults = {
  verified: {},
  unverified: {
    account: {
      requestsPerMinute: 60,
      tokensPerMinute: 100_000,
      concurrentRequests: 4,
      dailyBudgetUsd: 10,
      monthlyBudgetUsd: 100,
    },
  },
};

export interface LimiterOptions {
  defaults?: LimitDefaults;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
  /** How often idle state is swept from memory; 0 = only on `sweep()`. */
  sweepMs?: number;
}

export interface MemoryLimiter extends Limiter {
  acquire(
    principal: Principal,
    request: { estimatedTokens: number; estimatedCostUsd: number; factor: number },
  ): LimitVerdict;
  /** Drops state of principals that are idle and hold no budget spending; returns how many. */
  sweep(): number;
  /** Number of principals with state in memory. */
  readonly size: number;
  close(): void;
}

type Scope = 'key' | 'account' | 'org';
const SCOPES: readonly Scope[] = ['key', 'account', 'org'];

interface Bucket {
  requests: GcraState;
  tokens: GcraState;
  inflight: number;
  day: string;
  daySpent: number;
  month: string;
  monthSpent: number;
}

interface Planned {
  scope: Scope;
  bucket: Bucket;
  spec: Readonly<LimitSpec>;
  requests?: GcraCheck;
  tokens?: GcraCheck;
}

type Refusal = Extract<LimitVerdict, { ok: false }>;

/**
 * Explicit limit, else the default for this scope and verification state, scaled by `factor`.
 * Shared with the Redis limiter so both apply the same limits.
 *
 * @example
 * effective({ requestsPerMinute: 100 }, undefined, 0.2); // { requestsPerMinute: 20 }
 */
export function effective(explicit: LimitSpec, fallback: LimitSpec | undefined, factor: number): LimitSpec {
  const spec: LimitSpec = { ...fallback, ...stripUndefined(explicit) };
  const f = Number.isFinite(factor) ? Math.min(1, Math.max(0, factor)) : 1;
  if (f < 1) {
    // At least 1, so a throttled account is slowed, not silently blocked.
    if (spec.requestsPerMinute !== undefined)
      spec.requestsPerMinute = Math.max(1, Math.floor(spec.requestsPerMinute * f));
    if (spec.tokensPerMinute !== undefined)
      spec.tokensPerMinute = Math.max(1, Math.floor(spec.tokensPerMinute * f));
    if (spec.concurrentRequests !== undefined)
      spec.concurrentRequests = Math.max(1, Math.floor(spec.concurrentRequests * f));
  }
  return spec;
}

interface CachedSpec {
  fallback: LimitSpec | undefined;
  factor: number;
  spec: Readonly<LimitSpec>;
}

/**
 * `effective` memoised on the identity of the limit objects and the factor: a principal's limit
 * objects come from the key cache and are replaced, not mutated, when limits change, so the same
 * objects arrive with every request of a key. Rebuilding the spec (spread + Object.entries) on
 * each request was ~1.6 KB of garbage per request. A few entries per object, because one shared
 * empty `explicit` meets a different default per scope, and throttling changes the factor.
 *
 * @example
 * const specFor = effectiveCache();
 * specFor(principal.keyLimits, defaults.key, 1) === specFor(principal.keyLimits, defaults.key, 1); // true
 */
export function effectiveCache(): (
  explicit: LimitSpec,
  fallback: LimitSpec | undefined,
  factor: number,
) => Readonly<LimitSpec> {
  const cache = new WeakMap<LimitSpec, CachedSpec[]>();
  return (explicit, fallback, factor) => {
    let entries = cache.get(explicit);
    if (entries === undefined) {
      entries = [];
      cache.set(explicit, entries);
    }
    for (const e of entries) if (e.fallback === fallback && e.factor === factor) return e.spec;
    // Frozen: every request of the key shares it, so a write would leak into the others.
    const spec = Object.freeze(effective(explicit, fallback, factor));
    if (entries.length >= 8) entries.shift();
    entries.push({ fallback, factor, spec });
    return spec;
  };
}

function stripUndefined(spec: LimitSpec): LimitSpec {
  const out: LimitSpec = {};
  for (const [k, v] of Object.entries(spec) as Array<[keyof LimitSpec, number | undefined]>)
    if (v !== undefined) out[k] = v;
  return out;
}

/** Seconds until the next UTC midnight (budget refusals' retry-after). */
export function secondsUntilNextDay(t: number): number {
  const d = new Date(t);
  return Math.ceil((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) - t) / 1000);
}

/** Seconds until the first of next month, UTC. */
export function secondsUntilNextMonth(t: number): number {
  const d = new Date(t);
  return Math.ceil((Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - t) / 1000);
}

/**
 * Creates the in-memory limiter.
 *
 * @example
 * const limiter = createLimiter({ defaults: DEFAULT_LIMITS });
 * const v = limiter.acquire(principal, { estimatedTokens: 1200, estimatedCostUsd: 0.004, factor: 1 });
 * if (!v.ok) return reply429(v.retryAfterSeconds, v.headers);
 * try { await forward(); } finally { v.lease.release(usage); }
 */
export function createLimiter(opts: LimiterOptions = {}): MemoryLimiter {
  const defaults = opts.defaults ?? DEFAULT_LIMITS;
  const now = opts.now ?? Date.now;
  // One map per scope, keyed by the bare id: no `k:${id}` string built (and flattened) per request.
  const buckets: Record<Scope, Map<string, Bucket>> = { key: new Map(), account: new Map(), org: new Map() };
  const specFor = effectiveCache();

  // UTC day and month labels, recomputed only when a day boundary is crossed (not per request).
  let periodUntil = Number.NEGATIVE_INFINITY;
  let periodFrom = Number.POSITIVE_INFINITY;
  let current = { day: '', month: '' };
  const period = (t: number): { day: string; month: string } => {
    if (t >= periodUntil || t < periodFrom) {
      const d = new Date(t);
      periodFrom = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
      periodUntil = periodFrom + 86_400_000;
      const iso = d.toISOString();
      current = { day: iso.slice(0, 10), month: iso.slice(0, 7) };
    }
    return current;
  };

  const bucketFor = (scope: Scope, id: string): Bucket => {
    let b = buckets[scope].get(id);
    if (b === undefined) {
      b = {
        requests: { tat: 0 },
        tokens: { tat: 0 },
        inflight: 0,
        day: '',
        daySpent: 0,
        month: '',
        monthSpent: 0,
      };
      buckets[scope].set(id, b);
    }
    return b;
  };

  const rollover = (b: Bucket, day: string, month: string): void => {
    if (b.day !== day) {
      b.day = day;
      b.daySpent = 0;
    }
    if (b.month !== month) {
      b.month = month;
      b.monthSpent = 0;
    }
  };

  const refuse = (
    plans: Planned[],
    scope: Scope,
    limit: keyof LimitSpec,
    retryAfterSeconds: number,
  ): Refusal => {
    const retry = Math.max(1, Math.ceil(retryAfterSeconds));
    return {
      ok: false,
      scope,
      limit,
      retryAfterSeconds: retry,
      headers: { ...rateLimitHeaders(plans), 'retry-after': String(retry) },
    };
  };

  const limiter: MemoryLimiter = {
    acquire(principal, request) {
      const t = now();
      const { day, month } = period(t);
      const d = principal.verified ? defaults.verified : defaults.unverified;
      const tokens = Math.max(0, request.estimatedTokens);
      const cost = Math.max(0, request.estimatedCostUsd);

      // Check every scope before charging any, so a refusal leaves no partial charge behind.
      const plans: Planned[] = [];
      const scopeCount = principal.orgId === null ? 2 : 3;
      for (let i = 0; i < scopeCount; i++) {
        const scope = SCOPES[i]!;
        const id = i === 0 ? principal.keyId : i === 1 ? principal.accountId : (principal.orgId as string);
        const explicit =
          i === 0 ? principal.keyLimits : i === 1 ? principal.accountLimits : principal.orgLimits;
        const spec = specFor(explicit, d[scope], request.factor);
        const bucket = bucketFor(scope, id);
        rollover(bucket, day, month);
        const plan: Planned = { scope, bucket, spec };
        plans.push(plan);
        if (spec.requestsPerMinute !== undefined) {
          plan.requests = gcraCheck(bucket.requests, 1, spec.requestsPerMinute, MINUTE, t);
          if (!plan.requests.allowed)
            return refuse(plans, scope, 'requestsPerMinute', plan.requests.retryMs / 1000);
        }
        if (spec.tokensPerMinute !== undefined) {
          plan.tokens = gcraCheck(bucket.tokens, tokens, spec.tokensPerMinute, MINUTE, t);
          if (!plan.tokens.allowed)
            return refuse(plans, scope, 'tokensPerMinute', plan.tokens.retryMs / 1000);
        }
        if (spec.concurrentRequests !== undefined && bucket.inflight >= spec.concurrentRequests) {
          return refuse(plans, scope, 'concurrentRequests', 1);
        }
        if (
          spec.dailyBudgetUsd !== undefined &&
          (bucket.daySpent >= spec.dailyBudgetUsd || bucket.daySpent + cost > spec.dailyBudgetUsd)
        ) {
          return refuse(plans, scope, 'dailyBudgetUsd', secondsUntilNextDay(t));
        }
        if (
          spec.monthlyBudgetUsd !== undefined &&
          (bucket.monthSpent >= spec.monthlyBudgetUsd || bucket.monthSpent + cost > spec.monthlyBudgetUsd)
        ) {
          return refuse(plans, scope, 'monthlyBudgetUsd', secondsUntilNextMonth(t));
        }
      }

      for (const p of plans) {
        if (p.requests !== undefined) p.bucket.requests.tat = p.requests.nextTat;
        if (p.tokens !== undefined) p.bucket.tokens.tat = p.tokens.nextTat;
        p.bucket.inflight++;
        p.bucket.daySpent += cost;
        p.bucket.monthSpent += cost;
      }

      let released = false;
      const lease: LimitLease = {
        release(usage) {
          if (released) return;
          released = true;
          const used = Math.max(0, usage.inputTokens) + Math.max(0, usage.outputTokens);
          const costDelta = Math.max(0, usage.costUsd) - cost;
          for (const p of plans) {
            p.bucket.inflight = Math.max(0, p.bucket.inflight - 1);
            if (p.spec.tokensPerMinute !== undefined)
              gcraAdjust(p.bucket.tokens, used - tokens, p.spec.tokensPerMinute, MINUTE);
            // The estimate was charged to the period of admission; reconcile there only if it is still current.
            if (p.bucket.day === day) p.bucket.daySpent = Math.max(0, p.bucket.daySpent + costDelta);
            if (p.bucket.month === month) p.bucket.monthSpent = Math.max(0, p.bucket.monthSpent + costDelta);
          }
        },
      };
      return { ok: true, lease, headers: rateLimitHeaders(plans) };
    },
    sweep() {
      const t = now();
      const { day, month } = period(t);
      let removed = 0;
      for (const scoped of Object.values(buckets)) {
        for (const [id, b] of scoped) {
          const idle = b.inflight === 0 && b.requests.tat <= t && b.tokens.tat <= t;
          const noSpend = (b.day !== day || b.daySpent === 0) && (b.month !== month || b.monthSpent === 0);
          if (idle && noSpend) {
            scoped.delete(id);
            removed++;
          }
        }
      }
      return removed;
    },
    get size() {
      return buckets.key.size + buckets.account.size + buckets.org.size;
    },
    close() {
      if (timer !== undefined) clearInterval(timer);
    },
  };
  const sweepMs = opts.sweepMs ?? MINUTE;
  const timer = sweepMs > 0 ? setInterval(() => limiter.sweep(), sweepMs) : undefined;
  timer?.unref();
  return limiter;
}
