/**
 * Request translation between OpenAI Chat Completions and Anthropic Messages, for routing a
 * client of one API to an upstream of the other. Covers text, images, system prompts, tools and
 * tool results, stop sequences and sampling; what has no counterpart (OpenAI `n` > 1, logprobs)
 * is refused with a clear error rather than silently dropped.
 */
import { arr, type Json, obj, str } from './normalized.js';

/** A request the other API cannot express; becomes a 400 naming `param`. */
export class TranslationError extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(`${param}: ${message}`);
    this.name = 'TranslationError';
  }
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  return arr(content)
    .map((p) => str(obj(p).text))
    .join('');
}

function parseArgs(json: string, param: string): unknown {
  try {
    return json === '' ? {} : JSON.parse(json);
  } catch {
    throw new TranslationError(param, 'tool call arguments are not valid JSON');
  }
}

/** OpenAI image_url part → Anthropic image block (data: URLs become base64 sources). */
function imageBlock(part: Json, param: string): Json {
  const url = str(obj(part.image_url).url);
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (match !== null)
    return { type: 'image', source: { type: 'base64', media_type: match[1], data: match[2] } };
  if (/^https?:\/\//.test(url)) return { type: 'image', source: { type: 'url', url } };
  throw new TranslationError(param, 'image_url must be an http(s) or data: URL');
}

function openaiUserContent(content: unknown, param: string): unknown {
  if (typeof content === 'string') return content;
  return arr(content).map((raw, i) => {
    const part = obj(raw);
    if (part.type === 'text') return { type: 'text', text: str(part.text) };
    if (part.type === 'image_url') return imageBlock(part, `${param}[${i}]`);
    throw new TranslationError(
      `${param}[${i}].type`,
      `content part "${str(part.type)}" cannot be sent to an Anthropic upstream`,
    );
  });
}

/** Anthropic wants strictly alternating roles; consecutive same-role messages are merged. */
function pushMerged(out: Json[], role: string, blocks: Json[]): void {
  const last = out.at(-1);
  if (last !== undefined && last.role === role) (last.content as Json[]).push(...blocks);
  else out.push({ role, content: blocks });
}

function asBlocks(content: unknown): Json[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : (content as Json[]);
}

/**
 * OpenAI chat request → Anthropic Messages request for upstream model `model`.
 *
 * @example
 * openaiToAnthropic({ model: 'a', messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi' }] }, 'claude-x', 1024);
 * // { model: 'claude-x', max_tokens: 1024, system: 'be brief', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] }
 */
export function openaiToAnthropic(body: Json, model: string, defaultMaxTokens: number): Json {
  if (typeof body.n === 'number' && body.n > 1)
    throw new TranslationError('n', 'n > 1 is not supported by this model’s upstream');
  if (body.logprobs === true)
    throw new TranslationError('logprobs', 'logprobs are not supported by this model’s upstream');
  const system: string[] = [];
  const messages: Json[] = [];
  arr(body.messages).forEach((raw, i) => {
    const m = obj(raw);
    const param = `messages[${i}]`;
    if (m.role === 'system' || m.role === 'developer') system.push(textOf(m.content));
    else if (m.role === 'user')
      pushMerged(messages, 'user', asBlocks(openaiUserContent(m.content, `${param}.content`)));
    else if (m.role === 'assistant') {
      const blocks: Json[] = [];
      const text = textOf(m.content);
      if (text !== '') blocks.push({ type: 'text', text });
      arr(m.tool_calls).forEach((t, j) => {
        const call = obj(t);
        const fn = obj(call.function);
        blocks.push({
          type: 'tool_use',
          id: str(call.id),
          name: str(fn.name),
          input: parseArgs(str(fn.arguments), `${param}.tool_calls[${j}].function.arguments`),
        });
      });
      pushMerged(messages, 'assistant', blocks);
    } else if (m.role === 'tool') {
      pushMerged(messages, 'user', [
        { type: 'tool_result', tool_use_id: str(m.tool_call_id), content: textOf(m.content) },
      ]);
    } else {
      throw new TranslationError(
        `${param}.role`,
        `role "${str(m.role)}" cannot be sent to an Anthropic upstream`,
      );
    }
  });
  const out: Json = {
    model,
    messages,
    max_tokens: numberOr(body.max_completion_tokens, body.max_tokens, defaultMaxTokens),
  };
  if (system.length > 0) out.system = system.join('\n\n');
  copy(body, out, 'temperature', 'temperature');
  copy(body, out, 'top_p', 'top_p');
  if (typeof body.stop === 'string') out.stop_sequences = [body.stop];
  else if (Array.isArray(body.stop)) out.stop_sequences = body.stop;
  if (body.stream === true) out.stream = true;
  if (Array.isArray(body.tools)) {
    out.tools = body.tools.map((t) => {
      const fn = obj(obj(t).function);
      const tool: Json = {
        name: str(fn.name),
        input_schema: fn.parameters ?? { type: 'object', properties: {} },
      };
      if (typeof fn.description === 'string') tool.description = fn.description;
      return tool;
    });
  }
  const choice = body.tool_choice;
  if (choice === 'auto' || choice === 'none') out.tool_choice = { type: choice };
  else if (choice === 'required') out.tool_choice = { type: 'any' };
  else if (typeof choice === 'object' && choice !== null)
    out.tool_choice = { type: 'tool', name: str(obj(obj(choice).function).name) };
  if (typeof body.user === 'string') out.metadata = { user_id: body.user };
  return out;
}

/**
 * Anthropic Messages request → OpenAI chat request for upstream model `model`. Streaming asks
 * for the usage chunk, since the Anthropic client expects token counts at the end.
 *
 * @example
 * anthropicToOpenai({ model: 'a', max_tokens: 64, system: 'be brief', messages: [{ role: 'user', content: 'hi' }] }, 'llama');
 * // { model: 'llama', max_tokens: 64, messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi' }] }
 */
export function anthropicToOpenai(body: Json, model: string): Json {
  const messages: Json[] = [];
  if (body.system !== undefined) messages.push({ role: 'system', content: textOf(body.system) });
  arr(body.messages).forEach((raw, i) => {
    const m = obj(raw);
    if (typeof m.content === 'string') {
      messages.push({ role: m.role, content: m.content });
      return;
    }
    const parts: Json[] = [];
    const toolCalls: Json[] = [];
    arr(m.content).forEach((b, j) => {
      const block = obj(b);
      const param = `messages[${i}].content[${j}]`;
      if (block.type === 'text') parts.push({ type: 'text', text: str(block.text) });
      else if (block.type === 'image') {
        const source = obj(block.source);
        const url =
          source.type === 'base64'
            ? `data:${str(source.media_type)};base64,${str(source.data)}`
            : str(source.url);
        parts.push({ type: 'image_url', image_url: { url } });
      } else if (block.type === 'tool_use') {
        toolCalls.push({
          id: str(block.id),
          type: 'function',
          function: { name: str(block.name), arguments: JSON.stringify(block.input ?? {}) },
        });
      } else if (block.type === 'tool_result') {
        messages.push({ role: 'tool', tool_call_id: str(block.tool_use_id), content: textOf(block.content) });
      } else if (block.type !== 'thinking' && block.type !== 'redacted_thinking') {
        throw new TranslationError(
          `${param}.type`,
          `content block "${str(block.type)}" cannot be sent to an OpenAI-compatible upstream`,
        );
      }
    });
    if (m.role === 'assistant') {
      const text = parts.map((p) => str(p.text)).join('');
      const message: Json = { role: 'assistant', content: text === '' && toolCalls.length > 0 ? null : text };
      if (toolCalls.length > 0) message.tool_calls = toolCalls;
      messages.push(message);
    } else if (parts.length > 0) {
      messages.push({
        role: 'user',
        content: parts.every((p) => p.type === 'text') ? parts.map((p) => str(p.text)).join('') : parts,
      });
    }
  });
  const out: Json = { model, messages, max_tokens: body.max_tokens };
  copy(body, out, 'temperature', 'temperature');
  copy(body, out, 'top_p', 'top_p');
  if (Array.isArray(body.stop_sequences)) out.stop = body.stop_sequences;
  if (body.stream === true) {
    out.stream = true;
    out.stream_options = { include_usage: true };
  }
  if (Array.isArray(body.tools)) {
    out.tools = body.tools.map((t) => {
      const tool = obj(t);
      const fn: Json = {
        name: str(tool.name),
        parameters: tool.input_schema ?? { type: 'object', properties: {} },
      };
      if (typeof tool.description === 'string') fn.description = tool.description;
      return { type: 'function', function: fn };
    });
  }
  const choice = obj(body.tool_choice);
  if (choice.type === 'auto' || choice.type === 'none') out.tool_choice = choice.type;
  else if (choice.type === 'any') out.tool_choice = 'required';
  else if (choice.type === 'tool')
    out.tool_choice = { type: 'function', function: { name: str(choice.name) } };
  const user = str(obj(body.metadata).user_id);
  if (user !== '') out.user = user;
  return out;
}

function numberOr(a: unknown, b: unknown, fallback: number): number {
  if (typeof a === 'number') return a;
  if (typeof b === 'number') return b;
  return fallback;
}

function copy(from: Json, to: Json, key: string, as: string): void {
  if (from[key] !== undefined && from[key] !== null) to[as] = from[key];
}
