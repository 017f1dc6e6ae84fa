import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { UpstreamResponse } from '../upstream/call.js';
import { Cancellation } from '../upstream/cancellation.js';
import { relayStream, relayWhole } from './relay.js';

const EVENT = (n: number) =>
  Buffer.from(
    `data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"w${n} "},"finish_reason":null}]}\n\n`,
  );
const DONE = Buffer.from(
  'data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n',
);

/** An upstream whose whole stream has already arrived; records the socket's state as each chunk is taken. */
function queuedUpstream(chunks: Buffer[], onTake: (index: number) => void): UpstreamResponse {
  return {
    statusCode: 200,
    header: () => undefined,
    async *chunks() {
      for (let i = 0; i < chunks.length; i++) {
        onTake(i);
        yield chunks[i] as Buffer;
      }
    },
    bytes: async () => Buffer.concat(chunks),
    text: async () => Buffer.concat(chunks).toString('utf8'),
  };
}

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

describe('relayStream', () => {
  it('hands the first chunk to the socket before it works through chunks that are already queued', async () => {
    const chunks = [EVENT(1), EVENT(2), EVENT(3), DONE];
    // What was still held back in node's write buffer (corked) when the relay took each chunk.
    const heldBack: number[] = [];
    const relayed = new Promise<void>((resolve, reject) => {
      server = createServer((_req, res) => {
        const upstream = queuedUpstream(chunks, (index) => {
          if (index > 0) heldBack.push(res.socket?.writableCorked ?? -1);
        });
        relayStream(res, upstream, {
          client: 'openai',
          upstream: 'openai',
          strip: false,
          model: 'm',
          includeUsage: false,
          headers: {},
          signal: new Cancellation(),
        }).then(() => resolve(), reject);
      });
    });
    const listening = server;
    if (listening === undefined) throw new Error('the test server was not created');
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    const { port } = listening.address() as AddressInfo;
    const body = await new Promise<string>((resolve, reject) => {
      request({ host: '127.0.0.1', port, method: 'POST', path: '/' }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (part: string) => {
          text += part;
        });
        res.on('end', () => resolve(text));
      })
        .on('error', reject)
        .end();
    });
    await relayed;
    // Before: node corked the socket on the first write and uncorked on the next tick, which came
    // only after the relay had parsed every queued chunk — the first event left with the last.
    expect(heldBack[0]).toBe(0);
    expect(body).toBe(Buffer.concat(chunks).toString('utf8'));
  });
});

describe('relayWhole', () => {
  async function relayed(upstreamBody: Buffer): Promise<{ body: Buffer; length: string | undefined }> {
    server = createServer((_req, res) => {
      void relayWhole(
        res,
        queuedUpstream([upstreamBody], () => {}),
        {
          client: 'openai',
          upstream: 'openai',
          strip: false,
          model: 'm',
          includeUsage: false,
          headers: { 'x-test': '1' },
          signal: new Cancellation(),
        },
      );
    });
    const listening = server;
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    const { port } = listening.address() as AddressInfo;
    return new Promise((resolve, reject) => {
      request({ host: '127.0.0.1', port, method: 'POST', path: '/' }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (part: Buffer) => parts.push(part));
        res.on('end', () => resolve({ body: Buffer.concat(parts), length: res.headers['content-length'] }));
      })
        .on('error', reject)
        .end();
    });
  }

  it('passes the upstream bytes through unchanged, multi-byte UTF-8 included', async () => {
    const upstream = Buffer.from(`{"choices":[{"message":{"content":"héllo – 世界 🙂"}}]}`);
    const { body, length } = await relayed(upstream);
    expect(body.equals(upstream)).toBe(true);
    expect(length).toBe(String(upstream.length));
  });

  it('passes bytes that are not valid UTF-8 through unchanged too', async () => {
    const upstream = Buffer.concat([
      Buffer.from('{"choices":[{"message":{"content":"a'),
      Buffer.from([0xff, 0xc0, 0x80]),
      Buffer.from('b"}}]}'),
    ]);
    const { body, length } = await relayed(upstream);
    expect(body.equals(upstream)).toBe(true);
    expect(length).toBe(String(upstream.length));
  });
});
