/**
 * Tiny in-memory implementations of the gateway's ports, for tests of the proxy through real
 * HTTP before (and independently of) the SQLite-backed ones. They fake the PORTS only.
 */
import type { ExchangeEvent } from '../../contract/types.js';
import type {
  AuthResult,
  Enforcement,
  EnforcementTable,
  ExchangeSink,
  KeyAuthenticator,
  Limiter,
  LimitVerdict,
  Principal,
} from '../ports.js';

/** A principal with no limits, for account `accountId`. */
export function principal(accountId: string, scopes: string[] = []): Principal {
  return {
    keyId: `key-${accountId}`,
    accountId,
    orgId: null,
    scopes,
    verified: true,
    keyLimits: {},
    accountLimits: {},
    orgLimits: {},
  };
}

/**
 * Authenticates secrets from a fixed map; `expired` and `revoked` are special secrets.
 *
 * @example
 * fakeAuth({ 'sk-a': principal('a') }).authenticate('sk-a');
 */
export function fakeAuth(keys: Record<string, Principal>): KeyAuthenticator {
  return {
    authenticate(secret): AuthResult {
      if (secret === undefined) return { ok: false, reason: 'missing_key' };
      if (secret === 'expired') return { ok: false, reason: 'expired_key' };
      if (secret === 'revoked') return { ok: false, reason: 'revoked_key' };
      const found = keys[secret];
      return found === undefined ? { ok: false, reason: 'invalid_key' } : { ok: true, principal: found };
    },
  };
}

export interface FakeLimiter extends Limiter {
  /** Factors requested, in order. */
  factors: number[];
  released: Array<{ inputTokens: number; outputTokens: number; costUsd: number }>;
  /** Accounts refused with a requestsPerMinute limit. */
  deny: Set<string>;
}

/**
 * A limiter that admits everyone except accounts in `deny`, recording factors and releases.
 *
 * @example
 * const limiter = fakeLimiter(); limiter.deny.add('acct');
 */
export function fakeLimiter(): FakeLimiter {
  const limiter: FakeLimiter = {
    factors: [],
    released: [],
    deny: new Set(),
    acquire(p, request): LimitVerdict {
      limiter.factors.push(request.factor);
      if (limiter.deny.has(p.accountId)) {
        return {
          ok: false,
          scope: 'account',
          limit: 'requestsPerMinute',
          retryAfterSeconds: 7,
          headers: { 'x-ratelimit-remaining-requests': '0' },
        };
      }
      return {
        ok: true,
        headers: { 'x-ratelimit-remaining-requests': '99' },
        lease: { release: (usage) => limiter.released.push(usage) },
      };
    },
  };
  return limiter;
}

/**
 * A Map-backed enforcement table.
 *
 * @example
 * const table = fakeEnforcement(); table.set('a', { action: 'block', reasons: [], caseRef: 'c-1', campaignId: null });
 */
export function fakeEnforcement(): EnforcementTable & { map: Map<string, Enforcement> } {
  const map = new Map<string, Enforcement>();
  return {
    map,
    get: (id) => map.get(id),
    set: (id, e) => void map.set(id, e),
    clear: (id) => void map.delete(id),
  };
}

/**
 * A sink that keeps every event in an array.
 *
 * @example
 * const sink = fakeSink(); sink.events.length;
 */
export function fakeSink(): ExchangeSink & { events: ExchangeEvent[] } {
  const events: ExchangeEvent[] = [];
  return {
    events,
    offer: (event) => {
      events.push(event);
      return true;
    },
    drain: () => Promise.resolve(),
  };
}
