/**
 * The embedded EventBus: a bounded in-memory queue delivered to subscribers on a later tick, in
 * batches, so publishing from the request path costs an array push and the detector's work
 * never runs inside a request. When the queue is full, new events are dropped and counted
 * rather than growing memory without bound or slowing the gateway.
 */
import type { ExchangeEvent } from '../contract/types.js';
import type { EventBus } from './types.js';

export interface InProcessBusOptions {
  /** Events held before publish starts dropping (default 100 000). */
  capacity?: number;
  /** Events delivered per tick before yielding to I/O (default 256). */
  batch?: number;
  /**
   * Wait this long after the first queued event before delivering (default 0: next tick). A few
   * milliseconds batch the detector's work instead of running it between every two requests,
   * which is what a single client's back-to-back requests feel as added latency.
   */
  delayMs?: number;
  /** Called when a subscriber throws; the event still goes to the other subscribers. */
  onError?: (error: unknown, event: ExchangeEvent) => void;
}

export interface InProcessBus extends EventBus {
  readonly stats: {
    readonly published: number;
    readonly delivered: number;
    readonly dropped: number;
    readonly queued: number;
  };
}

/**
 * Creates the in-process bus.
 *
 * @example
 * const bus = createInProcessBus({ capacity: 10_000 });
 * bus.subscribe((event) => detector.process(event));
 * bus.publish(event); // returns at once; delivered on a later tick
 * await bus.close();
 */
export function createInProcessBus(options: InProcessBusOptions = {}): InProcessBus {
  const capacity = options.capacity ?? 100_000;
  const batch = options.batch ?? 256;
  const handlers = new Set<(event: ExchangeEvent) => void>();
  // A ring buffer: shifting a large array on every delivery would be O(n).
  const ring: Array<ExchangeEvent | undefined> = new Array(capacity);
  let head = 0;
  let size = 0;
  const delayMs = options.delayMs ?? 0;
  let scheduled = false;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let idle: (() => void) | undefined;
  const stats = { published: 0, delivered: 0, dropped: 0 };

  const deliver = () => {
    scheduled = false;
    timer = undefined;
    let n = 0;
    while (size > 0 && n < batch) {
      const event = ring[head] as ExchangeEvent;
      ring[head] = undefined;
      head = (head + 1) % capacity;
      size--;
      n++;
      for (const handler of handlers) {
        try {
          handler(event);
        } catch (error) {
          options.onError?.(error, event);
        }
      }
      stats.delivered++;
    }
    // The rest of a long queue goes on the next turn: I/O gets a chance in between.
    if (size > 0) {
      scheduled = true;
      setImmediate(deliver);
    } else idle?.();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    if (delayMs > 0 && !closed) {
      timer = setTimeout(deliver, delayMs);
      // A pending batch must not keep an otherwise finished process alive; close() flushes it.
      timer.unref();
    } else setImmediate(deliver);
  };

  return {
    publish(event) {
      if (closed || size >= capacity) {
        stats.dropped++;
        return;
      }
      ring[(head + size) % capacity] = event;
      size++;
      stats.published++;
      schedule();
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => {
        handlers.delete(handler);
      };
    },
    close() {
      closed = true;
      if (size === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        idle = resolve;
        if (timer !== undefined) {
          clearTimeout(timer);
          timer = undefined;
          scheduled = false;
        }
        schedule();
      });
    },
    stats: {
      get published() {
        return stats.published;
      },
      get delivered() {
        return stats.delivered;
      },
      get dropped() {
        return stats.dropped;
      },
      get queued() {
        return size;
      },
    },
  };
}
