import { describe, expect, it } from 'vitest';
import { degradeRequest, stripReasoning } from './degrade.js';

describe('degradeRequest', () => {
  it('caps tokens and drops logprobs, n and reasoning params (OpenAI)', () => {
    const body = {
      model: 'm',
      messages: [],
      max_completion_tokens: 4000,
      n: 4,
      logprobs: true,
      top_logprobs: 5,
      reasoning_effort: 'high',
    };
    expect(degradeRequest('openai', body, 256)).toEqual({
      model: 'm',
      messages: [],
      max_completion_tokens: 256,
    });
    expect(degradeRequest('openai', { model: 'm', messages: [] }, 256)).toEqual({
      model: 'm',
      messages: [],
      max_tokens: 256,
    });
    expect(degradeRequest('openai', { model: 'm', messages: [], max_tokens: 10 }, 256).max_tokens).toBe(10);
    expect(body.n).toBe(4);
  });

  it('caps tokens and drops thinking (Anthropic)', () => {
    expect(
      degradeRequest(
        'anthropic',
        { model: 'm', messages: [], max_tokens: 9000, thinking: { type: 'enabled', budget_tokens: 8000 } },
        512,
      ),
    ).toEqual({ model: 'm', messages: [], max_tokens: 512 });
  });
});

describe('stripReasoning', () => {
  it('removes thinking blocks and reasoning fields', () => {
    expect(
      stripReasoning('anthropic', {
        content: [
          { type: 'thinking', thinking: 'x' },
          { type: 'text', text: 'y' },
        ],
      }),
    ).toEqual({
      content: [{ type: 'text', text: 'y' }],
    });
    expect(
      stripReasoning('openai', {
        choices: [{ message: { content: 'y', reasoning_content: 'x', reasoning: 'x' } }],
      }),
    ).toEqual({ choices: [{ message: { content: 'y' } }] });
  });
});
