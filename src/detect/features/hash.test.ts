import { describe, expect, it } from 'vitest';
import { FNV_OFFSET, fnv1a, fnv1aStep, mix32, mix32i } from './hash.js';

describe('fnv1a', () => {
  it('matches the published FNV-1a 32-bit test vectors', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });

  it('steps agree with the whole-string hash', () => {
    let h = FNV_OFFSET;
    for (const ch of 'template') h = fnv1aStep(h, ch.charCodeAt(0));
    expect(h).toBe(fnv1a('template'));
  });
});

describe('mix32', () => {
  it('spreads nearby inputs to unsigned, distinct outputs', () => {
    const outs = new Set([0, 1, 2, 3, 4].map(mix32));
    expect(outs.size).toBe(5);
    for (const v of outs) expect(v).toBeGreaterThanOrEqual(0);
  });

  it('maps 0 to 0 and only 0 (SimHash pads its last group with keys whose word is 0)', () => {
    expect(mix32i(0)).toBe(0);
    for (const x of [1, -1, 0x5bd1e995, 0x68e31da4, 2 ** 31 - 1]) expect(mix32i(x)).not.toBe(0);
  });
});
