import { describe, expect, it } from 'vitest';
import { mergeAsync, mergeByTime } from './merge.js';
import { Rng } from './rng.js';

describe('mergeByTime', () => {
  it('produces a globally sorted stream from many sorted streams', () => {
    const rng = new Rng(9);
    const streams: Array<Array<{ s: number; t: number }>> = [];
    for (let s = 0; s < 50; s++) {
      let t = 0;
      const stream: Array<{ s: number; t: number }> = [];
      for (let k = rng.int(0, 40); k > 0; k--) {
        t += rng.int(0, 5);
        stream.push({ s, t });
      }
      streams.push(stream);
    }
    const out = [...mergeByTime(streams, (x: { s: number; t: number }) => x.t)];
    expect(out).toHaveLength(streams.reduce((n, s) => n + s.length, 0));
    for (let i = 1; i < out.length; i++) {
      const a = out[i - 1];
      const b = out[i];
      if (a === undefined || b === undefined) throw new Error('hole');
      expect(a.t < b.t || (a.t === b.t && a.s <= b.s)).toBe(true);
    }
  });

  it('pulls lazily from generators', () => {
    let pulled = 0;
    function* gen(): Generator<number> {
      for (let i = 0; i < 1e9; i++) {
        pulled++;
        yield i;
      }
    }
    const it = mergeByTime([gen(), [0.5]], (x) => x);
    expect([it.next().value, it.next().value, it.next().value]).toEqual([0, 0.5, 1]);
    expect(pulled).toBeLessThan(5);
  });

  it('rejects a stream that goes back in time', () => {
    expect(() => [...mergeByTime([[1, 3, 2]], (x) => x)]).toThrow('went back in time');
  });
});

describe('mergeAsync', () => {
  it('interleaves host and simulated items by time, host first on ties', async () => {
    async function* host(): AsyncGenerator<{ h: number }> {
      yield { h: 1 };
      yield { h: 4 };
    }
    const out: string[] = [];
    for await (const x of mergeAsync(
      host(),
      [{ s: 0 }, { s: 4 }, { s: 9 }],
      (a) => a.h,
      (b) => b.s,
    ))
      out.push('h' in x ? `h${x.h}` : `s${x.s}`);
    expect(out).toEqual(['s0', 'h1', 'h4', 's4', 's9']);
  });
});
