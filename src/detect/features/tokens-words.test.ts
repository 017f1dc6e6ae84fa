import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FNV_OFFSET, FNV_PRIME } from './hash.js';
import { profileText } from './tokens.js';
import { APOSTROPHES, wordSpans } from './tokens-reference.js';

/**
 * Words as profileText defines them (tokens-reference.ts); apostrophes are dropped, letters are
 * lower-cased (where one code unit maps to one), the rest hashed as is.
 */
function referenceWords(text: string): { hashes: number[]; numbers: number } {
  const hashes: number[] = [];
  let numbers = 0;
  for (const { start, end } of wordSpans(text)) {
    let h = FNV_OFFSET | 0;
    let digits = true;
    for (let i = start; i < end; i++) {
      let c = text.charCodeAt(i);
      if (APOSTROPHES.has(c)) continue;
      const lower = String.fromCharCode(c).toLowerCase();
      if (lower.length === 1) c = lower.charCodeAt(0);
      if (c > 57) digits = false;
      h = Math.imul(h ^ c, FNV_PRIME);
    }
    hashes.push(h);
    if (digits) numbers++;
  }
  return { hashes, numbers };
}

const piece = fc.constantFrom(
  'a',
  'B',
  'z',
  '7',
  '0',
  "'",
  '\u2019',
  "''",
  ' ',
  '\n',
  '.',
  '-',
  'é',
  'Ж',
  'ж',
  'Ü',
  '\u0130',
  '\u00a0',
  '\u2014',
  '\u3001',
  '漢',
  '字',
  'か',
  'カ',
  '\uff0c',
  '\uff1f',
  '\uff1a',
  "don't",
  "'quoted'",
  "dogs'",
  '12',
  'X',
);

describe('profileText words', () => {
  it('hashes and counts words exactly as defined, apostrophes anywhere', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 80 }), (pieces) => {
        const text = pieces.join('');
        const p = profileText(text);
        const ref = referenceWords(text);
        expect(Array.from(p.hashes)).toEqual(ref.hashes);
        expect(p.words).toBe(ref.hashes.length);
        expect(p.numbers).toBe(ref.numbers);
      }),
      { numRuns: 1000 },
    );
  });
});
