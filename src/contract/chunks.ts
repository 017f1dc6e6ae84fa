/**
 * Byte-chunk sources for the JSON Lines reader: a Readable turned into an async generator that
 * keeps every chunk produced before an error, and transparent gunzip by magic bytes.
 */
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { settle } from './stream-wait.js';

/** Chunks queued before the source is paused; bounds memory while the consumer is busy. */
const HIGH_WATER = 16;

/**
 * Output chunk of the gunzip stream. zlib's default (16 KB) costs one thread-pool round trip per
 * 16 KB; on a busy machine each round trip waits for a core, and decompressing a 150 MB event file
 * took 2–4× longer than with 256 KB chunks (bench/read-parse.ts uses the same size, so the speed
 * bar's floor and the reader decompress alike).
 */
export const GUNZIP_CHUNK_BYTES = 1 << 18;

/**
 * Yields a stream's chunks; on error, first yields everything the stream produced before it,
 * then throws. (Node's own async iterator discards buffered chunks when a stream errors, which
 * would lose the valid lines just before a corrupt spot in a gzip file.)
 *
 * @example
 * for await (const chunk of chunksOf(createReadStream('x.jsonl'))) total += chunk.length;
 */
export async function* chunksOf(stream: Readable): AsyncGenerator<Buffer> {
  const queue: Buffer[] = [];
  let head = 0;
  let done = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  stream.on('data', (chunk: Buffer) => {
    queue.push(chunk);
    if (queue.length - head >= HIGH_WATER) stream.pause();
    notify();
  });
  stream.on('error', (error: unknown) => {
    failure ??= error;
    done = true;
    notify();
  });
  stream.on('end', () => {
    done = true;
    notify();
  });
  stream.on('close', () => {
    done = true;
    notify();
  });
  try {
    for (;;) {
      if (head < queue.length) {
        const chunk = queue[head]!;
        head += 1;
        if (head === queue.length) {
          queue.length = 0;
          head = 0;
        }
        if (stream.isPaused() && !done) stream.resume();
        yield chunk;
        continue;
      }
      if (done) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    if (failure !== undefined) throw failure;
  } finally {
    // Reached early when the consumer stops iterating: release the file descriptor.
    stream.destroy();
  }
}

/** True when the bytes start with the gzip magic number. */
function isGzip(chunk: Buffer): boolean {
  return chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b;
}

/**
 * Passes chunks through, gunzipping them when the first bytes are the gzip magic number, so `.gz`
 * files and gzip on stdin both work whatever they are called. Gzip errors (truncated or corrupt
 * data) are thrown after every byte decompressed before them has been yielded.
 *
 * @example
 * for await (const chunk of decompressed(chunksOf(process.stdin))) process.stdout.write(chunk);
 */
export async function* decompressed(raw: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  // Gather at least the two magic bytes (a pipe may deliver a single byte first).
  let head: Buffer = Buffer.alloc(0);
  while (head.length < 2) {
    const next = await raw.next();
    if (next.done === true) break;
    head = head.length === 0 ? next.value : Buffer.concat([head, next.value]);
  }
  if (head.length === 0) return;
  if (!isGzip(head)) {
    yield head;
    yield* raw;
    return;
  }
  const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
  const pump = async (): Promise<void> => {
    try {
      gunzip.write(head);
      for await (const chunk of raw) {
        if (gunzip.destroyed) break;
        if (!gunzip.write(chunk)) await settle(gunzip, 'drain');
      }
      if (!gunzip.destroyed) gunzip.end();
    } catch (error) {
      gunzip.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  };
  void pump();
  yield* chunksOf(gunzip);
}
