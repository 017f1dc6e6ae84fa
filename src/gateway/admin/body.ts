/**
 * Field-by-field reading of admin request bodies and query strings, failing with a 400 that names
 * the field — operators script against this API, and "invalid request" alone wastes their time.
 */

import { parseLimitSpec } from '../limits/limit-spec.js';
import type { LimitSpec } from '../ports.js';
import { HttpError } from './http.js';

const bad = (message: string): HttpError => new HttpError(400, 'invalid_request_error', message);

/** A request body whose fields are checked as they are read; unknown fields are refused. */
export class Body {
  constructor(
    private readonly value: Record<string, unknown>,
    allowed: readonly string[],
  ) {
    for (const k of Object.keys(value)) {
      if (!allowed.includes(k)) throw bad(`unknown field "${k}"; expected one of ${allowed.join(', ')}`);
    }
  }

  has(name: string): boolean {
    return this.value[name] !== undefined;
  }

  /**
   * @example
   * new Body({ id: 'a' }, ['id']).string('id', true); // 'a'
   */
  string(name: string, required: true): string;
  string(name: string, required?: false): string | undefined;
  string(name: string, required = false): string | undefined {
    const v = this.value[name];
    if (v === undefined || v === null) {
      if (required) throw bad(`missing required field "${name}"`);
      return undefined;
    }
    if (typeof v !== 'string' || v === '') throw bad(`field "${name}" must be a non-empty string`);
    return v;
  }

  /** A string, or explicit null (to clear a value). */
  nullableString(name: string): string | null | undefined {
    return this.value[name] === null ? null : this.string(name);
  }

  boolean(name: string): boolean | undefined {
    const v = this.value[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') throw bad(`field "${name}" must be true or false`);
    return v;
  }

  number(name: string, min: number): number | undefined {
    const v = this.value[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min)
      throw bad(`field "${name}" must be a number >= ${min}`);
    return v;
  }

  stringArray(name: string): string[] | undefined {
    const v = this.value[name];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string' || s === '')) {
      throw bad(`field "${name}" must be an array of non-empty strings`);
    }
    return v as string[];
  }

  limits(name: string): LimitSpec | undefined {
    const v = this.value[name];
    if (v === undefined) return undefined;
    const r = parseLimitSpec(v, name);
    if (!r.ok) throw bad(r.error);
    return r.value;
  }
}

/**
 * Reads `limit` from a query string: a whole number in [1, max], default `fallback`.
 *
 * @example
 * queryLimit(url.searchParams, 100, 1000);
 */
export function queryLimit(params: URLSearchParams, fallback: number, max: number): number {
  const raw = params.get('limit');
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw bad(`query parameter "limit" must be a whole number from 1 to ${max}, got "${raw}"`);
  return n;
}
