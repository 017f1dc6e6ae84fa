import { describe, expect, it } from 'vitest';
import { combine, pct, reasonsOf, shrunkShare } from './evidence.js';

describe('evidence', () => {
  it('combines log-odds into a logistic score', () => {
    const s = combine(-2, [
      { weight: 1.5, reason: 'a' },
      { weight: 0.5, reason: 'b' },
    ]);
    expect(s.logit).toBeCloseTo(0);
    expect(s.score).toBeCloseTo(0.5);
  });

  it('orders reasons: supporting evidence by strength, then mitigations', () => {
    const r = reasonsOf([
      { weight: -2.5, reason: 'verified' },
      { weight: 0.8, reason: 'regular' },
      { weight: 3.1, reason: 'cot' },
      { weight: 0.01, reason: 'noise' },
    ]);
    expect(r).toEqual(['cot (+3.1)', 'regular (+0.8)', 'verified (-2.5)']);
  });

  it('shrinks small samples', () => {
    expect(shrunkShare(3, 3)).toBe(0.5);
    expect(shrunkShare(97, 97)).toBeCloseTo(0.97);
    expect(shrunkShare(0, 0)).toBe(0);
    expect(pct(0.912)).toBe('91%');
  });
});
