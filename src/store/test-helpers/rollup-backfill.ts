/**
 * The backfill fixture both stores' migration tests share: exchanges logged at schema 1, before
 * the per-minute roll-up existed, and what migration 2 must turn them into.
 */
import { expect } from 'vitest';
import type { Store } from '../types.js';

/** Three logged exchanges (one an upstream error, one without a response) as stored rows. */
export const LOGGED_BEFORE_ROLLUP = (
  [
    ['e1', '2026-01-01T00:00:10.000Z', 200],
    ['e2', '2026-01-01T00:00:50.123Z', 503],
    ['e3', '2026-01-01T00:07:00.000Z', undefined],
  ] as const
).map(([id, ts, status]) => ({
  id,
  ts,
  body: JSON.stringify({ id, ts, ...(status === undefined ? {} : { response: { status } }) }),
}));

const M0 = Date.parse('2026-01-01T00:00:00.000Z') / 60_000;

/**
 * Checks the backfilled roll-up rows and the 5-minute buckets the store answers from them.
 *
 * @example
 * await expectBackfilled(await minutes(schema), store);
 */
export async function expectBackfilled(minutes: unknown, store: Store): Promise<void> {
  expect(minutes).toEqual([
    { minute: M0, exchanges: 2, errors: 1 },
    { minute: M0 + 7, exchanges: 1, errors: 0 },
  ]);
  const day = { from: '2026-01-01T00:00:00.000Z', to: '2026-01-02T00:00:00.000Z', bucketMs: 300_000 };
  expect(await store.countEventsByTime(day)).toEqual([
    { start: '2026-01-01T00:00:00.000Z', exchanges: 2, errors: 1 },
    { start: '2026-01-01T00:05:00.000Z', exchanges: 1, errors: 0 },
  ]);
}

/**
 * Checks the roll-up after one more exchange at 00:07:30 was written (added, not backfilled again).
 *
 * @example
 * expectOneMoreAt0007(await minutes(schema));
 */
export function expectOneMoreAt0007(minutes: unknown): void {
  expect(minutes).toEqual([
    { minute: M0, exchanges: 2, errors: 1 },
    { minute: M0 + 7, exchanges: 2, errors: 0 },
  ]);
}
