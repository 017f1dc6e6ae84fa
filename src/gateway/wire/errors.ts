/**
 * Errors in each API's own shape, so an OpenAI SDK and an Anthropic SDK both surface the
 * gateway's refusals as ordinary API errors. `type` values follow each API where one exists;
 * gateway-specific refusals (`account_blocked`) use the same type string in both.
 */
import type { ServerResponse } from 'node:http';
import type { WireFormat } from '../ports.js';

/** The gateway's error kinds and the status each maps to by default. */
export const ERROR_STATUS = {
  invalid_request: 400,
  authentication: 401,
  permission: 403,
  account_blocked: 403,
  not_found: 404,
  request_timeout: 408,
  request_too_large: 413,
  rate_limit: 429,
  internal: 500,
  upstream: 502,
  overloaded: 503,
} as const;

export type ErrorKind = keyof typeof ERROR_STATUS;

const OPENAI_TYPE: Record<ErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  account_blocked: 'account_blocked',
  not_found: 'invalid_request_error',
  request_timeout: 'invalid_request_error',
  request_too_large: 'invalid_request_error',
  rate_limit: 'rate_limit_error',
  internal: 'server_error',
  upstream: 'upstream_error',
  overloaded: 'server_error',
};

const ANTHROPIC_TYPE: Record<ErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  account_blocked: 'account_blocked',
  not_found: 'not_found_error',
  request_timeout: 'timeout_error',
  request_too_large: 'request_too_large',
  rate_limit: 'rate_limit_error',
  internal: 'api_error',
  upstream: 'api_error',
  overloaded: 'overloaded_error',
};

/** Extra detail for OpenAI's `param` and `code` fields. */
export interface ErrorDetail {
  param?: string | null;
  code?: string | null;
}

/**
 * The JSON error body for `format`.
 *
 * @example
 * errorBody('anthropic', 'not_found', 'model "x" not found');
 * // { type: 'error', error: { type: 'not_found_error', message: 'model "x" not found' } }
 */
export function errorBody(
  format: WireFormat,
  kind: ErrorKind,
  message: string,
  detail: ErrorDetail = {},
): object {
  if (format === 'anthropic') return { type: 'error', error: { type: ANTHROPIC_TYPE[kind], message } };
  return {
    error: {
      message,
      type: OPENAI_TYPE[kind],
      param: detail.param ?? null,
      code: detail.code ?? defaultCode(kind),
    },
  };
}

function defaultCode(kind: ErrorKind): string | null {
  if (kind === 'not_found') return 'model_not_found';
  if (kind === 'account_blocked') return 'account_blocked';
  if (kind === 'authentication') return 'invalid_api_key';
  return null;
}

/** An error ready to send: status, body and extra headers (e.g. retry-after). */
export interface ApiError {
  status: number;
  kind: ErrorKind;
  message: string;
  detail?: ErrorDetail;
  headers?: Record<string, string>;
}

/**
 * Builds an ApiError with the kind's default status unless `status` overrides it.
 *
 * @example
 * apiError('rate_limit', 'too many requests', { headers: { 'retry-after': '3' } });
 */
export function apiError(
  kind: ErrorKind,
  message: string,
  extra: { status?: number; detail?: ErrorDetail; headers?: Record<string, string> } = {},
): ApiError {
  return {
    status: extra.status ?? ERROR_STATUS[kind],
    kind,
    message,
    detail: extra.detail,
    headers: extra.headers,
  };
}

/**
 * Writes an ApiError as the response (no-op if headers already went out).
 *
 * @example
 * sendApiError(res, 'openai', apiError('not_found', 'model "x" not found'));
 */
export function sendApiError(res: ServerResponse, format: WireFormat, error: ApiError): void {
  if (res.headersSent) return;
  const text = JSON.stringify(errorBody(format, error.kind, error.message, error.detail));
  res.writeHead(error.status, {
    ...error.headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * The SSE event a client of `format` gets when the stream fails after it started: OpenAI has no
 * error event, so SDKs read an `error` object in a data chunk; Anthropic defines `event: error`.
 *
 * @example
 * streamErrorEvent('anthropic', 'upstream', 'upstream connection lost');
 * // 'event: error\ndata: {"type":"error","error":{"type":"api_error","message":"upstream connection lost"}}\n\n'
 */
export function streamErrorEvent(format: WireFormat, kind: ErrorKind, message: string): string {
  const body = JSON.stringify(errorBody(format, kind, message));
  return format === 'anthropic' ? `event: error\ndata: ${body}\n\n` : `data: ${body}\n\n`;
}
