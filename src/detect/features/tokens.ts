/**
 * One pass over the head of a prompt that every text feature shares: word hashes (ASCII
 * lower-cased on the fly, apostrophes dropped so "don't" = "dont", any other punctuation splits)
 * plus a few structural counts. Nothing is allocated per word, which is what keeps extraction
 * within its few-microsecond budget.
 */
import { FNV_OFFSET, FNV_PRIME } from './hash.js';

/** Most words kept per prompt (the head is ≤ 8 KB, so this is rarely reached). */
export const MAX_WORDS = 2048;

/** Word hashes and shape counts of one text. */
export interface TextProfile {
  /** FNV-1a hashes of the words in order; only the first `words` entries are meaningful. */
  hashes: Uint32Array;
  words: number;
  /** Words made only of digits. */
  numbers: number;
  /** Words (≥ 2 letters) starting with an upper-case ASCII letter that do not start a sentence. */
  midCaps: number;
  /** True when the first letter of the text is upper case. */
  startsUpper: boolean;
  questionMarks: number;
  exclamations: number;
  newlines: number;
  /** Blank lines (paragraph breaks). */
  blankLines: number;
  colons: number;
  /** Characters typical of code: { } ; = < > _ ` | \ */
  codeChars: number;
  /** Characters typical of formulas: + * / ^ = % $ (outside words). */
  mathChars: number;
  /** Characters outside ASCII. */
  nonAscii: number;
  /** Last non-space character of the text (0 for empty text). */
  lastChar: number;
  /** Characters scanned. */
  chars: number;
}

enum C {
  Word = 1,
  Apostrophe = 2,
  Space = 3,
  Newline = 4,
  Other = 5,
}

/** Character classes of ASCII; everything ≥ 128 is a word character (letters of other scripts). */
const CLASS = new Uint8Array(128).fill(C.Other);
for (let c = 48; c <= 57; c++) CLASS[c] = C.Word;
for (let c = 65; c <= 90; c++) CLASS[c] = C.Word;
for (let c = 97; c <= 122; c++) CLASS[c] = C.Word;
CLASS[39] = C.Apostrophe;
CLASS[32] = C.Space;
CLASS[9] = C.Space;
CLASS[13] = C.Space;
CLASS[12] = C.Space;
CLASS[11] = C.Space;
CLASS[10] = C.Newline;

/** Shared scratch buffer: profiles are consumed before the next call, so reuse avoids garbage. */
const SCRATCH = new Uint32Array(MAX_WORDS);

/**
 * Scans `text` once. The returned `hashes` array is a view on a shared buffer that the next
 * call overwrites: use the profile before profiling another text (or copy it).
 *
 * @example
 * const p = profileText("Don't stop: 42 times!");
 * p.words; // 4 (dont, stop, 42, times)
 * p.numbers; // 1
 */
export function profileText(text: string, buffer: Uint32Array = SCRATCH): TextProfile {
  const n = text.length;
  let words = 0;
  let numbers = 0;
  let midCaps = 0;
  let startsUpper = false;
  let seenLetter = false;
  let question = 0;
  let exclaim = 0;
  let newlines = 0;
  let blank = 0;
  let colons = 0;
  let codeChars = 0;
  let mathChars = 0;
  let nonAscii = 0;
  let lineHasContent = false;
  let sentenceStart = true;
  let inWord = false;
  let h = FNV_OFFSET;
  let allDigits = true;
  let wordLen = 0;
  let firstUpper = false;
  const max = buffer.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 32;
    const cls = c < 128 ? CLASS[c]! : c === 0x2019 ? C.Apostrophe : c === 0xa0 ? C.Space : C.Word;
    if (cls === C.Word) {
      if (!inWord) {
        inWord = true;
        lineHasContent = true;
        h = FNV_OFFSET;
        allDigits = true;
        wordLen = 0;
        firstUpper = c >= 65 && c <= 90;
        if (!seenLetter && ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 128)) {
          seenLetter = true;
          startsUpper = firstUpper;
        }
      }
      const lower = c >= 65 && c <= 90 ? c + 32 : c;
      if (c < 48 || c > 57) allDigits = false;
      if (c >= 128) nonAscii++;
      h = Math.imul(h ^ lower, FNV_PRIME);
      wordLen++;
      continue;
    }
    if (cls === C.Apostrophe && inWord) continue; // don't → dont
    if (inWord) {
      inWord = false;
      if (words < max) buffer[words] = h >>> 0;
      words++;
      if (allDigits) numbers++;
      else if (firstUpper && wordLen >= 2 && !sentenceStart) midCaps++;
      sentenceStart = false;
    }
    if (i === n) break;
    if (cls === C.Space) continue;
    if (cls === C.Newline) {
      if (!lineHasContent && newlines > 0) blank++;
      lineHasContent = false;
      newlines++;
      sentenceStart = true;
      continue;
    }
    lineHasContent = true;
    switch (c) {
      case 63: // ?
        question++;
        sentenceStart = true;
        break;
      case 33: // !
        exclaim++;
        sentenceStart = true;
        break;
      case 46: // .
        sentenceStart = true;
        break;
      case 58: // :
        colons++;
        sentenceStart = true;
        break;
      case 123:
      case 125:
      case 59:
      case 60:
      case 62:
      case 95:
      case 96:
      case 124:
      case 92:
        codeChars++;
        break;
      case 61: // = counts for both
        codeChars++;
        mathChars++;
        break;
      case 43:
      case 42:
      case 47:
      case 94:
      case 37:
      case 36:
        mathChars++;
        break;
    }
  }
  let lastChar = 0;
  for (let i = n - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 9 && c !== 13) {
      lastChar = c;
      break;
    }
  }
  return {
    hashes: buffer.subarray(0, Math.min(words, max)),
    words: Math.min(words, max),
    numbers,
    midCaps,
    startsUpper,
    questionMarks: question,
    exclamations: exclaim,
    newlines,
    blankLines: blank,
    colons,
    codeChars,
    mathChars,
    nonAscii,
    lastChar,
    chars: n,
  };
}
