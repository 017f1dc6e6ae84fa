/**
 * Renders a mock generation in the OpenAI Chat Completions and Anthropic Messages wire formats,
 * whole (JSON) or as the SSE event sequence each API streams.
 */
import { formatSse } from '../wire/sse.js';
import type { Generation } from './generate.js';

/** Fixed `created` time so responses are byte-for-byte reproducible. */
const CREATED = 1_700_000_000;

/**
 * The OpenAI non-streaming response body.
 *
 * @example
 * openaiJson(generation, false).choices[0].message.content;
 */
export function openaiJson(g: Generation, logprobs: boolean) {
  const reasoning = g.reasoning.join('');
  return {
    id: `chatcmpl-${g.id}`,
    object: 'chat.completion',
    created: CREATED,
    model: g.model,
    choices: g.choices.map((tokens, index) => ({
      index,
      message: {
        role: 'assistant',
        content: tokens.join(''),
        ...(reasoning === '' ? {} : { reasoning_content: reasoning }),
      },
      logprobs: logprobs
        ? { content: tokens.map((token) => ({ token, logprob: -0.25, bytes: null, top_logprobs: [] })) }
        : null,
      finish_reason: g.finishReason,
    })),
    usage: usageOpenai(g),
  };
}

function usageOpenai(g: Generation) {
  const completion = g.choices.reduce((sum, c) => sum + c.length, 0) + g.reasoning.length;
  return {
    prompt_tokens: g.inputTokens,
    completion_tokens: completion,
    total_tokens: g.inputTokens + completion,
  };
}

/**
 * The OpenAI stream as SSE strings, one per chunk (reasoning deltas first, `[DONE]` last).
 *
 * @example
 * openaiStream(generation, true).at(-1); // 'data: [DONE]\n\n'
 */
export function openaiStream(g: Generation, includeUsage: boolean): string[] {
  const head = { id: `chatcmpl-${g.id}`, object: 'chat.completion.chunk', created: CREATED, model: g.model };
  const chunk = (index: number, delta: object, finish: string | null) =>
    formatSse(undefined, JSON.stringify({ ...head, choices: [{ index, delta, finish_reason: finish }] }));
  const out: string[] = [];
  g.choices.forEach((tokens, index) => {
    out.push(chunk(index, { role: 'assistant', content: '' }, null));
    if (index === 0) for (const t of g.reasoning) out.push(chunk(index, { reasoning_content: t }, null));
    for (const t of tokens) out.push(chunk(index, { content: t }, null));
    out.push(chunk(index, {}, g.finishReason));
  });
  if (includeUsage)
    out.push(formatSse(undefined, JSON.stringify({ ...head, choices: [], usage: usageOpenai(g) })));
  out.push(formatSse(undefined, '[DONE]'));
  return out;
}

const ANTHROPIC_STOP = { stop: 'end_turn', length: 'max_tokens' } as const;

/**
 * The Anthropic non-streaming Messages response body (thinking block first when present).
 *
 * @example
 * anthropicJson(generation).content.at(-1); // { type: 'text', text: '…' }
 */
export function anthropicJson(g: Generation) {
  const tokens = g.choices[0] ?? [];
  const content: object[] = [];
  if (g.reasoning.length > 0)
    content.push({ type: 'thinking', thinking: g.reasoning.join(''), signature: `sig-${g.id}` });
  content.push({ type: 'text', text: tokens.join('') });
  return {
    id: `msg_${g.id}`,
    type: 'message',
    role: 'assistant',
    model: g.model,
    content,
    stop_reason: ANTHROPIC_STOP[g.finishReason],
    stop_sequence: null,
    usage: { input_tokens: g.inputTokens, output_tokens: tokens.length + g.reasoning.length },
  };
}

/**
 * The Anthropic stream as SSE strings: message_start, blocks with deltas, message_delta, message_stop.
 *
 * @example
 * anthropicStream(generation)[0].startsWith('event: message_start'); // true
 */
export function anthropicStream(g: Generation): string[] {
  const tokens = g.choices[0] ?? [];
  const ev = (type: string, body: object) => formatSse(type, JSON.stringify({ type, ...body }));
  const out: string[] = [
    ev('message_start', {
      message: {
        id: `msg_${g.id}`,
        type: 'message',
        role: 'assistant',
        model: g.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: g.inputTokens, output_tokens: 1 },
      },
    }),
  ];
  let index = 0;
  if (g.reasoning.length > 0) {
    out.push(ev('content_block_start', { index, content_block: { type: 'thinking', thinking: '' } }));
    for (const t of g.reasoning)
      out.push(ev('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: t } }));
    out.push(
      ev('content_block_delta', { index, delta: { type: 'signature_delta', signature: `sig-${g.id}` } }),
    );
    out.push(ev('content_block_stop', { index }));
    index++;
  }
  out.push(ev('content_block_start', { index, content_block: { type: 'text', text: '' } }));
  for (const t of tokens)
    out.push(ev('content_block_delta', { index, delta: { type: 'text_delta', text: t } }));
  out.push(ev('content_block_stop', { index }));
  out.push(
    ev('message_delta', {
      delta: { stop_reason: ANTHROPIC_STOP[g.finishReason], stop_sequence: null },
      usage: { output_tokens: tokens.length + g.reasoning.length },
    }),
  );
  out.push(ev('message_stop', {}));
  return out;
}
