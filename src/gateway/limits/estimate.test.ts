import { describe, expect, it } from 'vitest';
import { estimateRequest } from './estimate.js';
import { parsePriceTable } from './pricing.js';

const table = parsePriceTable({ models: { m: { inputPerMTok: 1, outputPerMTok: 2 } } }, 'p');
if (!table.ok) throw new Error(table.error);
const prices = table.value;

describe('estimateRequest', () => {
  it('counts prompt text at ~4 chars per token plus the requested output', () => {
    const e = estimateRequest(
      { messages: [{ role: 'user', content: 'x'.repeat(400) }], system: 'y'.repeat(40), max_tokens: 100 },
      'm',
      prices,
    );
    // 'user' (4) + 400 + 40 = 444 chars → 111 tokens.
    expect(e).toEqual({
      inputTokens: 111,
      outputTokens: 100,
      estimatedTokens: 211,
      estimatedCostUsd: (111 + 200) / 1e6,
    });
  });

  it('multiplies output by n and uses the default when no maximum is given', () => {
    expect(
      estimateRequest({ messages: [], n: 3 }, 'm', prices, { defaultOutputTokens: 10 }).outputTokens,
    ).toBe(30);
    expect(estimateRequest({ messages: [], max_completion_tokens: 7 }, 'm', prices).outputTokens).toBe(7);
  });

  it('stops counting at the cap on huge prompts', () => {
    const huge = {
      messages: [
        { role: 'user', content: 'z'.repeat(2_000_000) },
        { role: 'user', content: 'z'.repeat(2_000_000) },
      ],
    };
    expect(estimateRequest(huge, 'm', prices, { maxCharsCounted: 1_000_000 }).inputTokens).toBe(250_000);
  });
});
