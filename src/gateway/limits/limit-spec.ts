/**
 * Parsing of limit specifications from JSON (admin API, config) with errors naming the field,
 * because a mistyped limit silently lets a customer through or locks them out.
 */
import type { LimitSpec } from '../ports.js';

export const LIMIT_FIELDS = [
  'requestsPerMinute',
  'tokensPerMinute',
  'concurrentRequests',
  'dailyBudgetUsd',
  'monthlyBudgetUsd',
] as const satisfies ReadonlyArray<keyof LimitSpec>;

/** Budgets may be fractional dollars; counts must be whole. */
const WHOLE = new Set<keyof LimitSpec>(['requestsPerMinute', 'tokensPerMinute', 'concurrentRequests']);

export type LimitSpecResult = { ok: true; value: LimitSpec } | { ok: false; error: string };

/**
 * Validates an object of limits: known fields only, each a non-negative number (whole for counts).
 *
 * @example
 * parseLimitSpec({ requestsPerMinute: 60 }, 'limits'); // { ok: true, value: { requestsPerMinute: 60 } }
 * parseLimitSpec({ rpm: 60 }, 'limits'); // { ok: false, error: 'limits.rpm: unknown limit; expected one of …' }
 */
export function parseLimitSpec(value: unknown, where: string): LimitSpecResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: `${where}: must be an object` };
  }
  const out: LimitSpec = {};
  for (const [field, v] of Object.entries(value)) {
    if (!(LIMIT_FIELDS as readonly string[]).includes(field)) {
      return {
        ok: false,
        error: `${where}.${field}: unknown limit; expected one of ${LIMIT_FIELDS.join(', ')}`,
      };
    }
    const name = field as keyof LimitSpec;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      return { ok: false, error: `${where}.${field}: must be a non-negative number` };
    }
    if (WHOLE.has(name) && !Number.isInteger(v)) {
      return { ok: false, error: `${where}.${field}: must be a whole number` };
    }
    out[name] = v;
  }
  return { ok: true, value: out };
}

/** Default limits per scope, for verified and for unverified accounts (see limiter.ts). */
export interface LimitDefaultsInput {
  verified: { key?: LimitSpec; account?: LimitSpec; org?: LimitSpec };
  unverified: { key?: LimitSpec; account?: LimitSpec; org?: LimitSpec };
}

export type LimitDefaultsResult = { ok: true; value: LimitDefaultsInput } | { ok: false; error: string };

const SCOPES = ['key', 'account', 'org'] as const;

/**
 * Parses `{ "verified": { "account": {...} }, "unverified": { "key": {...}, ... } }` from config,
 * filling an absent part from `base` (so a config that only tightens unverified accounts keeps
 * the built-in defaults elsewhere).
 *
 * @example
 * const r = parseLimitDefaults(config.limits, 'limits', DEFAULT_LIMITS);
 * if (!r.ok) fail(r.error);
 */
export function parseLimitDefaults(
  value: unknown,
  where: string,
  base: LimitDefaultsInput,
): LimitDefaultsResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: `${where}: must be an object with "verified" and/or "unverified"` };
  }
  const out: LimitDefaultsInput = { verified: { ...base.verified }, unverified: { ...base.unverified } };
  for (const [tier, scopes] of Object.entries(value)) {
    if (tier !== 'verified' && tier !== 'unverified') {
      return { ok: false, error: `${where}.${tier}: unknown field; expected verified, unverified` };
    }
    if (typeof scopes !== 'object' || scopes === null || Array.isArray(scopes)) {
      return { ok: false, error: `${where}.${tier}: must be an object with key, account and/or org limits` };
    }
    for (const [scope, spec] of Object.entries(scopes)) {
      if (!(SCOPES as readonly string[]).includes(scope)) {
        return {
          ok: false,
          error: `${where}.${tier}.${scope}: unknown scope; expected ${SCOPES.join(', ')}`,
        };
      }
      const r = parseLimitSpec(spec, `${where}.${tier}.${scope}`);
      if (!r.ok) return r;
      out[tier][scope as (typeof SCOPES)[number]] = r.value;
    }
  }
  return { ok: true, value: out };
}
