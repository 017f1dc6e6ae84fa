/**
 * What `degrade` does to a request before it goes upstream: cap output length and remove the
 * levers a distiller wants most — per-token probabilities, several samples per prompt, and
 * reasoning traces. Returns a new body; the client's original is what the exchange log keeps.
 */
import type { WireFormat } from '../ports.js';
import type { Json } from './normalized.js';

/** Request fields that ask for reasoning/thinking output, in either API. */
const THINKING_FIELDS = ['thinking', 'reasoning_effort', 'reasoning', 'include_reasoning'];

/**
 * Applies degrade to a request body of `format`.
 *
 * @example
 * degradeRequest('openai', { model: 'm', messages: [], max_tokens: 4000, n: 4, logprobs: true }, 256);
 * // { model: 'm', messages: [], max_tokens: 256 }
 */
export function degradeRequest(format: WireFormat, body: Json, maxTokens: number): Json {
  const out: Json = { ...body };
  for (const field of THINKING_FIELDS) delete out[field];
  if (format === 'anthropic') {
    out.max_tokens = Math.min(typeof body.max_tokens === 'number' ? body.max_tokens : maxTokens, maxTokens);
    return out;
  }
  delete out.logprobs;
  delete out.top_logprobs;
  delete out.n;
  const asked = typeof body.max_completion_tokens === 'number' ? body.max_completion_tokens : body.max_tokens;
  const cap = Math.min(typeof asked === 'number' ? asked : maxTokens, maxTokens);
  if (body.max_completion_tokens !== undefined) out.max_completion_tokens = cap;
  else out.max_tokens = cap;
  return out;
}

/**
 * Removes reasoning content from a whole response body of `format`, in place.
 *
 * @example
 * stripReasoning('anthropic', { content: [{ type: 'thinking', thinking: '…' }, { type: 'text', text: 'hi' }] });
 * // content: [{ type: 'text', text: 'hi' }]
 */
export function stripReasoning(format: WireFormat, body: Json): Json {
  if (format === 'anthropic') {
    if (Array.isArray(body.content)) {
      body.content = body.content.filter((b) => {
        const type = (b as { type?: unknown } | null)?.type;
        return type !== 'thinking' && type !== 'redacted_thinking';
      });
    }
    return body;
  }
  if (Array.isArray(body.choices)) {
    for (const choice of body.choices) {
      const message = (choice as { message?: Json } | null)?.message;
      if (message !== undefined && message !== null) {
        delete message.reasoning_content;
        delete message.reasoning;
      }
    }
  }
  return body;
}
