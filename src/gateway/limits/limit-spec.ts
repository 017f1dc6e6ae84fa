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
