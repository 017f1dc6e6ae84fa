/**
 * 32-bit FNV-1a, the one string hash the feature extractors share: cheap per character, no
 * allocation, and stable across processes (the detector compares hashes from different runs).
 */

/** FNV-1a 32-bit offset basis. */
export const FNV_OFFSET = 0x811c9dc5;
/** FNV-1a 32-bit prime. */
export const FNV_PRIME = 0x01000193;

/**
 * Hashes a string (UTF-16 code units) with 32-bit FNV-1a.
 *
 * @example
 * fnv1a('') === 0x811c9dc5; // true
 * fnv1a('a') === 0xe40c292c; // true
 */
export function fnv1a(text: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

/**
 * Folds one more UTF-16 code unit into a running FNV-1a hash (for hashing text as it is scanned).
 *
 * @example
 * fnv1aStep(FNV_OFFSET, 97) === fnv1a('a'); // true
 */
export function fnv1aStep(hash: number, code: number): number {
  return Math.imul(hash ^ code, FNV_PRIME) >>> 0;
}

/**
 * `mix32` in signed form (same bits, `| 0`), for hot loops: V8 keeps int32 values unboxed.
 *
 * @example
 * mix32i(1) >>> 0 === mix32(1); // true
 */
export function mix32i(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Mixes a 32-bit value into a well-spread 32-bit hash (murmur3 finaliser); FNV-1a alone leaves
 * the high bits of short words poorly mixed, which SimHash would notice.
 *
 * @example
 * mix32(1) !== mix32(2); // true
 */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
