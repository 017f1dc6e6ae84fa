import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, KEYS, startHarness } from '../testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ mock: { chunkDelayMs: 40, replyTokens: 6 } });
});
afterAll(() => h.close());

/** Times (ms from sending) at which response chunks reached the client. */
function chunkTimes(path: string, body: object): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const times: number[] = [];
    const req = request(
      `${h.url}${path}`,
      { method: 'POST', headers: { authorization: `Bearer ${KEYS.a}`, 'content-type': 'application/json' } },
      (res) => {
        res.on('data', () => times.push(performance.now() - start));
        res.on('end', () => resolve(times));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const messages = [{ role: 'user', content: 'stream please' }];

describe('streams are relayed as they arrive, not buffered', () => {
  it.each([
    ['same format', '/v1/chat/completions', { model: 'oa', messages, stream: true }],
    ['translated', '/v1/messages', { model: 'to-oa', max_tokens: 50, messages, stream: true }],
  ])('%s: the first chunk arrives long before the last', async (_name, path, body) => {
    const times = await chunkTimes(path, body);
    expect(times.length).toBeGreaterThan(3);
    const first = times[0] ?? 0;
    const last = times.at(-1) ?? 0;
    // The mock paces ≥ 9 events 40 ms apart: a buffering proxy would deliver everything at once.
    expect(last - first).toBeGreaterThan(200);
  });
});
