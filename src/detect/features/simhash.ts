/**
 * 64-bit SimHash (Charikar) over word unigram + bigram shingles, as two unsigned 32-bit halves so it
 * stays in small integers. Prompts that differ in a word or two land a few bits apart;
 * unrelated prompts land ~32 bits apart, so a Hamming radius of 3–6 bits finds near-duplicates.
 */
import { mix32i } from './hash.js';
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
const NIBBLE = new Int32Array(16);
for (let x = 0; x < 16; x++) {
  NIBBLE[x] = (x & 1) | (((x >> 1) & 1) << 8) | (((x >> 2) & 1) << 16) | (((x >> 3) & 1) << 24);
}

const counts = new Int32Array(64);
/** Features added between flushes of the packed lanes into `counts` (each lane holds ≤ 255). */
const FLUSH_EVERY = 254;

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

/**
 * SimHash of a sequence of word hashes (from `profileText`): shingles are single words and
 * adjacent word pairs. Each shingle votes on every bit; the majority wins.
 *
 * The 64 vote counters live in 16 local packed accumulators (4 lanes of 8 bits each), so one
 * feature costs 16 table adds; the unrolled code is generated, hence its regularity.
 *
 * @example
 * const p = profileText('the quick brown fox');
 * simhashWords(p.hashes, p.words); // { hi: …, lo: … }
 */
export function simhashWords(hashes: Int32Array, words: number): SimHash {
  if (words === 0) return { hi: 0, lo: 0 };
  counts.fill(0);
  // Features: every word and every adjacent pair, so one changed word moves 3 of ~2n votes.
  const features = 2 * words - 1;
  let a0 = 0,
    a1 = 0,
    a2 = 0,
    a3 = 0,
    a4 = 0,
    a5 = 0,
    a6 = 0,
    a7 = 0,
    b0 = 0,
    b1 = 0,
    b2 = 0,
    b3 = 0,
    b4 = 0,
    b5 = 0,
    b6 = 0,
    b7 = 0;
  let pending = 0;
  let kept = 0;
  const sampleMask = sampleMaskFor(features);
  for (let f = 0; f < features; f++) {
    const i = f >> 1;
    // One multiply to spread the word hash(es); the sample test reads its top bits, and only
    // kept features pay for the two full mixes below.
    const key =
      (f & 1) === 0
        ? Math.imul(hashes[i]! ^ 0x27d4eb2f, 0x9e3779b1)
        : Math.imul(hashes[i]! ^ Math.imul(hashes[i + 1]!, 0x2c1b3c6d), 0x9e3779b1);
    if ((key >>> 29) & sampleMask) continue;
    kept++;
    const lo = mix32i(key ^ 0x5bd1e995);
    const hi = mix32i(key ^ 0x68e31da4);
    a0 = (a0 + NIBBLE[lo & 15]!) | 0;
    a1 = (a1 + NIBBLE[(lo >>> 4) & 15]!) | 0;
    a2 = (a2 + NIBBLE[(lo >>> 8) & 15]!) | 0;
    a3 = (a3 + NIBBLE[(lo >>> 12) & 15]!) | 0;
    a4 = (a4 + NIBBLE[(lo >>> 16) & 15]!) | 0;
    a5 = (a5 + NIBBLE[(lo >>> 20) & 15]!) | 0;
    a6 = (a6 + NIBBLE[(lo >>> 24) & 15]!) | 0;
    a7 = (a7 + NIBBLE[lo >>> 28]!) | 0;
    b0 = (b0 + NIBBLE[hi & 15]!) | 0;
    b1 = (b1 + NIBBLE[(hi >>> 4) & 15]!) | 0;
    b2 = (b2 + NIBBLE[(hi >>> 8) & 15]!) | 0;
    b3 = (b3 + NIBBLE[(hi >>> 12) & 15]!) | 0;
    b4 = (b4 + NIBBLE[(hi >>> 16) & 15]!) | 0;
    b5 = (b5 + NIBBLE[(hi >>> 20) & 15]!) | 0;
    b6 = (b6 + NIBBLE[(hi >>> 24) & 15]!) | 0;
    b7 = (b7 + NIBBLE[hi >>> 28]!) | 0;
    if (++pending === FLUSH_EVERY) {
      counts[0] = counts[0]! + (a0 & 0xff);
      counts[1] = counts[1]! + ((a0 >>> 8) & 0xff);
      counts[2] = counts[2]! + ((a0 >>> 16) & 0xff);
      counts[3] = counts[3]! + (a0 >>> 24);
      counts[4] = counts[4]! + (a1 & 0xff);
      counts[5] = counts[5]! + ((a1 >>> 8) & 0xff);
      counts[6] = counts[6]! + ((a1 >>> 16) & 0xff);
      counts[7] = counts[7]! + (a1 >>> 24);
      counts[8] = counts[8]! + (a2 & 0xff);
      counts[9] = counts[9]! + ((a2 >>> 8) & 0xff);
      counts[10] = counts[10]! + ((a2 >>> 16) & 0xff);
      counts[11] = counts[11]! + (a2 >>> 24);
      counts[12] = counts[12]! + (a3 & 0xff);
      counts[13] = counts[13]! + ((a3 >>> 8) & 0xff);
      counts[14] = counts[14]! + ((a3 >>> 16) & 0xff);
      counts[15] = counts[15]! + (a3 >>> 24);
      counts[16] = counts[16]! + (a4 & 0xff);
      counts[17] = counts[17]! + ((a4 >>> 8) & 0xff);
      counts[18] = counts[18]! + ((a4 >>> 16) & 0xff);
      counts[19] = counts[19]! + (a4 >>> 24);
      counts[20] = counts[20]! + (a5 & 0xff);
      counts[21] = counts[21]! + ((a5 >>> 8) & 0xff);
      counts[22] = counts[22]! + ((a5 >>> 16) & 0xff);
      counts[23] = counts[23]! + (a5 >>> 24);
      counts[24] = counts[24]! + (a6 & 0xff);
      counts[25] = counts[25]! + ((a6 >>> 8) & 0xff);
      counts[26] = counts[26]! + ((a6 >>> 16) & 0xff);
      counts[27] = counts[27]! + (a6 >>> 24);
      counts[28] = counts[28]! + (a7 & 0xff);
      counts[29] = counts[29]! + ((a7 >>> 8) & 0xff);
      counts[30] = counts[30]! + ((a7 >>> 16) & 0xff);
      counts[31] = counts[31]! + (a7 >>> 24);
      counts[32] = counts[32]! + (b0 & 0xff);
      counts[33] = counts[33]! + ((b0 >>> 8) & 0xff);
      counts[34] = counts[34]! + ((b0 >>> 16) & 0xff);
      counts[35] = counts[35]! + (b0 >>> 24);
      counts[36] = counts[36]! + (b1 & 0xff);
      counts[37] = counts[37]! + ((b1 >>> 8) & 0xff);
      counts[38] = counts[38]! + ((b1 >>> 16) & 0xff);
      counts[39] = counts[39]! + (b1 >>> 24);
      counts[40] = counts[40]! + (b2 & 0xff);
      counts[41] = counts[41]! + ((b2 >>> 8) & 0xff);
      counts[42] = counts[42]! + ((b2 >>> 16) & 0xff);
      counts[43] = counts[43]! + (b2 >>> 24);
      counts[44] = counts[44]! + (b3 & 0xff);
      counts[45] = counts[45]! + ((b3 >>> 8) & 0xff);
      counts[46] = counts[46]! + ((b3 >>> 16) & 0xff);
      counts[47] = counts[47]! + (b3 >>> 24);
      counts[48] = counts[48]! + (b4 & 0xff);
      counts[49] = counts[49]! + ((b4 >>> 8) & 0xff);
      counts[50] = counts[50]! + ((b4 >>> 16) & 0xff);
      counts[51] = counts[51]! + (b4 >>> 24);
      counts[52] = counts[52]! + (b5 & 0xff);
      counts[53] = counts[53]! + ((b5 >>> 8) & 0xff);
      counts[54] = counts[54]! + ((b5 >>> 16) & 0xff);
      counts[55] = counts[55]! + (b5 >>> 24);
      counts[56] = counts[56]! + (b6 & 0xff);
      counts[57] = counts[57]! + ((b6 >>> 8) & 0xff);
      counts[58] = counts[58]! + ((b6 >>> 16) & 0xff);
      counts[59] = counts[59]! + (b6 >>> 24);
      counts[60] = counts[60]! + (b7 & 0xff);
      counts[61] = counts[61]! + ((b7 >>> 8) & 0xff);
      counts[62] = counts[62]! + ((b7 >>> 16) & 0xff);
      counts[63] = counts[63]! + (b7 >>> 24);
      a0 = 0;
      a1 = 0;
      a2 = 0;
      a3 = 0;
      a4 = 0;
      a5 = 0;
      a6 = 0;
      a7 = 0;
      b0 = 0;
      b1 = 0;
      b2 = 0;
      b3 = 0;
      b4 = 0;
      b5 = 0;
      b6 = 0;
      b7 = 0;
      pending = 0;
    }
  }
  // Last partial batch.
  counts[0] = counts[0]! + (a0 & 0xff);
  counts[1] = counts[1]! + ((a0 >>> 8) & 0xff);
  counts[2] = counts[2]! + ((a0 >>> 16) & 0xff);
  counts[3] = counts[3]! + (a0 >>> 24);
  counts[4] = counts[4]! + (a1 & 0xff);
  counts[5] = counts[5]! + ((a1 >>> 8) & 0xff);
  counts[6] = counts[6]! + ((a1 >>> 16) & 0xff);
  counts[7] = counts[7]! + (a1 >>> 24);
  counts[8] = counts[8]! + (a2 & 0xff);
  counts[9] = counts[9]! + ((a2 >>> 8) & 0xff);
  counts[10] = counts[10]! + ((a2 >>> 16) & 0xff);
  counts[11] = counts[11]! + (a2 >>> 24);
  counts[12] = counts[12]! + (a3 & 0xff);
  counts[13] = counts[13]! + ((a3 >>> 8) & 0xff);
  counts[14] = counts[14]! + ((a3 >>> 16) & 0xff);
  counts[15] = counts[15]! + (a3 >>> 24);
  counts[16] = counts[16]! + (a4 & 0xff);
  counts[17] = counts[17]! + ((a4 >>> 8) & 0xff);
  counts[18] = counts[18]! + ((a4 >>> 16) & 0xff);
  counts[19] = counts[19]! + (a4 >>> 24);
  counts[20] = counts[20]! + (a5 & 0xff);
  counts[21] = counts[21]! + ((a5 >>> 8) & 0xff);
  counts[22] = counts[22]! + ((a5 >>> 16) & 0xff);
  counts[23] = counts[23]! + (a5 >>> 24);
  counts[24] = counts[24]! + (a6 & 0xff);
  counts[25] = counts[25]! + ((a6 >>> 8) & 0xff);
  counts[26] = counts[26]! + ((a6 >>> 16) & 0xff);
  counts[27] = counts[27]! + (a6 >>> 24);
  counts[28] = counts[28]! + (a7 & 0xff);
  counts[29] = counts[29]! + ((a7 >>> 8) & 0xff);
  counts[30] = counts[30]! + ((a7 >>> 16) & 0xff);
  counts[31] = counts[31]! + (a7 >>> 24);
  counts[32] = counts[32]! + (b0 & 0xff);
  counts[33] = counts[33]! + ((b0 >>> 8) & 0xff);
  counts[34] = counts[34]! + ((b0 >>> 16) & 0xff);
  counts[35] = counts[35]! + (b0 >>> 24);
  counts[36] = counts[36]! + (b1 & 0xff);
  counts[37] = counts[37]! + ((b1 >>> 8) & 0xff);
  counts[38] = counts[38]! + ((b1 >>> 16) & 0xff);
  counts[39] = counts[39]! + (b1 >>> 24);
  counts[40] = counts[40]! + (b2 & 0xff);
  counts[41] = counts[41]! + ((b2 >>> 8) & 0xff);
  counts[42] = counts[42]! + ((b2 >>> 16) & 0xff);
  counts[43] = counts[43]! + (b2 >>> 24);
  counts[44] = counts[44]! + (b3 & 0xff);
  counts[45] = counts[45]! + ((b3 >>> 8) & 0xff);
  counts[46] = counts[46]! + ((b3 >>> 16) & 0xff);
  counts[47] = counts[47]! + (b3 >>> 24);
  counts[48] = counts[48]! + (b4 & 0xff);
  counts[49] = counts[49]! + ((b4 >>> 8) & 0xff);
  counts[50] = counts[50]! + ((b4 >>> 16) & 0xff);
  counts[51] = counts[51]! + (b4 >>> 24);
  counts[52] = counts[52]! + (b5 & 0xff);
  counts[53] = counts[53]! + ((b5 >>> 8) & 0xff);
  counts[54] = counts[54]! + ((b5 >>> 16) & 0xff);
  counts[55] = counts[55]! + (b5 >>> 24);
  counts[56] = counts[56]! + (b6 & 0xff);
  counts[57] = counts[57]! + ((b6 >>> 8) & 0xff);
  counts[58] = counts[58]! + ((b6 >>> 16) & 0xff);
  counts[59] = counts[59]! + (b6 >>> 24);
  counts[60] = counts[60]! + (b7 & 0xff);
  counts[61] = counts[61]! + ((b7 >>> 8) & 0xff);
  counts[62] = counts[62]! + ((b7 >>> 16) & 0xff);
  counts[63] = counts[63]! + (b7 >>> 24);
  a0 = 0;
  a1 = 0;
  a2 = 0;
  a3 = 0;
  a4 = 0;
  a5 = 0;
  a6 = 0;
  a7 = 0;
  b0 = 0;
  b1 = 0;
  b2 = 0;
  b3 = 0;
  b4 = 0;
  b5 = 0;
  b6 = 0;
  b7 = 0;
  // Bit set when more than half of the features set it; ties go to 0.
  let lo = 0;
  let hi = 0;
  for (let bit = 0; bit < 32; bit++) {
    if (counts[bit]! * 2 > kept) lo |= 1 << bit;
    if (counts[32 + bit]! * 2 > kept) hi |= 1 << bit;
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
