/**
 * The overview's "traffic over time" series, read from the exchange log in the store (so it shows
 * history from before the gateway started, and every replica's traffic when the store is shared):
 * at most the last week of event time before the newest exchange, in a bucket width chosen so the
 * chart has at most `points` bars, empty buckets filled with zeros.
 */
import type { EventCountBucket, Store } from '../store/types.js';

/** Longest history the chart covers, back from the newest logged exchange. */
export const TRAFFIC_WINDOW_MS = 7 * 86_400_000;

const MINUTE = 60_000;
/** Bucket widths the chart uses: round numbers an analyst can read off the axis. */
const WIDTHS = [1, 5, 15, 30, 60, 180, 360, 720, 1440].map((m) => m * MINUTE);

/**
 * The smallest round bucket width that fits `spanMs` into at most `points` buckets.
 *
 * @example
 * bucketWidthFor(86_400_000, 72); // 1_800_000 (30 minutes: 48 bars)
 */
export function bucketWidthFor(spanMs: number, points: number): number {
  const least = spanMs / Math.max(1, points);
  return WIDTHS.find((w) => w >= least) ?? (WIDTHS.at(-1) as number);
}

/**
 * Exchanges and error answers per bucket, oldest first, ending at the newest logged exchange.
 *
 * @example
 * await trafficHistory(store, 72); // [{ start: '2026-01-05T00:00:00.000Z', exchanges: 120, errors: 3 }, …]
 */
export async function trafficHistory(store: Store, points: number): Promise<EventCountBucket[]> {
  const range = await store.eventTimeRange();
  if (range === undefined) return [];
  const last = Date.parse(range.last);
  const first = Math.max(Date.parse(range.first), last - TRAFFIC_WINDOW_MS);
  const width = bucketWidthFor(last - first + 1, points);
  const from = Math.floor(first / width) * width;
  // Ending the window on a minute boundary (nothing is logged after `last` yet) lets the store
  // answer from its per-minute roll-up instead of counting every exchange of the week.
  const to = Math.ceil((last + 1) / MINUTE) * MINUTE;
  const counted = await store.countEventsByTime({
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    bucketMs: width,
  });
  const byStart = new Map(counted.map((b) => [Date.parse(b.start), b]));
  const series: EventCountBucket[] = [];
  for (let t = from; t <= last; t += width) {
    series.push(byStart.get(t) ?? { start: new Date(t).toISOString(), exchanges: 0, errors: 0 });
  }
  return series;
}

/**
 * `trafficHistory` shared by every caller for `ttlMs`: the query reads at most one roll-up row per
 * minute of the window (about 10,000 for a week, synchronously on SQLite), so analysts reloading
 * the overview cost one query per interval, not one each. Concurrent callers share the query in
 * flight; a failed query is not kept.
 *
 * @example
 * const traffic = cachedTrafficHistory(store, 72);
 * await traffic(); // queries the store; again within 15 s: the same answer, no query
 */
export function cachedTrafficHistory(
  store: Store,
  points: number,
  opts: { ttlMs?: number; now?: () => number } = {},
): () => Promise<EventCountBucket[]> {
  const ttlMs = opts.ttlMs ?? 15_000;
  const now = opts.now ?? Date.now;
  let cached: { at: number; series: Promise<EventCountBucket[]> } | undefined;
  return () => {
    const t = now();
    if (cached === undefined || t - cached.at >= ttlMs) {
      const series = trafficHistory(store, points);
      const entry = { at: t, series };
      cached = entry;
      series.catch(() => {
        if (cached === entry) cached = undefined;
      });
    }
    return cached.series;
  };
}
