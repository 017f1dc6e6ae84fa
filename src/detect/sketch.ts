/**
 * Tiny fixed-size sketches used inside per-account and per-campaign state: a 32-bit mixer, a
 * HyperLogLog over a caller's byte slice (distinct prompts) and a Misra–Gries top-k summary
 * (repeated templates). They write into caller-owned typed arrays so a million accounts cost a
 * few slabs, not a million small objects.
 */

// One definition of each hash for features and state alike: stored sketches depend on their values.
export { fnv1a, mix32 } from './features/hash.js';

/** HyperLogLog registers per estimator: 64 gives ~13% standard error in 64 bytes. */
export const HLL_REGISTERS = 64;
/** 2^-r for every possible register value, so estimates need no Math.pow. */
const POW2_NEG = Float64Array.from({ length: 33 }, (_, r) => 2 ** -r);

/** Misra–Gries counters per summary. */
export const MG_SLOTS = 8;

/**
 * Adds a 32-bit hash to the HLL registers at `regs[offset .. offset + m)`, m = 2^bits
 * (default 64 registers).
 *
 * @example
 * const regs = new Uint8Array(64); hllAdd(regs, 0, mix32(42));
 */
export function hllAdd(regs: Uint8Array, offset: number, hash: number, bits = 6): void {
  const index = hash >>> (32 - bits); // top bits pick the register
  const rest = (hash << bits) >>> 0;
  const rank = rest === 0 ? 33 - bits : Math.clz32(rest) + 1;
  const at = offset + index;
  if (rank > regs[at]!) regs[at] = rank;
}

/**
 * Estimated number of distinct hashes added (linear counting while registers are sparse).
 *
 * @example
 * hllEstimate(new Uint8Array(64), 0); // 0
 */
export function hllEstimate(regs: Uint8Array, offset: number, m = HLL_REGISTERS): number {
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < m; i++) {
    const r = regs[offset + i]!;
    sum += POW2_NEG[r]!;
    if (r === 0) zeros++;
  }
  const alpha = m >= 128 ? 0.7213 / (1 + 1.079 / m) : 0.709;
  const raw = (alpha * m * m) / sum;
  if (raw <= 2.5 * m && zeros > 0) return m * Math.log(m / zeros);
  return raw;
}

/**
 * Merges HLL registers `src[srcOff..]` into `dst[dstOff..]` (union of the two sets).
 *
 * @example
 * hllMerge(groupRegs, 0, accountRegs, slot * 64);
 */
export function hllMerge(dst: Uint8Array, dstOff: number, src: Uint8Array, srcOff: number): void {
  for (let i = 0; i < HLL_REGISTERS; i++) {
    const v = src[srcOff + i]!;
    if (v > dst[dstOff + i]!) dst[dstOff + i] = v;
  }
}

/**
 * Misra–Gries update of a 4-slot summary stored at `keys/counts[offset .. offset + 4)`;
 * returns the key's count after the update (0 when it displaced nothing and was not kept).
 *
 * @example
 * const k = new Uint32Array(4), c = new Uint32Array(4);
 * mgAdd(k, c, 0, 7); mgAdd(k, c, 0, 7); // 2
 */
export function mgAdd(keys: Uint32Array, counts: Uint32Array, offset: number, key: number): number {
  let empty = -1;
  for (let i = offset; i < offset + MG_SLOTS; i++) {
    if (counts[i] === 0) {
      if (empty < 0) empty = i;
    } else if (keys[i] === key) {
      counts[i]!++;
      return counts[i]!;
    }
  }
  if (empty >= 0) {
    keys[empty] = key;
    counts[empty] = 1;
    return 1;
  }
  for (let i = offset; i < offset + MG_SLOTS; i++) counts[i]!--;
  return 0;
}

/**
 * The largest count in a Misra–Gries summary (a lower bound on the top key's true count).
 *
 * @example
 * mgTop(counts, slot * 4);
 */
export function mgTop(counts: Uint32Array, offset: number): number {
  let top = 0;
  for (let i = offset; i < offset + MG_SLOTS; i++) if (counts[i]! > top) top = counts[i]!;
  return top;
}
