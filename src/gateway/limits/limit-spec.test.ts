import { describe, expect, it } from 'vitest';
import { parseLimitDefaults, parseLimitSpec } from './limit-spec.js';

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

describe('parseLimitDefaults', () => {
  const base = { verified: {}, unverified: { account: { requestsPerMinute: 60 } } };

  it('overrides only the parts given', () => {
    expect(parseLimitDefaults({ verified: { org: { dailyBudgetUsd: 100 } } }, 'limits', base)).toEqual({
      ok: true,
      value: {
        verified: { org: { dailyBudgetUsd: 100 } },
        unverified: { account: { requestsPerMinute: 60 } },
      },
    });
  });

  it('names unknown tiers, scopes and limits', () => {
    expect(parseLimitDefaults({ trusted: {} }, 'limits', base)).toMatchObject({
      ok: false,
      error: /limits\.trusted: unknown field/,
    });
    expect(parseLimitDefaults({ verified: { user: {} } }, 'limits', base)).toMatchObject({
      ok: false,
      error: /limits\.verified\.user: unknown scope/,
    });
    expect(parseLimitDefaults({ unverified: { key: { rpm: 1 } } }, 'limits', base)).toMatchObject({
      ok: false,
      error: /limits\.unverified\.key\.rpm: unknown limit/,
    });
    expect(parseLimitDefaults(3, 'limits', base)).toMatchObject({ ok: false });
  });
});
