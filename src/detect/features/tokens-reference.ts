/**
 * profileText's word rules written plainly, for the property tests that check the branch-free
 * loop against them (tokens-words.test.ts, tokens-counts.test.ts).
 */

export const APOSTROPHES = new Set([39, 0x2019]);
const SEPARATORS = new Set([0xa0, 0xab, 0xbb, 0xfeff]);
const PUNCTUATION = [
  [0x2000, 0x206f],
  [0x3000, 0x303f],
  [0xff01, 0xff0f],
  [0xff1a, 0xff20],
  [0xff3b, 0xff40],
  [0xff5b, 0xff65],
] as const;

/** A word character (apostrophes are neither word characters nor separators). */
export function isWordChar(c: number): boolean {
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  if (APOSTROPHES.has(c) || SEPARATORS.has(c)) return false;
  return !PUNCTUATION.some(([lo, hi]) => c >= lo && c <= hi);
}

/** Chinese characters and kana: each is a word by itself. */
export function isSolo(c: number): boolean {
  return /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/.test(String.fromCharCode(c));
}

/**
 * The words of a text as [start, end) spans: a solo character is a word; any other word starts at
 * a word character and runs over word characters and apostrophes up to a solo character.
 *
 * @example
 * wordSpans("I'm 漢字"); // [{ start: 0, end: 3 }, { start: 4, end: 5 }, { start: 5, end: 6 }]
 */
export function wordSpans(text: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (!isWordChar(c)) {
      i++;
      continue;
    }
    const start = i++;
    if (!isSolo(c)) {
      while (i < text.length) {
        const d = text.charCodeAt(i);
        if (!((isWordChar(d) && !isSolo(d)) || APOSTROPHES.has(d))) break;
        i++;
      }
    }
    spans.push({ start, end: i });
  }
  return spans;
}
