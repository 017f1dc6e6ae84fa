import { describe, expect, it } from 'vitest';
import type { ExchangeEvent } from '../contract/types.js';
import { toFeatureMessage } from './feature-worker.js';

const event: ExchangeEvent = {
  id: 'ev-1',
  ts: '2026-01-01T00:00:00.000Z',
  account_id: 'acct-1',
  client: { ip: '203.0.113.9' },
  api: 'openai.chat',
  model: 'mock-small',
  request: { messages: [{ role: 'user', content: 'Write a function that reverses a list.' }] },
};

describe('toFeatureMessage', () => {
  it('carries a valid event with its features, keyed by the events-stream seq', () => {
    const m = toFeatureMessage(12, 'event', JSON.stringify(event));
    expect(m.kind).toBe('event');
    if (m.kind !== 'event') return;
    expect(m.seq).toBe(12);
    expect(m.event.id).toBe('ev-1');
    expect(m.features.promptChars).toBeGreaterThan(0);
  });

  it('turns bad payloads into skip messages that name the problem (so the sequence has no gap)', () => {
    expect(toFeatureMessage(1, 'event', '{nope')).toEqual({
      seq: 1,
      kind: 'skip',
      reason: 'payload is not JSON',
    });
    const bad = toFeatureMessage(2, 'event', JSON.stringify({ ...event, client: { ip: 5 } }));
    expect(bad).toMatchObject({ seq: 2, kind: 'skip', reason: expect.stringContaining('/client/ip') });
    const account = toFeatureMessage(3, 'account', JSON.stringify({ account_id: 'a', created_at: 'x' }));
    expect(account.kind).toBe('skip');
  });

  it('passes a valid account record through', () => {
    const m = toFeatureMessage(
      4,
      'account',
      JSON.stringify({ account_id: 'acct-1', created_at: '2026-01-01T00:00:00Z', verified: true }),
    );
    expect(m).toMatchObject({ seq: 4, kind: 'account', account: { account_id: 'acct-1' } });
  });
});
