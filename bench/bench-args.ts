/**
 * Helpers the benchmark scripts share: the median of repeated rounds (the machine is shared, so
 * every script quotes medians) and a positive whole-number flag with a clear error.
 */

/**
 * Median of the values (the mean of the middle two for an even count; 0 when empty).
 *
 * @example
 * median([3, 1, 2]); // 2
 */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return 0;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * Parses a flag that must be a positive whole number, or returns `fallback` when it is absent.
 *
 * @example
 * positiveInt('--rounds', '5', 3); // 5
 */
export function positiveInt(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`${flag} must be a positive whole number, got "${value}"`);
  return n;
}
