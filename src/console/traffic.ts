/**
 * Exchanges per time bucket for the console's "traffic over time" chart, counted as the gateway
 * publishes them (event time, so a replay shows its recorded times). Memory is bounded: only the
 * most recent `maxBuckets` buckets are kept.
 */
import type { ExchangeEvent } from '../contract/types.js';
import type { ExchangeSink } from '../gateway/ports.js';

export interface TrafficPoint {
  /** Bucket start, RFC 3339. */
  start: string;
  exchanges: number;
  /** Answered with an HTTP error status (refusals and failures). */
  errors: number;
}

export interface TrafficCounter {
  record(event: ExchangeEvent): void;
  /** Buckets oldest first, merged into at most `maxPoints` equal-width points. */
  series(maxPoints: number): TrafficPoint[];
}

/**
 * @example
 * const traffic = createTrafficCounter();
 * bus.subscribe((e) => traffic.record(e));
 * traffic.series(72);
 */
export function createTrafficCounter(opts: { bucketMs?: number; maxBuckets?: number } = {}): TrafficCounter {
  const bucketMs = opts.bucketMs ?? 60_000;
  const maxBuckets = opts.maxBuckets ?? 7 * 24 * 60;
  const buckets = new Map<number, { exchanges: number; errors: number }>();
  return {
    record(event) {
      const t = Date.parse(event.ts);
      if (!Number.isFinite(t)) return;
      const key = Math.floor(t / bucketMs);
      let b = buckets.get(key);
      if (b === undefined) {
        b = { exchanges: 0, errors: 0 };
        buckets.set(key, b);
        if (buckets.size > maxBuckets) {
          let oldest = key;
          for (const k of buckets.keys()) if (k < oldest) oldest = k;
          buckets.delete(oldest);
        }
      }
      b.exchanges++;
      if ((event.response?.status ?? 200) >= 400) b.errors++;
    },
    series(maxPoints) {
      if (buckets.size === 0 || maxPoints < 1) return [];
      const keys = [...buckets.keys()].sort((a, b) => a - b);
      const first = keys[0] ?? 0;
      const last = keys.at(-1) ?? first;
      const per = Math.max(1, Math.ceil((last - first + 1) / maxPoints));
      const points: TrafficPoint[] = [];
      for (let k = first; k <= last; k += per) {
        let exchanges = 0;
        let errors = 0;
        for (let j = k; j < k + per; j++) {
          const b = buckets.get(j);
          if (b !== undefined) {
            exchanges += b.exchanges;
            errors += b.errors;
          }
        }
        points.push({ start: new Date(k * bucketMs).toISOString(), exchanges, errors });
      }
      return points;
    },
  };
}

/**
 * Wraps the gateway's exchange sink so every exchange offered is also counted (a map update per
 * request; the event itself is passed on untouched).
 *
 * @example
 * const sink = countingSink(batchingSink(exchangeLog, { delayMs: 10 }), traffic);
 */
export function countingSink(inner: ExchangeSink, traffic: TrafficCounter): ExchangeSink {
  return {
    offer(event) {
      traffic.record(event);
      return inner.offer(event);
    },
    drain: () => inner.drain(),
  };
}
