/**
 * Relays an upstream answer to the client. Streams go out chunk by chunk as they arrive: raw
 * bytes when the client speaks the upstream's format and nothing must be removed (parsed on the
 * side only for the exchange log), otherwise decoded into the neutral form and re-encoded. A
 * stream that ends without its terminator reaches the client as that API's error event, never
 * as a clean end.
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { WireFormat } from '../ports.js';
import type { UpstreamResponse } from '../upstream/call.js';
import type { Cancellation } from '../upstream/cancellation.js';
import {
  createAnthropicDecoder,
  createAnthropicEncoder,
  decodeAnthropicResponse,
  encodeAnthropicResponse,
} from '../wire/anthropic.js';
import { stripReasoning } from '../wire/degrade.js';
import { streamErrorEvent } from '../wire/errors.js';
import { addToTally, createTally, type Json, type Tally, tallyOf } from '../wire/normalized.js';
import {
  createOpenaiDecoder,
  createOpenaiEncoder,
  decodeOpenaiResponse,
  encodeOpenaiResponse,
} from '../wire/openai.js';
import { createSseParser } from '../wire/sse.js';

export interface RelayOptions {
  client: WireFormat;
  upstream: WireFormat;
  /** Remove reasoning/thinking content (degrade). */
  strip: boolean;
  /** The model name the client asked for, used in translated responses. */
  model: string;
  /** OpenAI clients' `stream_options.include_usage`. */
  includeUsage: boolean;
  headers: Record<string, string>;
  signal: Cancellation;
}

export interface RelayOutcome {
  tally: Tally;
  /** The upstream failed after the response started (the client got an error event). */
  failed: boolean;
  /** Milliseconds from relay start to the first byte written, for streams. */
  firstByteMs?: number;
}

async function write(res: ServerResponse, data: string | Buffer): Promise<void> {
  if (!res.write(data) && !res.destroyed) {
    await Promise.race([once(res, 'drain'), once(res, 'close')]);
  }
}

/**
 * Relays a streamed (SSE) upstream response.
 *
 * @example
 * const outcome = await relayStream(res, upstreamResponse, { client: 'openai', upstream: 'anthropic', strip: false, model: 'm', includeUsage: false, headers: {}, signal });
 */
export async function relayStream(
  res: ServerResponse,
  response: UpstreamResponse,
  o: RelayOptions,
): Promise<RelayOutcome> {
  const started = performance.now();
  const passthrough = o.client === o.upstream && !o.strip;
  const parser = createSseParser();
  const decoder = o.upstream === 'openai' ? createOpenaiDecoder() : createAnthropicDecoder();
  const encoder =
    o.client === 'openai' ? createOpenaiEncoder(o.model, o.includeUsage) : createAnthropicEncoder(o.model);
  const text = new TextDecoder();
  const tally = createTally();
  let sawError = false;
  let firstByteMs: number | undefined;
  res.writeHead(200, {
    ...o.headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
  });
  const send = (data: string | Buffer): Promise<void> => {
    const first = firstByteMs === undefined;
    firstByteMs ??= performance.now() - started;
    const written = write(res, data);
    // node:http corks the socket on a write and uncorks on the next tick, which runs only once the
    // relay loop's promise chain is idle: with several chunks already queued, the first one would
    // reach the client after all of them were parsed. Flush the first at once.
    if (first && (res.socket?.writableCorked ?? 0) > 0) res.socket?.uncork();
    return written;
  };
  try {
    for await (const chunk of response.chunks()) {
      // Same format: the client gets the bytes before we parse them for the log.
      const drained = passthrough ? send(chunk) : undefined;
      let out = '';
      for (const event of parser.push(text.decode(chunk, { stream: true }))) {
        for (const part of decoder.decode(event)) {
          addToTally(tally, part);
          if (part.kind === 'error') sawError = true;
          if (!passthrough && !(o.strip && part.kind === 'reasoning')) out += encoder.encode(part);
        }
      }
      await (passthrough ? drained : out.length > 0 ? send(out) : undefined);
      if (res.destroyed) break;
    }
  } catch {
    // The upstream connection broke (or the client left and we aborted it); handled below.
  }
  const failed = !tally.done;
  if (failed && !sawError && !o.signal.aborted && !res.destroyed) {
    res.write(streamErrorEvent(o.client, 'upstream', 'the upstream model stopped responding mid-stream'));
  }
  if (!res.destroyed) res.end();
  return { tally, failed: failed || sawError, firstByteMs };
}

/**
 * Relays a whole (non-streamed) upstream response; returns undefined when the upstream body is
 * not JSON (the caller answers 502).
 *
 * @example
 * const outcome = await relayWhole(res, upstreamResponse, options);
 */
export async function relayWhole(
  res: ServerResponse,
  response: UpstreamResponse,
  o: RelayOptions,
): Promise<RelayOutcome | undefined> {
  const raw = await response.bytes();
  let parsed: Json;
  try {
    parsed = JSON.parse(raw.toString('utf8')) as Json;
  } catch {
    return undefined;
  }
  const decode = (): ReturnType<typeof decodeOpenaiResponse> =>
    o.upstream === 'openai' ? decodeOpenaiResponse(parsed) : decodeAnthropicResponse(parsed);
  if (o.client === o.upstream && !o.strip) {
    // Passthrough: the client gets the upstream's bytes first; decoding for the log's tally waits.
    sendWhole(res, raw, o.headers);
    return { tally: tallyOf(decode()), failed: false };
  }
  const norm = decode();
  let out: string;
  if (o.client === o.upstream) out = JSON.stringify(stripReasoning(o.client, parsed));
  else {
    if (o.strip) norm.reasoning = '';
    out = JSON.stringify(
      o.client === 'openai' ? encodeOpenaiResponse(norm, o.model) : encodeAnthropicResponse(norm, o.model),
    );
  }
  sendWhole(res, out, o.headers);
  return { tally: tallyOf(norm), failed: false };
}

function sendWhole(res: ServerResponse, body: string | Buffer, headers: Record<string, string>): void {
  res.writeHead(200, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
