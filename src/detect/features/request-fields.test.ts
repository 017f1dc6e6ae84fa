import { describe, expect, it } from 'vitest';
import {
  agentLoop,
  numberField,
  reasoningEffort,
  stringField,
  thinkingBudget,
  toolCount,
} from './request-fields.js';

describe('request fields', () => {
  it('reads typed fields and treats wrong types as absent', () => {
    expect(numberField({ messages: [], max_tokens: 512 }, 'max_tokens')).toBe(512);
    expect(numberField({ messages: [], max_tokens: '512' }, 'max_tokens')).toBeUndefined();
    expect(numberField({ messages: [], max_tokens: Number.NaN }, 'max_tokens')).toBeUndefined();
    expect(stringField({ messages: [], model: 7 }, 'model')).toBeUndefined();
  });

  it('reads reasoning effort in both OpenAI shapes', () => {
    expect(reasoningEffort({ messages: [], reasoning_effort: 'High' })).toBe('high');
    expect(reasoningEffort({ messages: [], reasoning: { effort: 'low' } })).toBe('low');
    expect(reasoningEffort({ messages: [], reasoning: null })).toBeUndefined();
  });

  it('reads the Anthropic thinking budget', () => {
    expect(thinkingBudget({ messages: [], thinking: { type: 'enabled', budget_tokens: 16000 } })).toBe(16000);
    expect(thinkingBudget({ messages: [], thinking: { type: 'disabled', budget_tokens: 16000 } })).toBe(0);
    expect(thinkingBudget({ messages: [], thinking: { type: 'enabled' } })).toBe(1024);
    expect(thinkingBudget({ messages: [] })).toBe(0);
  });

  it('counts tools and legacy functions', () => {
    expect(toolCount({ messages: [], tools: [{}, {}] })).toBe(2);
    expect(toolCount({ messages: [], functions: [{}] })).toBe(1);
    expect(toolCount({ messages: [], tools: 'x' })).toBe(0);
  });

  it('recognises agent loops in either wire format', () => {
    expect(
      agentLoop([
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'hello' },
      ]),
    ).toBe(false);
    expect(agentLoop([{ role: 'assistant', content: null, tool_calls: [{ id: 'c1' }] }])).toBe(true);
    expect(agentLoop([{ role: 'tool', content: '{}' }])).toBe(true);
    expect(
      agentLoop([{ role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'f', input: {} }] }]),
    ).toBe(true);
    expect(agentLoop(['junk', null, { role: 'user', content: [null, 'x'] }])).toBe(false);
  });
});
