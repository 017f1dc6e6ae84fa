/**
 * Anthropic Messages: decoding upstream responses (whole and streamed) into the neutral form,
 * and encoding the neutral form for Anthropic clients (content blocks opened and closed as the
 * kind of delta changes: thinking → text → tool_use).
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

const FROM_STOP: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};
const TO_STOP: Record<FinishReason, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  content_filter: 'refusal',
};

/**
 * Decodes a non-streamed Anthropic Messages response body.
 *
 * @example
 * decodeAnthropicResponse({ content: [{ type: 'text', text: 'hi' }], stop_reason: 'end_turn' }).text; // 'hi'
 */
export function decodeAnthropicResponse(body: unknown): NormResponse {
  const b = obj(body);
  const usage = obj(b.usage);
  let text = '';
  let reasoning = '';
  const toolCalls: NormResponse['toolCalls'] = [];
  for (const raw of arr(b.content)) {
    const block = obj(raw);
    if (block.type === 'text') text += str(block.text);
    else if (block.type === 'thinking') reasoning += str(block.thinking);
    else if (block.type === 'tool_use') {
      toolCalls.push({
        id: str(block.id),
        name: str(block.name),
        arguments: JSON.stringify(block.input ?? {}),
      });
    }
  }
  return {
    id: str(b.id),
    model: str(b.model),
    text,
    reasoning,
    toolCalls,
    finish: FROM_STOP[str(b.stop_reason)] ?? 'stop',
    inputTokens: count(usage.input_tokens) ?? 0,
    outputTokens: count(usage.output_tokens) ?? 0,
  };
}

/**
 * Encodes a neutral response as an Anthropic Messages body.
 *
 * @example
 * encodeAnthropicResponse(response, 'my-model').content;
 */
export function encodeAnthropicResponse(r: NormResponse, model: string) {
  const content: Json[] = [];
  if (r.reasoning !== '') content.push({ type: 'thinking', thinking: r.reasoning, signature: '' });
  if (r.text !== '' || r.toolCalls.length === 0) content.push({ type: 'text', text: r.text });
  for (const t of r.toolCalls)
    content.push({ type: 'tool_use', id: t.id, name: t.name, input: parseArgs(t.arguments) });
  return {
    id: r.id.startsWith('msg_') ? r.id : `msg_${r.id.replace(/^chatcmpl-/, '')}`,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: TO_STOP[r.finish],
    stop_sequence: null,
    usage: { input_tokens: r.inputTokens, output_tokens: r.outputTokens },
  };
}

function parseArgs(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return {};
  }
}

/**
 * A decoder for an Anthropic SSE stream (message_stop ends it; `event: error` is an error).
 *
 * @example
 * createAnthropicDecoder().decode({ event: 'message_stop', data: '{"type":"message_stop"}' }); // [{ kind: 'done' }]
 */
export function createAnthropicDecoder(): StreamDecoder {
  /** Anthropic numbers content blocks; OpenAI numbers tool calls. Map one to the other. */
  const toolIndexOfBlock = new Map<number, number>();
  return {
    decode(event) {
      let e: Json;
      try {
        e = obj(JSON.parse(event.data));
      } catch {
        return [{ kind: 'error', message: 'upstream sent a malformed stream event' }];
      }
      switch (e.type) {
        case 'message_start': {
          const message = obj(e.message);
          return [
            {
              kind: 'start',
              id: str(message.id),
              model: str(message.model),
              inputTokens: count(obj(message.usage).input_tokens),
            },
          ];
        }
        case 'content_block_start': {
          const block = obj(e.content_block);
          if (block.type === 'tool_use') {
            const index = toolIndexOfBlock.size;
            toolIndexOfBlock.set(count(e.index) ?? 0, index);
            return [{ kind: 'tool_start', index, id: str(block.id), name: str(block.name) }];
          }
          if (block.type === 'text' && str(block.text) !== '')
            return [{ kind: 'text', text: str(block.text) }];
          return [];
        }
        case 'content_block_delta': {
          const delta = obj(e.delta);
          if (delta.type === 'text_delta') return [{ kind: 'text', text: str(delta.text) }];
          if (delta.type === 'thinking_delta') return [{ kind: 'reasoning', text: str(delta.thinking) }];
          if (delta.type === 'input_json_delta') {
            return [
              {
                kind: 'tool_args',
                index: toolIndexOfBlock.get(count(e.index) ?? 0) ?? 0,
                json: str(delta.partial_json),
              },
            ];
          }
          return [];
        }
        case 'message_delta': {
          const parts: StreamPart[] = [];
          const reason = str(obj(e.delta).stop_reason);
          if (reason !== '') parts.push({ kind: 'finish', reason: FROM_STOP[reason] ?? 'stop' });
          const usage = obj(e.usage);
          parts.push({
            kind: 'usage',
            inputTokens: count(usage.input_tokens),
            outputTokens: count(usage.output_tokens),
          });
          return parts;
        }
        case 'message_stop':
          return [{ kind: 'done' }];
        case 'error':
          return [{ kind: 'error', message: str(obj(e.error).message) || 'upstream stream error' }];
        default:
          return [];
      }
    },
  };
}

type BlockKind = 'text' | 'thinking' | 'tool_use';

/**
 * An encoder writing Anthropic Messages SSE for an Anthropic client.
 *
 * @example
 * const encoder = createAnthropicEncoder('my-model');
 * encoder.encode({ kind: 'text', text: 'hi' }); // message_start, content_block_start, content_block_delta
 */
export function createAnthropicEncoder(model: string): StreamEncoder {
  let id = '';
  let started = false;
  let inputTokens = 0;
  let outputTokens = 0;
  let stopReason = 'end_turn';
  let index = -1;
  let open: BlockKind | null = null;
  const ev = (type: string, body: Json) => formatSse(type, JSON.stringify({ type, ...body }));
  const ensureStart = (): string => {
    if (started) return '';
    started = true;
    return ev('message_start', {
      message: {
        id: id === '' ? `msg_${Date.now().toString(16)}` : id,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: inputTokens, output_tokens: 0 },
      },
    });
  };
  const close = (): string => {
    if (open === null) return '';
    open = null;
    return ev('content_block_stop', { index });
  };
  const openBlock = (kind: BlockKind, block: Json): string => {
    const out = close();
    index++;
    open = kind;
    return out + ev('content_block_start', { index, content_block: block });
  };
  return {
    encode(part) {
      switch (part.kind) {
        case 'start':
          id = part.id.startsWith('msg_') ? part.id : `msg_${part.id.replace(/^chatcmpl-/, '')}`;
          if (part.inputTokens !== undefined) inputTokens = part.inputTokens;
          return ensureStart();
        case 'text': {
          const head = ensureStart() + (open === 'text' ? '' : openBlock('text', { type: 'text', text: '' }));
          return head + ev('content_block_delta', { index, delta: { type: 'text_delta', text: part.text } });
        }
        case 'reasoning': {
          const head =
            ensureStart() +
            (open === 'thinking' ? '' : openBlock('thinking', { type: 'thinking', thinking: '' }));
          return (
            head +
            ev('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: part.text } })
          );
        }
        case 'tool_start':
          return (
            ensureStart() +
            openBlock('tool_use', { type: 'tool_use', id: part.id, name: part.name, input: {} })
          );
        case 'tool_args':
          return ev('content_block_delta', {
            index,
            delta: { type: 'input_json_delta', partial_json: part.json },
          });
        case 'finish':
          stopReason = TO_STOP[part.reason];
          return '';
        case 'usage':
          if (part.inputTokens !== undefined) inputTokens = part.inputTokens;
          if (part.outputTokens !== undefined) outputTokens = part.outputTokens;
          return '';
        case 'done':
          return (
            ensureStart() +
            close() +
            ev('message_delta', {
              delta: { stop_reason: stopReason, stop_sequence: null },
              usage: { output_tokens: outputTokens },
            }) +
            ev('message_stop', {})
          );
        case 'error':
          return streamErrorEvent('anthropic', 'upstream', part.message);
        default:
          return '';
      }
    },
  };
}
