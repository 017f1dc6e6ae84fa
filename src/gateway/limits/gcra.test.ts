import { describe, expect, it } from 'vitest';
import { gcraAdjust, gcraCheck } from './gcra.js';

describe('GCRA', () => {
  it('allows a burst of the full limit, then the steady rate', () => {
    const s = { tat: 0 };
    const now = 1_000_000;
    for (let i = 0; i < 60; i++) {
      const c = gcraCheck(s, 1, 60, 60_000, now);
      expect(c.allowed).toBe(true);
      expect(c.remaining).toBe(59 - i);
      s.tat = c.nextTat;
    }
    const refused = gcraCheck(s, 1, 60, 60_000, now);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryMs: 1000 });
    expect(gcraCheck(s, 1, 60, 60_000, now + 1000).allowed).toBe(true);
    expect(refused.resetMs).toBe(60_000);
  });

  it('charges by cost and refunds on adjustment', () => {
    const s = { tat: 0 };
    const now = 5_000;
    const c = gcraCheck(s, 900, 1000, 60_000, now);
    s.tat = c.nextTat;
    expect(c.remaining).toBe(100);
    expect(gcraCheck(s, 200, 1000, 60_000, now).allowed).toBe(false);
    gcraAdjust(s, -500, 1000, 60_000);
    expect(gcraCheck(s, 200, 1000, 60_000, now)).toMatchObject({ allowed: true, remaining: 400 });
  });

  it('admits an oversized request only into a full bucket', () => {
    const s = { tat: 0 };
    const first = gcraCheck(s, 5000, 1000, 60_000, 10);
    expect(first.allowed).toBe(true);
    s.tat = first.nextTat;
    expect(gcraCheck(s, 1, 1000, 60_000, 10).allowed).toBe(false);
  });

  it('refuses everything at a zero limit', () => {
    expect(gcraCheck({ tat: 0 }, 1, 0, 60_000, 0).allowed).toBe(false);
  });
});
