import { describe, expect, it } from 'vitest';
import { checkChatRequest } from './validate-request.js';

const user = [{ role: 'user', content: 'hi' }];

describe('checkChatRequest', () => {
  it('accepts minimal valid requests in both formats', () => {
    expect(checkChatRequest('openai', { model: 'm', messages: user }).ok).toBe(true);
    expect(checkChatRequest('anthropic', { model: 'm', max_tokens: 10, messages: user }).ok).toBe(true);
    expect(
      checkChatRequest('openai', {
        model: 'm',
        messages: [...user, { role: 'assistant', content: null, tool_calls: [] }],
      }).ok,
    ).toBe(true);
  });

  it.each([
    ['openai', [], 'body', 'must be a JSON object'],
    ['openai', { messages: user }, 'model', 'must be a non-empty string'],
    ['openai', { model: 'm', messages: [] }, 'messages', 'non-empty array'],
    [
      'openai',
      { model: 'm', messages: [{ role: 'robot', content: 'x' }] },
      'messages[0].role',
      'must be one of',
    ],
    [
      'openai',
      { model: 'm', messages: [{ role: 'user', content: 5 }] },
      'messages[0].content',
      'must be a string',
    ],
    ['openai', { model: 'm', messages: user, stream: 'yes' }, 'stream', 'true or false'],
    ['openai', { model: 'm', messages: user, n: 0 }, 'n', 'positive whole number'],
    ['openai', { model: 'm', messages: user, temperature: 'hot' }, 'temperature', 'must be a number'],
    ['anthropic', { model: 'm', messages: user }, 'max_tokens', 'is required'],
    [
      'anthropic',
      { model: 'm', max_tokens: 5, messages: [{ role: 'system', content: 'x' }] },
      'messages[0].role',
      'user, assistant',
    ],
    ['anthropic', { model: 'm', max_tokens: 5, messages: user, system: 3 }, 'system', 'must be a string'],
  ] as const)('%s rejects bad field %#', (format, body, param, message) => {
    const result = checkChatRequest(format, body);
    expect(result).toMatchObject({ ok: false, param });
    if (!result.ok) expect(result.message).toContain(message);
  });
});
