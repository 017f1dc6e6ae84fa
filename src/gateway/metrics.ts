/**
 * The gateway's Prometheus metrics (prom-client) on a registry of its own, so several gateways
 * in one process (tests) do not collide. Label values are bounded: models come from the config
 * (unknown names are reported as "unknown"), upstreams from the config, statuses from HTTP.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BreakerState } from './upstream/breaker.js';

export interface GatewayMetrics {
  registry: Registry;
  requests: Counter<'api' | 'model' | 'status'>;
  latency: Histogram<'api' | 'stream'>;
  timeToFirstByte: Histogram<'api'>;
  upstreamLatency: Histogram<'upstream'>;
  upstreamErrors: Counter<'upstream' | 'kind'>;
  limitHits: Counter<'scope' | 'limit'>;
  enforced: Counter<'action'>;
  decisions: Counter<'action'>;
  breakerState: Gauge<'upstream'>;
  exchangesDropped: Counter<string>;
  /** Requests being served; read by the in-flight gauge at scrape time (no metric call per request). */
  inFlight: { count: number };
}

const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

/** Sub-millisecond buckets too: the gateway's own overhead is what operators watch. */
const LATENCY_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120,
];

/**
 * Creates the metric set on a fresh registry.
 *
 * @example
 * const metrics = createGatewayMetrics();
 * metrics.requests.inc({ api: 'openai.chat', model: 'm', status: '200' });
 * await metrics.registry.metrics(); // Prometheus text format
 */
export function createGatewayMetrics(): GatewayMetrics {
  const registry = new Registry();
  const registers = [registry];
  const inFlight = { count: 0 };
  new Gauge({
    name: 'distillguard_requests_in_flight',
    help: 'Requests being served.',
    registers,
    collect() {
      this.set(inFlight.count);
    },
  });
  return {
    registry,
    requests: new Counter({
      name: 'distillguard_requests_total',
      help: 'Model API requests by API, model and HTTP status.',
      labelNames: ['api', 'model', 'status'],
      registers,
    }),
    latency: new Histogram({
      name: 'distillguard_request_duration_seconds',
      help: 'Time from request arrival to the end of the response.',
      labelNames: ['api', 'stream'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    timeToFirstByte: new Histogram({
      name: 'distillguard_time_to_first_byte_seconds',
      help: 'Time from request arrival to the first response byte of a streamed answer.',
      labelNames: ['api'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    upstreamLatency: new Histogram({
      name: 'distillguard_upstream_response_seconds',
      help: 'Time to an upstream answer’s headers, per upstream.',
      labelNames: ['upstream'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    upstreamErrors: new Counter({
      name: 'distillguard_upstream_errors_total',
      help: 'Failed upstream attempts by kind (connect, status_5xx, status_429, model_gone, midstream, …).',
      labelNames: ['upstream', 'kind'],
      registers,
    }),
    limitHits: new Counter({
      name: 'distillguard_limit_hits_total',
      help: 'Requests refused by a rate limit or budget, by scope and limit.',
      labelNames: ['scope', 'limit'],
      registers,
    }),
    enforced: new Counter({
      name: 'distillguard_enforcement_applied_total',
      help: 'Requests on which an enforcement action was applied.',
      labelNames: ['action'],
      registers,
    }),
    decisions: new Counter({
      name: 'distillguard_decisions_total',
      help: 'Detector decisions (escalations) by action.',
      labelNames: ['action'],
      registers,
    }),
    breakerState: new Gauge({
      name: 'distillguard_upstream_circuit_state',
      help: 'Circuit breaker state per upstream: 0 closed, 1 half-open, 2 open.',
      labelNames: ['upstream'],
      registers,
    }),
    exchangesDropped: new Counter({
      name: 'distillguard_exchanges_dropped_total',
      help: 'Exchange events the bounded log queue refused because it was full.',
      registers,
    }),
    inFlight,
  };
}

/**
 * Records a breaker state change.
 *
 * @example
 * setBreakerState(metrics, 'local', 'open');
 */
export function setBreakerState(metrics: GatewayMetrics, upstream: string, state: BreakerState): void {
  metrics.breakerState.set({ upstream }, BREAKER_VALUE[state]);
}
