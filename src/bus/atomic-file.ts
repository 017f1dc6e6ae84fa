/**
 * Checkpoint file helpers shared by the pipeline's stages: write-then-rename, so a crash
 * mid-write leaves the previous file whole, and a read that treats "not there" as undefined.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

/**
 * Replaces `path` atomically.
 *
 * @example
 * atomicWrite('ckpt/links-3.snap', bytes);
 */
export function atomicWrite(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/**
 * The file's bytes, or undefined when it does not exist (other errors are thrown).
 *
 * @example
 * const bytes = readIfPresent('ckpt/links-3.snap');
 */
export function readIfPresent(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
