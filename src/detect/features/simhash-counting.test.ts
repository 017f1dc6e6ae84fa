import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mix32i } from './hash.js';
import { simhashWords } from './simhash.js';

/**
 * The definition simhashWords implements, written plainly: the same shingles, sample and mixes,
 * one counter per bit. The fast version counts with carry-save bit-slices and packed lanes; it
 * must agree bit for bit.
 */
function referenceSimhash(hashes: Int32Array, words: number): { hi: number; lo: number } {
  if (words === 0) return { hi: 0, lo: 0 };
  const features = 2 * words - 1;
  const mask = features <= 256 ? 0 : features <= 1024 ? 3 : 7;
  const counts = new Array<number>(64).fill(0);
  let kept = 0;
  for (let f = 0; f < features; f++) {
    const i = f >> 1;
    const key =
      f % 2 === 0
        ? Math.imul(hashes[i]! ^ 0x27d4eb2f, 0x9e3779b1)
        : Math.imul(hashes[i]! ^ Math.imul(hashes[i + 1]!, 0x2c1b3c6d), 0x9e3779b1);
    if ((key >>> 29) & mask) continue;
    kept++;
    const lo = mix32i(key ^ 0x5bd1e995);
    const hi = mix32i(key ^ 0x68e31da4);
    for (let b = 0; b < 32; b++) {
      counts[b]! += (lo >>> b) & 1;
      counts[32 + b]! += (hi >>> b) & 1;
    }
  }
  let lo = 0;
  let hi = 0;
  for (let b = 0; b < 32; b++) {
    if (counts[b]! * 2 > kept) lo |= 1 << b;
    if (counts[32 + b]! * 2 > kept) hi |= 1 << b;
  }
  return { hi: hi >>> 0, lo: lo >>> 0 };
}

describe('simhashWords counting', () => {
  it('agrees with the plain per-bit count on random word sequences of every length class', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 2048 }), (xs) => {
        const hashes = Int32Array.from(xs);
        expect(simhashWords(hashes, hashes.length)).toEqual(referenceSimhash(hashes, hashes.length));
      }),
      { numRuns: 300 },
    );
  });

  it('agrees on few distinct words repeated (long runs of one vote, exact ties, lane flushes)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 2048 }), (xs) => {
        const hashes = Int32Array.from(xs);
        expect(simhashWords(hashes, hashes.length)).toEqual(referenceSimhash(hashes, hashes.length));
      }),
      { numRuns: 200 },
    );
    // 2048 equal words: every pair and word shares one key, so all 4095 features are kept or
    // none are; this is the longest run the packed lanes must carry through their flushes.
    const keptAlways = (w: number): boolean =>
      Math.imul(w ^ 0x27d4eb2f, 0x9e3779b1) >>> 29 === 0 &&
      Math.imul(w ^ Math.imul(w, 0x2c1b3c6d), 0x9e3779b1) >>> 29 === 0;
    let full = 0;
    while (!keptAlways(full)) full++;
    for (const w of [0, 1, 7, -5, 123456789, full]) {
      const same = new Int32Array(2048).fill(w);
      expect(simhashWords(same, 2048)).toEqual(referenceSimhash(same, 2048));
    }
  });
});
