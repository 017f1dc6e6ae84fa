/**
 * The gateway's event-time watermark for the scale-out campaign stage: a time W such that every
 * exchange event this gateway has not yet handed to the bus — requests still in flight, events
 * waiting in the log's batch, and requests not yet received — has `ts >= W`. Each event and
 * each idle heartbeat carries it, so the campaign stage can merge several gateways' streams in
 * event-time order (src/bus/event-time-order.ts) instead of arrival order.
 *
 * An exchange's ts is taken when its request starts, but its event is published when it ends
 * (and after the log's batching delay), so a gateway's publish order is not ts order; tracking
 * the unpublished ones is what makes W safe. New requests get ts >= W because live ts is the
 * clock (monotonic enough) and a replayer states, with each request, the oldest ts it still has
 * in flight: with several requests in flight they can reach the gateway out of ts order, so the
 * latest ts begun is no bound for the ones still on the way.
 */
import type { ExchangeEvent } from '../contract/types.js';

/** One exchange from request start until its event reaches the bus (or it ends without one). */
export interface ExchangeTime {
  /** The request is over; `event` is what it logged, if anything. */
  end(event?: ExchangeEvent): void;
}

export interface EventTimeTracker {
  /**
   * A request whose exchange ts is `tsMs` starts. `replayLowMs` (replay only): the replayer's
   * oldest ts still in flight when it sent this request — every request it has not yet got to
   * the gateway has ts >= it. Without it, `tsMs` (a replayer with one request in flight).
   */
  begin(tsMs: number, replayLowMs?: number): ExchangeTime;
  /** The bus takes `event` (call after reading `low()` for it). */
  published(event: ExchangeEvent): void;
  /** The watermark now, in ms since the epoch. */
  low(): number;
  /** Exchanges begun and not yet published or ended without an event. */
  readonly open: number;
}

/**
 * Creates a tracker. `replay`: ts come from the replay header (demo, tests), so the bound for
 * requests not yet received is the highest replay low stated so far, not the clock.
 *
 * @example
 * const tracker = createEventTimeTracker({ replay: false });
 * const t = tracker.begin(Date.now());
 * // … event logged …
 * t.end(event); bus.publish(event); // the bus reads tracker.low() then calls tracker.published(event)
 */
export function createEventTimeTracker(opts: { replay: boolean; now?: () => number }): EventTimeTracker {
  const now = opts.now ?? Date.now;
  const open = new Map<number, number>();
  const byEvent = new Map<ExchangeEvent, number>();
  // Published before its request's end() ran (a full batch forwarded synchronously).
  const publishedEarly = new WeakSet<ExchangeEvent>();
  let nextId = 0;
  let replayLow = 0;
  let min = Number.POSITIVE_INFINITY;
  let minStale = false;

  const remove = (id: number) => {
    const ts = open.get(id);
    if (ts === undefined) return;
    open.delete(id);
    if (ts <= min) minStale = true;
  };
  return {
    begin(tsMs, replayLowMs) {
      const id = nextId++;
      open.set(id, tsMs);
      const low = replayLowMs ?? tsMs;
      if (low > replayLow) replayLow = low;
      if (tsMs < min) min = tsMs;
      return {
        end(event) {
          if (event === undefined || publishedEarly.has(event)) remove(id);
          else byEvent.set(event, id);
        },
      };
    },
    published(event) {
      const id = byEvent.get(event);
      if (id === undefined) {
        publishedEarly.add(event);
        return;
      }
      byEvent.delete(event);
      remove(id);
    },
    low() {
      if (minStale) {
        // Exchanges mostly finish in ts order, so the oldest leaves first; a rescan of the
        // open ones (in-flight plus one log batch) is cheap.
        min = Number.POSITIVE_INFINITY;
        for (const ts of open.values()) if (ts < min) min = ts;
        minStale = false;
      }
      const future = opts.replay ? replayLow : now();
      return Math.min(min, future);
    },
    get open() {
      return open.size;
    },
  };
}
