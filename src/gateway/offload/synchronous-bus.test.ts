import { describe, expect, it } from 'vitest';
import type { ExchangeEvent } from '../../contract/types.js';
import { synchronousBus } from './synchronous-bus.js';

const event = (id: string): ExchangeEvent => ({
  id,
  ts: '2026-01-01T00:00:00Z',
  account_id: 'a',
  client: { ip: '10.0.0.1' },
  api: 'openai.chat',
  model: 'm',
  request: { messages: [{ role: 'user', content: 'hi' }] },
});

describe('synchronousBus', () => {
  it('delivers inside publish, to every subscriber, until unsubscribed', async () => {
    const bus = synchronousBus();
    const a: string[] = [];
    const b: string[] = [];
    const stopA = bus.subscribe((e) => a.push(e.id));
    bus.subscribe((e) => b.push(e.id));
    bus.publish(event('1'));
    expect([a, b]).toEqual([['1'], ['1']]);
    stopA();
    bus.publish(event('2'));
    expect([a, b]).toEqual([['1'], ['1', '2']]);
    await bus.close();
  });
});
