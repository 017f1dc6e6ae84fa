import { describe, expect, it } from 'vitest';
import type { ExchangeEvent } from '../contract/types.js';
import { PROMPT_EXCERPT, summarizeExchange } from './exchange-summary.js';

const event = (messages: ExchangeEvent['request']['messages']): ExchangeEvent => ({
  id: 'e1',
  ts: '2026-01-01T00:00:00.000Z',
  account_id: 'a1',
  client: { ip: '10.0.0.1' },
  api: 'anthropic.messages',
  model: 'm',
  request: { messages },
  response: { status: 200, output_tokens: 12 },
});

describe('summarizeExchange', () => {
  it('takes the last user message, from a string or text blocks', () => {
    const s = summarizeExchange(
      event([
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'x' },
        {
          role: 'user',
          content: [{ type: 'text', text: 'solve' }, { type: 'image' }, { type: 'text', text: '2+2' }],
        },
      ]),
    );
    expect(s).toMatchObject({ prompt: 'solve\n2+2', status: 200, output_tokens: 12, ip: '10.0.0.1' });
  });
  it('clips megabyte prompts and copes with no user text', () => {
    const big = summarizeExchange(event([{ role: 'user', content: 'a'.repeat(2_000_000) }]));
    expect(big.prompt).toHaveLength(PROMPT_EXCERPT + 1);
    expect(big.prompt.endsWith('…')).toBe(true);
    expect(summarizeExchange(event([{ role: 'system', content: 's' }])).prompt).toBe('');
  });
});
