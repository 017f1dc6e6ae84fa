import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { profileText } from './tokens.js';
import { isWordChar, wordSpans } from './tokens-reference.js';

const count = (text: string, chars: string): number => [...text].filter((ch) => chars.includes(ch)).length;
/** Class of a single code unit (lone surrogates are neither). */
const isUpper = (c: number): boolean => /[\p{Lu}\p{Lt}]/u.test(String.fromCharCode(c));
const isCaseless = (c: number): boolean => /\p{Lo}/u.test(String.fromCharCode(c));

/**
 * The shape counts of profileText, written plainly: words run over word characters and the
 * apostrophes inside them; a word capitalised in ASCII (≥ 2 characters, apostrophes included) is
 * a mid-sentence capital unless no word precedes it or a sentence mark (. ? ! : newline, or a
 * full-width ！？：。．｡) comes between it and the previous word; a blank line is a line of
 * spaces/tabs only after the first; the first letter's case is read in every script.
 */
function referenceCounts(text: string) {
  const words = wordSpans(text).map(({ start, end }) => {
    let digits = true;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (isWordChar(c) && !(c >= 48 && c <= 57)) digits = false;
    }
    return { start, end, digits };
  });
  const isAsciiUpper = (c: number): boolean => c >= 65 && c <= 90;
  let midCaps = 0;
  words.forEach((w, k) => {
    const between = text.slice(k === 0 ? 0 : words[k - 1]!.end, w.start);
    const sentenceStart = k === 0 || /[.?!:\n！？：。．｡]/.test(between);
    if (!w.digits && isAsciiUpper(text.charCodeAt(w.start)) && w.end - w.start >= 2 && !sentenceStart)
      midCaps++;
  });
  const firstLettered = words.find((w) => !(text.charCodeAt(w.start) <= 57));
  const lines = text.split('\n');
  let blankLines = 0;
  for (let k = 1; k < lines.length - 1; k++) if (/^[ \t\r\v\f]*$/.test(lines[k]!)) blankLines++;
  const trimmed = text.replace(/[ \n\t\r]+$/, '');
  return {
    words: words.length,
    numbers: words.filter((w) => w.digits).length,
    midCaps,
    startsUpper: firstLettered !== undefined && isUpper(text.charCodeAt(firstLettered.start)),
    startsCaseless: firstLettered !== undefined && isCaseless(text.charCodeAt(firstLettered.start)),
    questionMarks: count(text, '?？'),
    exclamations: count(text, '!！'),
    newlines: count(text, '\n'),
    blankLines,
    colons: count(text, ':：'),
    codeChars: count(text, '{};<>_`|\\='),
    mathChars: count(text, '+*/^%$='),
    lastChar: trimmed === '' ? 0 : trimmed.charCodeAt(trimmed.length - 1),
    chars: text.length,
  };
}

const piece = fc.constantFrom(
  'a',
  'Bo',
  'X',
  'I',
  "I'",
  "I'm",
  'Paris',
  '7',
  '42',
  "4'2",
  '3d',
  'é',
  'Éa',
  'Ж',
  "'",
  '\u2019',
  ' ',
  '  ',
  '\t',
  '\r',
  '\v',
  '\n',
  '\n\n',
  '\n \n',
  '\u00a0',
  '\u2014',
  '\u3001',
  '漢',
  'かな',
  'A漢',
  '3字',
  '\uff1f',
  '\uff01',
  '\uff1a',
  '\u3002',
  '\uff0e',
  '\uff61',
  'Б',
  'Üb',
  '한',
  'ש',
  '×',
  '\ud83d\ude00',
  '.',
  '?',
  '!',
  ':',
  ',',
  '-',
  '{',
  '=',
  '+',
  '$',
  '_',
  '"',
  '\u0000',
);

describe('profileText counts', () => {
  it('match the plain definitions on text made of every character class', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 80 }), (pieces) => {
        const text = pieces.join('');
        const { hashes: _hashes, ...counts } = profileText(text);
        expect(counts).toEqual(referenceCounts(text));
      }),
      { numRuns: 2000 },
    );
  });
});
