import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEventOrder } from './event-order.js';
import type { ExchangeEvent } from './types.js';

const T0 = Date.UTC(2026, 0, 1);
const ev = (id: string, seconds: number): ExchangeEvent =>
  ({ id, ts: new Date(T0 + seconds * 1000).toISOString() }) as ExchangeEvent;

/** Runs `events` through a window of `windowS` seconds; returns the ids out and the lines rejected. */
function run(events: ExchangeEvent[], windowS: number, maxHeld?: number) {
  const rejected: Array<[number, string]> = [];
  const order = createEventOrder({
    windowMs: windowS * 1000,
    ...(maxHeld === undefined ? {} : { maxHeld }),
    reject: (line, what) => rejected.push([line, what]),
  });
  const out: ExchangeEvent[] = [];
  for (const [i, e] of events.entries()) order.push(e, i + 1, out);
  order.end(out);
  return { ids: out.map((e) => e.id), rejected };
}

describe('event order', () => {
  it('passes a sorted stream through unchanged, equal times in file order', () => {
    const events = [ev('a', 0), ev('b', 1), ev('c', 1), ev('d', 5)];
    expect(run(events, 600)).toEqual({ ids: ['a', 'b', 'c', 'd'], rejected: [] });
    expect(run(events, 0).ids).toEqual(['a', 'b', 'c', 'd']);
  });

  it('releases an event only once the latest time is a window past it', () => {
    const order = createEventOrder({ windowMs: 10_000, reject: () => undefined });
    const out: ExchangeEvent[] = [];
    order.push(ev('a', 0), 1, out);
    order.push(ev('b', 9), 2, out);
    expect(out).toEqual([]);
    order.push(ev('c', 10), 3, out);
    expect(out.map((e) => e.id)).toEqual(['a']);
  });

  it('rejects, with its line, an event behind what was already released, and keeps the rest', () => {
    // Window 60 s; 'late' comes after 'e' (300 s) but stamped 100 s: 'a'…'c' (≤ 240 s) were released.
    const events = [ev('a', 0), ev('b', 120), ev('c', 240), ev('e', 300), ev('late', 100), ev('f', 301)];
    const { ids, rejected } = run(events, 60);
    expect(ids).toEqual(['a', 'b', 'c', 'e', 'f']);
    expect(rejected).toEqual([
      [
        5,
        'ts 2026-01-01T00:01:40.000Z is more than 1m out of order (events up to 2026-01-01T00:04:00.000Z were already analysed); sort the events by ts or widen the reorder window',
      ],
    ]);
  });

  it('a far-future outlier does not cost the events after it', () => {
    // One line stamped a day ahead: the window closes behind it, the in-order events after it still pass.
    const events = [ev('a', 0), ev('future', 86_400), ev('b', 1), ev('c', 2), ev('d', 3)];
    expect(run(events, 600)).toMatchObject({ ids: ['a', 'b', 'c', 'd', 'future'], rejected: [] });
  });

  it('holds at most maxHeld events, releasing the oldest early', () => {
    const order = createEventOrder({ windowMs: 3_600_000, maxHeld: 2, reject: () => undefined });
    const out: ExchangeEvent[] = [];
    for (const [i, e] of [ev('a', 0), ev('b', 1), ev('c', 2), ev('d', 3)].entries())
      order.push(e, i + 1, out);
    expect(out.map((e) => e.id)).toEqual(['a', 'b']);
  });

  it('any stream comes out in (ts, file order) order, and a window as wide as its disorder loses nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 500 }), { maxLength: 200 }), (seconds) => {
        const events = seconds.map((s, i) => ev(`e${i}`, s));
        const { ids, rejected } = run(events, 500);
        const sorted = events
          .map((e, i) => ({ e, i }))
          .sort((x, y) => Date.parse(x.e.ts) - Date.parse(y.e.ts) || x.i - y.i)
          .map((x) => x.e.id);
        expect(rejected).toEqual([]);
        expect(ids).toEqual(sorted);
        // A narrow window: what comes out is still in order, and nothing is lost silently.
        const narrow = run(events, 30);
        const out = narrow.ids.map((id) => Date.parse(events[Number(id.slice(1))]?.ts ?? ''));
        expect(out).toEqual([...out].sort((a, b) => a - b));
        expect(narrow.ids.length + narrow.rejected.length).toBe(events.length);
      }),
      { numRuns: 200 },
    );
  });
});
