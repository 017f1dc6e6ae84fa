/** Duration flags (`90s`, `15m`, `12h`, `30d`, or `0`), failing with a usage error naming the flag. */
import { UsageError } from './errors.js';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses `90s`, `15m`, `12h`, `30d` (or `0`) into milliseconds.
 *
 * @example
 * parseDuration('--grace', '1h'); // 3_600_000
 */
export function parseDuration(flag: string, value: string): number {
  const text = value.trim();
  if (text === '0') return 0;
  const m = /^(\d+)([smhd])$/.exec(text);
  if (m === null)
    throw new UsageError(`${flag} must be a duration like 90s, 15m, 12h or 30d, got "${value}"`);
  return Number(m[1]) * (UNIT_MS[m[2] ?? 's'] ?? 1000);
}
