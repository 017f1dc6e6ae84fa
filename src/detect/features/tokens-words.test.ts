import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FNV_OFFSET, FNV_PRIME } from './hash.js';
import { profileText } from './tokens.js';

const APOSTROPHES = new Set([39, 0x2019]);
const SEPARATORS = new Set([0xa0, 0xab, 0xbb, 0xfeff]);

/** Word character per profileText's rules, written plainly (apostrophes separately). */
function isWordChar(c: number): boolean {
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  if (APOSTROPHES.has(c) || SEPARATORS.has(c)) return false;
  return !((c >= 0x2000 && c <= 0x206f) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xff01 && c <= 0xff0f));
}

/**
 * Words as profileText defines them: a word starts at a word character and runs over word
 * characters and apostrophes; apostrophes are dropped, ASCII is lower-cased, the rest hashed as is.
 */
function referenceWords(text: string): { hashes: number[]; numbers: number } {
  const hashes: number[] = [];
  let numbers = 0;
  let i = 0;
  while (i < text.length) {
    if (!isWordChar(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let h = FNV_OFFSET | 0;
    let digits = true;
    while (i < text.length && (isWordChar(text.charCodeAt(i)) || APOSTROPHES.has(text.charCodeAt(i)))) {
      let c = text.charCodeAt(i++);
      if (APOSTROPHES.has(c)) continue;
      if (c >= 65 && c <= 90) c += 32;
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
  '\u00a0',
  '\u2014',
  '\u3001',
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
