import { describe, expect, it } from 'vitest';
import type { ExchangeEvent } from '../contract/types.js';
import { createBaselineDetector } from './baseline-rate.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

function event(id: string, account: string, offsetMs: number): ExchangeEvent {
  return {
    id,
    ts: new Date(T0 + offsetMs).toISOString(),
    account_id: account,
    client: { ip: '203.0.113.7' },
    api: 'openai.chat',
    model: 'm',
    request: { messages: [{ role: 'user', content: 'hi' }] },
  };
}

describe('createBaselineDetector', () => {
  it('blocks on the first request over the limit, not at the limit', () => {
    const detector = createBaselineDetector({ requestsPerHour: 3 });
    expect(detector.process(event('e1', 'a', 0))).toEqual([]);
    expect(detector.process(event('e2', 'a', 1000))).toEqual([]);
    expect(detector.process(event('e3', 'a', 2000))).toEqual([]);
    const decisions = detector.process(event('e4', 'a', 3000));
    expect(decisions).toEqual([
      {
        at: '2026-01-01T00:00:03.000Z',
        event_id: 'e4',
        account_id: 'a',
        action: 'block',
        score: 1,
        campaign_id: null,
        reasons: ['4 requests in the last hour (baseline rate rule, limit 3)'],
      },
    ]);
  });

  it('decides once per account: later requests of a blocked account add nothing', () => {
    const detector = createBaselineDetector({ requestsPerHour: 1 });
    detector.process(event('e1', 'a', 0));
    expect(detector.process(event('e2', 'a', 1))).toHaveLength(1);
    expect(detector.process(event('e3', 'a', 2))).toEqual([]);
  });

  it('counts a sliding hour: a request exactly one hour old has left the window', () => {
    const detector = createBaselineDetector({ requestsPerHour: 2 });
    detector.process(event('e1', 'a', 0));
    detector.process(event('e2', 'a', 1_000));
    // e1 is exactly 1 h before e3 → outside (window is the hour ending now, exclusive of its start).
    expect(detector.process(event('e3', 'a', 3_600_000))).toEqual([]);
    // e2 is 3_599_001 ms before e4 → still inside, with e3 and e4: 3 > 2.
    expect(detector.process(event('e4', 'a', 3_600_000 + 999))).toHaveLength(1);
  });

  it('keeps accounts apart', () => {
    const detector = createBaselineDetector({ requestsPerHour: 2 });
    const all = [
      event('e1', 'a', 0),
      event('e2', 'b', 1),
      event('e3', 'a', 2),
      event('e4', 'b', 3),
      event('e5', 'c', 4),
    ].flatMap((e) => detector.process(e));
    expect(all).toEqual([]);
    expect(detector.process(event('e6', 'b', 5)).map((d) => d.account_id)).toEqual(['b']);
  });

  it('stays correct across window compaction on a long steady stream', () => {
    const detector = createBaselineDetector({ requestsPerHour: 10 });
    // One request every 6 minutes = exactly 10 per hour: never over the limit.
    let decisions = 0;
    for (let i = 0; i < 500; i++) decisions += detector.process(event(`e${i}`, 'a', i * 360_000)).length;
    expect(decisions).toBe(0);
    // A burst of one extra inside the hour tips it over.
    expect(detector.process(event('burst', 'a', 499 * 360_000 + 1))).toHaveLength(1);
  });

  it('finds no campaigns and says what it is in notes', () => {
    const detector = createBaselineDetector();
    expect(detector.campaigns()).toEqual([]);
    expect(detector.notes()[0]).toMatch(/baseline detector: per-account rate rule only \(block above 200 /);
    detector.addAccount({ account_id: 'a', created_at: '2026-01-01T00:00:00.000Z' });
    expect(detector.notes()).toContain('1 account records received and ignored by the baseline rule');
  });

  it('rejects a limit that is not a positive integer', () => {
    expect(() => createBaselineDetector({ requestsPerHour: 0 })).toThrow(/positive integer, got 0/);
    expect(() => createBaselineDetector({ requestsPerHour: 2.5 })).toThrow(/positive integer, got 2.5/);
  });
});
