/**
 * JSON Lines writer: one `JSON.stringify` per record, gzip when the path ends in `.gz`, `-` for
 * stdout. Output is deterministic (same records → same bytes): Node's gzip header carries no
 * timestamp, and records are buffered into blocks whose boundaries depend only on the content.
 */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { type FileAccessError, fileAccessError } from './file-error.js';
import { settle } from './stream-wait.js';

export interface JsonlWriter {
  /** Queues one record; returns a promise when the caller should wait for the sink to drain. */
  write(record: object): Promise<void> | void;
  /** Flushes and closes the file; rejects with a FileAccessError if anything failed. */
  close(): Promise<void>;
}

/** Bytes gathered before handing a block to the stream: fewer, larger writes. */
const BLOCK = 64 * 1024;

/**
 * Opens a JSON Lines writer on `path`.
 *
 * @example
 * const out = createJsonlWriter('labels.jsonl.gz');
 * for (const label of labels) await out.write(label);
 * await out.close();
 */
export function createJsonlWriter(path: string): JsonlWriter {
  const toStdout = path === '-';
  const name = toStdout ? 'stdout' : path;
  const file: Writable = toStdout ? process.stdout : createWriteStream(path);
  const gzip = path.endsWith('.gz') ? createGzip() : undefined;
  const sink: Writable = gzip ?? file;
  let failure: FileAccessError | undefined;
  const fail = (error: unknown): void => {
    failure ??= fileAccessError(error, 'write', name);
    // A failed file no longer drains the gzip stream; destroy it so nothing waits on it forever.
    gzip?.destroy();
  };
  file.on('error', fail);
  if (gzip) {
    gzip.on('error', fail);
    // end: false so stdout is never ended; a file is ended explicitly in close().
    gzip.pipe(file, { end: false });
  }
  let parts: string[] = [];
  let pending = 0;
  let closing: Promise<void> | undefined;

  const flush = (): Promise<void> | undefined => {
    if (parts.length === 0) return undefined;
    const block = parts.join('');
    parts = [];
    pending = 0;
    return sink.write(block) || failure ? undefined : settle(sink, 'drain');
  };

  const finish = async (): Promise<void> => {
    await flush();
    if (gzip) {
      // The gzip stream has handed every byte to the file once it emits 'end'.
      const drained = settle(gzip, 'end');
      gzip.end();
      await drained;
    }
    if (toStdout) {
      await new Promise<void>((resolve) => file.write('', () => resolve()));
    } else {
      const closed = settle(file, 'close');
      file.end();
      await closed;
    }
    if (failure) throw failure;
  };

  return {
    write(record) {
      if (failure) throw failure;
      if (closing) throw new Error(`${name}: write after close`);
      const line = `${JSON.stringify(record)}\n`;
      parts.push(line);
      pending += line.length;
      return pending >= BLOCK ? flush() : undefined;
    },
    close() {
      closing ??= finish();
      return closing;
    },
  };
}
