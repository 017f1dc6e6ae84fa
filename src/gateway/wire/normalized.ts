/**
 * A wire-format-neutral view of a model response, whole or streamed. Upstream responses are
 * decoded into it (to log the exchange, strip reasoning, or translate between OpenAI and
 * Anthropic) and re-encoded for the client. Only what both APIs can express is carried.
 */

/** OpenAI's finish reasons; Anthropic stop reasons map onto them. */
export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export interface ToolCall {
  id: string;
  name: string;
  /** JSON text of the arguments. */
  arguments: string;
}

export interface NormResponse {
  id: string;
  model: string;
  text: string;
  reasoning: string;
  toolCalls: ToolCall[];
  finish: FinishReason;
  inputTokens: number;
  outputTokens: number;
}

/** One decoded piece of a streamed response. */
export type StreamPart =
  | { kind: 'start'; id: string; model: string; inputTokens?: number }
  | { kind: 'text'; text: string }
  | { kind: 'reasoning'; text: string }
  | { kind: 'tool_start'; index: number; id: string; name: string }
  | { kind: 'tool_args'; index: number; json: string }
  | { kind: 'finish'; reason: FinishReason }
  | { kind: 'usage'; inputTokens?: number; outputTokens?: number }
  | { kind: 'error'; message: string }
  | { kind: 'done' };

/** What the exchange log needs from a response, accumulated part by part. */
export interface Tally {
  text: string;
  finish: string | undefined;
  inputTokens: number | undefined;
  outputTokens: number | undefined;
  /** Text deltas seen: a stand-in for output tokens when the upstream reports no usage. */
  deltas: number;
  done: boolean;
}

/** Logged response text is capped so one huge answer cannot balloon the exchange queue. */
export const MAX_LOGGED_TEXT = 256 * 1024;

/**
 * A fresh tally.
 *
 * @example
 * const tally = createTally();
 * addToTally(tally, { kind: 'text', text: 'hi' });
 */
export function createTally(): Tally {
  return {
    text: '',
    finish: undefined,
    inputTokens: undefined,
    outputTokens: undefined,
    deltas: 0,
    done: false,
  };
}

/**
 * Folds one stream part into a tally.
 *
 * @example
 * addToTally(tally, { kind: 'usage', outputTokens: 12 });
 */
export function addToTally(tally: Tally, part: StreamPart): void {
  switch (part.kind) {
    case 'start':
      if (part.inputTokens !== undefined) tally.inputTokens = part.inputTokens;
      break;
    case 'text':
      tally.deltas++;
      if (tally.text.length < MAX_LOGGED_TEXT) tally.text += part.text;
      break;
    case 'reasoning':
    case 'tool_args':
      tally.deltas++;
      break;
    case 'finish':
      tally.finish = part.reason;
      break;
    case 'usage':
      if (part.inputTokens !== undefined) tally.inputTokens = part.inputTokens;
      if (part.outputTokens !== undefined) tally.outputTokens = part.outputTokens;
      break;
    case 'done':
      tally.done = true;
      break;
    default:
      break;
  }
}

/**
 * A tally for a whole (non-streamed) response.
 *
 * @example
 * tallyOf(response).outputTokens;
 */
export function tallyOf(response: NormResponse): Tally {
  return {
    text: response.text.length > MAX_LOGGED_TEXT ? response.text.slice(0, MAX_LOGGED_TEXT) : response.text,
    finish: response.finish,
    inputTokens: response.inputTokens,
    outputTokens: response.outputTokens,
    deltas: 0,
    done: true,
  };
}

/** Decodes upstream SSE events of one wire format into stream parts. */
export interface StreamDecoder {
  decode(event: { event?: string; data: string }): StreamPart[];
}

/** Encodes stream parts as SSE text in the client's wire format. */
export interface StreamEncoder {
  encode(part: StreamPart): string;
}

/**
 * Reads a field as a string, or '' (upstream JSON is untrusted).
 *
 * @example
 * str(42); // ''
 */
export function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * Reads a field as a non-negative whole number, or undefined.
 *
 * @example
 * count(-1); // undefined
 */
export function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

export type Json = Record<string, unknown>;

/**
 * Narrows unknown JSON to an object (or an empty one).
 *
 * @example
 * obj(null); // {}
 */
export function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

/**
 * Narrows unknown JSON to an array (or an empty one).
 *
 * @example
 * arr('x'); // []
 */
export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
