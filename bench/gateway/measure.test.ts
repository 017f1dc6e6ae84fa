import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkTarget, pairedRatio, summarizeRuns, type TargetRuns } from './measure.js';
import { CHAT_PATH } from './targets.js';
import type { WrkResult } from './wrk.js';

function wrk(rps: number, p50Ms: number, p99Ms: number, errors = 0): WrkResult {
  return {
    requests: rps * 5,
    seconds: 5,
    requestsPerSec: rps,
    latency: { p50Ms, p75Ms: p50Ms, p90Ms: p99Ms, p99Ms },
    non2xx: errors,
    socketErrors: { connect: 0, read: 0, write: 0, timeout: errors > 0 ? 1 : 0 },
  };
}

describe('summarizeRuns', () => {
  it('takes medians over rounds, pools TTFB samples and adds up errors', () => {
    const runs: TargetRuns = {
      name: 'nginx',
      latency: [wrk(5000, 0.2, 1), wrk(5000, 0.9, 40), wrk(5000, 0.3, 2)],
      load: {
        16: [wrk(12_000, 1, 5), wrk(3_000, 1, 5), wrk(11_000, 1, 5)],
        64: [wrk(10_000, 5, 20, 2), wrk(9_000, 5, 20)],
      },
      ttfb: [
        {
          firstByteMs: [0.1, 0.2],
          firstBodyMs: [0.3, 0.4],
          medianFirstByteMs: 0.15,
          medianFirstBodyMs: 0.35,
        },
        { firstByteMs: [0.3], firstBodyMs: [9], medianFirstByteMs: 0.3, medianFirstBodyMs: 9 },
      ],
      memory: { peakMb: 14, currentMb: 12 },
    };
    expect(summarizeRuns(runs)).toEqual({
      name: 'nginx',
      p50Ms: 0.3,
      p99Ms: 2,
      requestsPerSec: { 16: 11_000, 64: 9_500 },
      ttfbFirstByteMs: 0.2,
      ttfbFirstEventMs: 0.4,
      peakRssMb: 14,
      errors: 3,
    });
  });
});

describe('checkTarget', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  async function answer(status: number, body: string, seen: string[] = []): Promise<number> {
    server = createServer((req, res) => {
      seen.push(String(req.headers.authorization));
      req.resume();
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  it('accepts a chat completion and sends the target’s headers', async () => {
    const seen: string[] = [];
    const port = await answer(200, '{"choices":[]}', seen);
    await checkTarget({
      name: 'distillguard',
      port,
      path: CHAT_PATH,
      headers: { Authorization: 'Bearer k' },
    });
    expect(seen).toEqual(['Bearer k']);
  });

  it('refuses an error answer, quoting it', async () => {
    const port = await answer(401, '{"error":{"message":"invalid api key"}}');
    await expect(checkTarget({ name: 'distillguard', port, path: CHAT_PATH, headers: {} })).rejects.toThrow(
      /distillguard answered 401 to a chat request: .*invalid api key/,
    );
  });
});

describe('pairedRatio', () => {
  const runs = (name: TargetRuns['name'], rates16: number[]): TargetRuns => ({
    name,
    latency: [],
    load: { 16: rates16.map((r) => wrk(r, 1, 1)), 64: [] },
    ttfb: [],
    memory: undefined,
  });

  it('pairs rounds before taking the median', () => {
    // Round 2 ran while the machine was busy: both slowed, the ratio held.
    const dg = runs('distillguard', [4000, 1000, 4400]);
    const nginx = runs('nginx', [10_000, 2_500, 11_000]);
    expect(pairedRatio(dg, nginx, 16)).toBeCloseTo(0.4);
  });

  it('refuses to pair nothing', () => {
    expect(() => pairedRatio(runs('distillguard', [1]), runs('nginx', [1]), 64)).toThrow(
      /no 64-connection rounds/,
    );
  });
});
