/**
 * The small interfaces the gateway's hot path depends on. The embedded default implements
 * them with SQLite and in-memory state (src/store, src/gateway/limits); scale-out implements
 * the same ones with PostgreSQL and Redis. Keep them narrow: every call here is on the path of
 * a live request.
 */
import type { Action, ExchangeEvent } from '../contract/types.js';

export type WireFormat = 'openai' | 'anthropic';

/** Limits in force for one principal (key, account or organisation). Absent = unlimited. */
export interface LimitSpec {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  concurrentRequests?: number;
  dailyBudgetUsd?: number;
  monthlyBudgetUsd?: number;
}

/** Who is calling, resolved from an API key. */
export interface Principal {
  keyId: string;
  accountId: string;
  orgId: string | null;
  /** Models this key may use; empty = all. */
  scopes: string[];
  verified: boolean;
  keyLimits: LimitSpec;
  accountLimits: LimitSpec;
  orgLimits: LimitSpec;
}

/**
 * Why a key was not accepted. `key_store_unavailable`: the key store has been unreachable for
 * longer than the gateway may trust its cache (scale-out), so no key can be vouched for.
 */
export type AuthFailure =
  | 'missing_key'
  | 'invalid_key'
  | 'expired_key'
  | 'revoked_key'
  | 'key_store_unavailable';

export type AuthResult = { ok: true; principal: Principal } | { ok: false; reason: AuthFailure };

/** Resolves presented API key secrets; implementations cache and compare in constant time. */
export interface KeyAuthenticator {
  authenticate(secret: string | undefined): AuthResult | Promise<AuthResult>;
}

/** Result of asking the limiter for room for a request. */
export type LimitVerdict =
  | { ok: true; lease: LimitLease; headers: Record<string, string> }
  | {
      ok: false;
      scope: 'key' | 'account' | 'org';
      limit: keyof LimitSpec;
      retryAfterSeconds: number;
      headers: Record<string, string>;
    };

/** Held for the life of a request; reconcile with the upstream's real usage when it ends. */
export interface LimitLease {
  release(usage: { inputTokens: number; outputTokens: number; costUsd: number }): void;
}

export interface Limiter {
  acquire(
    principal: Principal,
    request: { estimatedTokens: number; estimatedCostUsd: number; factor: number },
  ): LimitVerdict | Promise<LimitVerdict>;
}

/** An account's standing enforcement, as the gateway applies it on the next request. */
export interface Enforcement {
  action: Action;
  reasons: string[];
  caseRef: string;
  campaignId: string | null;
  /** Operator override: allowlisted accounts are never enforced. */
  allowlisted?: boolean;
}

/** Enforcement state every gateway reads on each request (in memory; pushed to replicas). */
export interface EnforcementTable {
  get(accountId: string): Enforcement | undefined;
  set(accountId: string, enforcement: Enforcement): void;
  clear(accountId: string): void;
}

/** Where finished exchanges go: a bounded queue that drains into the store and the bus. */
export interface ExchangeSink {
  /** Never blocks; returns false (and counts a drop) only if the bounded queue is full. */
  offer(event: ExchangeEvent): boolean;
  /** Finish writing what is queued (graceful shutdown). */
  drain(): Promise<void>;
}
