/**
 * Event-time ordering for the campaign stage. Several gateways publish to the events stream at
 * once, so stream order interleaves them by arrival, which is not the ts order `analyze` sees.
 * Each gateway stamps its events (and idle heartbeats) with a watermark W — every event it has
 * not yet published has ts >= W (src/gateway/event-time.ts) — so an event can be processed once
 * every publisher's watermark is past its ts: nothing earlier can still arrive. Held events are
 * released in (ts, event id) order; the id breaks ties between simultaneous events so the order
 * is total and the same on every run.
 *
 * Bounded lateness, in event time (never the stage's wall clock, so a replay of the stream
 * after a restart decides exactly as the live run did): a publisher whose watermark lags the
 * most advanced one by more than `maxLatenessMs` (crashed without saying goodbye, or holding a
 * very long request) is not waited for; an event that then arrives behind what was already
 * released is processed at once and counted as late. A publisher that says it is leaving is
 * forgotten at once. Accounts and events without a publisher (e.g. a single ts-ordered feed)
 * pass straight through in stream order.
 */
import { MinHeap } from '../contract/min-heap.js';
import type { FeatureMessage } from './feature-worker.js';

type EventMessage = Extract<FeatureMessage, { kind: 'event' }>;
/** What the stage applies: everything but watermarks, which only move the order along. */
export type OrderedMessage = Exclude<FeatureMessage, { kind: 'watermark' }>;

export interface EventTimeOrderOptions {
  apply: (m: OrderedMessage) => void;
  /** How far (event time, ms) the slowest publisher may lag the fastest before it is not waited for. */
  maxLatenessMs: number;
  /** State from a checkpoint (`state()`), so a restored stage waits for the same publishers. */
  restore?: EventTimeState;
  log?: (line: string) => void;
}

/** What a checkpoint keeps of the order: held events are not in it (they are re-read from the stream). */
export interface EventTimeState {
  /** Publisher → watermark (ms). */
  publishers: Array<[string, number]>;
  /** (ts, event id) of the last event released, if any. */
  released?: [number, string];
}

export interface EventTimeOrder {
  /**
   * The next message in events-stream order; applies whatever may be processed now. `from`: the
   * features-stream sequence it came in, so a checkpoint knows where to resume reading to see it again.
   */
  push(m: FeatureMessage, from?: number): void;
  /** Lowest events-stream sequence still held (Infinity when none): the checkpoint must not pass it. */
  lowestHeldSeq(): number;
  /** Lowest features-stream sequence a held event came in (Infinity when none). */
  lowestHeldFrom(): number;
  /** The publishers' watermarks and the release point, for a checkpoint. */
  state(): EventTimeState;
  readonly stats: {
    /** Events waiting for other publishers' watermarks. */
    readonly held: number;
    /** Events that arrived behind what was already released (processed at once). */
    readonly late: number;
    /** Publishers currently waited for. */
    readonly publishers: number;
  };
}

interface Held {
  ts: number;
  id: string;
  m: EventMessage;
  from: number;
}

const before = (a: Pick<Held, 'ts' | 'id'>, b: Pick<Held, 'ts' | 'id'>): boolean =>
  a.ts < b.ts || (a.ts === b.ts && a.id < b.id);

/**
 * Creates the order.
 *
 * @example
 * const order = createEventTimeOrder({ apply: (m) => stage.apply(m), maxLatenessMs: 10_000 });
 * for (const m of featureMessagesInSeqOrder) order.push(m);
 */
export function createEventTimeOrder(opts: EventTimeOrderOptions): EventTimeOrder {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const publishers = new Map<string, { watermark: number; lagging: boolean }>();
  const heap = new MinHeap<Held>(before);
  const stats = { late: 0 };
  let released: Pick<Held, 'ts' | 'id'> | undefined;
  let maxWatermark = Number.NEGATIVE_INFINITY;
  for (const [name, watermark] of opts.restore?.publishers ?? []) {
    publishers.set(name, { watermark, lagging: false });
    if (watermark > maxWatermark) maxWatermark = watermark;
  }
  const r = opts.restore?.released;
  if (r !== undefined) released = { ts: r[0], id: r[1] };

  const advance = (publisher: string, watermark: number) => {
    const p = publishers.get(publisher);
    if (p === undefined) publishers.set(publisher, { watermark, lagging: false });
    else if (watermark > p.watermark) p.watermark = watermark;
    if (watermark > maxWatermark) maxWatermark = watermark;
  };

  /** Events with ts below this can no longer be preceded by anything still to arrive (or waited for). */
  const safeBelow = (): number => {
    const floor = maxWatermark - opts.maxLatenessMs;
    let low = Number.POSITIVE_INFINITY;
    for (const [name, p] of publishers) {
      const lagging = p.watermark < floor;
      if (lagging !== p.lagging) {
        p.lagging = lagging;
        log(
          lagging
            ? `distillguard detector: publisher ${name} lags by more than ${opts.maxLatenessMs} ms of event time; not waiting for it`
            : `distillguard detector: publisher ${name} caught up`,
        );
      }
      if (!lagging && p.watermark < low) low = p.watermark;
    }
    return low;
  };

  const release = () => {
    if (heap.size === 0) return;
    const below = safeBelow();
    for (let top = heap.peek(); top !== undefined && top.ts < below; top = heap.peek()) {
      const h = heap.pop() as Held;
      released = h;
      opts.apply(h.m);
    }
  };

  return {
    push(m, from = 0) {
      if (m.kind === 'watermark') {
        if (m.leaving) publishers.delete(m.publisher);
        else advance(m.publisher, m.watermark);
        release();
        return;
      }
      if (m.kind !== 'event' || m.origin === undefined) {
        opts.apply(m);
        return;
      }
      advance(m.origin.publisher, m.origin.watermark);
      const h: Held = { ts: Date.parse(m.event.ts), id: m.event.id, m, from };
      if (released !== undefined && before(h, released)) {
        stats.late++;
        opts.apply(m);
        return;
      }
      heap.push(h);
      release();
    },
    lowestHeldSeq() {
      let low = Number.POSITIVE_INFINITY;
      for (const h of heap.values()) if (h.m.seq < low) low = h.m.seq;
      return low;
    },
    lowestHeldFrom() {
      let low = Number.POSITIVE_INFINITY;
      for (const h of heap.values()) if (h.from < low) low = h.from;
      return low;
    },
    state() {
      return {
        publishers: [...publishers].map(([name, p]) => [name, p.watermark]),
        ...(released === undefined ? {} : { released: [released.ts, released.id] }),
      };
    },
    stats: {
      get held() {
        return heap.size;
      },
      get late() {
        return stats.late;
      },
      get publishers() {
        return publishers.size;
      },
    },
  };
}
