/**
 * OpenAI-style rate-limit headers (`x-ratelimit-limit-requests`, `…-remaining-requests`,
 * `…-reset-requests` and the same for tokens), reporting the most constrained scope so clients
 * back off before they hit a 429.
 */
import type { GcraCheck } from './gcra.js';

interface ScopeCheck {
  spec: { requestsPerMinute?: number; tokensPerMinute?: number };
  requests?: GcraCheck;
  tokens?: GcraCheck;
}

/**
 * Formats a duration the way OpenAI does: `20ms`, `1.5s`, `6m0s`, `1h2m3s`.
 *
 * @example
 * formatReset(360_000); // '6m0s'
 */
export function formatReset(ms: number): string {
  const total = Math.max(0, Math.ceil(ms));
  if (total < 1000) return `${total}ms`;
  if (total < 60_000) return `${Number((total / 1000).toFixed(3))}s`;
  const seconds = Math.ceil(total / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}h${m}m${s}s` : `${m}m${s}s`;
}

const KINDS = (['requests', 'tokens'] as const).map((name) => ({
  name,
  limit: `x-ratelimit-limit-${name}`,
  remaining: `x-ratelimit-remaining-${name}`,
  reset: `x-ratelimit-reset-${name}`,
}));

/**
 * Headers for the scopes checked so far; omits a kind (requests/tokens) no scope limits.
 *
 * @example
 * rateLimitHeaders([{ spec: { requestsPerMinute: 60 }, requests: check }]);
 * // { 'x-ratelimit-limit-requests': '60', 'x-ratelimit-remaining-requests': '59', 'x-ratelimit-reset-requests': '1s' }
 */
export function rateLimitHeaders(scopes: readonly ScopeCheck[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const kind of KINDS) {
    // Runs on every admitted request: constant header names and no object per candidate.
    let bestLimit = 0;
    let best: GcraCheck | undefined;
    for (const s of scopes) {
      const check = s[kind.name];
      const limit = kind.name === 'requests' ? s.spec.requestsPerMinute : s.spec.tokensPerMinute;
      if (check === undefined || limit === undefined) continue;
      if (best === undefined || check.remaining < best.remaining) {
        best = check;
        bestLimit = limit;
      }
    }
    if (best === undefined) continue;
    headers[kind.limit] = String(bestLimit);
    headers[kind.remaining] = String(best.remaining);
    headers[kind.reset] = formatReset(best.resetMs);
  }
  return headers;
}
