import { describe, expect, it } from 'vitest';
import { parsePriceTable } from './pricing.js';

describe('price table', () => {
  it('prices exact names, then the longest wildcard prefix, then the default', () => {
    const r = parsePriceTable(
      {
        models: {
          'gpt-x': { inputPerMTok: 2, outputPerMTok: 8 },
          'claude-*': { inputPerMTok: 3, outputPerMTok: 15 },
          'claude-opus-*': { inputPerMTok: 15, outputPerMTok: 75 },
        },
        default: { inputPerMTok: 1, outputPerMTok: 1 },
      },
      'prices',
    );
    if (!r.ok) throw new Error(r.error);
    expect(r.value.cost('gpt-x', { inputTokens: 1_000_000, outputTokens: 500_000 })).toBe(6);
    expect(r.value.priceOf('claude-opus-4')).toEqual({ inputPerMTok: 15, outputPerMTok: 75 });
    expect(r.value.priceOf('claude-haiku')).toEqual({ inputPerMTok: 3, outputPerMTok: 15 });
    expect(r.value.priceOf('other')).toEqual({ inputPerMTok: 1, outputPerMTok: 1 });
  });

  it('names the bad field', () => {
    expect(parsePriceTable({ models: { m: { inputPerMTok: -1, outputPerMTok: 1 } } }, 'p')).toEqual({
      ok: false,
      error: 'p.models.m.inputPerMTok: must be a non-negative number',
    });
    expect(parsePriceTable({ modles: {} }, 'p')).toMatchObject({
      ok: false,
      error: /p\.modles: unknown field/,
    });
    expect(parsePriceTable({ default: { inputPerMTok: 1 } }, 'p')).toMatchObject({
      ok: false,
      error: /p\.default\.outputPerMTok/,
    });
  });
});
