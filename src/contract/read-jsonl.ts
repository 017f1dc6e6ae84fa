/**
 * Streaming JSON Lines reader for contract files: a file, a `.gz` file (detected by its magic
 * bytes) or `-` for stdin. Bad lines never stop reading: each is reported as `path:line: what is
 * wrong` and skipped. Speed matters here because this reader bounds the detector's throughput, so
 * lines are split on '\n' bytes over Buffers and records are checked by compiled ajv functions.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { chunksOf, decompressed } from './chunks.js';
import { createEventDedupe, DEFAULT_DEDUPE_WINDOW } from './event-dedupe.js';
import { createEventOrder, type EventOrderOptions } from './event-order.js';
import { fileAccessError } from './file-error.js';
import type { AccountRecord, ExchangeEvent, Label } from './types.js';
import { type Validator, validateAccount, validateEvent, validateLabel } from './validate.js';

export interface ReadOptions {
  /** Called once per rejected line with `path:line: what is wrong`. Default: write it to stderr. */
  onInvalid?: (message: string) => void;
}

/** Counts so far; `lines` counts every physical line, empty ones included. */
export interface ReadStats {
  lines: number;
  valid: number;
  rejected: number;
  /** Valid records let through out of order (events later than the reorder window); kept, not rejected. */
  late: number;
  /** Line of the first late record (0: none). */
  firstLateLine: number;
}

/** The valid records of a JSON Lines input, in file order. It can be iterated once. */
export interface JsonlReader<T> extends AsyncIterable<T> {
  readonly stats: Readonly<ReadStats>;
  /**
   * The same records in arrays (one per chunk read), for hot loops that want to skip the cost of
   * an await per record. Use either this or the reader itself, not both.
   */
  batches(): AsyncIterable<T[]>;
}

/**
 * A stage across records, after schema validation (e.g. putting events in ts order): takes each
 * valid record with its line number and appends what may go on to `out`; `end` appends what it
 * still holds. Made per read, with `late` to count a record it lets through out of order and
 * `drop` to reject one with its line.
 */
export interface Sequence<T> {
  push(record: T, line: number, out: T[]): void;
  end(out: T[]): void;
}
export interface SequenceContext {
  late(line: number): void;
  drop(line: number, what: string): void;
}
export type SequenceFactory<T> = (ctx: SequenceContext) => Sequence<T>;

/**
 * Checks and decodes in one pass (isUtf8 then toString read every line twice). ignoreBOM keeps a
 * byte-order mark in the text, as toString did: only the file's first line may start with one.
 */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const NEWLINE = 0x0a;
const CR = 0x0d;
/** Longest excerpt of a JSON.parse message we repeat; V8 quotes the offending text. */
const MAX_PARSE_MESSAGE = 160;

function writeToStderr(message: string): void {
  process.stderr.write(`${message}\n`);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function isZlibError(error: unknown): error is Error {
  return (
    error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('Z_')
  );
}

class LineParser<T> {
  readonly stats: ReadStats = { lines: 0, valid: 0, rejected: 0, late: 0, firstLateLine: 0 };

  constructor(
    private readonly name: string,
    private readonly validate: Validator<T>,
    private readonly onInvalid: (message: string) => void,
  ) {}

  reject(line: number, what: string): undefined {
    this.stats.rejected += 1;
    this.onInvalid(`${this.name}:${line}: ${what}`);
    return undefined;
  }

  /** A valid record a sequence stage let through out of order. */
  late(line: number): void {
    this.stats.late += 1;
    if (this.stats.firstLateLine === 0) this.stats.firstLateLine = line;
  }

  /** A valid record a sequence stage dropped (e.g. a repeat). */
  drop(line: number, what: string): void {
    this.stats.valid -= 1;
    this.reject(line, what);
  }

  /** Parses one line (without its '\n'); returns the record or undefined when skipped. */
  parse(bytes: Buffer): T | undefined {
    this.stats.lines += 1;
    const line = this.stats.lines;
    let start = 0;
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === CR) end -= 1;
    // A byte-order mark some editors put at the start of a file.
    if (line === 1 && end >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
    if (end === start) return undefined;
    let text: string;
    try {
      // A view only when something is cut off (a view per line is measurable garbage).
      text = UTF8.decode(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end));
    } catch {
      return this.reject(line, 'invalid UTF-8');
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const short = message.length > MAX_PARSE_MESSAGE ? `${message.slice(0, MAX_PARSE_MESSAGE)}…` : message;
      return this.reject(line, `invalid JSON: ${short}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return this.reject(line, `expected a JSON object, got ${kindOf(value)}`);
    }
    const result = this.validate(value);
    if (!result.ok) return this.reject(line, result.error);
    this.stats.valid += 1;
    return result.value;
  }
}

/** Parses chunks into records, yielding the records of each chunk together (one await per chunk). */
async function* batches<T>(
  chunks: AsyncGenerator<Buffer>,
  parser: LineParser<T>,
  sequence: Sequence<T> | undefined,
): AsyncGenerator<T[]> {
  const take = (record: T | undefined, batch: T[]): void => {
    if (record === undefined) return;
    if (sequence === undefined) batch.push(record);
    else sequence.push(record, parser.stats.lines, batch);
  };
  // Pieces of a line that spans chunks; joined once when its '\n' arrives (5 MB lines stay linear).
  const pending: Buffer[] = [];
  let pendingBytes = 0;
  try {
    for await (const chunk of chunks) {
      const batch: T[] = [];
      let start = 0;
      let newline = chunk.indexOf(NEWLINE, start);
      while (newline !== -1) {
        let bytes = chunk.subarray(start, newline);
        if (pending.length > 0) {
          pending.push(bytes);
          bytes = Buffer.concat(pending, pendingBytes + bytes.length);
          pending.length = 0;
          pendingBytes = 0;
        }
        take(parser.parse(bytes), batch);
        start = newline + 1;
        newline = chunk.indexOf(NEWLINE, start);
      }
      if (start < chunk.length) {
        pending.push(chunk.subarray(start));
        pendingBytes += chunk.length - start;
      }
      if (batch.length > 0) yield batch;
    }
  } catch (error) {
    if (!isZlibError(error)) throw error;
    // The gzip stream broke: everything before this line was read; the line in progress is lost.
    parser.stats.lines += 1;
    parser.reject(
      parser.stats.lines,
      `gzip data is truncated or corrupt (${error.message}); stopped reading here, ${parser.stats.valid} valid records before it were kept`,
    );
    pendingBytes = 0;
  }
  const last: T[] = [];
  if (pendingBytes > 0) take(parser.parse(Buffer.concat(pending, pendingBytes)), last);
  sequence?.end(last);
  if (last.length > 0) yield last;
}

/**
 * One record per `next()` over a source of batches. Hand-written rather than an async generator
 * because resuming a generator per record costs more than the validation of the record itself.
 */
function flatten<T>(source: AsyncIterator<T[]>): AsyncIterator<T> {
  let batch: T[] = [];
  let index = 0;
  return {
    async next(): Promise<IteratorResult<T>> {
      while (index >= batch.length) {
        const result = await source.next();
        if (result.done === true) return { done: true, value: undefined };
        batch = result.value;
        index = 0;
      }
      const value = batch[index]!;
      index += 1;
      return { done: false, value };
    },
    async return(): Promise<IteratorResult<T>> {
      batch = [];
      await source.return?.();
      return { done: true, value: undefined };
    },
  };
}

/** One-shot reader over a stream opened on first iteration; fs failures become FileAccessError. */
function createReader<T>(
  name: string,
  open: () => Readable,
  validate: Validator<T>,
  opts: ReadOptions,
  sequence: SequenceFactory<T> | undefined,
): JsonlReader<T> {
  const parser = new LineParser(name, validate, opts.onInvalid ?? writeToStderr);
  let used = false;
  async function* read(): AsyncGenerator<T[]> {
    try {
      yield* batches(
        decompressed(chunksOf(open())),
        parser,
        sequence?.({ late: (line) => parser.late(line), drop: (line, what) => parser.drop(line, what) }),
      );
    } catch (error) {
      if (error instanceof Error && 'syscall' in error) throw fileAccessError(error, 'read', name);
      throw error;
    }
  }
  const start = (): AsyncGenerator<T[]> => {
    if (used) throw new Error(`${name} can be read only once`);
    used = true;
    return read();
  };
  return {
    stats: parser.stats,
    batches: () => ({ [Symbol.asyncIterator]: start }),
    [Symbol.asyncIterator]: () => flatten(start()),
  };
}

/**
 * Reads JSON Lines from an already open byte stream (plain or gzip). Used for stdin and by tests;
 * `name` prefixes every message.
 *
 * @example
 * const reader = openJsonlStream(process.stdin, 'stdin', validateLabel);
 * for await (const label of reader) console.log(label.persona);
 */
export function openJsonlStream<T>(
  stream: Readable,
  name: string,
  validate: Validator<T>,
  opts: ReadOptions = {},
  sequence?: SequenceFactory<T>,
): JsonlReader<T> {
  return createReader(name, () => stream, validate, opts, sequence);
}

/**
 * Reads JSON Lines from `path` (a file, a gzip file, or `-` for stdin), yielding the records that
 * pass `validate`. A file that cannot be opened makes iteration throw a FileAccessError.
 *
 * @example
 * const reader = openJsonl('labels.jsonl', validateLabel);
 * for await (const label of reader) count += 1;
 * console.log(reader.stats.rejected);
 */
export function openJsonl<T>(
  path: string,
  validate: Validator<T>,
  opts: ReadOptions = {},
  sequence?: SequenceFactory<T>,
): JsonlReader<T> {
  if (path === '-') return createReader('stdin', () => process.stdin, validate, opts, sequence);
  return createReader(
    path,
    () => createReadStream(path, { highWaterMark: 1 << 20 }),
    validate,
    opts,
    sequence,
  );
}

/** Options of the event readers: the reorder window (event-order.ts) and the id memory (event-dedupe.ts). */
export interface EventReadOptions extends ReadOptions, Omit<EventOrderOptions, 'late'> {
  /** Latest event ids remembered to drop repeats (default 100,000). */
  dedupeWindow?: number;
}

/** The events' stages after validation: repeats dropped, then ts order within the window. */
const eventStages =
  (opts: EventReadOptions | undefined): SequenceFactory<ExchangeEvent> =>
  (ctx) => {
    const dedupe = createEventDedupe({
      window: opts?.dedupeWindow ?? DEFAULT_DEDUPE_WINDOW,
      reject: ctx.drop,
    });
    const order = createEventOrder({ ...opts, late: ctx.late });
    return {
      push(event, line, out) {
        if (dedupe.accept(event, line)) order.push(event, line, out);
      },
      end: (out) => order.end(out),
    };
  };

/**
 * Reads exchange events in ts order, since analysis is online: events out of order by up to the
 * reorder window (default 10 minutes of event time, at most 1,000 held) are put right; later
 * ones are let through as they come and counted in `stats.late`. A repeated event id is rejected.
 *
 * @example
 * for await (const event of openEvents('events.jsonl.gz')) detector.process(event);
 */
export function openEvents(path: string, opts?: EventReadOptions): JsonlReader<ExchangeEvent> {
  return openJsonl(path, validateEvent, opts, eventStages(opts));
}

/**
 * Reads account records.
 *
 * @example
 * for await (const account of openAccounts('accounts.jsonl')) detector.addAccount(account);
 */
export function openAccounts(path: string, opts?: ReadOptions): JsonlReader<AccountRecord> {
  return openJsonl(path, validateAccount, opts);
}

/**
 * Reads ground-truth labels.
 *
 * @example
 * const labels = []; for await (const label of openLabels('labels.jsonl')) labels.push(label);
 */
export function openLabels(path: string, opts?: ReadOptions): JsonlReader<Label> {
  return openJsonl(path, validateLabel, opts);
}

/**
 * Reads exchange events from an open stream (e.g. stdin in tests), put in ts order the same way.
 *
 * @example
 * for await (const event of openEventStream(process.stdin, 'stdin')) count += 1;
 */
export function openEventStream(
  stream: Readable,
  name: string,
  opts?: EventReadOptions,
): JsonlReader<ExchangeEvent> {
  return openJsonlStream(stream, name, validateEvent, opts, eventStages(opts));
}
