import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Harness, KEYS, post, startHarness } from '../testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    mock: { chunkDelayMs: 20, replyTokens: 20 },
    config: { server: { maxBodyBytes: 2048, bodyTimeoutMs: 300, headersTimeoutMs: 400 } },
  });
});
afterAll(() => h.close());

const OPENAI = '/v1/chat/completions';
const ANTHROPIC = '/v1/messages';
const messages = [{ role: 'user', content: 'hi' }];

describe('bad input gets API-shaped errors', () => {
  it('malformed JSON → 400 in each format', async () => {
    const o = await post(h.url, OPENAI, KEYS.a, '{"model":');
    expect(o.status).toBe(400);
    expect(o.json()).toMatchObject({
      error: { type: 'invalid_request_error', message: expect.stringContaining('not valid JSON') },
    });
    const a = await post(h.url, ANTHROPIC, KEYS.a, 'nope');
    expect(a.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  });

  it('wrong types name the parameter', async () => {
    const r = await post(h.url, OPENAI, KEYS.a, { model: 'oa', messages: [{ role: 'user', content: 7 }] });
    expect(r.status).toBe(400);
    expect(r.json()).toMatchObject({ error: { param: 'messages[0].content' } });
    const a = await post(h.url, ANTHROPIC, KEYS.a, { model: 'an', messages });
    expect(a.json()).toMatchObject({ error: { message: expect.stringContaining('max_tokens') } });
  });

  it('unknown model → 404 model_not_found', async () => {
    const r = await post(h.url, OPENAI, KEYS.a, { model: 'gpt-nope', messages });
    expect(r.status).toBe(404);
    expect(r.json()).toMatchObject({ error: { code: 'model_not_found', param: 'model' } });
    const a = await post(h.url, ANTHROPIC, KEYS.a, { model: 'gpt-nope', max_tokens: 5, messages });
    expect(a.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });

  it('missing, invalid, expired and revoked keys → 401/403', async () => {
    const missing = await post(h.url, OPENAI, undefined, { model: 'oa', messages });
    expect(missing.status).toBe(401);
    expect(missing.json()).toMatchObject({
      error: { type: 'authentication_error', code: 'invalid_api_key' },
    });
    expect(
      (await post(h.url, ANTHROPIC, 'sk-wrong', { model: 'an', max_tokens: 5, messages })).json(),
    ).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error' },
    });
    const expired = await post(h.url, OPENAI, 'expired', { model: 'oa', messages });
    expect(expired.status).toBe(403);
    expect(expired.json()).toMatchObject({ error: { code: 'expired_api_key' } });
    expect((await post(h.url, OPENAI, 'revoked', { model: 'oa', messages })).status).toBe(403);
    // A big body behind a bad key is not read: the answer comes at once and the connection closes.
    const { port } = new URL(h.url);
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(`POST ${OPENAI} HTTP/1.1\r\nhost: x\r\ncontent-length: 1000000\r\n\r\n{"model"`);
      });
      let data = '';
      socket.on('data', (d) => {
        data += d.toString();
      });
      socket.on('close', () => resolve(data));
      setTimeout(() => socket.destroy(), 3000);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 401/);
  });

  it('keys scoped to other models → 403', async () => {
    expect((await post(h.url, OPENAI, KEYS.scoped, { model: 'oa', messages })).status).toBe(200);
    const r = await post(h.url, OPENAI, KEYS.scoped, { model: 'an', messages });
    expect(r.status).toBe(403);
  });

  it('oversized bodies → 413, by Content-Length or while reading', async () => {
    const big = { model: 'oa', messages: [{ role: 'user', content: 'x'.repeat(5000) }] };
    const r = await post(h.url, OPENAI, KEYS.a, big);
    expect(r.status).toBe(413);
    expect(r.json()).toMatchObject({ error: { message: expect.stringContaining('2048 bytes') } });
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${h.url}${OPENAI}`,
        { method: 'POST', headers: { authorization: `Bearer ${KEYS.a}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write('x'.repeat(1500));
      req.write('x'.repeat(1500));
      req.end();
    });
    expect(chunked).toBe(413);
  });

  it('a client that trickles its body is cut off with 408', async () => {
    const { port } = new URL(h.url);
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          `POST ${OPENAI} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${KEYS.a}\r\ncontent-length: 100\r\n\r\n{"mo`,
        );
      });
      let data = '';
      socket.on('data', (d) => {
        data += d.toString();
      });
      socket.on('close', () => resolve(data));
      setTimeout(() => socket.destroy(), 2000);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
    expect(reply).toContain('did not arrive within 300 ms');
  });

  it('slow or malformed request headers get API-shaped 408 / 400 and the connection is closed', async () => {
    const { port } = new URL(h.url);
    const send = (text: string) =>
      new Promise<string>((resolve) => {
        const socket = connect(Number(port), '127.0.0.1', () => socket.write(text));
        let data = '';
        socket.on('data', (d) => {
          data += d.toString();
        });
        socket.on('close', () => resolve(data));
        setTimeout(() => socket.destroy(), 4000);
      });
    const slow = await send(`POST ${OPENAI} HTTP/1.1\r\nhost: x\r\n`);
    expect(slow).toMatch(/^HTTP\/1\.1 408/);
    expect(slow).toContain('"type":"invalid_request_error"');
    const garbage = await send('NOT HTTP AT ALL\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400/);
    expect(garbage).toContain('malformed HTTP request');
  });

  it('wrong method → 405, unknown path → 404', async () => {
    const r = await fetch(`${h.url}${OPENAI}`);
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('POST');
    expect((await fetch(`${h.url}/v2/nothing`)).status).toBe(404);
  });
});

describe('failures mid-stream and disconnects', () => {
  it('a mid-stream upstream failure reaches OpenAI clients as an error chunk, never [DONE]', async () => {
    h.mock.setFaults({ abortAfterEvents: 3 });
    const r = await post(h.url, OPENAI, KEYS.a, { model: 'oa', messages, stream: true });
    h.mock.setFaults({});
    expect(r.text).not.toContain('[DONE]');
    expect(r.text).toMatch(/data: \{"error":\{"message":"the upstream model stopped responding mid-stream"/);
  });

  it('…and Anthropic clients as event: error, never message_stop', async () => {
    h.mock.setFaults({ abortAfterEvents: 3 });
    const r = await post(h.url, ANTHROPIC, KEYS.a, { model: 'an', max_tokens: 50, messages, stream: true });
    h.mock.setFaults({});
    expect(r.text).not.toContain('message_stop');
    expect(r.text).toContain('event: error\ndata: {"type":"error","error":{"type":"api_error"');
  });

  it('a client disconnect cancels the upstream stream and the exchange is still logged (499)', async () => {
    const before = h.sink.events.length;
    await new Promise<void>((resolve, reject) => {
      const req = request(
        `${h.url}${OPENAI}`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${KEYS.b}`, 'content-type': 'application/json' },
        },
        (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        },
      );
      req.on('error', () => {});
      req.end(
        JSON.stringify({
          model: 'oa',
          messages: [{ role: 'user', content: 'long answer please' }],
          stream: true,
        }),
      );
      setTimeout(() => reject(new Error('no data')), 3000);
    });
    await eventually(() => h.sink.events.length > before);
    const event = h.sink.events.at(-1);
    expect(event?.response?.status).toBe(499);
    await eventually(() => h.mock.cancelled === 1);
    expect(event?.response?.text?.split(' ').length ?? 0).toBeLessThan(20);
  });
});
