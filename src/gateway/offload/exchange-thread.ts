/**
 * Main-thread side of the exchange thread (exchange-worker.ts): an `ExchangeSink` that sends
 * finished exchanges there in batches and applies the decisions that come back. The request
 * thread then pays only one `JSON.stringify` per batch for the log and the detector; profiled,
 * the SQLite inserts alone were about a fifth of its time under load (docs/benchmarks.md).
 *
 * Bounded like the in-thread log: events sent but not yet taken by the thread count against
 * `capacity`, and an offer beyond it is refused (counted as dropped), so a stalled thread never
 * grows the gateway's memory. If the thread dies, the gateway keeps serving and says so once.
 */
import { Worker } from 'node:worker_threads';
import type { CampaignReport, Decision, ExchangeEvent } from '../../contract/types.js';
import type { ExchangeSink } from '../ports.js';
import type { ExchangeThreadSettings, FromExchangeThread, ToExchangeThread } from './messages.js';

export interface ExchangeThreadOptions extends Omit<ExchangeThreadSettings, 'capacity'> {
  /** Most events sent and not yet taken by the thread (default 2,000). */
  capacity?: number;
  /** Escalations from the thread's detector, with the campaigns as they stand. */
  onDecisions(decisions: Decision[], campaigns: CampaignReport[]): void;
  /**
   * Events the thread's log refused after taking them (its queue was full). An offer refused
   * here (too many in flight, or the thread gone) returns false instead.
   */
  onDropped?(count: number): void;
  log(line: string): void;
}

export interface ExchangeThreadStats {
  offered: number;
  /** Taken off the channel by the thread. */
  taken: number;
  dropped: number;
  /** Written to the store (known once the thread has closed). */
  written: number;
  failed: number;
}

export interface ExchangeThread extends ExchangeSink {
  /** Accounts the thread's detector was seeded with from the store. */
  readonly seeded: number;
  readonly stats: Readonly<ExchangeThreadStats>;
  /** Drains (every event written and detected, every decision delivered), then stops the thread. */
  close(): Promise<void>;
}

/** The thread's nursery: it handles batches of ~100 events, so V8's default 16 MB semi-spaces are mostly RSS. */
const YOUNG_GENERATION_MB = 6;

/**
 * Built, the worker is plain JS next to this file. From source (tests, tsx) it is TypeScript: a
 * small bootstrap registers tsx's loader in the new thread (loaders are per thread) and imports it.
 */
function spawnWorker(settings: ExchangeThreadSettings): Worker {
  const resourceLimits = { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB };
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./exchange-worker.js', import.meta.url), {
      workerData: settings,
      resourceLimits,
    });
  }
  const entry = new URL('./exchange-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: settings, resourceLimits });
}

/**
 * Starts the exchange thread on the gateway's SQLite file and waits until it is ready.
 *
 * @example
 * const thread = await startExchangeThread({ dbPath: 'distillguard.db', content: 'full', log, onDecisions: (d, c) => recorder.record(d, c) });
 * thread.offer(event); // on every finished exchange
 * await thread.close(); // on shutdown: nothing offered is lost
 */
export async function startExchangeThread(options: ExchangeThreadOptions): Promise<ExchangeThread> {
  const capacity = options.capacity ?? 2_000;
  const settings: ExchangeThreadSettings = {
    dbPath: options.dbPath,
    content: options.content,
    capacity,
    ...(options.retentionDays === undefined ? {} : { retentionDays: options.retentionDays }),
    ...(options.policy === undefined ? {} : { policy: options.policy }),
  };
  const worker = spawnWorker(settings);
  const stats: ExchangeThreadStats = { offered: 0, taken: 0, dropped: 0, written: 0, failed: 0 };
  let threadDropped = 0;
  let sent = 0;
  let pending: ExchangeEvent[] = [];
  let scheduled = false;
  let alive = true;
  let closing = false;
  let nextDrain = 0;
  const drains = new Map<number, () => void>();
  let onClosed: (() => void) | undefined;
  let seeded = 0;

  const post = (message: ToExchangeThread): void => worker.postMessage(message);
  const flush = (): void => {
    scheduled = false;
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    sent += batch.length;
    post({ type: 'events', json: JSON.stringify(batch), count: batch.length });
  };
  const settleAll = (): void => {
    for (const resolve of drains.values()) resolve();
    drains.clear();
    onClosed?.();
  };

  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (message: FromExchangeThread) => {
      switch (message.type) {
        case 'ready':
          seeded = message.seeded;
          resolve();
          break;
        case 'progress':
          stats.taken = message.taken;
          if (message.dropped > threadDropped) {
            stats.dropped += message.dropped - threadDropped;
            options.onDropped?.(message.dropped - threadDropped);
            threadDropped = message.dropped;
          }
          break;
        case 'decisions':
          options.onDecisions(message.decisions, message.campaigns);
          break;
        case 'drained':
          drains.get(message.id)?.();
          drains.delete(message.id);
          break;
        case 'warning':
          options.log(`distillguard: exchange thread: ${message.message}`);
          break;
        case 'closed':
          stats.written = message.written;
          stats.failed = message.failed;
          break;
      }
    });
    worker.on('error', (error) => {
      alive = false;
      options.log(
        `distillguard: exchange thread failed (exchanges are no longer logged or detected): ${error.message}`,
      );
      reject(error);
      settleAll();
    });
    worker.on('exit', () => {
      alive = false;
      settleAll();
    });
  });
  await ready;

  return {
    get seeded() {
      return seeded;
    },
    stats,
    offer(event) {
      stats.offered++;
      if (!alive || closing || sent - stats.taken + pending.length >= capacity) {
        stats.dropped++;
        return false;
      }
      pending.push(event);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
      return true;
    },
    async drain() {
      flush();
      if (!alive) return;
      const id = nextDrain++;
      await new Promise<void>((resolve) => {
        drains.set(id, resolve);
        post({ type: 'drain', id });
      });
    },
    async close() {
      if (closing) return;
      flush();
      closing = true;
      if (!alive) return;
      await new Promise<void>((resolve) => {
        onClosed = resolve;
        post({ type: 'close' });
      });
    },
  };
}
