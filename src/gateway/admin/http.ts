/**
 * JSON over node:http for the admin API: bounded body reading and API-shaped errors
 * (`{ "error": { "type", "message" } }`, the shape OpenAI-style clients already parse).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'not_found_error'
  | 'conflict_error'
  | 'method_not_allowed'
  | 'request_too_large'
  | 'service_unavailable'
  | 'api_error';

/** An error to answer with, carrying its HTTP status. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly type: ErrorType,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Writes `body` as JSON with `status`.
 *
 * @example
 * sendJson(res, 200, { data: rows });
 */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/**
 * Writes an API-shaped error.
 *
 * @example
 * sendError(res, new HttpError(404, 'not_found_error', 'no key with id "x"'));
 */
export function sendError(res: ServerResponse, error: HttpError, headers: Record<string, string> = {}): void {
  sendJson(res, error.status, { error: { type: error.type, message: error.message } }, headers);
}

/**
 * Reads and parses a JSON object body of at most `maxBytes`; an empty body is `{}`.
 *
 * @example
 * const body = await readJsonObject(req, 64 * 1024);
 */
export async function readJsonObject(
  req: IncomingMessage,
  maxBytes: number,
): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > maxBytes)
      throw new HttpError(413, 'request_too_large', `request body exceeds ${maxBytes} bytes`);
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new HttpError(
      400,
      'invalid_request_error',
      `request body is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HttpError(400, 'invalid_request_error', 'request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}
