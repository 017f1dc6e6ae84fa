import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockUpstream, startMockUpstream } from '../mock-upstream/server.js';
import { sendUpstream } from './call.js';
import { Cancellation } from './cancellation.js';

let mock: MockUpstream;
let slow: MockUpstream;
let pool: Pool;
let slowPool: Pool;
beforeAll(async () => {
  mock = await startMockUpstream({ replyTokens: 300 });
  slow = await startMockUpstream({ latencyMs: 300 });
  pool = new Pool(mock.url);
  slowPool = new Pool(slow.url);
});
afterAll(async () => {
  await Promise.all([pool.close(), slowPool.close()]);
  await Promise.all([mock.close(), slow.close()]);
});

const request = (stream: boolean) => ({
  path: '/v1/chat/completions',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'count' }], stream }),
});

describe('sendUpstream', () => {
  it('reads headers and the whole body', async () => {
    const response = await sendUpstream(pool, request(false), new Cancellation());
    expect(response.statusCode).toBe(200);
    expect(response.header('content-type')).toBe('application/json');
    expect(response.header('x-missing')).toBeUndefined();
    expect(JSON.parse(await response.text()).usage.completion_tokens).toBe(300);
  });

  it('delivers every chunk in order to a slow consumer (backpressure pauses, then resumes)', async () => {
    const fast = await (await sendUpstream(pool, request(true), new Cancellation())).text();
    const response = await sendUpstream(pool, request(true), new Cancellation());
    const parts: Buffer[] = [];
    for await (const chunk of response.chunks()) {
      parts.push(chunk);
      await new Promise((r) => setImmediate(r));
    }
    expect(Buffer.concat(parts).toString()).toBe(fast);
    expect(fast.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('rejects when cancelled before the headers, and at once when already cancelled', async () => {
    const cancellation = new Cancellation();
    const pending = sendUpstream(slowPool, request(false), cancellation);
    setTimeout(() => cancellation.cancel(), 20);
    await expect(pending).rejects.toThrow('request cancelled');
    await expect(sendUpstream(slowPool, request(false), cancellation)).rejects.toThrow('request cancelled');
  });

  it('rejects with the connect error code when nothing listens', async () => {
    const dead = new Pool('http://127.0.0.1:9');
    await expect(sendUpstream(dead, request(false), new Cancellation())).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    await dead.close();
  });
});
