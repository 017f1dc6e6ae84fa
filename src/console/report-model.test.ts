import { describe, expect, it } from 'vitest';
import type { Decision } from '../contract/types.js';
import { accountRows, accountsAtAction, decisionTimeline } from './report-model.js';

const decision = (over: Partial<Decision>): Decision => ({
  at: '2026-01-01T00:00:00.000Z',
  event_id: 'e1',
  account_id: 'a',
  action: 'monitor',
  score: 0.5,
  reasons: ['r'],
  ...over,
});

describe('accountRows', () => {
  it('keeps the highest action with its reasons and the highest score', () => {
    const rows = accountRows([
      decision({ account_id: 'a', action: 'monitor', score: 0.6, reasons: ['weak'] }),
      decision({
        account_id: 'a',
        action: 'block',
        score: 0.9,
        at: '2026-01-01T01:00:00.000Z',
        reasons: ['strong'],
        campaign_id: 'c1',
      }),
      decision({ account_id: 'b', action: 'throttle', score: 0.7 }),
    ]);
    expect(rows.map((r) => [r.accountId, r.action, r.score, r.decisions])).toEqual([
      ['a', 'block', 0.9, 2],
      ['b', 'throttle', 0.7, 1],
    ]);
    expect(rows[0]?.reasons).toEqual(['strong']);
    expect(rows[0]?.campaignId).toBe('c1');
    expect(rows[0]?.topAt).toBe('2026-01-01T01:00:00.000Z');
    expect(accountsAtAction(rows)).toEqual({ monitor: 0, throttle: 1, degrade: 0, block: 1 });
  });
});

describe('decisionTimeline', () => {
  it('returns null without decisions', () => {
    expect(decisionTimeline([], 10)).toBeNull();
  });
  it('puts first and last decisions into the first and last buckets', () => {
    const t = decisionTimeline(
      [
        decision({ at: '2026-01-01T00:00:00.000Z', action: 'monitor' }),
        decision({ at: '2026-01-01T05:00:00.000Z', action: 'block' }),
        decision({ at: '2026-01-01T10:00:00.000Z', action: 'block' }),
      ],
      10,
    );
    expect(t?.buckets).toHaveLength(10);
    expect(t?.buckets[0]?.counts.monitor).toBe(1);
    expect(t?.buckets[5]?.counts.block).toBe(1);
    expect(t?.buckets[9]?.counts.block).toBe(1);
    const total = t?.buckets.reduce((s, b) => s + b.counts.block + b.counts.monitor, 0);
    expect(total).toBe(3);
  });
});
