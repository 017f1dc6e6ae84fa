import { describe, expect, it } from 'vitest';
import type { ExchangeEvent } from '../contract/types.js';
import { countingSink, createTrafficCounter } from './traffic.js';

const ev = (ts: string, status = 200): ExchangeEvent => ({
  id: ts,
  ts,
  account_id: 'a',
  client: { ip: '10.0.0.1' },
  api: 'openai.chat',
  model: 'm',
  request: { messages: [] },
  response: { status },
});

describe('createTrafficCounter', () => {
  it('counts exchanges and errors per bucket, filling gaps with zeros', () => {
    const t = createTrafficCounter({ bucketMs: 60_000 });
    t.record(ev('2026-01-01T00:00:10.000Z'));
    t.record(ev('2026-01-01T00:00:50.000Z', 403));
    t.record(ev('2026-01-01T00:02:00.000Z'));
    expect(t.series(10)).toEqual([
      { start: '2026-01-01T00:00:00.000Z', exchanges: 2, errors: 1 },
      { start: '2026-01-01T00:01:00.000Z', exchanges: 0, errors: 0 },
      { start: '2026-01-01T00:02:00.000Z', exchanges: 1, errors: 0 },
    ]);
  });
  it('merges buckets to fit the points asked for and keeps only the newest buckets', () => {
    const t = createTrafficCounter({ bucketMs: 1000, maxBuckets: 4 });
    for (let s = 0; s < 6; s++) t.record(ev(`2026-01-01T00:00:0${s}.000Z`));
    const all = t.series(100);
    expect(all.map((p) => p.start.slice(17, 19))).toEqual(['02', '03', '04', '05']);
    expect(t.series(2).map((p) => p.exchanges)).toEqual([2, 2]);
    expect(createTrafficCounter().series(10)).toEqual([]);
  });
});

describe('countingSink', () => {
  it('counts each offered exchange and passes it on with the inner answer', async () => {
    const seen: ExchangeEvent[] = [];
    let drained = false;
    const traffic = createTrafficCounter();
    const sink = countingSink(
      {
        offer: (e) => {
          seen.push(e);
          return seen.length < 2;
        },
        drain: async () => {
          drained = true;
        },
      },
      traffic,
    );
    expect(sink.offer(ev('2026-01-01T00:00:00.000Z'))).toBe(true);
    expect(sink.offer(ev('2026-01-01T00:00:01.000Z'))).toBe(false);
    await sink.drain();
    expect(seen).toHaveLength(2);
    expect(drained).toBe(true);
    expect(traffic.series(1)[0]?.exchanges).toBe(2);
  });
});
