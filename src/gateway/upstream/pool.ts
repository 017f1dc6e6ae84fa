/**
 * One undici Pool (keep-alive connections) and one circuit breaker per configured upstream, with
 * the request path and static headers worked out once at start rather than per request.
 */
import { Pool } from 'undici';
import { type UpstreamConfig, upstreamFormat } from '../config.js';
import type { GatewayMetrics } from '../metrics.js';
import { setBreakerState } from '../metrics.js';
import type { WireFormat } from '../ports.js';
import { type CircuitBreaker, createBreaker } from './breaker.js';

export interface Upstream {
  config: UpstreamConfig;
  format: WireFormat;
  pool: Pool;
  breaker: CircuitBreaker;
  /** Path of the chat endpoint on the pool's origin. */
  path: string;
  headers: Record<string, string>;
}

/**
 * Builds the upstream set from config.
 *
 * @example
 * const upstreams = createUpstreams(config.upstreams, config.breaker, metrics);
 * await closeUpstreams(upstreams);
 */
export function createUpstreams(
  configs: Map<string, UpstreamConfig>,
  breaker: { failureThreshold: number; openMs: number },
  metrics?: GatewayMetrics,
): Map<string, Upstream> {
  const out = new Map<string, Upstream>();
  for (const [name, config] of configs) {
    const url = new URL(config.baseUrl);
    const format = upstreamFormat(config.kind);
    const base = url.pathname.replace(/\/+$/, '');
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (format === 'anthropic') {
      headers['anthropic-version'] = config.anthropicVersion;
      if (config.apiKey !== undefined) headers['x-api-key'] = config.apiKey;
    } else if (config.apiKey !== undefined) headers.authorization = `Bearer ${config.apiKey}`;
    if (metrics !== undefined) setBreakerState(metrics, name, 'closed');
    out.set(name, {
      config,
      format,
      pool: new Pool(url.origin, {
        connections: config.connections,
        keepAliveTimeout: 30_000,
        headersTimeout: config.timeoutMs,
        bodyTimeout: config.timeoutMs,
        connectTimeout: Math.min(config.timeoutMs, 10_000),
      }),
      breaker: createBreaker({
        ...breaker,
        onStateChange: metrics === undefined ? undefined : (state) => setBreakerState(metrics, name, state),
      }),
      path: format === 'anthropic' ? `${base}/v1/messages` : `${base}/chat/completions`,
      headers,
    });
  }
  return out;
}

/**
 * Closes every pool (waits for in-flight upstream requests).
 *
 * @example
 * await closeUpstreams(upstreams);
 */
export async function closeUpstreams(upstreams: Map<string, Upstream>): Promise<void> {
  await Promise.all([...upstreams.values()].map((u) => u.pool.close()));
}
