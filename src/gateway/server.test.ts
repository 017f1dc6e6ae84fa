import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Harness, KEYS, post, startHarness } from './testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('service endpoints', () => {
  it('/healthz and /readyz', async () => {
    expect(await (await fetch(`${h.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${h.url}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('/v1/models lists configured models the key may use, in the caller’s API shape', async () => {
    const openai = (await (
      await fetch(`${h.url}/v1/models`, { headers: { authorization: `Bearer ${KEYS.a}` } })
    ).json()) as {
      data: Array<{ id: string; object: string }>;
    };
    expect(openai.data.map((m) => m.id)).toContain('to-an');
    expect(openai.data[0]?.object).toBe('model');
    const anthropic = (await (
      await fetch(`${h.url}/v1/models`, {
        headers: { 'x-api-key': KEYS.scoped, 'anthropic-version': '2023-06-01' },
      })
    ).json()) as Record<string, unknown>;
    expect(anthropic).toEqual({
      data: [{ type: 'model', id: 'oa', display_name: 'oa', created_at: '1970-01-01T00:00:00Z' }],
      has_more: false,
      first_id: 'oa',
      last_id: 'oa',
    });
    expect((await fetch(`${h.url}/v1/models`)).status).toBe(401);
  });

  it('/metrics exposes requests, latency, limit hits and enforcement in Prometheus format', async () => {
    await post(h.url, '/v1/chat/completions', KEYS.a, {
      model: 'oa',
      messages: [{ role: 'user', content: 'x' }],
    });
    h.enforcement.set('acct-b', { action: 'throttle', reasons: [], caseRef: 'c', campaignId: null });
    h.limiter.deny.add('acct-b');
    await post(h.url, '/v1/chat/completions', KEYS.b, {
      model: 'oa',
      messages: [{ role: 'user', content: 'x' }],
    });
    const res = await fetch(`${h.url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('distillguard_requests_total{api="openai.chat",model="oa",status="200"} 1');
    expect(text).toContain('distillguard_requests_total{api="openai.chat",model="oa",status="429"} 1');
    expect(text).toContain('distillguard_limit_hits_total{scope="account",limit="requestsPerMinute"} 1');
    expect(text).toContain('distillguard_enforcement_applied_total{action="throttle"} 1');
    expect(text).toContain('distillguard_requests_in_flight 0');
    expect(text).toMatch(
      /distillguard_request_duration_seconds_bucket\{le="0.005",api="openai.chat",stream="false"\}/,
    );
  });
});

describe('graceful shutdown', () => {
  it('stops accepting, finishes the in-flight stream, then drains the log', async () => {
    const g = await startHarness({ mock: { chunkDelayMs: 10, replyTokens: 20 } });
    const inFlight = post(g.url, '/v1/chat/completions', KEYS.a, {
      model: 'oa',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    await eventually(() => g.mock.requests === 1);
    let drained = false;
    const drain = g.sink.drain;
    g.sink.drain = async () => {
      drained = true;
      await drain();
    };
    const closing = g.gateway.close({ graceMs: 5000 });
    const finished = await inFlight;
    expect(finished.text).toContain('[DONE]');
    await closing;
    expect(drained).toBe(true);
    expect(g.sink.events).toHaveLength(1);
    await expect(fetch(`${g.url}/healthz`)).rejects.toThrow();
    await g.mock.close();
  });
});
