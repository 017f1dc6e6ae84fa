import { describe, expect, it } from 'vitest';
import { parseLimitSpec } from './limit-spec.js';

describe('parseLimitSpec', () => {
  it('accepts known non-negative limits', () => {
    expect(parseLimitSpec({ requestsPerMinute: 60, dailyBudgetUsd: 2.5 }, 'limits')).toEqual({
      ok: true,
      value: { requestsPerMinute: 60, dailyBudgetUsd: 2.5 },
    });
  });

  it('names the offending field', () => {
    expect(parseLimitSpec({ rpm: 1 }, 'limits')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^limits\.rpm: unknown limit/),
    });
    expect(parseLimitSpec({ tokensPerMinute: -1 }, 'l')).toEqual({
      ok: false,
      error: 'l.tokensPerMinute: must be a non-negative number',
    });
    expect(parseLimitSpec({ concurrentRequests: 1.5 }, 'l')).toEqual({
      ok: false,
      error: 'l.concurrentRequests: must be a whole number',
    });
    expect(parseLimitSpec({ requestsPerMinute: '5' }, 'l')).toMatchObject({ ok: false });
    expect(parseLimitSpec([], 'l')).toEqual({ ok: false, error: 'l: must be an object' });
  });
});
