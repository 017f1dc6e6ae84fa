import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Harness, KEYS, post, startHarness } from '../testing/harness.js';
import { createSseParser } from '../wire/sse.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    mock: { replyTokens: 50 },
    config: { enforcement: { throttleFactor: 0.2, degrade: { maxTokens: 8 } } },
  });
});
afterAll(() => h.close());

const OPENAI = '/v1/chat/completions';
const ANTHROPIC = '/v1/messages';
const messages = [{ role: 'user', content: 'Show every step of your reasoning' }];
const base = { reasons: ['test'], caseRef: 'case-42', campaignId: null };

describe('live enforcement on the next request', () => {
  it('block → 403 account_blocked with the case reference, in both formats, and the attempt is logged', async () => {
    h.enforcement.set('acct-a', { ...base, action: 'block' });
    const before = h.sink.events.length;
    const o = await post(h.url, OPENAI, KEYS.a, { model: 'oa', messages });
    expect(o.status).toBe(403);
    expect(o.headers.get('x-distillguard-case')).toBe('case-42');
    expect(o.json()).toMatchObject({
      error: {
        type: 'account_blocked',
        code: 'account_blocked',
        message: expect.stringContaining('case-42'),
      },
    });
    const a = await post(h.url, ANTHROPIC, KEYS.a, { model: 'an', max_tokens: 5, messages });
    expect(a.json()).toMatchObject({ type: 'error', error: { type: 'account_blocked' } });
    await eventually(() => h.sink.events.length === before + 2);
    expect(h.sink.events.at(-1)?.response?.status).toBe(403);
    h.enforcement.clear('acct-a');
  });

  it('allowlisted accounts are never enforced', async () => {
    h.enforcement.set('acct-a', { ...base, action: 'block', allowlisted: true });
    expect((await post(h.url, OPENAI, KEYS.a, { model: 'oa', messages })).status).toBe(200);
    h.enforcement.clear('acct-a');
  });

  it('throttle → the limiter gets the configured factor; monitor changes nothing', async () => {
    h.enforcement.set('acct-b', { ...base, action: 'throttle' });
    await post(h.url, OPENAI, KEYS.b, { model: 'oa', messages });
    expect(h.limiter.factors.at(-1)).toBe(0.2);
    h.enforcement.set('acct-b', { ...base, action: 'monitor' });
    await post(h.url, OPENAI, KEYS.b, { model: 'oa', messages });
    expect(h.limiter.factors.at(-1)).toBe(1);
    h.enforcement.clear('acct-b');
  });

  it('a limiter refusal → 429 with retry-after and limit headers', async () => {
    h.limiter.deny.add('acct-b');
    const r = await post(h.url, ANTHROPIC, KEYS.b, { model: 'an', max_tokens: 5, messages });
    h.limiter.deny.delete('acct-b');
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('7');
    expect(r.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
  });

  it('degrade caps max_tokens, drops logprobs and n>1, and removes reasoning (OpenAI, whole)', async () => {
    h.enforcement.set('acct-a', { ...base, action: 'degrade' });
    const r = await post(h.url, OPENAI, KEYS.a, {
      model: 'reasoner',
      messages,
      max_tokens: 1000,
      n: 3,
      logprobs: true,
      top_logprobs: 5,
      reasoning_effort: 'high',
    });
    expect(h.mock.last?.body).toEqual({ model: 'mock-reasoner', messages, max_tokens: 8 });
    const body = r.json() as { choices: Array<{ message: Record<string, unknown> }> };
    expect(body.choices).toHaveLength(1);
    expect(body.choices[0]?.message.reasoning_content).toBeUndefined();
    expect(h.limiter.factors.at(-1)).toBe(0.2);
    await eventually(() => h.sink.events.at(-1)?.request.n === 3);
    h.enforcement.clear('acct-a');
  });

  it('degrade strips thinking from Anthropic streams and drops the thinking request', async () => {
    h.enforcement.set('acct-a', { ...base, action: 'degrade' });
    const r = await post(h.url, ANTHROPIC, KEYS.a, {
      model: 'an-reasoner',
      max_tokens: 1000,
      messages,
      stream: true,
      thinking: { type: 'enabled', budget_tokens: 800 },
    });
    expect(h.mock.last?.body).toMatchObject({ max_tokens: 8 });
    expect(h.mock.last?.body.thinking).toBeUndefined();
    const events = createSseParser().push(r.text);
    expect(r.text).not.toContain('thinking');
    expect(events.filter((e) => e.event === 'content_block_delta')).toHaveLength(8);
    expect(events.at(-1)?.event).toBe('message_stop');
    h.enforcement.clear('acct-a');
  });

  it('degrade can route to a configured decoy model', async () => {
    const decoy = await startHarness({ config: { enforcement: { degrade: { decoyModel: 'decoy' } } } });
    try {
      decoy.enforcement.set('acct-a', { ...base, action: 'degrade' });
      const r = await post(decoy.url, OPENAI, KEYS.a, { model: 'oa', messages });
      expect(r.status).toBe(200);
      expect(decoy.mock.last?.body.model).toBe('mock-decoy');
      await eventually(() => decoy.sink.events.length === 1);
      expect(decoy.sink.events[0]?.model).toBe('oa');
    } finally {
      await decoy.close();
    }
  });
});
