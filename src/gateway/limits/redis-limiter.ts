/**
 * The `Limiter` port on Redis, shared by every gateway replica: the same limits as the in-memory
 * limiter (requests/min and tokens/min as GCRA buckets, concurrent requests, daily and monthly
 * budgets, per key, account and org, scaled by the throttle factor), admitted by one atomic Lua
 * script (redis-scripts.ts), so concurrent replicas cannot double-spend a bucket.
 *
 * When Redis is unreachable (not connected, or a call fails or times out) requests are limited
 * by the configured local in-memory limiter instead — each replica then enforces the limits on
 * its own, so an account can get up to one allowance per replica until Redis is back. The switch
 * is logged once each way. Concurrency slots are leases with a TTL, so a replica that dies
 * mid-request does not hold an account's slot forever.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Limiter, LimitLease, LimitSpec, LimitVerdict, Principal } from '../ports.js';
import type { GcraCheck } from './gcra.js';
import { rateLimitHeaders } from './headers.js';
import {
  DEFAULT_LIMITS,
  effective,
  type LimitDefaults,
  secondsUntilNextDay,
  secondsUntilNextMonth,
} from './limiter.js';
import { ACQUIRE_LUA, RELEASE_LUA, scriptSha } from './redis-scripts.js';

export interface RedisLimiterOptions {
  redis: Redis;
  /** Used whenever Redis cannot answer; normally `createLimiter()` with the same defaults. */
  fallback: Limiter;
  defaults?: LimitDefaults;
  /** Key prefix, so several deployments can share one Redis. */
  prefix?: string;
  /** Concurrency slot lifetime: longer than the slowest request the gateway allows. */
  leaseTtlMs?: number;
  /** Milliseconds since the epoch, for budget periods (GCRA uses the Redis server's clock). */
  now?: () => number;
  log?: (line: string) => void;
}

export interface RedisLimiter extends Limiter {
  acquire(
    principal: Principal,
    request: { estimatedTokens: number; estimatedCostUsd: number; factor: number },
  ): Promise<LimitVerdict>;
  /** Whether the last admission was decided by the local fallback. */
  readonly degraded: boolean;
}

type Scope = 'key' | 'account' | 'org';

const ACQUIRE_SHA = scriptSha(ACQUIRE_LUA);
const RELEASE_SHA = scriptSha(RELEASE_LUA);
const DAY_TTL_MS = 2 * 86_400_000;
const MONTH_TTL_MS = 32 * 86_400_000;

function lim(v: number | undefined): number {
  return v === undefined ? -1 : v;
}

/** A GcraCheck as far as the headers need it (remaining and reset). */
function check(remaining: number, resetMs: number): GcraCheck | undefined {
  if (remaining < 0) return undefined;
  return { allowed: true, remaining, resetMs, retryMs: 0, nextTat: 0 };
}

/**
 * Runs a script by SHA, loading it on NOSCRIPT (first call, or after a Redis restart).
 *
 * @example
 * const reply = await runScript(redis, ACQUIRE_LUA, ACQUIRE_SHA, keys, args);
 */
async function runScript(
  redis: Redis,
  lua: string,
  sha: string,
  keys: string[],
  args: Array<string | number>,
): Promise<unknown> {
  try {
    return await redis.evalsha(sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('NOSCRIPT'))
      return redis.eval(lua, keys.length, ...keys, ...args);
    throw error;
  }
}

/**
 * Creates the shared limiter.
 *
 * @example
 * const redis = new Redis('redis://127.0.0.1:6379', { enableOfflineQueue: false });
 * const limiter = createRedisLimiter({ redis, fallback: createLimiter() });
 * const v = await limiter.acquire(principal, { estimatedTokens: 500, estimatedCostUsd: 0.001, factor: 1 });
 */
export function createRedisLimiter(opts: RedisLimiterOptions): RedisLimiter {
  const { redis, fallback } = opts;
  const defaults = opts.defaults ?? DEFAULT_LIMITS;
  const prefix = opts.prefix ?? 'dg:lim';
  const leaseTtlMs = opts.leaseTtlMs ?? 15 * 60_000;
  const now = opts.now ?? Date.now;
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let degraded = false;

  const useFallback = (
    principal: Principal,
    request: Parameters<Limiter['acquire']>[1],
    why: string,
  ): LimitVerdict | Promise<LimitVerdict> => {
    if (!degraded) {
      degraded = true;
      log(`distillguard: shared limits unavailable (${why}); limiting with this replica's local limiter`);
    }
    return fallback.acquire(principal, request);
  };

  const limiter: RedisLimiter = {
    get degraded() {
      return degraded;
    },
    async acquire(principal, request) {
      // Not connected: do not wait for a timeout on every request.
      if (redis.status !== 'ready') return useFallback(principal, request, `Redis ${redis.status}`);
      const t = now();
      const iso = new Date(t).toISOString();
      const day = iso.slice(0, 10);
      const month = iso.slice(0, 7);
      const d = principal.verified ? defaults.verified : defaults.unverified;
      const scopes: Array<[Scope, string, LimitSpec, LimitSpec | undefined]> = [
        ['key', `k:${principal.keyId}`, principal.keyLimits, d.key],
        ['account', `a:${principal.accountId}`, principal.accountLimits, d.account],
      ];
      if (principal.orgId !== null) scopes.push(['org', `o:${principal.orgId}`, principal.orgLimits, d.org]);
      const specs = scopes.map(([, , explicit, dflt]) => effective(explicit, dflt, request.factor));
      const tokens = Math.max(0, request.estimatedTokens);
      const cost = Math.max(0, request.estimatedCostUsd);
      const leaseId = randomBytes(9).toString('base64url');

      const keys: string[] = [];
      const args: Array<string | number> = [
        scopes.length,
        leaseId,
        leaseTtlMs,
        tokens,
        cost,
        DAY_TTL_MS,
        MONTH_TTL_MS,
      ];
      scopes.forEach(([, id], i) => {
        const base = `${prefix}:${id}`;
        keys.push(`${base}:rate`, `${base}:lease`, `${base}:d:${day}`, `${base}:m:${month}`);
        const s = specs[i] ?? {};
        args.push(
          lim(s.requestsPerMinute),
          lim(s.tokensPerMinute),
          lim(s.concurrentRequests),
          lim(s.dailyBudgetUsd),
          lim(s.monthlyBudgetUsd),
        );
      });

      let reply: Array<number | string>;
      try {
        reply = (await runScript(redis, ACQUIRE_LUA, ACQUIRE_SHA, keys, args)) as Array<number | string>;
      } catch (error) {
        return useFallback(principal, request, error instanceof Error ? error.message : String(error));
      }
      if (degraded) {
        degraded = false;
        log('distillguard: shared limits reachable again; limiting through Redis');
      }

      const ok = reply[0] === 1;
      const perScope = reply.slice(ok ? 2 : 5).map(Number);
      const plans = [];
      for (let i = 0; i * 4 < perScope.length; i++) {
        plans.push({
          spec: specs[i] ?? {},
          requests: check(perScope[i * 4] ?? -1, perScope[i * 4 + 1] ?? 0),
          tokens: check(perScope[i * 4 + 2] ?? -1, perScope[i * 4 + 3] ?? 0),
        });
      }
      const headers = rateLimitHeaders(plans);
      if (!ok) {
        const scopeIndex = Number(reply[2]);
        const limit = String(reply[3]) as keyof LimitSpec;
        const retryMs = Number(reply[4]);
        const seconds =
          limit === 'dailyBudgetUsd'
            ? secondsUntilNextDay(t)
            : limit === 'monthlyBudgetUsd'
              ? secondsUntilNextMonth(t)
              : retryMs / 1000;
        const retry = Math.max(1, Math.ceil(seconds));
        return {
          ok: false,
          scope: scopes[scopeIndex]?.[0] ?? 'account',
          limit,
          retryAfterSeconds: retry,
          headers: { ...headers, 'retry-after': String(retry) },
        };
      }

      let released = false;
      const lease: LimitLease = {
        release(usage) {
          if (released) return;
          released = true;
          const used = Math.max(0, usage.inputTokens) + Math.max(0, usage.outputTokens);
          const releaseArgs: Array<string | number> = [
            scopes.length,
            leaseId,
            used - tokens,
            Math.max(0, usage.costUsd) - cost,
            ...specs.map((s) => lim(s.tokensPerMinute)),
          ];
          // Fire and forget: if Redis is gone the lease expires by its TTL instead.
          runScript(redis, RELEASE_LUA, RELEASE_SHA, keys, releaseArgs).catch((error: unknown) => {
            log(
              `distillguard: shared limits: releasing a lease failed (${error instanceof Error ? error.message : String(error)}); it expires in ${Math.round(leaseTtlMs / 1000)} s`,
            );
          });
        },
      };
      return { ok: true, lease, headers };
    },
  };
  return limiter;
}
