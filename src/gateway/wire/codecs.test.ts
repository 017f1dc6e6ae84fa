import { describe, expect, it } from 'vitest';
import { generate } from '../mock-upstream/generate.js';
import { anthropicJson, anthropicStream, openaiJson, openaiStream } from '../mock-upstream/render.js';
import {
  createAnthropicDecoder,
  createAnthropicEncoder,
  decodeAnthropicResponse,
  encodeAnthropicResponse,
} from './anthropic.js';
import { addToTally, createTally, type StreamPart } from './normalized.js';
import {
  createOpenaiDecoder,
  createOpenaiEncoder,
  decodeOpenaiResponse,
  encodeOpenaiResponse,
} from './openai.js';
import { createSseParser } from './sse.js';

const g = generate(
  { model: 'mock-reasoner', messages: [{ role: 'user', content: 'Explain tides' }], max_tokens: 100 },
  { replyTokens: 6 },
);
const text = g.choices[0]?.join('') ?? '';

function partsOf(
  sse: string[],
  decoder: { decode(e: { event?: string; data: string }): StreamPart[] },
): StreamPart[] {
  return createSseParser()
    .push(sse.join(''))
    .flatMap((e) => decoder.decode(e));
}

describe('whole-response codecs', () => {
  it('decode the same content from both formats and re-encode across', () => {
    const fromOpenai = decodeOpenaiResponse(openaiJson(g, false));
    const fromAnthropic = decodeAnthropicResponse(anthropicJson(g));
    expect(fromOpenai.text).toBe(text);
    expect(fromAnthropic.text).toBe(text);
    expect(fromAnthropic.reasoning).toBe(fromOpenai.reasoning);
    expect(fromAnthropic.outputTokens).toBe(13);
    const asAnthropic = encodeAnthropicResponse(fromOpenai, 'alias');
    expect(asAnthropic.content.at(-1)).toEqual({ type: 'text', text });
    expect(asAnthropic.stop_reason).toBe('end_turn');
    const asOpenai = encodeOpenaiResponse(fromAnthropic, 'alias');
    expect(asOpenai.choices[0]?.message.content).toBe(text);
    expect(asOpenai.usage.total_tokens).toBe(fromAnthropic.inputTokens + 13);
  });

  it('carry tool calls across formats', () => {
    const r = decodeOpenaiResponse({
      choices: [
        {
          message: {
            content: null,
            tool_calls: [{ id: 'c', function: { name: 'f', arguments: '{"x":1}' } }],
          },
          finish_reason: 'tool_calls',
        },
      ],
    });
    const a = encodeAnthropicResponse(r, 'm');
    expect(a.content).toEqual([{ type: 'tool_use', id: 'c', name: 'f', input: { x: 1 } }]);
    expect(a.stop_reason).toBe('tool_use');
    expect(decodeAnthropicResponse(a).toolCalls).toEqual([{ id: 'c', name: 'f', arguments: '{"x":1}' }]);
  });
});

describe('stream codecs', () => {
  it('decode both formats to the same text, reasoning, finish and usage', () => {
    const o = createTally();
    const oParts = partsOf(openaiStream(g, true), createOpenaiDecoder());
    for (const p of oParts) addToTally(o, p);
    const a = createTally();
    const aParts = partsOf(anthropicStream(g), createAnthropicDecoder());
    for (const p of aParts) addToTally(a, p);
    expect(o.text).toBe(text);
    expect(a.text).toBe(text);
    expect([o.finish, a.finish]).toEqual(['stop', 'stop']);
    expect([o.outputTokens, a.outputTokens, o.done, a.done]).toEqual([13, 13, true, true]);
  });

  it('translate an OpenAI stream into a well-formed Anthropic stream and back', () => {
    const toAnthropic = createAnthropicEncoder('alias');
    const sse = partsOf(openaiStream(g, true), createOpenaiDecoder()).map((p) => toAnthropic.encode(p));
    const events = createSseParser().push(sse.join(''));
    expect(events.map((e) => e.event).filter((e, i, all) => all.indexOf(e) === i)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const back = createTally();
    const toOpenai = createOpenaiEncoder('alias', true);
    const again = partsOf(sse, createAnthropicDecoder()).map((p) => toOpenai.encode(p));
    for (const p of partsOf(again, createOpenaiDecoder())) addToTally(back, p);
    expect(back.text).toBe(text);
    expect(back.outputTokens).toBe(13);
    expect(again.at(-1)).toContain('[DONE]');
  });

  it('streams tool calls across formats', () => {
    const parts: StreamPart[] = [
      { kind: 'start', id: 'x', model: 'm' },
      { kind: 'tool_start', index: 0, id: 'c1', name: 'f' },
      { kind: 'tool_args', index: 0, json: '{"a":' },
      { kind: 'tool_args', index: 0, json: '1}' },
      { kind: 'finish', reason: 'tool_calls' },
      { kind: 'done' },
    ];
    const encoder = createAnthropicEncoder('m');
    const decoded = partsOf(
      parts.map((p) => encoder.encode(p)),
      createAnthropicDecoder(),
    );
    expect(decoded.filter((p) => p.kind !== 'usage')).toEqual(
      parts.map((p) => (p.kind === 'start' ? { ...p, id: 'msg_x', inputTokens: 0 } : p)),
    );
  });

  it('turns upstream error events into error parts', () => {
    expect(createOpenaiDecoder().decode({ data: '{"error":{"message":"boom"}}' })).toEqual([
      { kind: 'error', message: 'boom' },
    ]);
    expect(
      createAnthropicDecoder().decode({
        event: 'error',
        data: '{"type":"error","error":{"message":"over"}}',
      }),
    ).toEqual([{ kind: 'error', message: 'over' }]);
  });
});
