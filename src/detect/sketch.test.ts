import { describe, expect, it } from 'vitest';
import {
  fnv1a,
  HLL_REGISTERS,
  hllAdd,
  hllEstimate,
  hllMerge,
  MG_SLOTS,
  mgAdd,
  mgTop,
  mix32,
} from './sketch.js';

describe('sketches', () => {
  it('HLL estimates distinct counts within ~30% and ignores repeats', () => {
    for (const n of [10, 100, 1000, 20000]) {
      const regs = new Uint8Array(HLL_REGISTERS);
      for (let round = 0; round < 3; round++) for (let i = 0; i < n; i++) hllAdd(regs, 0, mix32(i + 1));
      const est = hllEstimate(regs, 0);
      expect(Math.abs(est - n) / n).toBeLessThan(0.3);
    }
  });

  it('a 1024-register HLL is accurate to a few percent', () => {
    const regs = new Uint8Array(1024);
    for (let i = 0; i < 5000; i++) hllAdd(regs, 0, mix32(i + 7), 10);
    expect(Math.abs(hllEstimate(regs, 0, 1024) - 5000) / 5000).toBeLessThan(0.08);
  });

  it('HLL merge estimates the union', () => {
    const a = new Uint8Array(HLL_REGISTERS);
    const b = new Uint8Array(HLL_REGISTERS);
    for (let i = 0; i < 500; i++) hllAdd(a, 0, mix32(i));
    for (let i = 500; i < 1000; i++) hllAdd(b, 0, mix32(i));
    hllMerge(a, 0, b, 0);
    expect(Math.abs(hllEstimate(a, 0) - 1000) / 1000).toBeLessThan(0.3);
  });

  it('Misra–Gries keeps a dominant key', () => {
    const keys = new Uint32Array(2 * MG_SLOTS);
    const counts = new Uint32Array(2 * MG_SLOTS);
    for (let i = 0; i < 100; i++) {
      mgAdd(keys, counts, MG_SLOTS, 7);
      mgAdd(keys, counts, MG_SLOTS, 1000 + i);
    }
    expect(mgTop(counts, MG_SLOTS)).toBeGreaterThanOrEqual(50);
    expect(mgTop(counts, 0)).toBe(0);
  });

  it('Misra–Gries counts every template of a pool rotated in turn (up to MG_SLOTS of them)', () => {
    // A fleet rotating a pool of prompt templates: with fewer counters than templates, every
    // newcomer decrements them all and no count ever builds up.
    const keys = new Uint32Array(MG_SLOTS);
    const counts = new Uint32Array(MG_SLOTS);
    for (let i = 0; i < 60; i++) mgAdd(keys, counts, 0, 100 + (i % 6));
    expect(mgTop(counts, 0)).toBe(10);
  });

  it('hashes are stable and spread', () => {
    expect(fnv1a('abc')).toBe(fnv1a('abc'));
    expect(fnv1a('abc')).not.toBe(fnv1a('abd'));
    expect(mix32(1)).not.toBe(mix32(2));
  });
});
