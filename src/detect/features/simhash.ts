/**
 * 64-bit SimHash (Charikar) over word unigram + bigram shingles, as two unsigned 32-bit halves so it
 * stays in small integers. Prompts that differ in a word or two land a few bits apart;
 * unrelated prompts land ~32 bits apart, so a Hamming radius of 3–6 bits finds near-duplicates.
 */
import { mix32 } from './hash.js';
import { profileText } from './tokens.js';

/** A 64-bit fingerprint as two unsigned 32-bit halves. */
export interface SimHash {
  hi: number;
  lo: number;
}

/**
 * Byte → four 8-bit lanes, one per bit of a nibble: lets us add the bits of a hash to 64
 * counters with 16 additions instead of 64 (SWAR). Lane k of NIBBLE[x] is bit k of x.
 */
const NIBBLE = new Uint32Array(16);
for (let x = 0; x < 16; x++) {
  NIBBLE[x] = (x & 1) | (((x >> 1) & 1) << 8) | (((x >> 2) & 1) << 16) | (((x >> 3) & 1) << 24);
}

const lanes = new Uint32Array(16); // 16 packed accumulators × 4 lanes = 64 counters (≤ 255 each)
const counts = new Int32Array(64);

function flush(): void {
  for (let a = 0; a < 16; a++) {
    const v = lanes[a]!;
    const base = a * 4;
    counts[base] = counts[base]! + (v & 0xff);
    counts[base + 1] = counts[base + 1]! + ((v >>> 8) & 0xff);
    counts[base + 2] = counts[base + 2]! + ((v >>> 16) & 0xff);
    counts[base + 3] = counts[base + 3]! + (v >>> 24);
    lanes[a] = 0;
  }
}

function addBits(lo: number, hi: number): void {
  for (let a = 0; a < 8; a++) {
    lanes[a] = lanes[a]! + NIBBLE[(lo >>> (a * 4)) & 15]!;
    lanes[a + 8] = lanes[a + 8]! + NIBBLE[(hi >>> (a * 4)) & 15]!;
  }
}

/**
 * SimHash of a sequence of word hashes (from `profileText`): shingles are single words and
 * adjacent word pairs. Each shingle votes on every bit; the majority wins.
 *
 * @example
 * const p = profileText('the quick brown fox');
 * simhashWords(p.hashes, p.words); // { hi: …, lo: … }
 */
export function simhashWords(hashes: Uint32Array, words: number): SimHash {
  if (words === 0) return { hi: 0, lo: 0 };
  lanes.fill(0);
  counts.fill(0);
  // Features: every word and every adjacent pair, so one changed word moves 3 of ~2n votes.
  const shingles = 2 * words - 1;
  let pending = 0;
  for (let i = 0; i < words; i++) {
    const a = hashes[i]!;
    let lo = mix32(a);
    addBits(lo, mix32(lo ^ 0x68e31da4));
    if (i + 1 < words) {
      lo = mix32(a ^ Math.imul(hashes[i + 1]!, 0x2c1b3c6d));
      addBits(lo, mix32(lo ^ 0x68e31da4));
    }
    pending += 2;
    if (pending >= 254) {
      flush();
      pending = 0;
    }
  }
  flush();
  // Bit set when more than half of the shingles set it; ties go to 0.
  let lo = 0;
  let hi = 0;
  for (let a = 0; a < 8; a++) {
    for (let k = 0; k < 4; k++) {
      const bit = a * 4 + k;
      if (counts[a * 4 + k]! * 2 > shingles) lo |= 1 << bit;
      if (counts[32 + a * 4 + k]! * 2 > shingles) hi |= 1 << bit;
    }
  }
  return { hi: hi >>> 0, lo: lo >>> 0 };
}

/**
 * SimHash of a text (tokenised like every other feature).
 *
 * @example
 * const a = simhash('Summarize the following article about climate policy in Europe and its effects');
 * const b = simhash('Summarize the following article about climate policy in Europe and its effect');
 * hamming(a, b) <= 6; // true
 */
export function simhash(text: string): SimHash {
  const p = profileText(text);
  return simhashWords(p.hashes, p.words);
}

function popcount32(x: number): number {
  let v = x >>> 0;
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/**
 * Number of differing bits between two 64-bit fingerprints (0–64).
 *
 * @example
 * hamming({ hi: 0, lo: 0b1011 }, { hi: 1, lo: 0 }); // 4
 */
export function hamming(a: SimHash, b: SimHash): number {
  return popcount32(a.hi ^ b.hi) + popcount32(a.lo ^ b.lo);
}
