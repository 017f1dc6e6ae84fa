/**
 * A short, display-ready view of an exchange for the console: when, which model, from where,
 * how it was answered, and an excerpt of the last user prompt. Bounded work on megabyte prompts
 * (only the last user message is read, and only up to the excerpt length).
 */
import type { ExchangeEvent, WireMessage } from '../contract/types.js';

export const PROMPT_EXCERPT = 400;

export interface ExchangeSummary {
  id: string;
  ts: string;
  account_id: string;
  model: string;
  api: string;
  ip: string;
  status: number | null;
  output_tokens: number | null;
  /** Start of the last user message's text (clipped with "…"), or "" when it has none. */
  prompt: string;
}

function textOf(content: unknown, max: number): string {
  if (typeof content === 'string') return content.slice(0, max + 1);
  if (!Array.isArray(content)) return '';
  let out = '';
  for (const block of content) {
    if (out.length > max) break;
    const text = (block as { text?: unknown } | null)?.text;
    if (typeof text === 'string') out += (out === '' ? '' : '\n') + text.slice(0, max + 1 - out.length);
  }
  return out;
}

function lastUserMessage(messages: readonly WireMessage[]): WireMessage | undefined {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]?.role === 'user') return messages[i];
  return undefined;
}

/**
 * Text of the event's last user message, read up to about `max` characters ("" when it has none,
 * or when its text was replaced by a fingerprint).
 *
 * @example
 * lastUserText(event, 4096); // 'Translate to French: …'
 */
export function lastUserText(event: ExchangeEvent, max: number): string {
  return textOf(lastUserMessage(event.request.messages)?.content, max);
}

/**
 * Summarises one exchange event.
 *
 * @example
 * summarizeExchange(event).prompt; // first 400 characters of the last user message
 */
export function summarizeExchange(event: ExchangeEvent): ExchangeSummary {
  const text = lastUserText(event, PROMPT_EXCERPT);
  return {
    id: event.id,
    ts: event.ts,
    account_id: event.account_id,
    model: event.model,
    api: event.api,
    ip: event.client.ip,
    status: event.response?.status ?? null,
    output_tokens: event.response?.output_tokens ?? null,
    prompt: text.length > PROMPT_EXCERPT ? `${text.slice(0, PROMPT_EXCERPT)}…` : text,
  };
}
