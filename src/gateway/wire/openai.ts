/**
 * OpenAI Chat Completions: decoding upstream responses (whole and streamed) into the neutral
 * form, and encoding the neutral form for OpenAI clients. Streams carry choice 0 only when
 * translated; same-format passthrough never goes through here except for logging.
 */

import { streamErrorEvent } from './errors.js';
import {
  arr,
  count,
  type FinishReason,
  type Json,
  type NormResponse,
  obj,
  type StreamDecoder,
  type StreamEncoder,
  type StreamPart,
  str,
} from './normalized.js';
import { formatSse } from './sse.js';

const FINISH = new Set<string>(['stop', 'length', 'tool_calls', 'content_filter']);

function finishOf(value: unknown): FinishReason {
  if (value === 'function_call') return 'tool_calls';
  return typeof value === 'string' && FINISH.has(value) ? (value as FinishReason) : 'stop';
}

/**
 * Decodes a non-streamed OpenAI response body.
 *
 * @example
 * decodeOpenaiResponse({ id: 'x', model: 'm', choices: [{ message: { content: 'hi' }, finish_reason: 'stop' }] }).text; // 'hi'
 */
export function decodeOpenaiResponse(body: unknown): NormResponse {
  const b = obj(body);
  const choice = obj(arr(b.choices)[0]);
  const message = obj(choice.message);
  const usage = obj(b.usage);
  return {
    id: str(b.id),
    model: str(b.model),
    text: str(message.content),
    reasoning: str(message.reasoning_content) || str(message.reasoning),
    toolCalls: arr(message.tool_calls).map((t) => {
      const call = obj(t);
      const fn = obj(call.function);
      return { id: str(call.id), name: str(fn.name), arguments: str(fn.arguments) || '{}' };
    }),
    finish: finishOf(choice.finish_reason),
    inputTokens: count(usage.prompt_tokens) ?? 0,
    outputTokens: count(usage.completion_tokens) ?? 0,
  };
}

/**
 * Encodes a neutral response as an OpenAI chat.completion body.
 *
 * @example
 * encodeOpenaiResponse(response, 'my-model').choices[0].message.content;
 */
export function encodeOpenaiResponse(r: NormResponse, model: string) {
  const message: Json = {
    role: 'assistant',
    content: r.toolCalls.length > 0 && r.text === '' ? null : r.text,
  };
  if (r.reasoning !== '') message.reasoning_content = r.reasoning;
  if (r.toolCalls.length > 0) {
    message.tool_calls = r.toolCalls.map((t) => ({
      id: t.id,
      type: 'function',
      function: { name: t.name, arguments: t.arguments },
    }));
  }
  return {
    id: r.id.startsWith('chatcmpl') ? r.id : `chatcmpl-${r.id.replace(/^msg_/, '')}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: r.finish }],
    usage: {
      prompt_tokens: r.inputTokens,
      completion_tokens: r.outputTokens,
      total_tokens: r.inputTokens + r.outputTokens,
    },
  };
}

/**
 * A decoder for an OpenAI SSE stream (choice 0; `[DONE]` ends it; an `error` object is an error).
 *
 * @example
 * createOpenaiDecoder().decode({ data: '[DONE]' }); // [{ kind: 'done' }]
 */
export function createOpenaiDecoder(): StreamDecoder {
  let started = false;
  return {
    decode(event) {
      if (event.data === '[DONE]') return [{ kind: 'done' }];
      let chunk: Json;
      try {
        chunk = obj(JSON.parse(event.data));
      } catch {
        return [{ kind: 'error', message: 'upstream sent a malformed stream chunk' }];
      }
      const parts: StreamPart[] = [];
      if (chunk.error !== undefined) {
        return [{ kind: 'error', message: str(obj(chunk.error).message) || 'upstream stream error' }];
      }
      if (!started) {
        started = true;
        parts.push({ kind: 'start', id: str(chunk.id), model: str(chunk.model) });
      }
      for (const c of arr(chunk.choices)) {
        const choice = obj(c);
        if ((count(choice.index) ?? 0) !== 0) continue;
        const delta = obj(choice.delta);
        const reasoning = str(delta.reasoning_content) || str(delta.reasoning);
        if (reasoning !== '') parts.push({ kind: 'reasoning', text: reasoning });
        const content = str(delta.content);
        if (content !== '') parts.push({ kind: 'text', text: content });
        for (const t of arr(delta.tool_calls)) {
          const call = obj(t);
          const fn = obj(call.function);
          const index = count(call.index) ?? 0;
          if (typeof call.id === 'string')
            parts.push({ kind: 'tool_start', index, id: call.id, name: str(fn.name) });
          const args = str(fn.arguments);
          if (args !== '') parts.push({ kind: 'tool_args', index, json: args });
        }
        if (choice.finish_reason !== null && choice.finish_reason !== undefined) {
          parts.push({ kind: 'finish', reason: finishOf(choice.finish_reason) });
        }
      }
      if (chunk.usage !== undefined && chunk.usage !== null) {
        const usage = obj(chunk.usage);
        parts.push({
          kind: 'usage',
          inputTokens: count(usage.prompt_tokens),
          outputTokens: count(usage.completion_tokens),
        });
      }
      return parts;
    },
  };
}

/**
 * An encoder writing OpenAI chat.completion.chunk SSE for an OpenAI client; the usage chunk is
 * sent before `[DONE]` only when the client asked for it (`stream_options.include_usage`).
 *
 * @example
 * const encoder = createOpenaiEncoder('my-model', true);
 * encoder.encode({ kind: 'text', text: 'hi' });
 */
export function createOpenaiEncoder(model: string, includeUsage: boolean): StreamEncoder {
  let id = '';
  let started = false;
  let inputTokens = 0;
  let outputTokens = 0;
  const created = Math.floor(Date.now() / 1000);
  const chunk = (delta: Json, finish: string | null) =>
    formatSse(
      undefined,
      JSON.stringify({
        id,
        object: 'chat.completion.chunk',
        created,
        model,
        choices: [{ index: 0, delta, finish_reason: finish }],
      }),
    );
  const ensureStart = (): string => {
    if (started) return '';
    started = true;
    if (id === '') id = `chatcmpl-${created.toString(16)}`;
    return chunk({ role: 'assistant', content: '' }, null);
  };
  return {
    encode(part) {
      switch (part.kind) {
        case 'start':
          id = part.id.startsWith('chatcmpl') ? part.id : `chatcmpl-${part.id.replace(/^msg_/, '')}`;
          if (part.inputTokens !== undefined) inputTokens = part.inputTokens;
          return ensureStart();
        case 'text':
          return ensureStart() + chunk({ content: part.text }, null);
        case 'reasoning':
          return ensureStart() + chunk({ reasoning_content: part.text }, null);
        case 'tool_start':
          return (
            ensureStart() +
            chunk(
              {
                tool_calls: [
                  {
                    index: part.index,
                    id: part.id,
                    type: 'function',
                    function: { name: part.name, arguments: '' },
                  },
                ],
              },
              null,
            )
          );
        case 'tool_args':
          return (
            ensureStart() +
            chunk({ tool_calls: [{ index: part.index, function: { arguments: part.json } }] }, null)
          );
        case 'finish':
          return ensureStart() + chunk({}, part.reason);
        case 'usage':
          if (part.inputTokens !== undefined) inputTokens = part.inputTokens;
          if (part.outputTokens !== undefined) outputTokens = part.outputTokens;
          return '';
        case 'done': {
          const usage = includeUsage
            ? formatSse(
                undefined,
                JSON.stringify({
                  id,
                  object: 'chat.completion.chunk',
                  created,
                  model,
                  choices: [],
                  usage: {
                    prompt_tokens: inputTokens,
                    completion_tokens: outputTokens,
                    total_tokens: inputTokens + outputTokens,
                  },
                }),
              )
            : '';
          return ensureStart() + usage + formatSse(undefined, '[DONE]');
        }
        case 'error':
          return streamErrorEvent('openai', 'upstream', part.message);
        default:
          return '';
      }
    },
  };
}
