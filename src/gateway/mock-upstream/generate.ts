/**
 * What the mock model "generates" for one request, independent of wire format: reply tokens,
 * optional reasoning tokens, usage and finish reason. The OpenAI and Anthropic renderers turn
 * this into their own JSON and SSE shapes.
 */
import { approxTokens, fnv1a, mockTokens, promptText } from './reply.js';

export interface Generation {
  id: string;
  model: string;
  /** One token list per choice (OpenAI `n`); Anthropic uses the first. */
  choices: string[][];
  /** Reasoning tokens, when the request asked for thinking or the model always reasons. */
  reasoning: string[];
  inputTokens: number;
  finishReason: 'stop' | 'length';
}

export interface GenerateOptions {
  /** Tokens in a reply when max_tokens does not cap it lower. */
  replyTokens: number;
}

/**
 * Generates deterministically from a parsed request body of either wire format.
 *
 * @example
 * generate({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }, { replyTokens: 4 }).choices[0]?.length; // 4
 */
export function generate(body: Record<string, unknown>, options: GenerateOptions): Generation {
  const model = typeof body.model === 'string' ? body.model : 'mock';
  const prompt = promptText(body.messages, body.system);
  const cap = firstNumber(body.max_completion_tokens, body.max_tokens);
  const count = cap === undefined ? options.replyTokens : Math.max(0, Math.min(cap, options.replyTokens));
  const n = typeof body.n === 'number' && Number.isInteger(body.n) && body.n > 1 ? Math.min(body.n, 8) : 1;
  const choices: string[][] = [];
  for (let i = 0; i < n; i++) choices.push(mockTokens(prompt, count, i));
  const thinking = body.thinking as { type?: unknown } | undefined;
  const wantsReasoning =
    model.includes('reason') ||
    (thinking !== undefined && thinking !== null && thinking.type === 'enabled') ||
    body.reasoning_effort !== undefined;
  return {
    id: (fnv1a(`${model}\n${prompt}`) >>> 0).toString(16).padStart(8, '0'),
    model,
    choices,
    reasoning: wantsReasoning ? ['Reasoning:', ...mockTokens(`think:${prompt}`, 6)] : [],
    inputTokens: approxTokens(prompt),
    finishReason: cap !== undefined && cap < options.replyTokens ? 'length' : 'stop',
  };
}

function firstNumber(...values: unknown[]): number | undefined {
  for (const value of values) if (typeof value === 'number' && Number.isFinite(value)) return value;
  return undefined;
}
