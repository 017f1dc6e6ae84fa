/**
 * A cancellation token undici accepts as a request `signal` (it takes any EventEmitter with an
 * `aborted` flag). Creating an AbortController costs 5–10 µs in Node 20 (EventTarget and WebIDL
 * machinery) against ~0.1 µs for an EventEmitter, and the gateway needs one per request.
 */
import { EventEmitter } from 'node:events';

export class Cancellation extends EventEmitter {
  aborted = false;

  /** Cancels once; later calls do nothing. */
  cancel(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.emit('abort');
  }
}

/**
 * Waits `ms`, or less if `cancellation` fires first.
 *
 * @example
 * await sleepUnlessCancelled(100, cancellation);
 * if (cancellation.aborted) return;
 */
export function sleepUnlessCancelled(ms: number, cancellation: Cancellation): Promise<void> {
  if (cancellation.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      cancellation.off('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    cancellation.once('abort', done);
  });
}
