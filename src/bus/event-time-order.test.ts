import { describe, expect, it } from 'vitest';
import type { ExchangeEvent } from '../contract/types.js';
import type { ExchangeFeatures } from '../detect/features/types.js';
import { createEventTimeOrder, type OrderedMessage } from './event-time-order.js';
import type { FeatureMessage } from './feature-worker.js';

let seq = 0;
const ev = (
  publisher: string,
  ts: number,
  watermark: number,
  id = `e${ts}-${publisher}`,
): FeatureMessage => ({
  seq: ++seq,
  kind: 'event',
  event: { id, ts: new Date(ts).toISOString(), account_id: `acct-${publisher}` } as ExchangeEvent,
  features: {} as ExchangeFeatures,
  origin: { publisher, watermark },
});
const wm = (publisher: string, watermark: number, leaving = false): FeatureMessage => ({
  seq: ++seq,
  kind: 'watermark',
  publisher,
  watermark,
  leaving,
});

function harness(maxLatenessMs = 1_000_000) {
  const applied: OrderedMessage[] = [];
  const logs: string[] = [];
  const order = createEventTimeOrder({
    apply: (m) => applied.push(m),
    maxLatenessMs,
    log: (l) => logs.push(l),
  });
  const ids = () => applied.flatMap((m) => (m.kind === 'event' ? [m.event.id] : []));
  return { order, applied, ids, logs };
}

describe('event-time order across publishers', () => {
  it('merges two publishers that run at different speeds into ts order', () => {
    const { order, ids } = harness();
    order.push(wm('a', 0));
    order.push(wm('b', 0));
    // A runs ahead: nothing may go before B has been seen past it.
    order.push(ev('a', 10, 10));
    order.push(ev('a', 30, 30));
    expect(ids()).toEqual([]);
    order.push(ev('b', 20, 20));
    expect(ids()).toEqual(['e10-a']);
    order.push(ev('b', 40, 40));
    // A's watermark is 30: another event at 30 could still come from A.
    expect(ids()).toEqual(['e10-a', 'e20-b']);
    order.push(wm('a', 50, true));
    order.push(wm('b', 60, true));
    expect(ids()).toEqual(['e10-a', 'e20-b', 'e30-a', 'e40-b']);
  });

  it('holds an event until the watermark is strictly past it and breaks ties by event id', () => {
    const { order, ids } = harness();
    order.push(wm('a', 0));
    order.push(wm('b', 0));
    order.push(ev('b', 10, 10, 'z'));
    order.push(ev('a', 10, 10, 'y'));
    // Both at 10: another event at 10 could still come from either.
    expect(ids()).toEqual([]);
    order.push(wm('a', 11));
    order.push(wm('b', 11));
    expect(ids()).toEqual(['y', 'z']);
    expect(order.lowestHeldSeq()).toBe(Number.POSITIVE_INFINITY);
  });

  it('an event published with its own request still in flight waits for that publisher', () => {
    const { order, ids } = harness();
    order.push(wm('a', 0));
    // A's watermark stays at 5 (a request that started at 5 is in flight) while its later ones end.
    order.push(ev('a', 8, 5));
    order.push(ev('a', 9, 5));
    order.push(wm('b', 100));
    expect(ids()).toEqual([]);
    order.push(ev('a', 5, 5));
    order.push(wm('a', 100));
    expect(ids()).toEqual(['e5-a', 'e8-a', 'e9-a']);
  });

  it('accounts and events without a publisher pass straight through', () => {
    const { order, applied } = harness();
    order.push(wm('a', 0));
    order.push(ev('a', 10, 10));
    order.push({
      seq: ++seq,
      kind: 'account',
      account: { account_id: 'x', created_at: '2026-01-01T00:00:00Z' },
    });
    const plain = ev('a', 5, 5);
    if (plain.kind === 'event') delete plain.origin;
    order.push(plain);
    expect(applied.map((m) => m.kind)).toEqual(['account', 'event']);
    expect(order.stats.held).toBe(1);
  });

  it('stops waiting for a publisher that lags too far in event time; its events then count as late', () => {
    const { order, ids, logs } = harness(100);
    order.push(wm('a', 0));
    order.push(wm('b', 0));
    order.push(ev('a', 50, 50));
    expect(ids()).toEqual([]);
    order.push(ev('a', 150, 150));
    // B (watermark 0) is now more than 100 ms behind A: A's events up to the floor go.
    expect(ids()).toEqual(['e50-a']);
    expect(logs.join('\n')).toMatch(/publisher b lags by more than 100 ms/);
    order.push(ev('b', 20, 20));
    expect(order.stats.late).toBe(1);
    expect(ids()).toEqual(['e50-a', 'e20-b']);
    expect(order.stats.held).toBe(1);
  });

  it('reports the lowest held sequence so a checkpoint never skips a held event', () => {
    const { order } = harness();
    order.push(wm('a', 0));
    order.push(wm('b', 0));
    const first = ev('a', 10, 10);
    order.push(first, 7);
    order.push(ev('a', 20, 20), 9);
    expect(order.lowestHeldSeq()).toBe(first.seq);
    expect(order.lowestHeldFrom()).toBe(7);
  });

  it('a restored order waits for the same publishers and keeps its release point', () => {
    const first = harness();
    first.order.push(wm('a', 0));
    first.order.push(wm('b', 0));
    first.order.push(ev('a', 10, 10));
    first.order.push(ev('b', 30, 30));
    first.order.push(wm('a', 20));
    expect(first.ids()).toEqual(['e10-a']);
    const saved = first.order.state();
    expect(saved).toEqual({
      publishers: [
        ['a', 20],
        ['b', 30],
      ],
      released: [10, 'e10-a'],
    });

    const applied: string[] = [];
    const second = createEventTimeOrder({
      apply: (m) => applied.push(m.kind === 'event' ? m.event.id : m.kind),
      maxLatenessMs: 1_000_000,
      restore: saved,
      log: () => undefined,
    });
    // Re-read after the restore: B's event waits for A as before; one behind the release point is late.
    second.push(ev('b', 30, 30));
    expect(applied).toEqual([]);
    second.push(ev('b', 5, 30));
    expect(second.stats.late).toBe(1);
    expect(applied).toEqual(['e5-b']);
    second.push(ev('a', 40, 40));
    second.push(wm('b', 40));
    expect(applied).toEqual(['e5-b', 'e30-b']);
  });
});
