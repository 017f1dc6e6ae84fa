/**
 * Checks the essential shape of a chat request body in each wire format before anything else
 * reads it: hand-written field checks (no schema compile per request) that return the field
 * name for the API error's `param`. Fields the gateway does not read are passed through as-is.
 */
import type { WireRequest } from '../../contract/types.js';
import type { WireFormat } from '../ports.js';

export type RequestCheck =
  | { ok: true; body: WireRequest & { model: string } }
  | { ok: false; param: string; message: string };

const OPENAI_ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);
const ANTHROPIC_ROLES = new Set(['user', 'assistant']);

function bad(param: string, message: string): RequestCheck {
  return { ok: false, param, message: `${param}: ${message}` };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function positiveInt(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

/**
 * Validates a parsed JSON body for `format`.
 *
 * @example
 * checkChatRequest('openai', { model: 'm', messages: 'hi' });
 * // { ok: false, param: 'messages', message: 'messages: must be a non-empty array of messages' }
 */
export function checkChatRequest(format: WireFormat, body: unknown): RequestCheck {
  if (!isObject(body)) return bad('body', 'must be a JSON object');
  if (typeof body.model !== 'string' || body.model === '') return bad('model', 'must be a non-empty string');
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0)
    return bad('messages', 'must be a non-empty array of messages');
  const roles = format === 'openai' ? OPENAI_ROLES : ANTHROPIC_ROLES;
  for (let i = 0; i < messages.length; i++) {
    const message: unknown = messages[i];
    if (!isObject(message)) return bad(`messages[${i}]`, 'must be an object');
    if (typeof message.role !== 'string' || !roles.has(message.role)) {
      return bad(`messages[${i}].role`, `must be one of ${[...roles].join(', ')}`);
    }
    const content = message.content;
    const contentOk =
      typeof content === 'string' ||
      Array.isArray(content) ||
      (format === 'openai' && (content === null || content === undefined) && message.role !== 'user');
    if (!contentOk) return bad(`messages[${i}].content`, 'must be a string or an array of content parts');
  }
  if (body.stream !== undefined && typeof body.stream !== 'boolean')
    return bad('stream', 'must be true or false');
  for (const field of ['temperature', 'top_p'] as const) {
    if (body[field] !== undefined && body[field] !== null && typeof body[field] !== 'number') {
      return bad(field, 'must be a number');
    }
  }
  if (format === 'anthropic') {
    if (!positiveInt(body.max_tokens))
      return bad('max_tokens', 'is required and must be a positive whole number');
    if (body.system !== undefined && typeof body.system !== 'string' && !Array.isArray(body.system)) {
      return bad('system', 'must be a string or an array of text blocks');
    }
    if (body.thinking !== undefined && !isObject(body.thinking)) return bad('thinking', 'must be an object');
  } else {
    for (const field of ['max_tokens', 'max_completion_tokens', 'n'] as const) {
      if (body[field] !== undefined && body[field] !== null && !positiveInt(body[field])) {
        return bad(field, 'must be a positive whole number');
      }
    }
    if (body.logprobs !== undefined && body.logprobs !== null && typeof body.logprobs !== 'boolean') {
      return bad('logprobs', 'must be true or false');
    }
  }
  if (body.tools !== undefined && !Array.isArray(body.tools)) return bad('tools', 'must be an array');
  return { ok: true, body: body as WireRequest & { model: string } };
}
