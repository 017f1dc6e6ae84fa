/**
 * Bit counting shared by the sketches, profiles and fingerprints (one definition instead of a
 * copy per module).
 */

/**
 * Number of set bits in the low 32 bits of `x` (SWAR: constant time, int32 arithmetic only).
 *
 * @example
 * popcount32(0b1011); // 3
 */
export function popcount32(x: number): number {
  let v = x >>> 0;
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}
