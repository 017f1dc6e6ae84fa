/**
 * Starts a mock upstream and a gateway in front of it on ephemeral ports, for HTTP tests.
 */
import { type GatewayConfig, parseGatewayConfig } from '../config.js';
import { type MockUpstream, type MockUpstreamOptions, startMockUpstream } from '../mock-upstream/server.js';
import { createGateway, type Gateway } from '../server.js';
import { fakeAuth, fakeEnforcement, fakeLimiter, fakeSink, principal } from './fakes.js';

export interface Harness {
  url: string;
  mock: MockUpstream;
  gateway: Gateway;
  config: GatewayConfig;
  limiter: ReturnType<typeof fakeLimiter>;
  enforcement: ReturnType<typeof fakeEnforcement>;
  sink: ReturnType<typeof fakeSink>;
  close(): Promise<void>;
}

/** Keys the harness accepts: `sk-a` (account acct-a), `sk-b` (acct-b), `sk-scoped` (acct-s, model `oa` only). */
export const KEYS = { a: 'sk-a', b: 'sk-b', scoped: 'sk-scoped' };

/**
 * Models: `oa` (OpenAI-compatible), `an` (Anthropic), `to-an` (OpenAI client name, Anthropic
 * upstream model), `failover` (switched-off model first, then a live one), `decoy`.
 *
 * @example
 * const h = await startHarness(); await fetch(`${h.url}/healthz`); await h.close();
 */
export async function startHarness(
  options: {
    mock?: MockUpstreamOptions;
    config?: Record<string, unknown>;
    extraUpstreamDown?: boolean;
    replayTimestamps?: boolean;
  } = {},
): Promise<Harness> {
  const mock = await startMockUpstream({ replyTokens: 5, ...options.mock });
  const raw = {
    upstreams: {
      mo: { kind: 'openai-compatible', baseUrl: `${mock.url}/v1` },
      ma: { kind: 'anthropic', baseUrl: mock.url },
      down: { kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', timeoutMs: 1000 },
    },
    models: {
      oa: { targets: [{ upstream: 'mo', model: 'mock-small' }] },
      'mock-small': { targets: [{ upstream: 'mo', model: 'mock-small' }] },
      an: { targets: [{ upstream: 'ma', model: 'mock-small' }] },
      reasoner: { targets: [{ upstream: 'mo', model: 'mock-reasoner' }] },
      'an-reasoner': { targets: [{ upstream: 'ma', model: 'mock-reasoner' }] },
      'to-an': { targets: [{ upstream: 'ma', model: 'mock-large' }] },
      'to-oa': { targets: [{ upstream: 'mo', model: 'mock-large' }] },
      failover: {
        targets: [
          { upstream: 'mo', model: 'retired' },
          { upstream: 'ma', model: 'mock-large' },
        ],
      },
      'dead-first': {
        targets: [
          { upstream: 'down', model: 'x' },
          { upstream: 'mo', model: 'mock-small' },
        ],
      },
      decoy: { targets: [{ upstream: 'mo', model: 'mock-decoy' }] },
    },
    retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
    ...options.config,
  };
  const config = parseGatewayConfig(raw, {});
  const limiter = fakeLimiter();
  const enforcement = fakeEnforcement();
  const sink = fakeSink();
  const gateway = createGateway({
    config,
    auth: fakeAuth({
      [KEYS.a]: principal('acct-a'),
      [KEYS.b]: principal('acct-b'),
      [KEYS.scoped]: principal('acct-s', ['oa']),
    }),
    limiter,
    enforcement,
    sink,
    onError: () => {},
    replayTimestamps: options.replayTimestamps,
  });
  const { url } = await gateway.listen(0);
  return {
    url,
    mock,
    gateway,
    config,
    limiter,
    enforcement,
    sink,
    async close() {
      await gateway.close({ graceMs: 100 });
      await mock.close();
    },
  };
}

/**
 * POSTs JSON with a key and returns status, headers and text.
 *
 * @example
 * const r = await post(h.url, '/v1/chat/completions', KEYS.a, { model: 'oa', messages });
 */
export async function post(
  url: string,
  path: string,
  key: string | undefined,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; text: string; json: () => Record<string, unknown> }> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: () => JSON.parse(text) as Record<string, unknown>,
  };
}

/** Waits until `check` passes (the exchange log is written after the response ends). */
export async function eventually(check: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
