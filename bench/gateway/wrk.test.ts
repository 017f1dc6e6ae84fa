import { describe, expect, it } from 'vitest';
import { durationMs, luaString, parseWrkOutput, WrkOutputError, wrkLuaScript } from './wrk.js';

const REPORT = `Running 3s test @ http://127.0.0.1:19000/v1/chat/completions
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.70ms    6.30ms  89.32ms   90.72%
    Req/Sec     2.49k     1.71k    5.92k    61.67%
  Latency Distribution
     50%  136.00us
     75%    5.37ms
     90%   10.53ms
     99%    1.20s
  14961 requests in 3.05s, 7.46MB read
  Socket errors: connect 0, read 2, write 0, timeout 7
  Non-2xx or 3xx responses: 12
Requests/sec:   4898.57
Transfer/sec:      2.44MB
`;

describe('parseWrkOutput', () => {
  it('reads counts, rate, percentiles in any unit, errors and non-2xx', () => {
    const result = parseWrkOutput(REPORT);
    expect(result.requests).toBe(14961);
    expect(result.seconds).toBeCloseTo(3.05);
    expect(result.requestsPerSec).toBeCloseTo(4898.57);
    expect(result.latency.p50Ms).toBeCloseTo(0.136);
    expect(result.latency.p75Ms).toBeCloseTo(5.37);
    expect(result.latency.p90Ms).toBeCloseTo(10.53);
    expect(result.latency.p99Ms).toBeCloseTo(1200);
    expect(result.socketErrors).toEqual({ connect: 0, read: 2, write: 0, timeout: 7 });
    expect(result.non2xx).toBe(12);
  });

  it('treats absent error lines as zero', () => {
    const clean = REPORT.replace(/ {2}Socket errors.*\n/, '').replace(/ {2}Non-2xx.*\n/, '');
    const result = parseWrkOutput(clean);
    expect(result.non2xx).toBe(0);
    expect(result.socketErrors.timeout).toBe(0);
  });

  it('names what is missing when the output is not a wrk --latency report', () => {
    expect(() => parseWrkOutput('unable to connect to 127.0.0.1:1 Connection refused')).toThrow(
      WrkOutputError,
    );
    expect(() => parseWrkOutput(REPORT.replace(/ {5}99%.*\n/, ''))).toThrow(/99% latency/);
  });
});

describe('durationMs', () => {
  it('converts wrk units', () => {
    expect(durationMs('250.00us')).toBeCloseTo(0.25);
    expect(durationMs('2.5ms')).toBe(2.5);
    expect(durationMs('1.50s')).toBe(1500);
    expect(durationMs('1.00m')).toBe(60_000);
  });
  it('rejects unknown units', () => {
    expect(() => durationMs('3.0 parsecs')).toThrow(/unrecognised/);
  });
});

describe('wrkLuaScript', () => {
  it('escapes quotes, backslashes and non-ASCII as Lua decimal escapes', () => {
    expect(luaString('a"b\\c\n')).toBe('"a\\"b\\\\c\\010"');
    expect(luaString('é')).toBe('"\\195\\169"');
  });

  it('sets method, path, body and every header', () => {
    const script = wrkLuaScript({
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer k' },
      body: '{"model":"m"}',
    });
    expect(script).toContain('wrk.method = "POST"');
    expect(script).toContain('wrk.path = "/v1/chat/completions"');
    expect(script).toContain('wrk.body = "{\\"model\\":\\"m\\"}"');
    expect(script).toContain('wrk.headers["Authorization"] = "Bearer k"');
  });
});
