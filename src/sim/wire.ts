/**
 * Builds request bodies in the two wire formats exactly as client SDKs send them (OpenAI Chat
 * Completions, Anthropic Messages), with their real optional fields, and the gateway-side
 * response summary (status, tokens, latency, finish reason, a short answer text).
 */
import type { ExchangeResponse, WireApi, WireMessage, WireRequest } from '../contract/types.js';
import type { ToolSpec } from './corpora.js';
import type { Rng } from './rng.js';

export interface ToolCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
}

/** A turn of a conversation, independent of wire format. */
export type Turn =
  | { role: 'user'; text: string }
  | { role: 'assistant'; text: string; toolCall?: ToolCall }
  | { role: 'tool'; call: ToolCall; result: string };

export interface RequestSpec {
  api: WireApi;
  model: string;
  system?: string;
  turns: Turn[];
  tools?: ToolSpec[];
  maxTokens: number;
  temperature?: number;
  stream?: boolean;
  /** OpenAI only: several samples per prompt. */
  n?: number;
  /** OpenAI only: top-k logprobs per token. */
  topLogprobs?: number;
  /** Extended thinking budget (Anthropic `thinking`, OpenAI `reasoning_effort`). */
  thinkingBudget?: number;
}

function openAiMessages(spec: RequestSpec): WireMessage[] {
  const out: WireMessage[] = [];
  if (spec.system !== undefined) out.push({ role: 'system', content: spec.system });
  for (const turn of spec.turns) {
    if (turn.role === 'user') out.push({ role: 'user', content: turn.text });
    else if (turn.role === 'assistant')
      out.push(
        turn.toolCall === undefined
          ? { role: 'assistant', content: turn.text }
          : {
              role: 'assistant',
              content: turn.text === '' ? null : turn.text,
              tool_calls: [
                {
                  id: turn.toolCall.id,
                  type: 'function',
                  function: { name: turn.toolCall.name, arguments: JSON.stringify(turn.toolCall.args) },
                },
              ],
            },
      );
    else out.push({ role: 'tool', tool_call_id: turn.call.id, content: turn.result });
  }
  return out;
}

function anthropicMessages(spec: RequestSpec): WireMessage[] {
  const out: WireMessage[] = [];
  for (const turn of spec.turns) {
    if (turn.role === 'user') out.push({ role: 'user', content: turn.text });
    else if (turn.role === 'assistant') {
      if (turn.toolCall === undefined) out.push({ role: 'assistant', content: turn.text });
      else {
        const blocks: unknown[] = turn.text === '' ? [] : [{ type: 'text', text: turn.text }];
        blocks.push({
          type: 'tool_use',
          id: turn.toolCall.id,
          name: turn.toolCall.name,
          input: turn.toolCall.args,
        });
        out.push({ role: 'assistant', content: blocks });
      }
    } else
      out.push({
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: turn.call.id, content: turn.result }],
      });
  }
  return out;
}

/**
 * The request body a client library would send for `spec`.
 *
 * @example
 * buildRequest({ api: 'openai.chat', model: 'atlas-3-mini', turns: [{ role: 'user', text: 'hi' }], maxTokens: 256 });
 * // { model: 'atlas-3-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: 256 }
 */
export function buildRequest(spec: RequestSpec): WireRequest {
  if (spec.api === 'openai.chat') {
    const body: WireRequest = {
      model: spec.model,
      messages: openAiMessages(spec),
      max_tokens: spec.maxTokens,
    };
    if (spec.temperature !== undefined) body.temperature = spec.temperature;
    if (spec.n !== undefined && spec.n > 1) body.n = spec.n;
    if (spec.topLogprobs !== undefined) {
      body.logprobs = true;
      body.top_logprobs = spec.topLogprobs;
    }
    if (spec.thinkingBudget !== undefined)
      body.reasoning_effort = spec.thinkingBudget >= 8000 ? 'high' : 'medium';
    if (spec.tools !== undefined)
      body.tools = spec.tools.map((t) => ({
        type: 'function',
        function: { name: t.name, description: t.description, parameters: t.parameters },
      }));
    if (spec.stream === true) {
      body.stream = true;
      body.stream_options = { include_usage: true };
    }
    return body;
  }
  const body: WireRequest = {
    model: spec.model,
    max_tokens: spec.maxTokens,
    messages: anthropicMessages(spec),
  };
  if (spec.system !== undefined) body.system = spec.system;
  if (spec.thinkingBudget !== undefined) {
    // The API requires max_tokens above the thinking budget and forbids a custom temperature.
    body.max_tokens = Math.max(spec.maxTokens, spec.thinkingBudget + 1024);
    body.thinking = { type: 'enabled', budget_tokens: spec.thinkingBudget };
  } else if (spec.temperature !== undefined) body.temperature = spec.temperature;
  if (spec.tools !== undefined)
    body.tools = spec.tools.map((t) => ({
      name: t.name,
      description: t.description,
      input_schema: t.parameters,
    }));
  if (spec.stream === true) body.stream = true;
  return body;
}

/** Serialised size of a tool list; agents resend the same list with every request. */
const toolChars = new WeakMap<readonly ToolSpec[], number>();

/**
 * Rough token count of a request: about four characters per token, as tokenizers average.
 *
 * @example
 * inputTokens({ api: 'openai.chat', model: 'm', turns: [{ role: 'user', text: 'hello there' }], maxTokens: 10 }); // 5
 */
export function inputTokens(spec: RequestSpec): number {
  let chars = spec.system?.length ?? 0;
  for (const t of spec.turns) chars += t.role === 'tool' ? t.result.length + 40 : t.text.length + 8;
  if (spec.tools !== undefined) {
    let size = toolChars.get(spec.tools);
    if (size === undefined) {
      size = JSON.stringify(spec.tools).length;
      toolChars.set(spec.tools, size);
    }
    chars += size;
  }
  return Math.max(1, Math.round(chars / 4));
}

export interface ResponseSpec {
  /** Tokens generated (before any max_tokens cut). */
  outputTokens: number;
  text: string;
  /** The model answered with a tool call. */
  toolUse?: boolean;
  /** Override the HTTP status (e.g. 429 for a rate-limited request). */
  status?: number;
}

/**
 * The response summary the gateway logs for `req`: tokens capped by max_tokens (finish reason
 * `length` / `max_tokens` when cut), latency from time-to-first-token plus decode speed.
 *
 * @example
 * buildResponse(rng, spec, { outputTokens: 300, text: 'Sure — …' }).finish_reason; // 'stop'
 */
export function buildResponse(rng: Rng, req: RequestSpec, res: ResponseSpec): ExchangeResponse {
  const status = res.status ?? 200;
  const input = inputTokens(req);
  if (status !== 200)
    return { status, input_tokens: 0, output_tokens: 0, latency_ms: Math.round(rng.lognormal(40, 0.4)) };
  const budget = req.maxTokens + (req.thinkingBudget ?? 0);
  const samples = req.n !== undefined && req.n > 1 ? req.n : 1;
  const cut = res.outputTokens > budget;
  const output = Math.min(res.outputTokens, budget) * samples;
  const anthropic = req.api === 'anthropic.messages';
  const finish = res.toolUse
    ? anthropic
      ? 'tool_use'
      : 'tool_calls'
    : cut
      ? anthropic
        ? 'max_tokens'
        : 'length'
      : anthropic
        ? 'end_turn'
        : 'stop';
  const ttft = rng.lognormal(450 + input / 20, 0.35);
  const perToken = rng.range(9, 22);
  return {
    status,
    input_tokens: input,
    output_tokens: output,
    latency_ms: Math.round(ttft + (output / samples) * perToken),
    finish_reason: finish,
    text: res.text,
  };
}
