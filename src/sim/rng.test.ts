import { describe, expect, it } from 'vitest';
import { hash32, Rng } from './rng.js';

describe('Rng', () => {
  it('repeats the same sequence for the same seed', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const xs = Array.from({ length: 20 }, () => a.float());
    expect(Array.from({ length: 20 }, () => b.float())).toEqual(xs);
    expect(new Rng(8).float()).not.toBe(xs[0]);
  });

  it('forks independent, reproducible streams by label', () => {
    const root = new Rng(1);
    expect(root.fork('a').float()).toBe(new Rng(1).fork('a').float());
    expect(root.fork('a').float()).not.toBe(root.fork('b').float());
    // Forking does not consume the parent's stream.
    const parent = new Rng(5);
    parent.fork('x');
    expect(parent.float()).toBe(new Rng(5).float());
  });

  it('keeps ints in range and covers it', () => {
    const rng = new Rng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const v = rng.int(2, 5);
      expect(v).toBeGreaterThanOrEqual(2);
      expect(v).toBeLessThanOrEqual(5);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([2, 3, 4, 5]);
  });

  it('honours weights', () => {
    const rng = new Rng(11);
    let heavy = 0;
    for (let i = 0; i < 1000; i++)
      if (
        rng.weighted([
          ['h', 9],
          ['l', 1],
        ] as const) === 'h'
      )
        heavy++;
    expect(heavy).toBeGreaterThan(850);
    expect(heavy).toBeLessThan(950);
  });

  it('hashes labels stably', () => {
    expect(hash32('abc')).toBe(hash32('abc'));
    expect(hash32('abc')).not.toBe(hash32('abd'));
    expect(new Rng(2).hex(12)).toMatch(/^[0-9a-f]{12}$/);
  });
});
