/**
 * The floor any analysis of an event file pays: read the bytes, gunzip, split on '\n' and
 * JSON.parse each line — no validation, no features, no detector. The detector's speed bar
 * (analyze ≤ 3× this) is measured against it by bench/detector-speed.ts.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { GUNZIP_CHUNK_BYTES } from '../src/contract/chunks.js';

export interface ReadParseResult {
  /** Non-empty lines parsed. */
  lines: number;
  /** Wall-clock milliseconds for the whole file. */
  ms: number;
}

/**
 * Reads and parses every line of a JSON Lines file (gzip when the name ends in `.gz`).
 *
 * @example
 * const { lines, ms } = await readAndParse('events.jsonl.gz');
 * console.log(`${Math.round(lines / (ms / 1000))} lines/s`);
 */
export async function readAndParse(path: string): Promise<ReadParseResult> {
  const started = performance.now();
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  // Same gunzip chunk size as the contract reader: the floor must not be slowed by I/O settings
  // the reader does not share.
  const source = path.endsWith('.gz') ? file.pipe(createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES })) : file;
  const pending: Buffer[] = [];
  let lines = 0;
  // Keeps parsed values reachable so the engine cannot skip the work.
  let sink = 0;
  const parse = (bytes: Buffer): void => {
    if (bytes.length === 0) return;
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    if (typeof value === 'object' && value !== null) sink += 1;
    lines += 1;
  };
  for await (const chunk of source as AsyncIterable<Buffer>) {
    let start = 0;
    let newline = chunk.indexOf(10, start);
    while (newline !== -1) {
      if (pending.length > 0) {
        pending.push(chunk.subarray(start, newline));
        parse(Buffer.concat(pending));
        pending.length = 0;
      } else {
        parse(chunk.subarray(start, newline));
      }
      start = newline + 1;
      newline = chunk.indexOf(10, start);
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  }
  if (pending.length > 0) parse(Buffer.concat(pending));
  if (sink !== lines) throw new Error('readAndParse: a line was not a JSON object');
  return { lines, ms: performance.now() - started };
}
