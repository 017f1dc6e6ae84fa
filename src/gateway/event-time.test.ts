import { describe, expect, it } from 'vitest';
import type { ExchangeEvent } from '../contract/types.js';
import { createEventTimeTracker } from './event-time.js';

const event = (id: string) => ({ id }) as ExchangeEvent;

describe('gateway event-time watermark', () => {
  it('live: the clock while idle, the oldest unpublished exchange otherwise', () => {
    let now = 1000;
    const t = createEventTimeTracker({ replay: false, now: () => now });
    expect(t.low()).toBe(1000);
    const slow = t.begin(1000);
    now = 1200;
    const fast = t.begin(1200);
    const e = event('fast');
    fast.end(e);
    // The fast one is logged but not yet on the bus; the slow one is still in flight.
    expect(t.low()).toBe(1000);
    t.published(e);
    expect(t.low()).toBe(1000);
    const s = event('slow');
    slow.end(s);
    expect(t.low()).toBe(1000);
    t.published(s);
    now = 1500;
    expect(t.low()).toBe(1500);
    expect(t.open).toBe(0);
  });

  it('replay: the latest ts begun bounds the requests not yet received', () => {
    const t = createEventTimeTracker({ replay: true, now: () => 9e15 });
    expect(t.low()).toBe(0);
    const a = t.begin(500);
    expect(t.low()).toBe(500);
    a.end();
    expect(t.low()).toBe(500);
    const b = t.begin(700);
    const c = t.begin(900);
    c.end();
    expect(t.low()).toBe(700);
    b.end();
    expect(t.low()).toBe(900);
  });

  it('replay: requests that overtake each other on the way in hold to the stated low', () => {
    // The replayer sent 500 then 700 (stating 500 still in flight); 700 arrived first.
    const t = createEventTimeTracker({ replay: true, now: () => 9e15 });
    const b = t.begin(700, 500);
    b.end();
    // Without the stated low this would be 700, and 500 — still on its way — would be late.
    expect(t.low()).toBe(500);
    const a = t.begin(500, 500);
    expect(t.low()).toBe(500);
    a.end();
    expect(t.low()).toBe(500);
    t.begin(900, 900).end();
    expect(t.low()).toBe(900);
  });

  it('an event the bus takes before its request ends (a full batch forwarded at once) is not leaked', () => {
    const t = createEventTimeTracker({ replay: true });
    const x = t.begin(100);
    const e = event('x');
    t.published(e);
    expect(t.open).toBe(1);
    x.end(e);
    expect(t.open).toBe(0);
  });
});
