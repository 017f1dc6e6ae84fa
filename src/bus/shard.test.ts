import { describe, expect, it } from 'vitest';
import { parseShardSpec, shardOf, shardsOwned } from './shard.js';

describe('shardOf', () => {
  it('is stable and spreads accounts over every shard', () => {
    expect(shardOf('acct-1', 16)).toBe(shardOf('acct-1', 16));
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) seen.add(shardOf(`acct-${i}`, 16));
    expect(seen.size).toBe(16);
  });
});

describe('parseShardSpec', () => {
  it('parses i/n and rejects malformed or out-of-range specs', () => {
    expect(parseShardSpec('1/2')).toEqual({ index: 1, count: 2 });
    expect(() => parseShardSpec('2/2')).toThrow(/i must be below n/);
    expect(() => parseShardSpec('0/0')).toThrow(/at least 1/);
    expect(() => parseShardSpec('a/b')).toThrow(/i\/n/);
  });
});

describe('shardsOwned', () => {
  it('partitions the shards among workers', () => {
    const a = shardsOwned({ index: 0, count: 3 }, 8);
    const b = shardsOwned({ index: 1, count: 3 }, 8);
    const c = shardsOwned({ index: 2, count: 3 }, 8);
    expect([...a, ...b, ...c].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(() => shardsOwned({ index: 0, count: 9 }, 8)).toThrow(/idle/);
  });
});
