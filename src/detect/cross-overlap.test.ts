import { describe, expect, it } from 'vitest';
import { popcount32 } from './bits.js';
import { CROSS_OVERLAP_MIN_PROMPTS, CrossOverlap } from './cross-overlap.js';
import { mix32 } from './sketch.js';

const prompt = (q: number): number => mix32(q + 1);

describe('CrossOverlap', () => {
  it('is 1 − distinct(union) / Σ distinct(member): two members sending the same set give 0.5', () => {
    const o = new CrossOverlap();
    for (let q = 0; q < 200; q++) {
      o.add(prompt(q), 1);
      o.add(prompt(q), 2);
    }
    expect(o.share()).toBeCloseTo(0.5, 5);
  });

  it('ignores repetition within one member', () => {
    const o = new CrossOverlap();
    for (let round = 0; round < 10; round++) for (let q = 0; q < 100; q++) o.add(prompt(q), 7);
    expect(o.share()).toBe(0);
  });

  it('says nothing before enough prompts are sampled', () => {
    const o = new CrossOverlap();
    for (let q = 0; q < CROSS_OVERLAP_MIN_PROMPTS - 1; q++) {
      o.add(prompt(q), 1);
      o.add(prompt(q), 2);
    }
    expect(o.share()).toBe(0);
  });

  it('stays bounded and keeps the ratio when it has to sample (a third of prompts shared)', () => {
    const o = new CrossOverlap(256);
    for (let q = 0; q < 30_000; q++) {
      o.add(prompt(q), q % 5); // every prompt from one member …
      if (q % 3 === 0) o.add(prompt(q), (q % 5) + 1); // … a third also from the next one
    }
    expect(o.prompts).toBeLessThanOrEqual(256);
    expect(o.level).toBeGreaterThan(0);
    // Σ distinct(member) = 4/3 per prompt → 1 − 3/4 = 0.25
    expect(o.share()).toBeGreaterThan(0.18);
    expect(o.share()).toBeLessThan(0.32);
  });

  it('merges two groups’ tables: a prompt each sent once becomes shared', () => {
    const a = new CrossOverlap();
    const b = new CrossOverlap();
    for (let q = 0; q < 100; q++) {
      a.add(prompt(q), 1);
      b.add(prompt(q), 2);
    }
    expect(a.share()).toBe(0);
    a.merge(b);
    expect(a.share()).toBeCloseTo(0.5, 5);
  });

  it('keeps its running count of sends equal to the masks it holds, through shrinking and merging', () => {
    const a = new CrossOverlap(64);
    const b = new CrossOverlap(64);
    const recount = (o: CrossOverlap): number => {
      let sends = 0;
      for (const mask of o.senders.values()) sends += popcount32(mask);
      return sends;
    };
    for (let k = 0; k < 3000; k++) {
      a.add(prompt(k % 700), k % 9);
      b.add(prompt((k * 7) % 500), 3 + (k % 5));
      expect(a.sends).toBe(recount(a));
    }
    a.merge(b);
    expect(a.level).toBeGreaterThan(0);
    expect(a.sends).toBe(recount(a));
  });
});
