/**
 * Reads a request body with a size cap and a time limit. An oversized body is refused as soon
 * as it is known to be too big (from Content-Length, or when the running count passes the cap)
 * and reading stops there; a client that trickles its body is cut off at the deadline.
 */
import type { IncomingMessage } from 'node:http';
import { type ApiError, apiError } from '../wire/errors.js';

export type BodyResult = { ok: true; body: Buffer } | { ok: false; error: ApiError };

/**
 * Collects the body of `req`.
 *
 * @example
 * const result = await readBody(req, 1_048_576, 30_000);
 * if (!result.ok) return sendApiError(res, 'openai', result.error);
 */
export function readBody(req: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes)
    return Promise.resolve({ ok: false, error: tooLarge(maxBytes) });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      if (!result.ok) req.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) finish({ ok: false, error: tooLarge(maxBytes) });
      else chunks.push(chunk);
    };
    const onEnd = () =>
      finish({ ok: true, body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size) });
    const onError = () =>
      finish({ ok: false, error: apiError('invalid_request', 'the request body could not be read') });
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          error: apiError('request_timeout', `the request body did not arrive within ${timeoutMs} ms`),
        }),
      timeoutMs,
    );
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function tooLarge(maxBytes: number): ApiError {
  return apiError('request_too_large', `the request body exceeds the limit of ${maxBytes} bytes`, {
    headers: { connection: 'close' },
  });
}
