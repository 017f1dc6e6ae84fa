import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEventDedupe } from './event-dedupe.js';
import type { ExchangeEvent } from './types.js';

const ev = (id: string) => ({ id }) as ExchangeEvent;

describe('event dedupe', () => {
  it('takes each id once within the window, naming the first line of a repeat', () => {
    const rejected: string[] = [];
    const d = createEventDedupe({ window: 3, reject: (line, what) => rejected.push(`${line}: ${what}`) });
    const taken = ['a', 'b', 'a', 'c', 'd', 'e', 'a'].map((id, i) => d.accept(ev(id), i + 1));
    // 'a' is forgotten once three newer ids ('b', 'c', 'd') have been seen after it.
    expect(taken).toEqual([true, true, false, true, true, true, true]);
    expect(rejected).toEqual(['3: duplicate event id a (first at line 1); skipped']);
  });
});

/** The rule in plain terms: a Map and a list of the last `window` ids taken. */
function reference(window: number): (id: string, line: number) => string | undefined {
  const first = new Map<string, number>();
  const order: string[] = [];
  return (id, line) => {
    const seen = first.get(id);
    if (seen !== undefined) return `duplicate event id ${id} (first at line ${seen}); skipped`;
    order.push(id);
    first.set(id, line);
    if (order.length > window) first.delete(order.shift() as string);
    return undefined;
  };
}

describe('event dedupe against the plain rule', () => {
  it('agrees on every stream, including windows small enough to fill and wrap the table', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        // Few distinct ids, so repeats inside and outside the window are frequent.
        fc.array(fc.integer({ min: 0, max: 24 }), { maxLength: 80 }),
        (window, stream) => {
          const got: string[] = [];
          const d = createEventDedupe({ window, reject: (line, what) => got.push(`${line}: ${what}`) });
          const check = reference(window);
          const want: string[] = [];
          stream.forEach((n, i) => {
            const id = `id-${n}`;
            const why = check(id, i + 1);
            if (why !== undefined) want.push(`${i + 1}: ${why}`);
            expect(d.accept(ev(id), i + 1)).toBe(why === undefined);
          });
          expect(got).toEqual(want);
        },
      ),
      // The example forgets an id whose probe run wraps past the table's end.
      { numRuns: 3000, examples: [[2, [2, 23, 0, 23]]] },
    );
  });

  it('keeps ids that land on the same cell apart', () => {
    // Window 1 gives a table of two cells, so ids keep landing on each other's cells.
    const d = createEventDedupe({ window: 1, reject: () => {} });
    const ids = Array.from({ length: 50 }, (_, i) => `x${i}`);
    for (const id of ids) expect(d.accept(ev(id), 1)).toBe(true);
    expect(d.accept(ev('x49'), 2)).toBe(false);
    expect(d.accept(ev('x48'), 3)).toBe(true);
  });
});
