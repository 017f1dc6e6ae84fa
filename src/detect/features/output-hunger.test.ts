import { describe, expect, it } from 'vitest';
import { outputHunger } from './output-hunger.js';

const hunger = (fields: Record<string, unknown>) => outputHunger({ messages: [], ...fields });

describe('outputHunger', () => {
  it('is 0 for a plain or typical request', () => {
    expect(hunger({})).toBe(0);
    expect(hunger({ max_tokens: 1024, temperature: 0.7, n: 1 })).toBe(0);
  });

  it('grows with the requested output length on a log scale', () => {
    const a = hunger({ max_tokens: 4096 });
    const b = hunger({ max_completion_tokens: 32768 });
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a);
    expect(b).toBeLessThanOrEqual(0.8);
  });

  it('scores logprobs, several samples, thinking budgets and effort', () => {
    expect(hunger({ logprobs: true, top_logprobs: 20 })).toBeGreaterThan(0.95);
    expect(hunger({ n: 16 })).toBeGreaterThan(0.95);
    expect(hunger({ thinking: { type: 'enabled', budget_tokens: 32768 } })).toBeGreaterThan(0.85);
    expect(hunger({ reasoning_effort: 'high' })).toBe(0.5);
  });

  it('combines several moderate asks above any one of them', () => {
    const one = hunger({ max_tokens: 8192 });
    expect(hunger({ max_tokens: 8192, reasoning_effort: 'medium', n: 2 })).toBeGreaterThan(one);
  });

  it('ignores malformed fields', () => {
    expect(hunger({ max_tokens: '99999', n: 'many', logprobs: 'yes', thinking: 'on' })).toBe(0);
  });
});
