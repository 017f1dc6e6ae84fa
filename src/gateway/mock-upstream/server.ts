/**
 * A deterministic OpenAI- and Anthropic-compatible model server for tests, benchmarks and the
 * zero-config `serve --mock-upstream` run. Replies depend only on the request, latency and
 * chunk pacing are configurable, and faults (status codes, mid-stream aborts, models switched
 * off or suspended) can be injected in code or over HTTP at `POST /_mock/faults`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Generation, generate } from './generate.js';
import { anthropicJson, anthropicStream, openaiJson, openaiStream } from './render.js';

/** Injected failures. Every field is optional; an empty object means "behave". */
export interface MockFaults {
  /** Answer this HTTP status (with an API-shaped error body) instead of a reply. */
  failStatus?: number;
  /** How many requests get `failStatus`; absent = all of them. */
  failTimes?: number;
  /** Streaming only: drop the connection after this many SSE events. */
  abortAfterEvents?: number;
  /** Models answering 404 not-found, as when a model is switched off overnight. */
  switchedOff?: string[];
  /** Models answering 403 permission errors, as when access is suspended. */
  suspended?: string[];
}

export interface MockUpstreamOptions {
  port?: number;
  host?: string;
  /** Delay before the response headers (time to first byte). */
  latencyMs?: number;
  /** Delay between SSE events when streaming. */
  chunkDelayMs?: number;
  /** Reply length in tokens (words) when max_tokens does not cap it. */
  replyTokens?: number;
  /** Models listed by GET /v1/models. */
  models?: string[];
  faults?: MockFaults;
}

/** What the mock last received, so tests can check what the gateway forwarded. */
export interface MockRequestRecord {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
  /** The body exactly as received, for tests of what the gateway forwards byte for byte. */
  text: string;
}

export interface MockUpstream {
  url: string;
  port: number;
  /** Model requests received (POSTs to the two chat endpoints). */
  readonly requests: number;
  /** Streams whose client (the gateway) went away before the end. */
  readonly cancelled: number;
  readonly last: MockRequestRecord | undefined;
  /** Replaces the injected faults. */
  setFaults(faults: MockFaults): void;
  close(): Promise<void>;
}

export const DEFAULT_MOCK_MODELS = ['mock-small', 'mock-large', 'mock-reasoner'];

/**
 * Starts the mock on 127.0.0.1 (port 0 = ephemeral) and resolves once it listens.
 *
 * @example
 * const mock = await startMockUpstream({ latencyMs: 5 });
 * await fetch(`${mock.url}/v1/models`);
 * await mock.close();
 */
export async function startMockUpstream(options: MockUpstreamOptions = {}): Promise<MockUpstream> {
  const latencyMs = options.latencyMs ?? 0;
  const chunkDelayMs = options.chunkDelayMs ?? 0;
  const replyTokens = options.replyTokens ?? 16;
  const models = options.models ?? DEFAULT_MOCK_MODELS;
  let faults: MockFaults = { ...options.faults };
  let failuresServed = 0;
  let requests = 0;
  let cancelled = 0;
  let last: MockRequestRecord | undefined;

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: 'mock failure', type: 'server_error' } });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 60_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'GET' && path === '/v1/models') {
      sendJson(res, 200, {
        object: 'list',
        data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'mock' })),
      });
      return;
    }
    const raw = await readBody(req);
    if (req.method === 'POST' && path === '/_mock/faults') {
      faults = JSON.parse(raw === '' ? '{}' : raw) as MockFaults;
      failuresServed = 0;
      sendJson(res, 200, { ok: true });
      return;
    }
    const anthropic = path === '/v1/messages';
    if (req.method !== 'POST' || (!anthropic && path !== '/v1/chat/completions')) {
      sendJson(res, 404, { error: { message: `no route ${req.method} ${path}`, type: 'not_found' } });
      return;
    }
    requests++;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      sendError(res, anthropic, 400, 'invalid_request_error', 'body is not JSON');
      return;
    }
    last = { path, headers: req.headers, body, text: raw };
    if (latencyMs > 0) await sleep(latencyMs);
    const model = String(body.model);
    if (faults.switchedOff?.includes(model)) {
      sendError(res, anthropic, 404, 'not_found_error', `model ${model} does not exist`);
      return;
    }
    if (faults.suspended?.includes(model)) {
      sendError(res, anthropic, 403, 'permission_error', `access to ${model} is suspended`);
      return;
    }
    if (
      faults.failStatus !== undefined &&
      (faults.failTimes === undefined || failuresServed < faults.failTimes)
    ) {
      failuresServed++;
      sendError(
        res,
        anthropic,
        faults.failStatus,
        faults.failStatus === 429 ? 'rate_limit_error' : 'api_error',
        'injected failure',
      );
      return;
    }
    const generation = generate(body, { replyTokens });
    if (body.stream === true) await stream(res, anthropic, body, generation);
    else
      sendJson(
        res,
        200,
        anthropic ? anthropicJson(generation) : openaiJson(generation, body.logprobs === true),
      );
  }

  async function stream(
    res: ServerResponse,
    anthropic: boolean,
    body: Record<string, unknown>,
    g: Generation,
  ) {
    const options = body.stream_options as { include_usage?: unknown } | undefined;
    const events = anthropic ? anthropicStream(g) : openaiStream(g, options?.include_usage === true);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    let sent = 0;
    for (const event of events) {
      if (faults.abortAfterEvents !== undefined && sent >= faults.abortAfterEvents) {
        res.destroy();
        return;
      }
      if (res.destroyed) {
        cancelled++;
        return;
      }
      res.write(event);
      sent++;
      if (chunkDelayMs > 0) await sleep(chunkDelayMs);
    }
    res.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    get requests() {
      return requests;
    },
    get cancelled() {
      return cancelled;
    },
    get last() {
      return last;
    },
    setFaults(next) {
      faults = { ...next };
      failuresServed = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(
  res: ServerResponse,
  anthropic: boolean,
  status: number,
  type: string,
  message: string,
): void {
  sendJson(
    res,
    status,
    anthropic
      ? { type: 'error', error: { type, message } }
      : { error: { message, type, param: null, code: type } },
  );
}
