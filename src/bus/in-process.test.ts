import { describe, expect, it } from 'vitest';
import type { ExchangeEvent } from '../contract/types.js';
import { createInProcessBus } from './in-process.js';

function event(i: number): ExchangeEvent {
  return {
    id: `e${i}`,
    ts: new Date(i).toISOString(),
    account_id: 'a',
    client: { ip: '127.0.0.1' },
    api: 'openai.chat',
    model: 'm',
    request: { messages: [] },
  };
}

describe('createInProcessBus', () => {
  it('delivers asynchronously, in publish order, to every subscriber', async () => {
    const bus = createInProcessBus({ batch: 3 });
    const seen: string[] = [];
    const other: string[] = [];
    bus.subscribe((e) => seen.push(e.id));
    const unsubscribe = bus.subscribe((e) => other.push(e.id));
    for (let i = 0; i < 10; i++) bus.publish(event(i));
    expect(seen).toEqual([]);
    unsubscribe();
    await bus.close();
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => `e${i}`));
    expect(other).toEqual([]);
    expect(bus.stats.delivered).toBe(10);
  });

  it('drops and counts events beyond capacity, and after close', async () => {
    const bus = createInProcessBus({ capacity: 2 });
    const seen: string[] = [];
    bus.subscribe((e) => seen.push(e.id));
    bus.publish(event(1));
    bus.publish(event(2));
    bus.publish(event(3));
    await bus.close();
    bus.publish(event(4));
    expect(seen).toEqual(['e1', 'e2']);
    expect(bus.stats.dropped).toBe(2);
  });

  it('with delayMs, batches events arriving within the delay and close() flushes a pending batch', async () => {
    const bus = createInProcessBus({ delayMs: 30 });
    const batches: number[] = [];
    let current = 0;
    bus.subscribe(() => {
      if (current === 0)
        setImmediate(() => {
          batches.push(current);
          current = 0;
        });
      current++;
    });
    bus.publish(event(1));
    await new Promise((r) => setTimeout(r, 5));
    bus.publish(event(2));
    await new Promise((r) => setImmediate(r));
    expect(bus.stats.delivered).toBe(0);
    await new Promise((r) => setTimeout(r, 60));
    expect(bus.stats.delivered).toBe(2);
    expect(batches).toEqual([2]);
    bus.publish(event(3));
    await bus.close();
    expect(bus.stats.delivered).toBe(3);
  });

  it('keeps delivering to others when a subscriber throws', async () => {
    const errors: unknown[] = [];
    const bus = createInProcessBus({ onError: (error) => errors.push(error) });
    const seen: string[] = [];
    bus.subscribe(() => {
      throw new Error('bad handler');
    });
    bus.subscribe((e) => seen.push(e.id));
    bus.publish(event(1));
    await bus.close();
    expect(seen).toEqual(['e1']);
    expect(errors).toHaveLength(1);
  });
});
