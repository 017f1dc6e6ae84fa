import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';
import { buildRequest, buildResponse, type RequestSpec } from './wire.js';

const call = { id: 'call_1', name: 'get_weather', args: { city: 'Paris' } };
const tools = [
  { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: {} } },
];
const base: Omit<RequestSpec, 'api'> = {
  model: 'atlas-3-pro',
  system: 'Be brief.',
  turns: [
    { role: 'user', text: 'Weather in Paris?' },
    { role: 'assistant', text: '', toolCall: call },
    { role: 'tool', call, result: '{"temp":21}' },
  ],
  tools,
  maxTokens: 512,
  temperature: 0.5,
};

describe('buildRequest', () => {
  it('speaks OpenAI chat: system message, tool_calls, role tool, n/logprobs, stream options', () => {
    const body = buildRequest({ ...base, api: 'openai.chat', n: 3, topLogprobs: 5, stream: true });
    expect(body.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(body.messages[2]).toMatchObject({
      content: null,
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      ],
    });
    expect(body.messages[3]).toEqual({ role: 'tool', tool_call_id: 'call_1', content: '{"temp":21}' });
    expect(body).toMatchObject({
      n: 3,
      logprobs: true,
      top_logprobs: 5,
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 512,
    });
    expect(body.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Weather',
          parameters: { type: 'object', properties: {} },
        },
      },
    ]);
  });

  it('speaks Anthropic messages: top-level system, tool_use/tool_result blocks, thinking rules', () => {
    const body = buildRequest({ ...base, api: 'anthropic.messages', thinkingBudget: 8000 });
    expect(body.system).toBe('Be brief.');
    expect(body.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(body.messages[1]?.content).toEqual([
      { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
    ]);
    expect(body.messages[2]?.content).toEqual([
      { type: 'tool_result', tool_use_id: 'call_1', content: '{"temp":21}' },
    ]);
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 8000 });
    // Thinking forbids a custom temperature and needs max_tokens above the budget.
    expect(body.temperature).toBeUndefined();
    expect(Number(body.max_tokens)).toBeGreaterThan(8000);
    expect(body.tools).toEqual([
      { name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: {} } },
    ]);
    expect(body.n).toBeUndefined();
  });
});

describe('buildResponse', () => {
  const rng = new Rng(1);
  it('caps output at max_tokens with the format’s finish reason', () => {
    const spec: RequestSpec = { ...base, api: 'openai.chat', tools: undefined, thinkingBudget: undefined };
    expect(buildResponse(rng, spec, { outputTokens: 100, text: 'ok' })).toMatchObject({
      status: 200,
      output_tokens: 100,
      finish_reason: 'stop',
    });
    expect(buildResponse(rng, spec, { outputTokens: 5000, text: 'ok' })).toMatchObject({
      output_tokens: 512,
      finish_reason: 'length',
    });
    const anth = buildResponse(
      rng,
      { ...spec, api: 'anthropic.messages' },
      { outputTokens: 5000, text: 'ok' },
    );
    expect(anth.finish_reason).toBe('max_tokens');
    expect(buildResponse(rng, spec, { outputTokens: 10, text: '', toolUse: true }).finish_reason).toBe(
      'tool_calls',
    );
  });

  it('multiplies output by n and takes longer for longer answers', () => {
    const spec: RequestSpec = { ...base, api: 'openai.chat', n: 4 };
    expect(buildResponse(rng, spec, { outputTokens: 100, text: '' }).output_tokens).toBe(400);
    const short = buildResponse(new Rng(2), spec, { outputTokens: 10, text: '' }).latency_ms ?? 0;
    const long = buildResponse(new Rng(2), spec, { outputTokens: 500, text: '' }).latency_ms ?? 0;
    expect(long).toBeGreaterThan(short);
  });
});
