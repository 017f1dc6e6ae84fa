/**
 * Puts exchange events read from a log back into ts order within a bounded window. A gateway
 * writes an exchange when it ends but stamps it with the time its request started, and logs
 * merged from several replicas interleave by a few seconds, so a real log is sorted only roughly;
 * analysis is online and takes events in ts order. Events are held in (ts, read order) order
 * until the latest ts seen is `windowMs` past them (or more than `maxHeld` are held), then
 * released: a sorted input comes out exactly as it went in and equal timestamps keep file order.
 * An event behind what was already released is let through at once and counted as late — what
 * the live gateway's detector and the scale-out campaign stage do with a late event — never
 * dropped: it is good data, only late.
 */
import { parseTimestamp } from './date-time.js';
import type { ExchangeEvent } from './types.js';

/** Out of order by this much (event time) is put right by default: long streamed requests end minutes after they start. */
export const DEFAULT_REORDER_WINDOW_MS = 10 * 60_000;
/**
 * Most events held at once by default. Held events outlive young-generation collections, so deep
 * holding is not free on a dense log: reading 40 events/s of ~1 KB prompts (bench/reorder-hold.ts)
 * with 1,000 held took 1.01× the time with none, with 4,000 1.24× and 16,000 1.36× (promotions).
 */
export const DEFAULT_MAX_HELD = 1_000;
/**
 * Most events held until one arrives behind the latest seen. Most logs are sorted (simulate's,
 * `export`'s), and holding costs them young-generation copies for nothing: in `analyze` on a
 * sorted log of 40 events/s, 1,000 held spent ~1.1 µs per event more in scavenges than none, about
 * 6 % of the whole run. The first event out of order lifts the limit to `maxHeld` for good; one
 * that comes more than this many events late before that is let through as late.
 */
export const SORTED_LOG_HOLD = 32;

export interface EventOrderOptions {
  /** How far (ms of event time) an event may come after later ones and still be put in order; 0 = nothing held: file order, anything behind an earlier event counted late. */
  windowMs?: number;
  /** Most events held (once the log has shown one out of order; `SORTED_LOG_HOLD` before); beyond it the oldest is released even inside the window. */
  maxHeld?: number;
  /** Called for each event let through late (behind what was already released), with its line. */
  late?: (line: number) => void;
}

export interface EventOrder {
  /** Takes the next valid event in file order (with its line); appends what may now go on to `out`. */
  push(event: ExchangeEvent, line: number, out: ExchangeEvent[]): void;
  /** At the end of the input: appends everything still held, in order. */
  end(out: ExchangeEvent[]): void;
}

/**
 * Creates the reorder stage.
 *
 * @example
 * const order = createEventOrder({ windowMs: 600_000 });
 * const out: ExchangeEvent[] = [];
 * order.push(e2, 1, out); order.push(e1, 2, out); order.end(out); // out: [e1, e2]
 */
export function createEventOrder(opts: EventOrderOptions): EventOrder {
  const windowMs = opts.windowMs ?? DEFAULT_REORDER_WINDOW_MS;
  const maxHeld = Math.max(1, opts.maxHeld ?? DEFAULT_MAX_HELD);
  let limit = Math.min(maxHeld, SORTED_LOG_HOLD);
  // The held events as a sorted run (ts ascending, file order among equal ts) from `head` on: an
  // event in order, the common case, is appended and released from the front in O(1) with no
  // allocation; one out of order is inserted by binary search (rare, at most `maxHeld` moved).
  // A heap here cost ~0.8 µs per event more on sorted input (bench/reorder-hold.ts).
  let held: ExchangeEvent[] = [];
  let heldMs: number[] = [];
  let head = 0;
  let latest = Number.NEGATIVE_INFINITY;
  let releasedMs = Number.NEGATIVE_INFINITY;

  const releaseFront = (out: ExchangeEvent[]): void => {
    releasedMs = heldMs[head] as number;
    out.push(held[head] as ExchangeEvent);
    head += 1;
    if (head === held.length) {
      held = [];
      heldMs = [];
      head = 0;
    } else if (head >= 1024 && head * 2 >= held.length) {
      held = held.slice(head);
      heldMs = heldMs.slice(head);
      head = 0;
    }
  };
  const insert = (event: ExchangeEvent, ms: number): void => {
    const n = held.length;
    if (n === head || ms >= (heldMs[n - 1] as number)) {
      held.push(event);
      heldMs.push(ms);
      return;
    }
    // First held event later than `ms`: the new one goes before it, after any with the same ts.
    let lo = head;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((heldMs[mid] as number) <= ms) lo = mid + 1;
      else hi = mid;
    }
    held.splice(lo, 0, event);
    heldMs.splice(lo, 0, ms);
  };

  return {
    push(event, line, out) {
      const ms = parseTimestamp(event.ts);
      if (ms < latest) limit = maxHeld;
      if (ms < releasedMs) {
        opts.late?.(line);
        out.push(event);
        return;
      }
      if (ms > latest) latest = ms;
      const due = latest - windowMs;
      // Nothing held and nothing to wait for (window 0, or an event already a window old): through.
      if (head === held.length && ms <= due) {
        releasedMs = ms;
        out.push(event);
        return;
      }
      insert(event, ms);
      while (head < held.length && ((heldMs[head] as number) <= due || held.length - head > limit)) {
        releaseFront(out);
      }
    },
    end(out) {
      while (head < held.length) releaseFront(out);
    },
  };
}
