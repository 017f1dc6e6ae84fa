/**
 * What the gateway's main thread and its exchange thread say to each other. Events cross as one
 * JSON string per batch: V8 serialises a batch with `JSON.stringify` faster than the structured
 * clone would copy the objects, and a string is handed over with a single copy.
 */
import type { CampaignReport, Decision } from '../../contract/types.js';
import type { Policy } from '../../detect/policy.js';
import type { ContentMode } from '../../store/types.js';

/** Everything the exchange thread needs to start (sent as `workerData`). */
export interface ExchangeThreadSettings {
  /** The SQLite file the main thread opened (migrated already); the thread opens its own connection. */
  dbPath: string;
  content: ContentMode;
  retentionDays?: number;
  /** Most events the thread's log holds awaiting the store. */
  capacity: number;
  /** The detector's policy; absent = the built-in default. */
  policy?: Policy;
}

/** Main thread → exchange thread. */
export type ToExchangeThread =
  /** A batch of finished exchanges: a JSON array of `count` contract events. */
  | { type: 'events'; json: string; count: number }
  /** Answer with `drained` once everything sent before is written and detected. */
  | { type: 'drain'; id: number }
  /** Drain, close the store and exit. */
  | { type: 'close' };

/** Exchange thread → main thread. */
export type FromExchangeThread =
  | { type: 'ready'; seeded: number }
  /** Events taken off the channel so far, and how many of them the log refused (queue full). */
  | { type: 'progress'; taken: number; dropped: number }
  | { type: 'decisions'; decisions: Decision[]; campaigns: CampaignReport[] }
  | { type: 'drained'; id: number }
  /** Something went wrong in the thread but it keeps going (a store write, a malformed batch). */
  | { type: 'warning'; message: string }
  | { type: 'closed'; written: number; failed: number };
