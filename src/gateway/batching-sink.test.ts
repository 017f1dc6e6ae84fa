import { describe, expect, it } from 'vitest';
import type { ExchangeEvent } from '../contract/types.js';
import { batchingSink } from './batching-sink.js';
import { fakeSink } from './testing/fakes.js';

function event(i: number): ExchangeEvent {
  return {
    id: `e${i}`,
    ts: new Date(i).toISOString(),
    account_id: 'a',
    client: { ip: '::1' },
    api: 'openai.chat',
    model: 'm',
    request: { messages: [] },
  };
}

describe('batchingSink', () => {
  it('forwards events offered within the delay together, in order', async () => {
    const inner = fakeSink();
    const sink = batchingSink(inner, { delayMs: 20 });
    sink.offer(event(1));
    sink.offer(event(2));
    expect(inner.events).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 40));
    expect(inner.events.map((e) => e.id)).toEqual(['e1', 'e2']);
  });

  it('forwards at once when full, and drain() forwards what is pending', async () => {
    const inner = fakeSink();
    const sink = batchingSink(inner, { delayMs: 10_000, maxBuffered: 2 });
    sink.offer(event(1));
    sink.offer(event(2));
    expect(inner.events).toHaveLength(2);
    sink.offer(event(3));
    await sink.drain();
    expect(inner.events).toHaveLength(3);
  });

  it('counts events the inner sink refuses', async () => {
    let drops = 0;
    const sink = batchingSink(
      { offer: () => false, drain: async () => {} },
      { delayMs: 1, onDrop: () => drops++ },
    );
    sink.offer(event(1));
    await sink.drain();
    expect(drops).toBe(1);
  });
});
