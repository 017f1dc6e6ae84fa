/**
 * Finds the API key in a request (OpenAI: `Authorization: Bearer`; Anthropic: `x-api-key`; each
 * API also accepts the other's header) and turns an authentication failure into the right error.
 */
import type { IncomingMessage } from 'node:http';
import type { AuthFailure, WireFormat } from '../ports.js';
import { type ApiError, apiError } from '../wire/errors.js';

/** Seconds a client is asked to wait when the key store is unreachable. */
export const KEY_STORE_RETRY_AFTER_S = 5;

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
 * key is known but no longer valid, so clients can tell "fix your config" from "key retired";
 * 503 with retry-after when keys cannot be checked at all.
 *
 * @example
 * authError('openai', 'revoked_key').status; // 403
 * authError('anthropic', 'key_store_unavailable').status; // 503, with retry-after
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
    case 'key_store_unavailable':
      // Not the client's fault and not permanent: 503 with a retry hint, so SDKs back off and retry.
      return apiError(
        'overloaded',
        'the gateway cannot check API keys right now (its key store is unreachable); retry later',
        {
          detail: { code: 'key_store_unavailable' },
          headers: { 'retry-after': String(KEY_STORE_RETRY_AFTER_S) },
        },
      );
  }
}
