import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { popcount32 } from './bits.js';

describe('popcount32', () => {
  it('counts set bits like the plain definition', () => {
    expect(popcount32(0)).toBe(0);
    expect(popcount32(0xffffffff)).toBe(32);
    expect(popcount32(-1)).toBe(32);
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 32 - 1 }), (x) => {
        const plain = [...(x >>> 0).toString(2)].filter((c) => c === '1').length;
        expect(popcount32(x)).toBe(plain);
      }),
    );
  });
});
