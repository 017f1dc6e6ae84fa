/**
 * Holds finished exchanges for a few milliseconds and hands them to the real sink together.
 * The exchange log writes each batch it is given in one SQLite transaction; fed one event at a
 * time, a single client's back-to-back requests each paid a transaction between requests (the
 * largest cost at one connection when profiled). Bounded: a full buffer is forwarded at once.
 */
import type { ExchangeEvent } from '../contract/types.js';
import type { ExchangeSink } from './ports.js';

export interface BatchingSinkOptions {
  /** How long the first buffered event waits for company. */
  delayMs: number;
  /** Forward at once when this many are buffered. */
  maxBuffered?: number;
  /** Called for each event the inner sink refused (its queue was full). */
  onDrop?: () => void;
}

/**
 * Wraps `inner` so offers are forwarded in batches.
 *
 * @example
 * const sink = batchingSink(createExchangeLog({ store, bus }), { delayMs: 10 });
 * sink.offer(event); // forwarded within 10 ms, together with its neighbours
 */
export function batchingSink(inner: ExchangeSink, options: BatchingSinkOptions): ExchangeSink {
  const maxBuffered = options.maxBuffered ?? 1000;
  let buffer: ExchangeEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  const forward = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const batch = buffer;
    buffer = [];
    for (const event of batch) if (!inner.offer(event)) options.onDrop?.();
  };
  return {
    offer(event) {
      buffer.push(event);
      if (buffer.length >= maxBuffered) forward();
      else if (timer === undefined) {
        timer = setTimeout(forward, options.delayMs);
        // Pending events must not keep a finished process alive; drain() forwards them.
        timer.unref();
      }
      return true;
    },
    async drain() {
      forward();
      await inner.drain();
    },
  };
}
