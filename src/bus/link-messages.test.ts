import { describe, expect, it } from 'vitest';
import { keyHash } from '../detect/linker.js';
import { parseJoinReply, parseJoinRequest, partitionOf } from './link-messages.js';

describe('partitionOf', () => {
  it('is stable and spreads both big hashes and small key numbers over the partitions', () => {
    expect(partitionOf('payment', keyHash('pf_9c41'), 16)).toBe(
      partitionOf('payment', keyHash('pf_9c41'), 16),
    );
    for (const keys of [
      Array.from({ length: 4000 }, (_, i) => keyHash(`pf_${i}`)),
      Array.from({ length: 4000 }, (_, i) => i), // co-activity buckets are small numbers
    ]) {
      const counts = new Array(16).fill(0);
      for (const k of keys) counts[partitionOf('coactivity', k, 16)]++;
      expect(Math.min(...counts)).toBeGreaterThan(4000 / 16 / 2);
      expect(Math.max(...counts)).toBeLessThan((4000 / 16) * 1.5);
    }
  });

  it('keeps kinds apart: the same number under two kinds is two keys', () => {
    const differ = Array.from(
      { length: 64 },
      (_, i) => partitionOf('template', i, 16) !== partitionOf('client', i, 16),
    );
    expect(differ.filter(Boolean).length).toBeGreaterThan(32);
  });
});

describe('join messages', () => {
  it('parses well-formed requests and replies', () => {
    expect(parseJoinRequest('{"id":3,"joins":[{"kind":"payment","hash":7,"account":0}]}')).toEqual({
      ok: true,
      value: { id: 3, joins: [{ kind: 'payment', hash: 7, account: 0 }] },
    });
    expect(parseJoinReply('{"id":3,"partition":1,"members":[[0,4],[]]}')).toEqual({
      ok: true,
      value: { id: 3, partition: 1, members: [[0, 4], []] },
    });
  });

  it('says what is wrong with a bad one', () => {
    expect(parseJoinRequest('{oops')).toEqual({ ok: false, error: 'not JSON' });
    expect(parseJoinRequest('{"id":"3","joins":[]}')).toMatchObject({
      ok: false,
      error: expect.stringContaining('integer id'),
    });
    expect(
      parseJoinRequest(
        '{"id":3,"joins":[{"kind":"payment","hash":7,"account":0},{"kind":"ip","hash":1,"account":2}]}',
      ),
    ).toEqual({
      ok: false,
      error: 'joins[1] needs a link kind, an integer hash and an account index',
    });
    expect(parseJoinReply('{"id":3,"partition":1,"members":[[0.5]]}')).toMatchObject({ ok: false });
  });
});
