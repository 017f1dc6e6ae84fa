import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEventOrder } from './event-order.js';
import type { ExchangeEvent } from './types.js';

const T0 = Date.UTC(2026, 0, 1);
const ev = (id: string, seconds: number): ExchangeEvent =>
  ({ id, ts: new Date(T0 + seconds * 1000).toISOString() }) as ExchangeEvent;

/** Runs `events` through a window of `windowS` seconds; returns the ids out and the lines let through late. */
function run(events: ExchangeEvent[], windowS: number, maxHeld?: number) {
  const late: number[] = [];
  const order = createEventOrder({
    windowMs: windowS * 1000,
    ...(maxHeld === undefined ? {} : { maxHeld }),
    late: (line) => late.push(line),
  });
  const out: ExchangeEvent[] = [];
  for (const [i, e] of events.entries()) order.push(e, i + 1, out);
  order.end(out);
  return { ids: out.map((e) => e.id), late };
}

describe('event order', () => {
  it('passes a sorted stream through unchanged, equal times in file order', () => {
    const events = [ev('a', 0), ev('b', 1), ev('c', 1), ev('d', 5)];
    expect(run(events, 600)).toEqual({ ids: ['a', 'b', 'c', 'd'], late: [] });
    expect(run(events, 0).ids).toEqual(['a', 'b', 'c', 'd']);
  });

  it('releases an event only once the latest time is a window past it', () => {
    const order = createEventOrder({ windowMs: 10_000 });
    const out: ExchangeEvent[] = [];
    order.push(ev('a', 0), 1, out);
    order.push(ev('b', 9), 2, out);
    expect(out).toEqual([]);
    order.push(ev('c', 10), 3, out);
    expect(out.map((e) => e.id)).toEqual(['a']);
  });

  it('lets an event behind what was already released through at once, counted by line, losing nothing', () => {
    // Window 60 s; 'late' comes after 'e' (300 s) but stamped 100 s: 'a'…'c' (≤ 240 s) were released.
    const events = [ev('a', 0), ev('b', 120), ev('c', 240), ev('e', 300), ev('late', 100), ev('f', 301)];
    expect(run(events, 60)).toEqual({ ids: ['a', 'b', 'c', 'late', 'e', 'f'], late: [5] });
    // Window 0: no holding, file order, the same event late.
    expect(run(events, 0)).toEqual({ ids: ['a', 'b', 'c', 'e', 'late', 'f'], late: [5] });
  });

  it('a far-future outlier does not cost the events after it', () => {
    // One line stamped a day ahead: the window closes behind it, the in-order events after it still pass.
    const events = [ev('a', 0), ev('future', 86_400), ev('b', 1), ev('c', 2), ev('d', 3)];
    expect(run(events, 600)).toEqual({ ids: ['a', 'b', 'c', 'd', 'future'], late: [] });
  });

  it('holds at most maxHeld events, releasing the oldest early', () => {
    const order = createEventOrder({ windowMs: 3_600_000, maxHeld: 2 });
    const out: ExchangeEvent[] = [];
    for (const [i, e] of [ev('a', 0), ev('b', 1), ev('c', 2), ev('d', 3)].entries())
      order.push(e, i + 1, out);
    expect(out.map((e) => e.id)).toEqual(['a', 'b']);
  });

  it('any stream comes out in (ts, file order) order, and a window as wide as its disorder loses nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 500 }), { maxLength: 200 }), (seconds) => {
        const events = seconds.map((s, i) => ev(`e${i}`, s));
        const { ids, late } = run(events, 500);
        const sorted = events
          .map((e, i) => ({ e, i }))
          .sort((x, y) => Date.parse(x.e.ts) - Date.parse(y.e.ts) || x.i - y.i)
          .map((x) => x.e.id);
        expect(late).toEqual([]);
        expect(ids).toEqual(sorted);
        // A narrow window loses nothing either; only the events counted late are out of order.
        const narrow = run(events, 30);
        expect([...narrow.ids].sort()).toEqual(events.map((e) => e.id).sort());
        const lateIds = new Set(narrow.late.map((line) => `e${line - 1}`));
        const inOrder = narrow.ids
          .filter((id) => !lateIds.has(id))
          .map((id) => Date.parse(events[Number(id.slice(1))]?.ts ?? ''));
        expect(inOrder).toEqual([...inOrder].sort((a, b) => a - b));
      }),
      { numRuns: 200 },
    );
  });
});
