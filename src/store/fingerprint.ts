/**
 * Content-light copies of exchange events for `fingerprint` content logging: every piece of
 * prompt and response text is replaced by its SHA-256 and length, so the log still supports
 * duplicate and volume analysis without holding customer text.
 */
import { createHash } from 'node:crypto';
import type { ExchangeEvent, WireMessage, WireRequest } from '../contract/types.js';

/** What replaces a text. */
export interface TextFingerprint {
  sha256: string;
  chars: number;
}

/** Keys whose string values are structure, not text, and are kept as they are. */
const STRUCTURAL = new Set([
  'role',
  'type',
  'name',
  'id',
  'tool_call_id',
  'tool_use_id',
  'media_type',
  'cache_control',
]);

/**
 * SHA-256 and length of a text.
 *
 * @example
 * fingerprintText('hi'); // { sha256: '8f434346…', chars: 2 }
 */
export function fingerprintText(text: string): TextFingerprint {
  return { sha256: createHash('sha256').update(text, 'utf8').digest('hex'), chars: text.length };
}

function walk(value: unknown, key: string | undefined): unknown {
  if (typeof value === 'string')
    return key !== undefined && STRUCTURAL.has(key) ? value : fingerprintText(value);
  if (Array.isArray(value)) return value.map((v) => walk(v, undefined));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, k);
    return out;
  }
  return value;
}

/**
 * A copy of `event` with all message/system/prompt text and the response text fingerprinted.
 * Request parameters (model, max_tokens, temperature, tools' presence, …) are kept: they are
 * detection signals, not customer content.
 *
 * @example
 * store.insertEvents(events.map(fingerprintEvent), 'fingerprint');
 */
export function fingerprintEvent(event: ExchangeEvent): ExchangeEvent {
  const request: WireRequest = {
    ...event.request,
    messages: walk(event.request.messages, undefined) as WireMessage[],
  };
  for (const k of ['system', 'prompt', 'tools', 'functions'] as const) {
    if (request[k] !== undefined) request[k] = walk(request[k], undefined);
  }
  const out: ExchangeEvent = { ...event, request };
  if (event.response !== undefined) {
    const { text, ...rest } = event.response;
    out.response =
      text === undefined
        ? rest
        : ({ ...rest, text_fingerprint: fingerprintText(text) } as ExchangeEvent['response']);
  }
  return out;
}
