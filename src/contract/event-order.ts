/**
 * Puts exchange events read from a log back into ts order within a bounded window. A gateway
 * writes an exchange when it ends but stamps it with the time its request started, and logs
 * merged from several replicas interleave by a few seconds, so a real log is sorted only roughly;
 * analysis is online and needs ts order. Events are held in a min-heap on (ts, read order) until
 * the latest ts seen is `windowMs` past them (or more than `maxHeld` are held), then released: a
 * sorted input comes out exactly as it went in, equal timestamps keep file order, and an event
 * later than the window is rejected with its line rather than reordering what was already
 * released.
 */
import { parseTimestamp } from './date-time.js';
import { MinHeap } from './min-heap.js';
import type { ExchangeEvent } from './types.js';

/** Out of order by this much (event time) is put right by default: long streamed requests end minutes after they start. */
export const DEFAULT_REORDER_WINDOW_MS = 10 * 60_000;
/** Most events held at once by default, so memory stays bounded on a busy log (~50 s at 1,000 req/s). */
export const DEFAULT_MAX_HELD = 50_000;

export interface EventOrderOptions {
  /** How far (ms of event time) an event may come after later ones and still be put in order; 0 = the input must be sorted. */
  windowMs?: number;
  /** Most events held; beyond it the oldest is released even inside the window. */
  maxHeld?: number;
  /** Called for an event too far out of order, with the line it came from and why; the event is dropped. */
  reject: (line: number, what: string) => void;
}

export interface EventOrder {
  /** Takes the next valid event in file order (with its line); appends what may now go on to `out`. */
  push(event: ExchangeEvent, line: number, out: ExchangeEvent[]): void;
  /** At the end of the input: appends everything still held, in order. */
  end(out: ExchangeEvent[]): void;
}

interface Held {
  ms: number;
  seq: number;
  event: ExchangeEvent;
}

const before = (a: Held, b: Held): boolean => a.ms < b.ms || (a.ms === b.ms && a.seq < b.seq);

function formatWindow(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}

/**
 * Creates the reorder stage.
 *
 * @example
 * const order = createEventOrder({ windowMs: 600_000, reject: (line, why) => warn(`log:${line}: ${why}`) });
 * const out: ExchangeEvent[] = [];
 * order.push(e2, 1, out); order.push(e1, 2, out); order.end(out); // out: [e1, e2]
 */
export function createEventOrder(opts: EventOrderOptions): EventOrder {
  const windowMs = opts.windowMs ?? DEFAULT_REORDER_WINDOW_MS;
  const maxHeld = Math.max(1, opts.maxHeld ?? DEFAULT_MAX_HELD);
  const heap = new MinHeap<Held>(before);
  let seq = 0;
  let latest = Number.NEGATIVE_INFINITY;
  let releasedMs = Number.NEGATIVE_INFINITY;
  let releasedTs = '';

  const release = (h: Held, out: ExchangeEvent[]): void => {
    releasedMs = h.ms;
    releasedTs = h.event.ts;
    out.push(h.event);
  };

  return {
    push(event, line, out) {
      const ms = parseTimestamp(event.ts);
      if (ms < releasedMs) {
        opts.reject(
          line,
          windowMs === 0
            ? `ts ${event.ts} is earlier than the previous event's ts ${releasedTs}; analysis needs events sorted by ts`
            : `ts ${event.ts} is more than ${formatWindow(windowMs)} out of order (events up to ${releasedTs} were already analysed); sort the events by ts or widen the reorder window`,
        );
        return;
      }
      if (ms > latest) latest = ms;
      const h: Held = { ms, seq: seq++, event };
      // Sorted input with nothing held (window 0): straight through.
      if (heap.size === 0 && ms <= latest - windowMs) {
        release(h, out);
        return;
      }
      heap.push(h);
      const due = latest - windowMs;
      for (
        let top = heap.peek();
        top !== undefined && (top.ms <= due || heap.size > maxHeld);
        top = heap.peek()
      ) {
        release(heap.pop() as Held, out);
      }
    },
    end(out) {
      for (let h = heap.pop(); h !== undefined; h = heap.pop()) release(h, out);
    },
  };
}
