/** Argument checks shared by the stores' count-by-time query. */

/**
 * A bucket width for `countEventsByTime`: a whole number of milliseconds, at least one second
 * (both stores count in whole milliseconds; finer buckets would only make huge answers).
 *
 * @example
 * bucketWidth(60_000); // 60000
 * bucketWidth(0.5); // throws
 */
export function bucketWidth(ms: number): number {
  if (!Number.isInteger(ms) || ms < 1000)
    throw new Error(`countEventsByTime: bucketMs must be a whole number of at least 1000, got ${ms}`);
  return ms;
}
