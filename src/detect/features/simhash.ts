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

/** Per-bit vote counts in units of 8 features (the "eights" of the carry-save tree below). */
const counts = new Int32Array(64);
/** Packed lanes of the eights counters: 2 halves × 8 nibbles, each lane ≤ 255 before a flush. */
const lanes = new Int32Array(16);
/** Groups of 8 features added to `lanes` between flushes into `counts` (each lane holds ≤ 255). */
const FLUSH_EVERY = 255;
/** Mixed hashes of the kept features of the group being gathered (lo halves, then hi halves). */
const group = new Int32Array(16);

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

/** Adds the bits of `w` (weight 1 each) to the 8-bit lanes of one half, starting at lanes[at]. */
function addLanes(w: number, at: number): void {
  lanes[at] = lanes[at]! + NIBBLE[w & 15]!;
  lanes[at + 1] = lanes[at + 1]! + NIBBLE[(w >>> 4) & 15]!;
  lanes[at + 2] = lanes[at + 2]! + NIBBLE[(w >>> 8) & 15]!;
  lanes[at + 3] = lanes[at + 3]! + NIBBLE[(w >>> 12) & 15]!;
  lanes[at + 4] = lanes[at + 4]! + NIBBLE[(w >>> 16) & 15]!;
  lanes[at + 5] = lanes[at + 5]! + NIBBLE[(w >>> 20) & 15]!;
  lanes[at + 6] = lanes[at + 6]! + NIBBLE[(w >>> 24) & 15]!;
  lanes[at + 7] = lanes[at + 7]! + NIBBLE[w >>> 28]!;
}

/** Moves the packed lanes into `counts` and clears them. */
function flushLanes(): void {
  for (let k = 0; k < 16; k++) {
    const v = lanes[k]!;
    const bit = (k & 7) * 4 + (k >> 3) * 32;
    counts[bit] = counts[bit]! + (v & 0xff);
    counts[bit + 1] = counts[bit + 1]! + ((v >>> 8) & 0xff);
    counts[bit + 2] = counts[bit + 2]! + ((v >>> 16) & 0xff);
    counts[bit + 3] = counts[bit + 3]! + (v >>> 24);
    lanes[k] = 0;
  }
}

/**
 * Column counts of the 64 bits over the kept features, as carry-save (Harley–Seal) bit-slices:
 * per half, `ones`, `twos`, `fours` hold the low three bits of every column's count and each
 * full group of 8 features adds one "eights" word to the packed lanes. A feature costs about a
 * dozen bitwise operations instead of one table addition per nibble; the counts are exact.
 */
class Columns {
  onesLo = 0;
  twosLo = 0;
  foursLo = 0;
  onesHi = 0;
  twosHi = 0;
  foursHi = 0;
  gathered = 0;
  groups = 0;

  reset(): void {
    this.onesLo = 0;
    this.twosLo = 0;
    this.foursLo = 0;
    this.onesHi = 0;
    this.twosHi = 0;
    this.foursHi = 0;
    this.gathered = 0;
    this.groups = 0;
    counts.fill(0);
    lanes.fill(0);
  }

  add(lo: number, hi: number): void {
    group[this.gathered] = lo;
    group[this.gathered + 8] = hi;
    if (++this.gathered === 8) this.addGroup();
  }

  /** Adds the 8 gathered features (missing ones as zero words) to the bit-slices. */
  addGroup(): void {
    for (let k = this.gathered; k < 8; k++) {
      group[k] = 0;
      group[k + 8] = 0;
    }
    this.gathered = 0;
    const eightsLo = this.tree(0);
    this.onesLo = this.ones;
    this.twosLo = this.twos;
    this.foursLo = this.fours;
    const eightsHi = this.tree(8);
    this.onesHi = this.ones;
    this.twosHi = this.twos;
    this.foursHi = this.fours;
    addLanes(eightsLo, 0);
    addLanes(eightsHi, 8);
    if (++this.groups === FLUSH_EVERY) {
      flushLanes();
      this.groups = 0;
    }
  }

  private ones = 0;
  private twos = 0;
  private fours = 0;

  /** One Harley–Seal step over group[at..at+8): updates ones/twos/fours, returns the eights. */
  private tree(at: number): number {
    let ones = at === 0 ? this.onesLo : this.onesHi;
    let twos = at === 0 ? this.twosLo : this.twosHi;
    let fours = at === 0 ? this.foursLo : this.foursHi;
    // Carry-save adder: (carry, sum) of three words, bit by bit.
    let a = group[at]!;
    let b = group[at + 1]!;
    let u = ones ^ a;
    let twosA = (ones & a) | (u & b);
    ones = u ^ b;
    a = group[at + 2]!;
    b = group[at + 3]!;
    u = ones ^ a;
    let twosB = (ones & a) | (u & b);
    ones = u ^ b;
    u = twos ^ twosA;
    const foursA = (twos & twosA) | (u & twosB);
    twos = u ^ twosB;
    a = group[at + 4]!;
    b = group[at + 5]!;
    u = ones ^ a;
    twosA = (ones & a) | (u & b);
    ones = u ^ b;
    a = group[at + 6]!;
    b = group[at + 7]!;
    u = ones ^ a;
    twosB = (ones & a) | (u & b);
    ones = u ^ b;
    u = twos ^ twosA;
    const foursB = (twos & twosA) | (u & twosB);
    twos = u ^ twosB;
    u = fours ^ foursA;
    const eights = (fours & foursA) | (u & foursB);
    fours = u ^ foursB;
    this.ones = ones;
    this.twos = twos;
    this.fours = fours;
    return eights;
  }

  /** Finishes the counts: counts[b] = 8·eights + 4·fours + 2·twos + ones of column b. */
  finish(): void {
    if (this.gathered > 0) this.addGroup();
    flushLanes();
    for (let bit = 0; bit < 32; bit++) {
      counts[bit] =
        counts[bit]! * 8 +
        ((this.foursLo >>> bit) & 1) * 4 +
        ((this.twosLo >>> bit) & 1) * 2 +
        ((this.onesLo >>> bit) & 1);
      counts[32 + bit] =
        counts[32 + bit]! * 8 +
        ((this.foursHi >>> bit) & 1) * 4 +
        ((this.twosHi >>> bit) & 1) * 2 +
        ((this.onesHi >>> bit) & 1);
    }
  }
}

const columns = new Columns();

/** Keys of the kept features of one text (a longer word list gets an array of its own). */
const KEPT = new Int32Array(4096);

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
  columns.reset();
  // Features: every word and every adjacent pair, so one changed word moves 3 of ~2n votes.
  const sampleMask = sampleMaskFor(2 * words - 1);
  const keys = 2 * words <= KEPT.length ? KEPT : new Int32Array(2 * words);
  let kept = 0;
  for (let i = 0; i < words; i++) {
    // One multiply spreads the word hash (or the pair's); the sample test reads its top bits.
    // Every key is written to `keys` but the count only moves past kept ones: whether a feature
    // is kept is a coin flip per feature, so a branch on it would mispredict about every other
    // time. Only kept features pay for the two full mixes, in a second loop: with no call in
    // this one, its values stay in registers.
    const word = hashes[i]!;
    let key = Math.imul(word ^ 0x27d4eb2f, 0x9e3779b1);
    keys[kept] = key;
    kept += keptBit(key, sampleMask);
    if (i + 1 === words) break;
    key = Math.imul(word ^ Math.imul(hashes[i + 1]!, 0x2c1b3c6d), 0x9e3779b1);
    keys[kept] = key;
    kept += keptBit(key, sampleMask);
  }
  for (let k = 0; k < kept; k++) {
    const key = keys[k]!;
    columns.add(mix32i(key ^ 0x5bd1e995), mix32i(key ^ 0x68e31da4));
  }
  columns.finish();
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
