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
