/**
 * The linking stage's checkpoint: one file per key partition, `links-<partition>.snap` in the
 * worker's `--checkpoint` directory — the magic `DGLINKS1` and the deflated V8 serialisation of
 * the partition's key index with the links-stream sequence and the last step id it covers. A
 * restarted worker restores it and reads only later join requests.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { atomicWrite, readIfPresent } from './atomic-file.js';

const MAGIC = Buffer.from('DGLINKS1', 'latin1');

export interface LinkCheckpoint {
  /** The links stream it was taken on (a directory of another deployment is refused). */
  stream: string;
  partition: number;
  /** Links-stream sequence of the last request the state covers. */
  seq: number;
  /** Campaign-stage step id of that request (requests up to it are answered already). */
  lastId: number;
  /** `KeyIndex.toState()`. */
  index: unknown;
}

/**
 * Path of a partition's checkpoint file.
 *
 * @example
 * linkCheckpointPath('ckpt', 3); // 'ckpt/links-3.snap'
 */
export function linkCheckpointPath(dir: string, partition: number): string {
  return join(dir, `links-${partition}.snap`);
}

/**
 * Writes a partition's checkpoint atomically.
 *
 * @example
 * writeLinkCheckpoint('ckpt', { stream: 'DG_LINKS', partition: 3, seq: 120, lastId: 57, index: index.toState() });
 */
export function writeLinkCheckpoint(dir: string, cp: LinkCheckpoint): void {
  mkdirSync(dir, { recursive: true });
  atomicWrite(
    linkCheckpointPath(dir, cp.partition),
    Buffer.concat([MAGIC, deflateRawSync(serialize(cp), { level: 1 })]),
  );
}

/**
 * A partition's checkpoint, undefined when there is none; a file that cannot be used throws an
 * Error saying why (the caller decides whether to rebuild from the stream).
 *
 * @example
 * const cp = readLinkCheckpoint('ckpt', 'DG_LINKS', 3);
 */
export function readLinkCheckpoint(
  dir: string,
  stream: string,
  partition: number,
): LinkCheckpoint | undefined {
  const path = linkCheckpointPath(dir, partition);
  const bytes = readIfPresent(path);
  if (bytes === undefined) return undefined;
  if (bytes.length < MAGIC.length || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new Error(`${path}: not a linking-stage checkpoint (bad magic bytes)`);
  }
  let cp: Partial<LinkCheckpoint>;
  try {
    cp = deserialize(inflateRawSync(bytes.subarray(MAGIC.length))) as Partial<LinkCheckpoint>;
  } catch (error) {
    throw new Error(`${path}: corrupt: ${(error as Error).message}`);
  }
  if (cp.stream !== stream)
    throw new Error(`${path}: a checkpoint of stream ${String(cp.stream)}, not ${stream}`);
  if (cp.partition !== partition || typeof cp.seq !== 'number' || typeof cp.lastId !== 'number') {
    throw new Error(`${path}: incomplete linking-stage checkpoint`);
  }
  return cp as LinkCheckpoint;
}
