/**
 * Streaming time-to-first-byte over a raw TCP socket: one keep-alive connection, a hand-written
 * HTTP/1.1 request, and the clock read in the first 'data' callbacks. No HTTP client sits in
 * between, so the figure is the target's, not the client library's.
 */
import { connect, type Socket } from 'node:net';
import { HttpResponseScanner } from './http-scanner.js';
import { median } from './stats.js';

export interface TtfbOptions {
  host: string;
  port: number;
  path: string;
  /** Extra request headers (Host, Content-Type, Content-Length are added). */
  headers: Readonly<Record<string, string>>;
  /** JSON body; should ask for `stream: true`. */
  body: string;
  samples: number;
  /** Requests sent and discarded first, so JIT warm-up and pool set-up are not measured. */
  warmup: number;
  timeoutMs?: number;
}

export interface TtfbResult {
  /** Per sample: ms from writing the request to the first response byte (status line). */
  firstByteMs: number[];
  /** Per sample: ms to the first body byte — the first streamed event the user sees. */
  firstBodyMs: number[];
  medianFirstByteMs: number;
  medianFirstBodyMs: number;
}

/** The target answered something other than a 200 event stream. */
export class TtfbError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TtfbError';
  }
}

/**
 * The request bytes for `options` (exported for tests).
 *
 * @example
 * socket.write(rawRequest({ host: '127.0.0.1', port: 8080, path: '/v1/chat/completions', headers: {}, body: '{}' }));
 */
export function rawRequest(
  options: Pick<TtfbOptions, 'host' | 'port' | 'path' | 'headers' | 'body'>,
): Buffer {
  const body = Buffer.from(options.body, 'utf8');
  const head = [
    `POST ${options.path} HTTP/1.1`,
    `Host: ${options.host}:${options.port}`,
    'Content-Type: application/json',
    `Content-Length: ${body.length}`,
    ...Object.entries(options.headers).map(([name, value]) => `${name}: ${value}`),
    '',
    '',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

interface Sample {
  firstByteMs: number;
  firstBodyMs: number;
  status: number;
  contentType: string;
  body: Buffer;
}

function once(socket: Socket, request: Buffer, timeoutMs: number): Promise<Sample> {
  return new Promise<Sample>((resolve, reject) => {
    const scanner = new HttpResponseScanner();
    let firstByteMs = -1;
    let firstBodyMs = -1;
    const timer = setTimeout(
      () => finish(new TtfbError(`no complete response within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer): void => {
      const now = performance.now();
      if (firstByteMs < 0) firstByteMs = now - started;
      try {
        const done = scanner.push(chunk);
        if (firstBodyMs < 0 && scanner.bodyBytes > 0) firstBodyMs = now - started;
        if (done) finish();
      } catch (error) {
        finish(error instanceof Error ? error : new TtfbError(String(error)));
      }
    };
    const onClose = (): void => finish(new TtfbError('connection closed before the response ended'));
    const onError = (error: Error): void => finish(error);
    function finish(error?: Error): void {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onError);
      if (error !== undefined) reject(error);
      else
        resolve({
          firstByteMs,
          firstBodyMs,
          status: scanner.status,
          contentType: scanner.headers.get('content-type') ?? '',
          body: scanner.body,
        });
    }
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.once('error', onError);
    const started = performance.now();
    socket.write(request);
  });
}

function open(host: string, port: number): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const socket = connect({ host, port, noDelay: true });
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/**
 * Measures streaming TTFB: `warmup` discarded requests, then `samples` timed ones, one at a time
 * on one keep-alive connection. Every response must be a 200 `text/event-stream`.
 *
 * @example
 * const r = await measureTtfb({ host: '127.0.0.1', port: 9000, path: '/v1/chat/completions',
 *   headers: {}, body: JSON.stringify({ model: 'mock-small', stream: true, messages }), samples: 200, warmup: 50 });
 * console.log(r.medianFirstBodyMs);
 */
export async function measureTtfb(options: TtfbOptions): Promise<TtfbResult> {
  if (options.samples < 1) throw new RangeError('samples must be at least 1');
  const request = rawRequest(options);
  const timeoutMs = options.timeoutMs ?? 5000;
  const socket = await open(options.host, options.port);
  const firstByteMs: number[] = [];
  const firstBodyMs: number[] = [];
  try {
    for (let i = 0; i < options.warmup + options.samples; i++) {
      const sample = await once(socket, request, timeoutMs);
      if (sample.status !== 200 || !sample.contentType.startsWith('text/event-stream')) {
        const excerpt = sample.body.subarray(0, 200).toString('utf8');
        throw new TtfbError(
          `expected a 200 text/event-stream, got ${sample.status} ${sample.contentType || '(no content-type)'}: ${excerpt}`,
        );
      }
      if (i < options.warmup) continue;
      firstByteMs.push(sample.firstByteMs);
      firstBodyMs.push(sample.firstBodyMs);
    }
  } finally {
    socket.destroy();
  }
  return {
    firstByteMs,
    firstBodyMs,
    medianFirstByteMs: median(firstByteMs),
    medianFirstBodyMs: median(firstBodyMs),
  };
}
