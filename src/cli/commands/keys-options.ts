/**
 * Option parsers for `distillguard keys`: expiry (a duration from now or an RFC 3339 time), scopes
 * and non-negative amounts — each failing with a usage error naming the flag.
 */
import { parseDuration } from '../duration-option.js';
import { UsageError } from '../errors.js';

/**
 * Parses `--expires`: a duration from `now` or an RFC 3339 date-time in the future.
 *
 * @example
 * parseExpires('30d', Date.parse('2026-01-01T00:00:00Z')); // '2026-01-31T00:00:00.000Z'
 */
export function parseExpires(value: string, now: number): string {
  if (/^\d+[smhd]$/.test(value.trim()))
    return new Date(now + parseDuration('--expires', value)).toISOString();
  const t = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(t)) {
    throw new UsageError(
      `--expires must be a duration like 30d or a date-time like 2026-12-31T00:00:00Z, got "${value}"`,
    );
  }
  if (t <= now) throw new UsageError(`--expires must be in the future, got "${value}"`);
  return new Date(t).toISOString();
}

/**
 * Commander parser for a non-negative number (budgets in USD).
 *
 * @example
 * cmd.option('--daily-budget <usd>', 'daily budget', amountOption('--daily-budget'));
 */
export function amountOption(flag: string): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
      throw new UsageError(`${flag} must be a non-negative number, got "${value}"`);
    }
    return n;
  };
}

/**
 * Splits `--scopes a,b` into model names.
 *
 * @example
 * parseScopes('gpt-x, claude-y'); // ['gpt-x', 'claude-y']
 */
export function parseScopes(value: string): string[] {
  const scopes = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (scopes.length === 0) throw new UsageError(`--scopes must list at least one model, got "${value}"`);
  return scopes;
}
