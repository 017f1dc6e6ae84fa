/**
 * Drives `wrk` (the Debian package): writes the Lua script that turns its GETs into our POST,
 * runs it, and parses its text report. wrk, not autocannon: on 2 shared cores autocannon
 * saturates first and reports whole milliseconds only (../../../shared/BENCH-NOTES.md).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The one request every wrk connection repeats. */
export interface WrkRequest {
  method: string;
  path: string;
  headers: Readonly<Record<string, string>>;
  body: string;
}

export interface WrkLatency {
  p50Ms: number;
  p75Ms: number;
  p90Ms: number;
  p99Ms: number;
}

export interface WrkResult {
  requests: number;
  seconds: number;
  requestsPerSec: number;
  latency: WrkLatency;
  /** Responses outside 2xx/3xx: a target answering errors fast must not look fast. */
  non2xx: number;
  socketErrors: { connect: number; read: number; write: number; timeout: number };
}

/** wrk's output did not have the shape this parser knows. */
export class WrkOutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WrkOutputError';
  }
}

/**
 * A Lua string literal for any JS string: LuaJIT (wrk's Lua) knows no \u escapes, so every
 * byte outside printable ASCII becomes a decimal \ddd escape of its UTF-8 encoding.
 *
 * @example
 * luaString('say "hi"\n'); // '"say \\"hi\\"\\010"'
 */
export function luaString(value: string): string {
  let out = '"';
  for (const byte of Buffer.from(value, 'utf8')) {
    if (byte === 0x22) out += '\\"';
    else if (byte === 0x5c) out += '\\\\';
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\${byte.toString().padStart(3, '0')}`;
  }
  return `${out}"`;
}

/**
 * The Lua script that makes wrk send `request` on every connection.
 *
 * @example
 * writeFileSync(path, wrkLuaScript({ method: 'POST', path: '/v1/chat/completions',
 *   headers: { 'Content-Type': 'application/json' }, body: '{"model":"m"}' }));
 */
export function wrkLuaScript(request: WrkRequest): string {
  const lines = [
    `wrk.method = ${luaString(request.method)}`,
    `wrk.path = ${luaString(request.path)}`,
    `wrk.body = ${luaString(request.body)}`,
  ];
  for (const [name, value] of Object.entries(request.headers)) {
    lines.push(`wrk.headers[${luaString(name)}] = ${luaString(value)}`);
  }
  return `${lines.join('\n')}\n`;
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A wrk duration such as `136.00us`, `2.27ms`, `1.01s` or `1.00m`, in milliseconds.
 *
 * @example
 * durationMs('136.00us'); // 0.136
 */
export function durationMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m|h)$/.exec(text.trim());
  if (match === null) throw new WrkOutputError(`unrecognised wrk duration "${text}"`);
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

function requireMatch(text: string, pattern: RegExp, what: string): RegExpExecArray {
  const match = pattern.exec(text);
  if (match === null) {
    const excerpt = text.trim().split('\n').slice(0, 6).join(' | ');
    throw new WrkOutputError(`wrk output has no ${what} (got: ${excerpt})`);
  }
  return match;
}

/**
 * Parses the report of `wrk --latency`.
 *
 * @example
 * const result = parseWrkOutput(stdout);
 * console.log(result.requestsPerSec, result.latency.p99Ms);
 */
export function parseWrkOutput(text: string): WrkResult {
  const total = requireMatch(text, /(\d+) requests in ([\d.]+(?:us|ms|s|m|h)),/, 'request count');
  const rate = requireMatch(text, /Requests\/sec:\s+([\d.]+)/, 'Requests/sec line');
  const percent = (p: number): number =>
    durationMs(requireMatch(text, new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm'), `${p}% latency`)[1]!);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(text);
  return {
    requests: Number(total[1]),
    seconds: durationMs(total[2]!) / 1000,
    requestsPerSec: Number(rate[1]),
    latency: { p50Ms: percent(50), p75Ms: percent(75), p90Ms: percent(90), p99Ms: percent(99) },
    non2xx: non2xx === null ? 0 : Number(non2xx[1]),
    socketErrors: {
      connect: socket === null ? 0 : Number(socket[1]),
      read: socket === null ? 0 : Number(socket[2]),
      write: socket === null ? 0 : Number(socket[3]),
      timeout: socket === null ? 0 : Number(socket[4]),
    },
  };
}

export interface WrkRun {
  /** Base URL of the target, e.g. `http://127.0.0.1:8080` (the script sets the path). */
  url: string;
  /** Path of the Lua script written with wrkLuaScript. */
  script: string;
  connections: number;
  threads: number;
  durationSec: number;
  /** Per-request timeout, so a stuck target shows up as timeouts instead of a hung run. */
  timeoutSec?: number;
}

/**
 * Runs wrk once with `--latency` and returns its parsed report.
 *
 * @example
 * const r = await runWrk({ url: 'http://127.0.0.1:9000', script, connections: 16, threads: 1, durationSec: 5 });
 */
export async function runWrk(options: WrkRun): Promise<WrkResult> {
  const args = [
    `-t${Math.min(options.threads, options.connections)}`,
    `-c${options.connections}`,
    `-d${options.durationSec}s`,
    `--timeout`,
    `${options.timeoutSec ?? 5}s`,
    '--latency',
    '-s',
    options.script,
    options.url,
  ];
  const { stdout } = await run('wrk', args, { timeout: (options.durationSec + 30) * 1000 });
  return parseWrkOutput(stdout);
}
