/** Public API of the data contract: types, validation, and JSON Lines reading and writing. */

export type { EventOrderOptions } from './event-order.js';
export { DEFAULT_MAX_HELD, DEFAULT_REORDER_WINDOW_MS } from './event-order.js';
export { FileAccessError, fileAccessError } from './file-error.js';
export type {
  EventReadOptions,
  JsonlReader,
  ReadOptions,
  ReadStats,
  Sequence,
  SequenceFactory,
} from './read-jsonl.js';
export {
  openAccounts,
  openEventStream,
  openEvents,
  openJsonl,
  openJsonlStream,
  openLabels,
} from './read-jsonl.js';
export type * from './types.js';
export { ACTIONS, actionRank } from './types.js';
export type { Validation, Validator } from './validate.js';
export { validateAccount, validateEvent, validateLabel, validateReport } from './validate.js';
export type { JsonlWriter } from './write-jsonl.js';
export { createJsonlWriter } from './write-jsonl.js';
