/**
 * The exchange thread: the embedded gateway's exchange log (SQLite inserts) and live detector,
 * run on a worker thread so neither takes the request thread's time. It is the same pipeline as
 * in-thread — `createExchangeLog` handing each event to `attachDetector` — on its own SQLite
 * connection to the gateway's file (WAL: the request thread's reads and rare writes and this
 * thread's inserts do not block each other). Decisions go back to the main thread, which owns the
 * enforcement table.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ExchangeEvent } from '../../contract/types.js';
import { createDetector } from '../../detect/detector.js';
import { openSqliteStore } from '../../store/sqlite.js';
import { accountLookup, attachDetector, seedAccounts, storedAccounts } from '../detector-link.js';
import { createExchangeLog } from '../exchange-log.js';
import type { ExchangeThreadSettings, FromExchangeThread, ToExchangeThread } from './messages.js';
import { synchronousBus } from './synchronous-bus.js';

const port = parentPort;
if (port === null) throw new Error('exchange-worker.ts runs as a worker thread (see exchange-thread.ts)');
const settings = workerData as ExchangeThreadSettings;
const send = (message: FromExchangeThread): void => port.postMessage(message);
const warn = (error: unknown): void =>
  send({ type: 'warning', message: error instanceof Error ? error.message : String(error) });

/**
 * The log appends and reads back little: SQLite's 16 MB default cache (better-sqlite3's build)
 * only fills with pages written once. 4 MiB: peak RSS of `serve` under load −8 MB; inserts of 1 KB
 * exchanges from 20k accounts +5 % at 150k rows (docs/benchmarks.md).
 */
const LOG_CACHE_KIB = 4096;

const store = openSqliteStore({ path: settings.dbPath, cacheKib: LOG_CACHE_KIB });
const bus = synchronousBus();
const detector = createDetector(settings.policy === undefined ? {} : { policy: settings.policy });
const seeded = seedAccounts(detector, await storedAccounts(store));
attachDetector({
  bus,
  detector,
  decisions: {
    record: (decisions, campaigns) =>
      send({ type: 'decisions', decisions: [...decisions], campaigns: [...(campaigns ?? [])] }),
  },
  lookupAccount: accountLookup(store),
  onError: warn,
});
const log = createExchangeLog({
  store,
  bus,
  content: settings.content,
  retentionDays: settings.retentionDays,
  capacity: settings.capacity,
  onError: warn,
});

let taken = 0;
/** Batches that could not be read: their events count as taken and dropped, so none stays "in flight". */
let unreadable = 0;
port.on('message', (message: ToExchangeThread) => {
  if (message.type === 'events') {
    let events: ExchangeEvent[] = [];
    try {
      events = JSON.parse(message.json) as ExchangeEvent[];
    } catch (error) {
      unreadable += message.count;
      warn(error);
    }
    for (const event of events) log.offer(event);
    taken += message.count;
    send({ type: 'progress', taken, dropped: log.stats.dropped + unreadable });
  } else if (message.type === 'drain') {
    log.drain().then(() => send({ type: 'drained', id: message.id }), warn);
  } else {
    void (async () => {
      try {
        await log.close();
        await store.close();
      } catch (error) {
        warn(error);
      }
      // Whatever happened, say so and let the thread end: the main thread's close() waits for it.
      send({ type: 'closed', written: log.stats.written, failed: log.stats.failed });
      port.close();
    })();
  }
});
send({ type: 'ready', seeded });
