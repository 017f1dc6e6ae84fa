import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSseParser } from '../wire/sse.js';
import { type MockUpstream, startMockUpstream } from './server.js';

let mock: MockUpstream;
beforeAll(async () => {
  mock = await startMockUpstream({ replyTokens: 5 });
});
afterAll(() => mock.close());

async function post(path: string, body: object) {
  const res = await fetch(`${mock.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

const messages = [{ role: 'user', content: 'What is 2+2?' }];

describe('mock upstream', () => {
  it('answers OpenAI chat completions deterministically with usage', async () => {
    const a = await post('/v1/chat/completions', { model: 'mock-small', messages });
    const b = await post('/v1/chat/completions', { model: 'mock-small', messages });
    expect(a.status).toBe(200);
    expect(a.text).toBe(b.text);
    const body = JSON.parse(a.text);
    expect(body.choices[0].message.content.split(' ')).toHaveLength(5);
    expect(body.usage).toEqual({ prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 });
  });

  it('honours max_tokens, n and logprobs', async () => {
    const body = JSON.parse(
      (await post('/v1/chat/completions', { model: 'm', messages, max_tokens: 2, n: 2, logprobs: true }))
        .text,
    );
    expect(body.choices).toHaveLength(2);
    expect(body.choices[0].finish_reason).toBe('length');
    expect(body.choices[0].logprobs.content).toHaveLength(2);
  });

  it('streams Anthropic events in order, with thinking when asked', async () => {
    const res = await post('/v1/messages', {
      model: 'mock-small',
      max_tokens: 100,
      messages,
      stream: true,
      thinking: { type: 'enabled', budget_tokens: 1024 },
    });
    const events = createSseParser().push(res.text);
    expect(events[0]?.event).toBe('message_start');
    expect(events.at(-1)?.event).toBe('message_stop');
    expect(events.some((e) => e.data.includes('thinking_delta'))).toBe(true);
    expect(events.filter((e) => e.data.includes('text_delta'))).toHaveLength(5);
  });

  it('streams OpenAI chunks ending in [DONE] with a usage chunk on request', async () => {
    const res = await post('/v1/chat/completions', {
      model: 'mock-small',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const events = createSseParser().push(res.text);
    expect(events.at(-1)?.data).toBe('[DONE]');
    expect(JSON.parse(events.at(-2)?.data ?? '{}').usage.completion_tokens).toBe(5);
  });

  it('injects failures: status for N requests, switched-off and suspended models, mid-stream abort', async () => {
    mock.setFaults({ failStatus: 503, failTimes: 1, switchedOff: ['gone'], suspended: ['held'] });
    expect((await post('/v1/chat/completions', { model: 'mock-small', messages })).status).toBe(503);
    expect((await post('/v1/chat/completions', { model: 'mock-small', messages })).status).toBe(200);
    const gone = await post('/v1/messages', { model: 'gone', max_tokens: 5, messages });
    expect(gone.status).toBe(404);
    expect(JSON.parse(gone.text)).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    expect((await post('/v1/chat/completions', { model: 'held', messages })).status).toBe(403);
    mock.setFaults({ abortAfterEvents: 2 });
    await expect(
      post('/v1/chat/completions', { model: 'mock-small', messages, stream: true }),
    ).rejects.toThrow();
    mock.setFaults({});
  });

  it('accepts faults over HTTP and lists models', async () => {
    await post('/_mock/faults', { failStatus: 429 });
    expect((await post('/v1/chat/completions', { model: 'x', messages })).status).toBe(429);
    await post('/_mock/faults', {});
    const models = (await (await fetch(`${mock.url}/v1/models`)).json()) as { data: Array<{ id: string }> };
    expect(models.data.map((m) => m.id)).toContain('mock-reasoner');
  });
});
