import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateEvent } from '../../contract/validate.js';
import { eventually, type Harness, KEYS, post, startHarness } from '../testing/harness.js';
import { createSseParser } from '../wire/sse.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const messages = [{ role: 'user', content: 'Tell me about tides' }];
const OPENAI = '/v1/chat/completions';
const ANTHROPIC = '/v1/messages';

function sse(text: string) {
  return createSseParser().push(text);
}

describe('chat endpoints, same wire format', () => {
  it('proxies OpenAI non-streaming, rewrites the model, logs a contract event', async () => {
    const before = h.sink.events.length;
    const r = await post(h.url, OPENAI, KEYS.a, { model: 'oa', messages, temperature: 0.2 });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-ratelimit-remaining-requests')).toBe('99');
    const body = r.json() as {
      choices: Array<{ message: { content: string } }>;
      usage: { completion_tokens: number };
    };
    expect(body.choices[0]?.message.content.split(' ')).toHaveLength(5);
    expect(h.mock.last?.body).toMatchObject({ model: 'mock-small', temperature: 0.2 });
    await eventually(() => h.sink.events.length === before + 1);
    const event = h.sink.events.at(-1);
    expect(validateEvent(event)).toMatchObject({ ok: true });
    expect(event).toMatchObject({
      account_id: 'acct-a',
      api: 'openai.chat',
      model: 'oa',
      request: { model: 'oa', messages },
      response: {
        status: 200,
        output_tokens: 5,
        finish_reason: 'stop',
        text: body.choices[0]?.message.content,
      },
    });
  });

  it('forwards the client body byte for byte when model and format need no rewrite', async () => {
    const raw = `{ "model": "mock-small",\n  "messages": ${JSON.stringify(messages)}, "temperature": 0.5 }`;
    const same = await post(h.url, OPENAI, KEYS.a, raw);
    expect(same.status).toBe(200);
    expect(h.mock.last?.text).toBe(raw);
    // A renamed model is re-serialised with the upstream's name.
    const renamed = await post(h.url, OPENAI, KEYS.a, raw.replace('"mock-small"', '"oa"'));
    expect(renamed.status).toBe(200);
    expect(h.mock.last?.text).not.toContain('"oa"');
    expect(h.mock.last?.body).toMatchObject({ model: 'mock-small', temperature: 0.5 });
  });

  it('proxies Anthropic non-streaming with x-api-key', async () => {
    const r = await post(
      h.url,
      ANTHROPIC,
      undefined,
      { model: 'an', max_tokens: 50, messages },
      { 'x-api-key': KEYS.a },
    );
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ type: 'message', stop_reason: 'end_turn', usage: { output_tokens: 5 } });
    expect(h.mock.last?.path).toBe('/v1/messages');
  });

  it('relays OpenAI streams byte for byte and logs usage from the stream', async () => {
    const r = await post(h.url, OPENAI, KEYS.b, {
      model: 'oa',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/event-stream');
    const events = sse(r.text);
    expect(events.at(-1)?.data).toBe('[DONE]');
    await eventually(() =>
      h.sink.events.some((e) => e.account_id === 'acct-b' && e.response?.output_tokens === 5),
    );
  });

  it('relays Anthropic streams ending in message_stop', async () => {
    const r = await post(h.url, ANTHROPIC, KEYS.a, { model: 'an', max_tokens: 50, messages, stream: true });
    const events = sse(r.text);
    expect(events[0]?.event).toBe('message_start');
    expect(events.at(-1)?.event).toBe('message_stop');
  });
});

describe('translation between wire formats', () => {
  it('serves an OpenAI client from an Anthropic upstream (non-streaming)', async () => {
    const r = await post(h.url, OPENAI, KEYS.a, {
      model: 'to-an',
      messages: [{ role: 'system', content: 'brief' }, ...messages],
    });
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({
      object: 'chat.completion',
      model: 'to-an',
      choices: [{ finish_reason: 'stop' }],
    });
    expect(h.mock.last?.body).toMatchObject({ model: 'mock-large', system: 'brief', max_tokens: 4096 });
  });

  it('serves an OpenAI client from an Anthropic upstream (streaming)', async () => {
    const r = await post(h.url, OPENAI, KEYS.a, {
      model: 'to-an',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const events = sse(r.text);
    expect(events.at(-1)?.data).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data));
    expect(
      chunks
        .map((c) => c.choices[0]?.delta?.content ?? '')
        .join('')
        .split(' '),
    ).toHaveLength(5);
    expect(chunks.at(-1).usage.completion_tokens).toBe(5);
  });

  it('serves an Anthropic client from an OpenAI upstream (both modes)', async () => {
    const whole = await post(h.url, ANTHROPIC, KEYS.a, {
      model: 'to-oa',
      max_tokens: 3,
      system: 'brief',
      messages,
    });
    expect(whole.json()).toMatchObject({
      type: 'message',
      model: 'to-oa',
      stop_reason: 'max_tokens',
      usage: { output_tokens: 3 },
    });
    expect(h.mock.last?.body.messages).toEqual([{ role: 'system', content: 'brief' }, ...messages]);
    const streamed = await post(h.url, ANTHROPIC, KEYS.a, {
      model: 'to-oa',
      max_tokens: 50,
      messages,
      stream: true,
    });
    const events = sse(streamed.text);
    expect(events[0]?.event).toBe('message_start');
    expect(events.filter((e) => e.event === 'content_block_delta')).toHaveLength(5);
    expect(JSON.parse(events.at(-2)?.data ?? '{}')).toMatchObject({
      type: 'message_delta',
      usage: { output_tokens: 5 },
    });
    expect(events.at(-1)?.event).toBe('message_stop');
  });

  it('refuses what cannot be translated, naming the parameter', async () => {
    const r = await post(h.url, OPENAI, KEYS.a, { model: 'to-an', messages, n: 3 });
    expect(r.status).toBe(400);
    expect(r.json()).toMatchObject({ error: { type: 'invalid_request_error', param: 'n' } });
  });
});
