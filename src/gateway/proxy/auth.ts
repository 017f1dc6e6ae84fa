/**
 * Finds the API key in a request (OpenAI: `Authorization: Bearer`; Anthropic: `x-api-key`; each
 * API also accepts the other's header) and turns an authentication failure into the right error.
 */
import type { IncomingMessage } from 'node:http';
import type { AuthFailure, WireFormat } from '../ports.js';
import { type ApiError, apiError } from '../wire/errors.js';

/**
 * The presented secret, or undefined.
 *
 * @example
 * presentedKey(req); // 'dg_abc_…' from "Authorization: Bearer dg_abc_…"
 */
export function presentedKey(req: IncomingMessage): string | undefined {
  const apiKey = req.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey !== '') return apiKey.trim();
  const authorization = req.headers.authorization;
  if (authorization === undefined) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(authorization);
  return match?.[1]?.trim();
}

/**
 * The error for an authentication failure: 401 when no usable key was presented, 403 when the
 * key is known but no longer valid, so clients can tell "fix your config" from "key retired".
 *
 * @example
 * authError('openai', 'revoked_key').status; // 403
 */
export function authError(format: WireFormat, reason: AuthFailure): ApiError {
  const header = format === 'anthropic' ? 'the x-api-key header' : 'an "Authorization: Bearer <key>" header';
  switch (reason) {
    case 'missing_key':
      return apiError('authentication', `missing API key: send it in ${header}`);
    case 'invalid_key':
      return apiError('authentication', 'invalid API key');
    case 'expired_key':
      return apiError('permission', 'this API key has expired', { detail: { code: 'expired_api_key' } });
    case 'revoked_key':
      return apiError('permission', 'this API key has been revoked', { detail: { code: 'revoked_api_key' } });
  }
}
