/** Everything a request handler needs, built once by createGateway. */
import type { EventBus } from '../../bus/types.js';
import type { GatewayConfig } from '../config.js';
import type { EventTimeTracker } from '../event-time.js';
import type { GatewayMetrics } from '../metrics.js';
import type { EnforcementTable, ExchangeSink, KeyAuthenticator, Limiter } from '../ports.js';
import type { RouteTarget } from '../upstream/dispatch.js';
import type { Upstream } from '../upstream/pool.js';

export interface GatewayContext {
  config: GatewayConfig;
  auth: KeyAuthenticator;
  limiter: Limiter;
  enforcement: EnforcementTable;
  sink: ExchangeSink;
  bus: EventBus | undefined;
  metrics: GatewayMetrics;
  upstreams: Map<string, Upstream>;
  /** Each configured model's routes (routeTable), built with the gateway. */
  routes: ReadonlyMap<string, RouteTarget[]>;
  /** Exchange ts from the replay header (demo and tests only; see GatewayOptions). */
  replayTimestamps: boolean;
  /** Scale-out: the event-time watermark the NATS bus stamps on published events. */
  eventTime: EventTimeTracker | undefined;
}
