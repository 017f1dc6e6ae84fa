/**
 * Account → subject shard. Every event and account record of one account lands on the same
 * subject, so one feature worker sees all of an account's traffic in order and shards can be
 * split across workers without coordination.
 */

/** Subject shards by default: enough to spread over a handful of workers, few enough to list. */
export const DEFAULT_SHARDS = 16;

/**
 * Stable shard of an account (FNV-1a over UTF-16 code units; the same in every process and release).
 *
 * @example
 * shardOf('acct-42', 16); // always the same number in 0..15
 */
export function shardOf(accountId: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < accountId.length; i++) {
    h ^= accountId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % shards;
}

/** Which share of the subject shards one worker takes: worker `index` of `count`. */
export interface ShardSpec {
  index: number;
  count: number;
}

/**
 * Parses `--shard i/n` (0-based i < n).
 *
 * @example
 * parseShardSpec('1/2'); // { index: 1, count: 2 }
 */
export function parseShardSpec(text: string): ShardSpec {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (m === null) throw new Error(`--shard must look like i/n (e.g. 0/2), got "${text}"`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) throw new Error(`--shard ${text}: n must be at least 1`);
  if (index >= count) throw new Error(`--shard ${text}: i must be below n (workers count from 0)`);
  return { index, count };
}

/**
 * The subject shards worker `spec` owns: shard s goes to worker s mod n.
 *
 * @example
 * shardsOwned({ index: 1, count: 2 }, 4); // [1, 3]
 */
export function shardsOwned(spec: ShardSpec, shards: number): number[] {
  if (spec.count > shards) {
    throw new Error(`${spec.count} workers but only ${shards} subject shards: some workers would idle`);
  }
  const owned: number[] = [];
  for (let s = spec.index; s < shards; s += spec.count) owned.push(s);
  return owned;
}
