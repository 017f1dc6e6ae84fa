/**
 * The gateway's `ExchangeSink`: finished exchanges go into a bounded in-memory queue and are
 * written to the store in batches (one transaction each) off the request's hot path, after the
 * current I/O turn via setImmediate. Each event is also published to the event bus at once, so
 * detection does not wait for, or depend on, the database keeping up.
 *
 * When the queue is full an event is dropped from the store (and counted) rather than blocking
 * the request or growing memory without bound. `drain()` writes everything queued, for graceful
 * shutdown. Content logging is `full` (the contract event) or `fingerprint` (text replaced by
 * hashes and lengths), and events older than the retention period are deleted periodically.
 */
import type { EventBus } from '../bus/types.js';
import type { ExchangeEvent } from '../contract/types.js';
import { fingerprintEvent } from '../store/fingerprint.js';
import type { ContentMode, Store } from '../store/types.js';
import type { ExchangeSink } from './ports.js';

export interface ExchangeLogOptions {
  store: Store;
  bus?: EventBus;
  /** Most events held in memory awaiting the store (queued plus being written). */
  capacity?: number;
  /** Most events per insert transaction. */
  batchSize?: number;
  content?: ContentMode;
  /** Delete stored events older than this many days; undefined = keep forever. */
  retentionDays?: number;
  /** How often the retention delete runs. */
  retentionCheckMs?: number;
  now?: () => number;
  /** Store failures land here (default: one line on stderr); the gateway keeps serving. */
  onError?: (error: unknown) => void;
}

export interface ExchangeLogStats {
  offered: number;
  written: number;
  /** Refused because the queue was full. */
  dropped: number;
  /** Lost because the store failed to write their batch. */
  failed: number;
  /** Queued or being written now. */
  pending: number;
  /** Deleted by retention. */
  expired: number;
}

export interface ExchangeLog extends ExchangeSink {
  readonly stats: Readonly<ExchangeLogStats>;
  /** Runs the retention delete now; returns how many events it removed. */
  applyRetention(): Promise<number>;
  /** Drains, then stops the retention timer. */
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;

/**
 * @example
 * const log = createExchangeLog({ store, bus, content: 'fingerprint', retentionDays: 30 });
 * log.offer(event); // on every finished exchange
 * await log.close(); // on shutdown: nothing queued is lost
 */
export function createExchangeLog(opts: ExchangeLogOptions): ExchangeLog {
  const capacity = opts.capacity ?? 10_000;
  const batchSize = opts.batchSize ?? 500;
  const mode: ContentMode = opts.content ?? 'full';
  const now = opts.now ?? Date.now;
  const onError =
    opts.onError ??
    ((error: unknown) => {
      process.stderr.write(
        `distillguard: exchange log: store write failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    });
  const stats: ExchangeLogStats = { offered: 0, written: 0, dropped: 0, failed: 0, pending: 0, expired: 0 };
  let queue: ExchangeEvent[] = [];
  let flushing: Promise<void> | undefined;
  let scheduled = false;
  let closed = false;

  async function writeAll(): Promise<void> {
    while (queue.length > 0) {
      // Take the whole queue at once: new offers go to a fresh array while this one is written.
      const taken = queue;
      queue = [];
      for (let i = 0; i < taken.length; i += batchSize) {
        const batch = taken.slice(i, i + batchSize);
        try {
          await opts.store.insertEvents(mode === 'full' ? batch : batch.map(fingerprintEvent), mode);
          stats.written += batch.length;
        } catch (error) {
          stats.failed += batch.length;
          onError(error);
        }
        stats.pending -= batch.length;
      }
    }
  }

  function flush(): Promise<void> {
    flushing ??= writeAll().finally(() => {
      flushing = undefined;
      // An offer that arrived as the last batch finished saw a flush running and did not schedule.
      if (queue.length > 0) schedule();
    });
    return flushing;
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      void flush();
    });
  }

  if (opts.retentionDays !== undefined && !(Number.isFinite(opts.retentionDays) && opts.retentionDays > 0)) {
    throw new RangeError(
      `exchange log retentionDays must be a positive number of days, got ${opts.retentionDays}`,
    );
  }
  if (!(Number.isInteger(capacity) && capacity > 0) || !(Number.isInteger(batchSize) && batchSize > 0)) {
    throw new RangeError(
      `exchange log capacity and batchSize must be positive whole numbers, got ${capacity} and ${batchSize}`,
    );
  }
  const retentionMs = opts.retentionDays === undefined ? undefined : opts.retentionDays * DAY_MS;
  const applyRetention = async (): Promise<number> => {
    if (retentionMs === undefined) return 0;
    const removed = await opts.store.deleteEventsBefore(new Date(now() - retentionMs).toISOString());
    stats.expired += removed;
    return removed;
  };
  const timer =
    retentionMs === undefined
      ? undefined
      : setInterval(() => {
          applyRetention().catch(onError);
        }, opts.retentionCheckMs ?? 3_600_000);
  timer?.unref();

  return {
    stats,
    offer(event) {
      stats.offered++;
      opts.bus?.publish(event);
      // After close the store may be gone: refuse (counted) rather than queue a write that fails later.
      if (closed || stats.pending >= capacity) {
        stats.dropped++;
        return false;
      }
      queue.push(event);
      stats.pending++;
      if (flushing === undefined) schedule();
      return true;
    },
    async drain() {
      // A flush in progress may finish before later offers are taken; loop until truly empty.
      while (flushing !== undefined || queue.length > 0) await flush();
    },
    applyRetention,
    async close() {
      closed = true;
      if (timer !== undefined) clearInterval(timer);
      await this.drain();
    },
  };
}
