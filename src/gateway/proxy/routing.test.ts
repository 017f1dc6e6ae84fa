import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, KEYS, post, startHarness } from '../testing/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const OPENAI = '/v1/chat/completions';
const messages = [{ role: 'user', content: 'hi' }];

describe('retries, failover and circuit breaking', () => {
  it('retries 5xx and 429 before the first byte, then succeeds', async () => {
    h = await startHarness();
    h.mock.setFaults({ failStatus: 503, failTimes: 2 });
    const r = await post(h.url, OPENAI, KEYS.a, { model: 'oa', messages });
    expect(r.status).toBe(200);
    expect(h.mock.requests).toBe(3);
    h.mock.setFaults({ failStatus: 429, failTimes: 1 });
    expect((await post(h.url, OPENAI, KEYS.a, { model: 'oa', messages, stream: true })).text).toContain(
      '[DONE]',
    );
  });

  it('gives up after the configured attempts with an API-shaped 502 / 429', async () => {
    h = await startHarness();
    h.mock.setFaults({ failStatus: 500 });
    const r = await post(h.url, OPENAI, KEYS.a, { model: 'oa', messages });
    expect(r.status).toBe(502);
    expect(r.json()).toMatchObject({
      error: { type: 'upstream_error', message: expect.stringContaining('status 500') },
    });
    expect(h.mock.requests).toBe(3);
    h.mock.setFaults({ failStatus: 429 });
    const limited = await post(h.url, '/v1/messages', KEYS.a, { model: 'an', max_tokens: 5, messages });
    expect(limited.status).toBe(429);
    expect(limited.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
  });

  it('fails over when the first target’s model was switched off (404) or suspended (403)', async () => {
    h = await startHarness({ mock: { faults: { switchedOff: ['retired'] } } });
    const r = await post(h.url, OPENAI, KEYS.a, { model: 'failover', messages });
    expect(r.status).toBe(200);
    expect(h.mock.last?.path).toBe('/v1/messages');
    expect(h.mock.last?.body.model).toBe('mock-large');
    h.mock.setFaults({ suspended: ['retired'] });
    expect((await post(h.url, OPENAI, KEYS.a, { model: 'failover', messages, stream: true })).text).toContain(
      '[DONE]',
    );
    h.mock.setFaults({ switchedOff: ['retired', 'mock-large'] });
    const gone = await post(h.url, OPENAI, KEYS.a, { model: 'failover', messages });
    expect(gone.status).toBe(404);
  });

  it('fails over past an unreachable upstream and opens its circuit', async () => {
    h = await startHarness({ config: { breaker: { failureThreshold: 3, openMs: 60_000 } } });
    expect((await post(h.url, OPENAI, KEYS.a, { model: 'dead-first', messages })).status).toBe(200);
    const down = h.gateway.upstreams.get('down');
    expect(down?.breaker.state()).toBe('open');
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toContain('distillguard_upstream_circuit_state{upstream="down"} 2');
    expect(metrics).toMatch(/distillguard_upstream_errors_total\{upstream="down",kind="connect"\} 3/);
    expect((await post(h.url, OPENAI, KEYS.a, { model: 'dead-first', messages })).status).toBe(200);
  });

  it('answers 503 with retry-after when every upstream’s circuit is open', async () => {
    h = await startHarness({
      config: { breaker: { failureThreshold: 1, openMs: 60_000 }, retry: { attempts: 0 } },
    });
    h.mock.setFaults({ failStatus: 500 });
    expect((await post(h.url, OPENAI, KEYS.a, { model: 'oa', messages })).status).toBe(502);
    const r = await post(h.url, OPENAI, KEYS.a, { model: 'oa', messages });
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('5');
    expect(h.mock.requests).toBe(1);
    expect((await fetch(`${h.url}/readyz`)).status).toBe(200);
    await post(h.url, OPENAI, KEYS.a, { model: 'dead-first', messages });
    await post(h.url, '/v1/messages', KEYS.a, { model: 'an', max_tokens: 5, messages });
    const ready = await fetch(`${h.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'no upstream available' });
  });
});
