/**
 * `createGateway`: the node:http server that composes the gateway's parts — key authentication,
 * limits, live enforcement, routing to upstreams, the exchange log and the event bus — behind
 * the OpenAI and Anthropic chat APIs, plus health, readiness, metrics and the admin API.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventBus } from '../bus/types.js';
import type { GatewayConfig } from './config.js';
import type { EventTimeTracker } from './event-time.js';
import { createGatewayMetrics, type GatewayMetrics } from './metrics.js';
import type { EnforcementTable, ExchangeSink, KeyAuthenticator, Limiter } from './ports.js';
import { handleChat } from './proxy/chat.js';
import type { GatewayContext } from './proxy/context.js';
import { handleModels } from './proxy/models.js';
import { routeTable } from './upstream/dispatch.js';
import { closeUpstreams, createUpstreams, type Upstream } from './upstream/pool.js';
import { apiError, errorBody, sendApiError } from './wire/errors.js';

/** Serves admin paths; resolves false when the path is not one of its own. */
export type AdminHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface GatewayOptions {
  config: GatewayConfig;
  auth: KeyAuthenticator;
  limiter: Limiter;
  enforcement: EnforcementTable;
  /** Receives every exchange event once its response has ended. */
  sink: ExchangeSink;
  /** Also published to, for the detector; leave unset when the sink already feeds the bus. */
  bus?: EventBus;
  admin?: AdminHandler;
  metrics?: GatewayMetrics;
  /** Unexpected errors (bugs); default: one line on stderr. Users only ever see an API error. */
  onError?: (error: unknown) => void;
  /**
   * Take each exchange's `ts` from the `x-distillguard-replay-ts` request header. Only for
   * replaying recorded or simulated traffic through a real gateway (the demo, tests): any client
   * could otherwise forge its event times, so `serve` never turns this on.
   */
  replayTimestamps?: boolean;
  /** Scale-out: tracks the exchanges not yet on the bus, for the event-time watermark. */
  eventTime?: EventTimeTracker;
}

export interface Gateway {
  server: Server;
  metrics: GatewayMetrics;
  upstreams: Map<string, Upstream>;
  /** Starts listening; resolves with the URL (port 0 = ephemeral). */
  listen(port: number, host?: string): Promise<{ url: string; port: number }>;
  /**
   * Graceful shutdown: stop accepting, let in-flight requests finish (up to `graceMs`, then cut
   * them), drain the exchange log, close the bus and upstream pools.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

/**
 * Builds a gateway (not yet listening).
 *
 * @example
 * const gateway = createGateway({ config, auth, limiter, enforcement, sink });
 * const { url } = await gateway.listen(8080, '127.0.0.1');
 * process.once('SIGTERM', () => gateway.close());
 */
export function createGateway(options: GatewayOptions): Gateway {
  const { config } = options;
  const metrics = options.metrics ?? createGatewayMetrics();
  const upstreams = createUpstreams(config.upstreams, config.breaker, metrics);
  const ctx: GatewayContext = {
    config,
    auth: options.auth,
    limiter: options.limiter,
    enforcement: options.enforcement,
    sink: options.sink,
    bus: options.bus,
    metrics,
    upstreams,
    routes: routeTable(config.models, upstreams),
    replayTimestamps: options.replayTimestamps === true,
    eventTime: options.eventTime,
  };
  const onError =
    options.onError ?? ((error: unknown) => process.stderr.write(`distillguard gateway: ${String(error)}\n`));
  let draining = false;
  let active = 0;
  let idle: (() => void) | undefined;

  const server = createServer(
    {
      headersTimeout: config.server.headersTimeoutMs,
      requestTimeout: config.server.headersTimeoutMs + config.server.bodyTimeoutMs,
      keepAliveTimeout: config.server.keepAliveTimeoutMs,
      // Node checks these timeouts on an interval (default 30 s); check often enough to honour them.
      connectionsCheckingInterval: Math.max(100, Math.min(1000, config.server.headersTimeoutMs / 4)),
    },
    (req, res) => {
      active++;
      res.once('close', () => {
        active--;
        if (draining) {
          server.closeIdleConnections();
          if (active === 0) idle?.();
        }
      });
      if (draining) res.setHeader('connection', 'close');
      route(req, res).catch((error: unknown) => {
        onError(error);
        if (!res.headersSent) sendApiError(res, 'openai', apiError('internal', 'internal gateway error'));
        else res.destroy();
      });
    },
  );

  // Malformed HTTP and slow headers never reach the handler; answer them in API shape too.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const timeout = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || error.code === 'ERR_HTTP_HEADERS_TIMEOUT';
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const status = timeout ? 408 : tooLarge ? 431 : 400;
    const message = timeout
      ? 'the request headers did not arrive in time'
      : tooLarge
        ? 'the request headers are too large'
        : 'malformed HTTP request';
    const body = JSON.stringify(
      errorBody('openai', timeout ? 'request_timeout' : 'invalid_request', message),
    );
    const reason = timeout ? 'Request Timeout' : tooLarge ? 'Request Header Fields Too Large' : 'Bad Request';
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const method = req.method ?? 'GET';
    if (path === '/v1/chat/completions' || path === '/v1/messages') {
      const format = path === '/v1/messages' ? 'anthropic' : 'openai';
      if (method !== 'POST') return methodNotAllowed(res, format, 'POST');
      return handleChat(ctx, req, res, format);
    }
    if (path === '/v1/models') {
      if (method !== 'GET') return methodNotAllowed(res, 'openai', 'GET');
      return handleModels(ctx, req, res);
    }
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (path === '/readyz') {
      if (draining) return sendJson(res, 503, { status: 'draining' });
      const anyUp = [...upstreams.values()].some((u) => u.breaker.state() !== 'open');
      return anyUp
        ? sendJson(res, 200, { status: 'ready' })
        : sendJson(res, 503, { status: 'no upstream available' });
    }
    if (path === '/metrics' && method === 'GET') {
      const text = await metrics.registry.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType });
      res.end(text);
      return;
    }
    if (options.admin !== undefined && (await options.admin(req, res))) return;
    sendApiError(
      res,
      path.startsWith('/v1/messages') ? 'anthropic' : 'openai',
      apiError('not_found', `no route for ${method} ${path}`),
    );
  }

  return {
    server,
    metrics,
    upstreams,
    listen(port, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve({ url: `http://${shown}:${address.port}`, port: address.port });
        });
      });
    },
    async close({ graceMs = 30_000 } = {}) {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (active > 0) {
        const finished = new Promise<void>((resolve) => {
          idle = resolve;
        });
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        await finished;
        clearTimeout(timer);
      }
      server.closeIdleConnections();
      await closed;
      await options.sink.drain();
      await options.bus?.close();
      await closeUpstreams(upstreams);
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function methodNotAllowed(res: ServerResponse, format: 'openai' | 'anthropic', allowed: string): void {
  sendApiError(
    res,
    format,
    apiError('invalid_request', `method not allowed; use ${allowed}`, {
      status: 405,
      headers: { allow: allowed },
    }),
  );
}
