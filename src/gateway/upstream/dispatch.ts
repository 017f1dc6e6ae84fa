/**
 * Sends one chat request to the first upstream target that takes it. Before any byte reaches
 * the client it retries connect errors, 429 and 5xx with jittered exponential backoff, skips
 * targets whose circuit is open, and fails over to the next target when an upstream says the
 * model is gone or access is suspended (404/403) — a model switched off overnight. Other 4xx
 * answers are the client's problem and are returned as they are (in the client's API shape).
 */
import type { ModelConfig, TargetConfig } from '../config.js';
import type { GatewayMetrics } from '../metrics.js';
import { type ApiError, apiError } from '../wire/errors.js';
import { backoffDelay } from './backoff.js';
import { sendUpstream, type UpstreamResponse } from './call.js';
import { type Cancellation, sleepUnlessCancelled } from './cancellation.js';
import type { Upstream } from './pool.js';

export interface RouteTarget {
  upstream: Upstream;
  target: TargetConfig;
}

/**
 * Every configured model's routes, in failover order, with targets whose upstream is missing left
 * out. Models and upstreams are fixed for a gateway's life, so this is built once, not per request.
 *
 * @example
 * const routes = routeTable(config.models, upstreams);
 * routes.get('mock-small'); // [{ upstream, target }, …]
 */
export function routeTable(
  models: ReadonlyMap<string, ModelConfig>,
  upstreams: ReadonlyMap<string, Upstream>,
): Map<string, RouteTarget[]> {
  const table = new Map<string, RouteTarget[]>();
  for (const [name, model] of models) {
    table.set(
      name,
      model.targets.flatMap((target) => {
        const upstream = upstreams.get(target.upstream);
        return upstream === undefined ? [] : [{ upstream, target }];
      }),
    );
  }
  return table;
}

export type DispatchResult =
  | { ok: true; route: RouteTarget; response: UpstreamResponse; attempts: number }
  | { ok: false; error: ApiError; attempts: number; aborted: boolean };

export interface DispatchOptions {
  routes: RouteTarget[];
  /** Serialises the request for one target (model name and wire format differ per target). */
  body: (route: RouteTarget) => string;
  retry: { attempts: number; baseDelayMs: number; maxDelayMs: number };
  signal: Cancellation;
  metrics?: GatewayMetrics;
  random?: () => number;
}

/** Pulls a human message out of an upstream error body of either API. */
async function upstreamMessage(response: UpstreamResponse): Promise<string> {
  try {
    const text = await response.text();
    const parsed = JSON.parse(text) as { error?: { message?: unknown } };
    return typeof parsed.error?.message === 'string' ? parsed.error.message : text.slice(0, 200);
  } catch {
    return '';
  }
}

/**
 * Dispatches with retries, circuit breaking and failover.
 *
 * @example
 * const result = await dispatchChat({ routes, body: (r) => JSON.stringify({ ...req, model: r.target.model }), retry, signal });
 * if (result.ok) for await (const chunk of result.response.chunks()) res.write(chunk);
 */
export async function dispatchChat(options: DispatchOptions): Promise<DispatchResult> {
  const { routes, retry, signal, metrics } = options;
  let attempts = 0;
  let lastError: ApiError | undefined;
  let skippedOpen = 0;
  const fail = (kind: string, name: string) => metrics?.upstreamErrors.inc({ upstream: name, kind });

  for (const route of routes) {
    const { upstream, target } = route;
    const name = upstream.config.name;
    if (!upstream.breaker.allow()) {
      skippedOpen++;
      continue;
    }
    const body = options.body(route);
    for (let attempt = 0; attempt <= retry.attempts; attempt++) {
      if (attempt > 0 && !upstream.breaker.allow()) break;
      attempts++;
      let response: UpstreamResponse;
      const started = performance.now();
      try {
        response = await sendUpstream(
          upstream.pool,
          { path: upstream.path, headers: upstream.headers, body },
          signal,
        );
      } catch (error) {
        if (signal.aborted)
          return { ok: false, error: apiError('upstream', 'client went away'), attempts, aborted: true };
        upstream.breaker.failure();
        fail('connect', name);
        const code = (error as { code?: unknown }).code;
        lastError = apiError(
          'upstream',
          `upstream "${name}" is unreachable (${typeof code === 'string' ? code : 'error'})`,
        );
        if (attempt < retry.attempts) await pause(attempt, retry, undefined, signal, options.random);
        continue;
      }
      metrics?.upstreamLatency.observe({ upstream: name }, (performance.now() - started) / 1000);
      const status = response.statusCode;
      if (status >= 200 && status < 300) {
        upstream.breaker.success();
        return { ok: true, route, response, attempts };
      }
      const message = await upstreamMessage(response);
      if (status === 429 || status >= 500) {
        // 429 is the upstream pacing us, not failing: retry and fail over, but keep the circuit closed.
        if (status >= 500) upstream.breaker.failure();
        fail(status === 429 ? 'status_429' : 'status_5xx', name);
        lastError =
          status === 429
            ? apiError('rate_limit', `upstream "${name}" is rate limiting the gateway; try again shortly`)
            : apiError(
                'upstream',
                `upstream "${name}" failed with status ${status}${message ? `: ${message}` : ''}`,
              );
        if (attempt < retry.attempts)
          await pause(attempt, retry, response.header('retry-after'), signal, options.random);
        continue;
      }
      upstream.breaker.success();
      if (status === 404 || status === 403) {
        fail('model_gone', name);
        lastError = apiError(
          'not_found',
          `model "${target.model}" is not available from upstream "${name}" (${status})`,
        );
        break;
      }
      if (status === 401) {
        fail('credentials', name);
        lastError = apiError('upstream', `upstream "${name}" rejected the gateway's credentials`);
        break;
      }
      return {
        ok: false,
        error: apiError(
          status === 413 ? 'request_too_large' : 'invalid_request',
          message || `upstream rejected the request (${status})`,
          {
            status,
          },
        ),
        attempts,
        aborted: false,
      };
    }
    if (signal.aborted)
      return { ok: false, error: apiError('upstream', 'client went away'), attempts, aborted: true };
  }
  if (lastError === undefined) {
    lastError = apiError(
      'overloaded',
      skippedOpen > 0
        ? 'every upstream for this model is unavailable (circuit open); try again shortly'
        : 'no upstream configured',
      { headers: { 'retry-after': '5' } },
    );
  }
  return { ok: false, error: lastError, attempts, aborted: false };
}

async function pause(
  attempt: number,
  retry: { baseDelayMs: number; maxDelayMs: number },
  retryAfter: string | undefined,
  signal: Cancellation,
  random?: () => number,
): Promise<void> {
  await sleepUnlessCancelled(backoffDelay(attempt, retry, retryAfter, random), signal);
}
