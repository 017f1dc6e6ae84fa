/**
 * One upstream HTTP request through undici's low-level `dispatch` with a small handler, instead
 * of `Pool.request`: no Readable stream or header object per response (the gateway benchmark
 * profiled `Pool.request` and its body stream at ~10 % of the gateway's CPU). The body is read
 * either whole or as an async iterator of chunks with backpressure: when the consumer falls
 * `HIGH_WATER` chunks behind, undici stops reading the socket until it catches up.
 */
import type { Dispatcher } from 'undici';
import type { Cancellation } from './cancellation.js';

const HIGH_WATER = 16;

/** An upstream response whose headers have arrived. */
export interface UpstreamResponse {
  readonly statusCode: number;
  /** First value of a response header, by lower-case name. */
  header(name: string): string | undefined;
  /** The body chunk by chunk as it arrives (one consumer). Throws if the connection breaks. */
  chunks(): AsyncGenerator<Buffer, void, undefined>;
  /** The whole body. */
  bytes(): Promise<Buffer>;
  text(): Promise<string>;
}

export interface UpstreamRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Thrown when the request was cancelled through its Cancellation. */
export class CancelledError extends Error {
  readonly code = 'DG_CANCELLED';
  constructor() {
    super('request cancelled');
    this.name = 'CancelledError';
  }
}

class Call implements UpstreamResponse {
  statusCode = 0;
  private rawHeaders: Buffer[] = [];
  private queue: Buffer[] = [];
  private ended = false;
  private failure: Error | undefined;
  private paused = false;
  private abortFn: ((error?: Error) => void) | undefined;
  private resumeFn: (() => void) | undefined;
  private waiter: (() => void) | undefined;
  private headersSeen = false;
  private readonly onCancel = () => this.abortFn?.(new CancelledError());

  constructor(
    private readonly cancellation: Cancellation,
    private readonly resolveHead: (response: UpstreamResponse) => void,
    private readonly rejectHead: (error: Error) => void,
  ) {
    cancellation.once('abort', this.onCancel);
  }

  // undici's handler callbacks (the classic interface: raw headers, no per-response wrappers).
  onConnect(abort: (error?: Error) => void): void {
    this.abortFn = abort;
    if (this.cancellation.aborted) abort(new CancelledError());
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (statusCode < 200) return true;
    this.statusCode = statusCode;
    this.rawHeaders = rawHeaders;
    this.resumeFn = resume;
    this.headersSeen = true;
    this.resolveHead(this);
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.queue.push(chunk);
    this.wake();
    if (this.queue.length >= HIGH_WATER) this.paused = true;
    return !this.paused;
  }

  onComplete(): void {
    this.ended = true;
    this.cancellation.off('abort', this.onCancel);
    this.wake();
  }

  onError(error: Error): void {
    this.cancellation.off('abort', this.onCancel);
    if (!this.headersSeen) {
      this.rejectHead(error);
      return;
    }
    this.failure = error;
    this.wake();
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }

  header(name: string): string | undefined {
    const raw = this.rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      if ((raw[i] as Buffer).toString('latin1').toLowerCase() === name)
        return (raw[i + 1] as Buffer).toString('latin1');
    }
    return undefined;
  }

  /** Lets a paused upstream socket flow again. */
  private resume(): void {
    this.paused = false;
    this.resumeFn?.();
  }

  /**
   * With the queue empty: throws the failure, returns false at the end of the body, else waits
   * for the next chunk (or the end) and returns true.
   */
  private async more(): Promise<boolean> {
    if (this.failure !== undefined) throw this.failure;
    if (this.ended) return false;
    await new Promise<void>((resolve) => {
      this.waiter = resolve;
    });
    return true;
  }

  async *chunks(): AsyncGenerator<Buffer, void, undefined> {
    for (;;) {
      const chunk = this.queue.shift();
      if (chunk !== undefined) {
        if (this.paused && this.queue.length < HIGH_WATER / 2) this.resume();
        yield chunk;
      } else if (!(await this.more())) {
        return;
      }
    }
  }

  // Not through chunks(): an async generator and a promise per chunk were ~1 KB of garbage per
  // whole (non-streamed) answer, which usually has arrived completely by the time it is read.
  async bytes(): Promise<Buffer> {
    const parts: Buffer[] = [];
    for (;;) {
      if (this.queue.length > 0) {
        for (const chunk of this.queue) parts.push(chunk);
        this.queue.length = 0;
        if (this.paused) this.resume();
      } else if (!(await this.more())) {
        break;
      }
    }
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
  }

  async text(): Promise<string> {
    return (await this.bytes()).toString('utf8');
  }
}

/**
 * Sends a POST and resolves when the response headers arrive; rejects on connect errors,
 * timeouts before the headers, or cancellation.
 *
 * @example
 * const response = await sendUpstream(pool, { path: '/v1/chat/completions', headers, body }, cancellation);
 * for await (const chunk of response.chunks()) res.write(chunk);
 */
export function sendUpstream(
  pool: Dispatcher,
  request: UpstreamRequest,
  cancellation: Cancellation,
): Promise<UpstreamResponse> {
  return new Promise((resolve, reject) => {
    if (cancellation.aborted) {
      reject(new CancelledError());
      return;
    }
    const call = new Call(cancellation, resolve, reject);
    // The classic handler interface is what undici's core calls natively (the newer one is adapted to it).
    pool.dispatch(
      { method: 'POST', path: request.path, headers: request.headers, body: request.body },
      call as Dispatcher.DispatchHandler,
    );
  });
}
