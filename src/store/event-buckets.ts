/** Argument checks and roll-up arithmetic shared by the stores' count-by-time query. */

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

/** Width of one row of the per-minute roll-up (`event_minutes`). */
export const MINUTE_MS = 60_000;

/** Exchanges and error answers in one minute of the roll-up; `minute` counts from the Unix epoch. */
export interface MinuteCount {
  minute: number;
  exchanges: number;
  errors: number;
}

/**
 * A batch's contribution to the roll-up, one entry per minute, oldest first (a fixed order, so
 * concurrent writers lock roll-up rows in the same order). An event whose `ts` does not parse is
 * left out, as the count over the log leaves it out of every time bucket.
 *
 * @example
 * minuteCounts([{ ts: '2026-01-01T00:00:10.000Z', response: { status: 500 } }]);
 * // [{ minute: 29453760, exchanges: 1, errors: 1 }]
 */
export function minuteCounts(
  events: ReadonlyArray<{ ts: string; response?: { status?: number } }>,
): MinuteCount[] {
  const byMinute = new Map<number, MinuteCount>();
  for (const e of events) {
    const t = Date.parse(e.ts);
    if (Number.isNaN(t)) continue;
    const minute = Math.floor(t / MINUTE_MS);
    let c = byMinute.get(minute);
    if (c === undefined) {
      c = { minute, exchanges: 0, errors: 0 };
      byMinute.set(minute, c);
    }
    c.exchanges++;
    if ((e.response?.status ?? 0) >= 400) c.errors++;
  }
  return [...byMinute.values()].sort((a, b) => a.minute - b.minute);
}

/**
 * The roll-up minutes `[fromMinute, toMinute)` that answer a count-by-time query exactly, or
 * undefined when they cannot: the window must start and end on minute boundaries and the bucket
 * be a whole number of minutes (then every minute lies inside one bucket). Other queries count
 * the log itself.
 *
 * @example
 * rollupWindow({ from: '2026-01-01T00:00:00.000Z', to: '2026-01-01T01:00:00.000Z', bucketMs: 300_000 });
 * // { fromMinute: 29453760, toMinute: 29453820 }
 * rollupWindow({ from: '2026-01-01T00:00:00.000Z', to: '2026-01-01T00:00:30.000Z', bucketMs: 60_000 }); // undefined
 */
export function rollupWindow(q: {
  from: string;
  to: string;
  bucketMs: number;
}): { fromMinute: number; toMinute: number } | undefined {
  const from = Date.parse(q.from);
  const to = Date.parse(q.to);
  if (Number.isNaN(from) || Number.isNaN(to)) return undefined;
  if (from % MINUTE_MS !== 0 || to % MINUTE_MS !== 0 || q.bucketMs % MINUTE_MS !== 0) return undefined;
  return { fromMinute: from / MINUTE_MS, toMinute: to / MINUTE_MS };
}
