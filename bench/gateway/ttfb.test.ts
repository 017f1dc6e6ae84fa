import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { measureTtfb, rawRequest } from './ttfb.js';

let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A stream server whose first event comes `delayMs` after the headers. */
async function streamServer(delayMs: number, status = 200): Promise<number> {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': status === 200 ? 'text/event-stream' : 'application/json' });
      res.flushHeaders();
      setTimeout(() => {
        res.write('data: {"x":1}\n\n');
        res.end('data: [DONE]\n\n');
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('rawRequest', () => {
  it('writes a POST with a byte-exact content-length (é is 2 bytes) and the extra headers', () => {
    const text = rawRequest({
      host: 'h',
      port: 1,
      path: '/p',
      headers: { 'X-A': 'b' },
      body: '{"é":1}',
    }).toString();
    expect(text).toMatch(/^POST \/p HTTP\/1\.1\r\nHost: h:1\r\n/);
    expect(text).toContain('Content-Length: 8\r\n');
    expect(text).toContain('X-A: b\r\n\r\n{"é":1}');
  });
});

describe('measureTtfb', () => {
  it('separates headers from the first streamed event and reuses one connection', async () => {
    const port = await streamServer(20);
    let connections = 0;
    server!.on('connection', () => connections++);
    const result = await measureTtfb({
      host: '127.0.0.1',
      port,
      path: '/v1/chat/completions',
      headers: {},
      body: '{"stream":true}',
      samples: 3,
      warmup: 1,
    });
    expect(result.firstBodyMs).toHaveLength(3);
    expect(result.medianFirstBodyMs).toBeGreaterThanOrEqual(19);
    expect(result.medianFirstByteMs).toBeLessThan(result.medianFirstBodyMs);
    expect(connections).toBe(1);
  });

  it('fails clearly when the target does not stream', async () => {
    const port = await streamServer(0, 401);
    await expect(
      measureTtfb({ host: '127.0.0.1', port, path: '/', headers: {}, body: '{}', samples: 1, warmup: 0 }),
    ).rejects.toThrow(/expected a 200 text\/event-stream, got 401 application\/json/);
  });
});
