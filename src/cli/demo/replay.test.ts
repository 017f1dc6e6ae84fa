import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { ExchangeEvent } from '../../contract/types.js';
import { REPLAY_LOW_HEADER, REPLAY_TS_HEADER } from '../../gateway/proxy/chat.js';
import { replay } from './replay.js';

const event = (id: string, ts: string): ExchangeEvent =>
  ({
    id,
    ts,
    account_id: 'acct_1',
    api: 'openai.chat',
    model: 'm',
    client: { ip: '203.0.113.7' },
    request: { messages: [{ role: 'user', content: 'hi' }] },
  }) as unknown as ExchangeEvent;

async function* each(events: ExchangeEvent[]): AsyncIterable<ExchangeEvent> {
  yield* events;
}

describe('replay', () => {
  it('states with each request the oldest recorded time it still has in flight', async () => {
    // The first request is held until the third arrives: the second and third must say the
    // first is still on its way, so a gateway's watermark does not pass it.
    const seen: IncomingHttpHeaders[] = [];
    let releaseFirst: (() => void) | undefined;
    const server = createServer((req, res) => {
      seen.push(req.headers);
      req.resume();
      const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      if (seen.length === 1) releaseFirst = answer;
      else answer();
      if (seen.length === 3) releaseFirst?.();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const statuses: number[] = [];
    await replay({
      url,
      events: each([
        event('e1', '2026-03-01T00:00:01.000Z'),
        event('e2', '2026-03-01T00:00:02.000Z'),
        event('e3', '2026-03-01T00:00:03.000Z'),
      ]),
      secrets: new Map([['acct_1', 'dg_secret']]),
      concurrency: 3,
      onResult: (r) => statuses.push(r.status),
    });
    server.close();
    expect(statuses).toEqual([200, 200, 200]);
    const byTs = new Map(seen.map((h) => [h[REPLAY_TS_HEADER], h[REPLAY_LOW_HEADER]]));
    expect(byTs.get('2026-03-01T00:00:01.000Z')).toBe('2026-03-01T00:00:01.000Z');
    expect(byTs.get('2026-03-01T00:00:02.000Z')).toBe('2026-03-01T00:00:01.000Z');
    expect(byTs.get('2026-03-01T00:00:03.000Z')).toBe('2026-03-01T00:00:01.000Z');
  });
});
