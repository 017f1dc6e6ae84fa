import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExchangeEvent } from '../contract/types.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/types.js';
import { bucketWidthFor, cachedTrafficHistory, trafficHistory } from './traffic-history.js';

const ev = (id: string, ts: string): ExchangeEvent => ({
  id,
  ts,
  account_id: 'a',
  client: { ip: '10.0.0.1' },
  api: 'openai.chat',
  model: 'm',
  request: { messages: [] },
});

let store: Store;
beforeEach(() => {
  store = openSqliteStore({ path: ':memory:' });
});
afterEach(async () => {
  await store.close();
});

describe('bucketWidthFor', () => {
  it('picks the smallest round width that fits the span in the points', () => {
    expect(bucketWidthFor(60 * 60_000, 72)).toBe(60_000);
    expect(bucketWidthFor(86_400_000, 72)).toBe(30 * 60_000);
    expect(bucketWidthFor(7 * 86_400_000, 72)).toBe(3 * 3_600_000);
    expect(bucketWidthFor(400 * 86_400_000, 72)).toBe(86_400_000);
  });
});

describe('trafficHistory', () => {
  it('covers at most the week before the newest exchange', async () => {
    await store.insertEvents(
      [ev('old', '2025-12-01T00:00:00.000Z'), ev('new', '2026-01-08T00:00:00.000Z')],
      'full',
    );
    const series = await trafficHistory(store, 72);
    expect(series.reduce((n, p) => n + p.exchanges, 0)).toBe(1);
    expect(series.at(-1)).toEqual({ start: '2026-01-08T00:00:00.000Z', exchanges: 1, errors: 0 });
    expect(series.length).toBeLessThanOrEqual(72);
  });
});

describe('cachedTrafficHistory', () => {
  it('answers from one query for the TTL, then reads the store again', async () => {
    let clock = 0;
    const traffic = cachedTrafficHistory(store, 72, { ttlMs: 1000, now: () => clock });
    await store.insertEvents([ev('e1', '2026-01-01T00:00:00.000Z')], 'full');
    expect((await traffic()).map((p) => p.exchanges)).toEqual([1]);
    await store.insertEvents([ev('e2', '2026-01-01T00:00:30.000Z')], 'full');
    clock = 999;
    expect((await traffic()).map((p) => p.exchanges)).toEqual([1]);
    clock = 1000;
    expect((await traffic()).map((p) => p.exchanges)).toEqual([2]);
  });
});
