/**
 * 64-bit SimHash (Charikar) over word unigram + bigram shingles, as two unsigned 32-bit halves so it
 * stays in small integers. Prompts that differ in a word or two land a few bits apart;
 * unrelated prompts land ~32 bits apart, so a Hamming radius of 3–6 bits finds near-duplicates.
 */

import { popcount32 } from '../bits.js';
import { mix32i } from './hash.js';
import { profileText } from './tokens.js';

/** A 64-bit fingerprint as two unsigned 32-bit halves. */
export interface SimHash {
  hi: number;
  lo: number;
}

/**
 * Byte → four 8-bit lanes, one per bit of a nibble: adds the bits of a word to 32 counters with 8
 * table additions instead of 32 (SWAR). Lane k of NIBBLE[x] is bit k of x.
 */
const NIBBLE = new Int32Array(16);
for (let x = 0; x < 16; x++) {
  NIBBLE[x] = (x & 1) | (((x >> 1) & 1) << 8) | (((x >> 2) & 1) << 16) | (((x >> 3) & 1) << 24);
}

/**
 * Long texts vote with a consistent sample of their features (those whose hash has its low
 * bits clear): the same feature is kept or dropped in every text, so near-duplicates still
 * agree, and a 1 KB prompt (~400 features) votes with about 100 of them. Rates step by powers of two so texts
 * of similar length use the same rate.
 */
function sampleMaskFor(features: number): number {
  if (features <= 256) return 0;
  if (features <= 1024) return 3;
  return 7;
}

/** Per-bit vote counts: lo half in 0–31, hi half in 32–63. */
const counts = new Int32Array(64);
/** Packed lanes of the "eights" counters of one half: 8 nibbles, each lane ≤ 255 before a flush. */
const lanes = new Int32Array(8);
/** Groups of 8 features added to `lanes` between flushes into `counts` (each lane holds ≤ 255). */
const FLUSH_EVERY = 255;

/** Adds the bits of `w` (weight 1 each) to the 8-bit lanes. */
function addLanes(w: number): void {
  lanes[0] = lanes[0]! + NIBBLE[w & 15]!;
  lanes[1] = lanes[1]! + NIBBLE[(w >>> 4) & 15]!;
  lanes[2] = lanes[2]! + NIBBLE[(w >>> 8) & 15]!;
  lanes[3] = lanes[3]! + NIBBLE[(w >>> 12) & 15]!;
  lanes[4] = lanes[4]! + NIBBLE[(w >>> 16) & 15]!;
  lanes[5] = lanes[5]! + NIBBLE[(w >>> 20) & 15]!;
  lanes[6] = lanes[6]! + NIBBLE[(w >>> 24) & 15]!;
  lanes[7] = lanes[7]! + NIBBLE[w >>> 28]!;
}

/** Moves the lanes into counts[at + bit] (in units of 8 features) and clears them. */
function flushLanes(at: number): void {
  for (let k = 0; k < 8; k++) {
    const v = lanes[k]!;
    const bit = at + k * 4;
    counts[bit] = counts[bit]! + (v & 0xff);
    counts[bit + 1] = counts[bit + 1]! + ((v >>> 8) & 0xff);
    counts[bit + 2] = counts[bit + 2]! + ((v >>> 16) & 0xff);
    counts[bit + 3] = counts[bit + 3]! + (v >>> 24);
    lanes[k] = 0;
  }
}

/**
 * Sets counts[at + b], for every bit b, to how many of the words `mix32i(keys[k] ^ salt)`,
 * k < kept, have bit b set. Column counts as carry-save (Harley–Seal) bit-slices: `ones`, `twos`,
 * `fours` hold the low three bits of every column's count and each full group of 8 words adds
 * one "eights" word to the packed lanes. A word costs about a dozen bitwise operations instead
 * of one table addition per nibble; the counts are exact. One half at a time, with the state in
 * local variables: the same steps on object fields took ~1.5× as long (measured).
 */
function countBits(keys: Int32Array, kept: number, salt: number, at: number): void {
  let ones = 0;
  let twos = 0;
  let fours = 0;
  let groups = 0;
  // The last group is padded with keys whose word is 0 (mix32i is a bijection with
  // mix32i(0) = 0), which adds nothing to any column: no group needs a special case.
  for (let j = 0; j < 8; j++) keys[kept + j] = salt;
  for (let k = 0; k < kept; k += 8) {
    // Carry-save adder: (carry, sum) of three words, bit by bit.
    let a = mix32i(keys[k]! ^ salt);
    let b = mix32i(keys[k + 1]! ^ salt);
    let u = ones ^ a;
    let twosA = (ones & a) | (u & b);
    ones = u ^ b;
    a = mix32i(keys[k + 2]! ^ salt);
    b = mix32i(keys[k + 3]! ^ salt);
    u = ones ^ a;
    let twosB = (ones & a) | (u & b);
    ones = u ^ b;
    u = twos ^ twosA;
    const foursA = (twos & twosA) | (u & twosB);
    twos = u ^ twosB;
    a = mix32i(keys[k + 4]! ^ salt);
    b = mix32i(keys[k + 5]! ^ salt);
    u = ones ^ a;
    twosA = (ones & a) | (u & b);
    ones = u ^ b;
    a = mix32i(keys[k + 6]! ^ salt);
    b = mix32i(keys[k + 7]! ^ salt);
    u = ones ^ a;
    twosB = (ones & a) | (u & b);
    ones = u ^ b;
    u = twos ^ twosA;
    const foursB = (twos & twosA) | (u & twosB);
    twos = u ^ twosB;
    u = fours ^ foursA;
    addLanes((fours & foursA) | (u & foursB));
    fours = u ^ foursB;
    if (++groups === FLUSH_EVERY) {
      flushLanes(at);
      groups = 0;
    }
  }
  flushLanes(at);
  for (let bit = 0; bit < 32; bit++) {
    counts[at + bit] =
      counts[at + bit]! * 8 + ((fours >>> bit) & 1) * 4 + ((twos >>> bit) & 1) * 2 + ((ones >>> bit) & 1);
  }
}

/** Keys of the kept features of one text, and 8 slots for the padding `countBits` writes (a longer
 * word list gets an array of its own). */
const KEPT = new Int32Array(4096 + 8);

/** 1 when the feature with this key is kept at this sample mask, 0 when dropped (no branch). */
function keptBit(key: number, sampleMask: number): number {
  // ((key >>> 29) & mask) is 0 for a kept key: 0 - 1 has its sign bit set, 1..7 - 1 do not.
  return (((key >>> 29) & sampleMask) - 1) >>> 31;
}

/**
 * SimHash of a sequence of word hashes (from `profileText`): shingles are single words and
 * adjacent word pairs. Each shingle votes on every bit; the majority wins.
 *
 * @example
 * const p = profileText('the quick brown fox');
 * simhashWords(p.hashes, p.words); // { hi: …, lo: … }
 */
export function simhashWords(hashes: Int32Array, words: number): SimHash {
  if (words === 0) return { hi: 0, lo: 0 };
  // Features: every word and every adjacent pair, so one changed word moves 3 of ~2n votes.
  const sampleMask = sampleMaskFor(2 * words - 1);
  const keys = 2 * words + 8 <= KEPT.length ? KEPT : new Int32Array(2 * words + 8);
  const kept = keepFeatures(hashes, words, sampleMask, keys);
  counts.fill(0);
  countBits(keys, kept, 0x5bd1e995, 0);
  countBits(keys, kept, 0x68e31da4, 32);
  // Bit set when more than half of the features set it; ties go to 0. Each bit is a coin flip,
  // so it is set without a branch: kept - 2·count is negative exactly when the bit wins.
  let lo = 0;
  let hi = 0;
  for (let bit = 0; bit < 32; bit++) {
    lo |= ((kept - counts[bit]! * 2) >>> 31) << bit;
    hi |= ((kept - counts[32 + bit]! * 2) >>> 31) << bit;
  }
  return { hi: hi >>> 0, lo: lo >>> 0 };
}

/**
 * Writes the keys of the kept features (words and adjacent pairs, in order) to `keys` and
 * returns how many there are.
 */
function keepFeatures(hashes: Int32Array, words: number, sampleMask: number, keys: Int32Array): number {
  let kept = 0;
  // One multiply spreads the word hash (or the pair's); the sample test reads its top bits.
  // Every key is written to `keys` but the count only moves past kept ones: whether a feature
  // is kept is a coin flip per feature, so a branch on it would mispredict about every other
  // time. Only kept features pay for the two full mixes, in `countBits`: with no call in this
  // loop, its values stay in registers. The next word's hash is carried to the next round.
  let word = hashes[0]!;
  for (let i = 1; i < words; i++) {
    const next = hashes[i]!;
    let key = Math.imul(word ^ 0x27d4eb2f, 0x9e3779b1);
    keys[kept] = key;
    kept += keptBit(key, sampleMask);
    key = Math.imul(word ^ Math.imul(next, 0x2c1b3c6d), 0x9e3779b1);
    keys[kept] = key;
    kept += keptBit(key, sampleMask);
    word = next;
  }
  const key = Math.imul(word ^ 0x27d4eb2f, 0x9e3779b1); // the last word has no pair
  keys[kept] = key;
  return kept + keptBit(key, sampleMask);
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

/**
 * Number of differing bits between two 64-bit fingerprints (0–64).
 *
 * @example
 * hamming({ hi: 0, lo: 0b1011 }, { hi: 1, lo: 0 }); // 4
 */
export function hamming(a: SimHash, b: SimHash): number {
  return popcount32(a.hi ^ b.hi) + popcount32(a.lo ^ b.lo);
}
