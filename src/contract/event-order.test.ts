import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEventOrder, SORTED_LOG_HOLD } from './event-order.js';
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

  it('holds only a few events while the log is sorted, and up to maxHeld once one comes out of order', () => {
    const sorted = Array.from({ length: SORTED_LOG_HOLD + 8 }, (_, i) => ev(`s${i}`, i));
    const order = createEventOrder({ windowMs: 3_600_000, maxHeld: 1000 });
    const out: ExchangeEvent[] = [];
    for (const [i, e] of sorted.entries()) order.push(e, i + 1, out);
    expect(out.length).toBe(8);
    // One event behind the latest lifts the limit: an event 100 places late after it is still put right.
    const rest = [
      ev('x', SORTED_LOG_HOLD + 6.5),
      ...Array.from({ length: 100 }, (_, i) => ev(`t${i}`, 100 + i)),
    ];
    const { ids, late } = run([...sorted, ...rest, ev('y', 150.5)], 3600, 1000);
    expect(late).toEqual([]);
    expect(ids.indexOf('y')).toBe(ids.indexOf('t50') + 1);
    expect(ids.indexOf('x')).toBe(ids.indexOf(`s${SORTED_LOG_HOLD + 6}`) + 1);
  });

  it('lets an event through as late when it comes more than the sorted-log hold behind before any disorder', () => {
    const sorted = Array.from({ length: SORTED_LOG_HOLD + 8 }, (_, i) => ev(`s${i}`, i));
    const { ids, late } = run([...sorted, ev('behind', 2.5)], 3600, 1000);
    expect(late).toEqual([SORTED_LOG_HOLD + 9]);
    expect(ids).toHaveLength(SORTED_LOG_HOLD + 9);
  });

  it('any stream comes out in (ts, file order) order, and a window as wide as its disorder loses nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 500 }), { maxLength: 200 }), (seconds) => {
        // Until the first event out of order only SORTED_LOG_HOLD are held (the test above).
        const first = seconds.findIndex((s, i) => i > 0 && s < Math.max(...seconds.slice(0, i)));
        fc.pre(
          first === -1 ||
            seconds.slice(0, first).filter((s) => s > seconds[first]!).length <= SORTED_LOG_HOLD,
        );
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
