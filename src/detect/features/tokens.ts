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
  /** FNV-1a hashes of the words in order, as signed 32-bit integers (`fnv1a(word) | 0`): small
   * integers stay unboxed in V8, unsigned values above 2^31 would not. */
  hashes: Int32Array;
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
  /** Last non-space character of the text (0 for empty text). */
  lastChar: number;
  /** Characters scanned. */
  chars: number;
}

/** ASCII → lower-cased word character, SKIP for an apostrophe (dropped inside words), 0 otherwise. */
const SKIP = 1;
const LOWER = new Uint16Array(128);
for (let c = 48; c <= 57; c++) LOWER[c] = c;
for (let c = 97; c <= 122; c++) LOWER[c] = c;
for (let c = 65; c <= 90; c++) LOWER[c] = c + 32;
LOWER[39] = SKIP;

/** Word character (lower-cased) of any code unit; spaces and punctuation of other scripts are 0. */
function wordChar(c: number): number {
  if (c < 128) return LOWER[c]!;
  if (c === 0x2019) return SKIP; // typographic apostrophe
  if (c === 0xa0 || c === 0xab || c === 0xbb || c === 0xfeff) return 0;
  if ((c >= 0x2000 && c <= 0x206f) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xff01 && c <= 0xff0f)) return 0;
  return c;
}

/** `wordChar` of every UTF-16 code unit (128 KB): one load per character in the hot loop, no branch
 * on ASCII vs the rest (measured ~10% off `profileText` on the ~1 KB speed prompts). */
const WORD_CHAR = new Uint16Array(65536);
for (let c = 0; c < 65536; c++) WORD_CHAR[c] = wordChar(c);

/** Flags of ASCII non-word characters. */
const F_SENTENCE = 1;
const F_CODE = 2;
const F_MATH = 4;
const F_QUESTION = 8;
const F_EXCLAIM = 16;
const F_COLON = 32;
const F_NEWLINE = 64;
const F_SPACE = 128;
const FLAGS = new Uint8Array(128);
FLAGS[10] = F_NEWLINE | F_SENTENCE;
for (const c of [32, 9, 11, 12, 13]) FLAGS[c] = F_SPACE;
FLAGS[46] = F_SENTENCE;
FLAGS[63] = F_SENTENCE | F_QUESTION;
FLAGS[33] = F_SENTENCE | F_EXCLAIM;
FLAGS[58] = F_SENTENCE | F_COLON;
for (const ch of '{};<>_`|\\') FLAGS[ch.charCodeAt(0)] = F_CODE;
FLAGS[61] = F_CODE | F_MATH; // =
for (const ch of '+*/^%$') FLAGS[ch.charCodeAt(0)] = F_MATH;

/** Shared scratch buffer: profiles are consumed before the next call, so reuse avoids garbage. */
const SCRATCH = new Int32Array(MAX_WORDS);

/**
 * Character classes of the word pass: BLANK for the spaces that change no count (space, tab, CR,
 * VT, FF), SPECIAL for everything else that is not a word character (apostrophes, newlines,
 * punctuation, separators of other scripts), and the lower-cased character itself (≥ 48) for
 * word characters.
 */
const BLANK = 0;
const SPECIAL = 1;
const CLASS = new Uint16Array(65536);
for (let c = 0; c < 65536; c++) {
  const lc = WORD_CHAR[c]!;
  CLASS[c] = lc > SKIP ? lc : c < 128 && FLAGS[c] === F_SPACE ? BLANK : SPECIAL;
}

/** -1 (all ones) for a word character, 0 otherwise: the word pass's select mask, one load. */
const KEEP = new Int32Array(65536);
for (let c = 0; c < 65536; c++) KEEP[c] = CLASS[c]! > SPECIAL ? -1 : 0;

/**
 * Per-word records of the word pass, indexed by word number: hash and start offset. Sized for a
 * 16K-character text (words are at most every other character); longer texts get arrays of
 * their own.
 */
const RECORD_WORDS = 8192;
const HASHES = new Int32Array(RECORD_WORDS);
const STARTS = new Int32Array(RECORD_WORDS);

/**
 * Scans `text` once. The returned `hashes` array is a view on a shared buffer that the next
 * call overwrites: use the profile before profiling another text (or copy it).
 *
 * @example
 * const p = profileText("Don't stop: 42 times!");
 * p.words; // 4 (dont, stop, 42, times)
 * p.numbers; // 1
 */
export function profileText(text: string, buffer: Int32Array = SCRATCH): TextProfile {
  const n = text.length;
  const room = (n >> 1) + 2;
  // Hashes go straight into the caller's buffer when every word fits (the usual case); otherwise
  // they are recorded aside and the first buffer.length copied over.
  const hashes = buffer.length >= room ? buffer : room <= RECORD_WORDS ? HASHES : new Int32Array(room);
  const starts = room <= RECORD_WORDS ? STARTS : new Int32Array(room);
  MARKS.fill(0);
  const words = scanWords(text, hashes, starts);
  countWords(text, words, starts);
  const kept = Math.min(words, buffer.length);
  if (hashes !== buffer) for (let k = 0; k < kept; k++) buffer[k] = hashes[k]!;
  let lastChar = 0;
  for (let i = n - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 9 && c !== 13) {
      lastChar = c;
      break;
    }
  }
  return {
    hashes: buffer.subarray(0, kept),
    words: kept,
    numbers: MARKS[M_NUMBERS]!,
    midCaps: MARKS[M_MID_CAPS]!,
    startsUpper: MARKS[M_STARTS_UPPER] === 1,
    questionMarks: MARKS[M_QUESTION]!,
    exclamations: MARKS[M_EXCLAIM]!,
    newlines: MARKS[M_NEWLINES]!,
    blankLines: MARKS[M_BLANK_LINES]!,
    colons: MARKS[M_COLONS]!,
    codeChars: MARKS[M_CODE]!,
    mathChars: MARKS[M_MATH]!,
    lastChar,
    chars: n,
  };
}

/** FNV_OFFSET as a signed int32: the double above 2^31 would be truncated on every use. */
const OFFSET = FNV_OFFSET | 0;

/**
 * The word pass: writes each word's hash and start to `hashes`/`starts` (both with room for every
 * word) and returns the number of words; other characters go to `countMark`.
 *
 * Word characters and blanks, ~95% of a prompt, take no branch. Where a word ends differs in
 * every prompt, so a branch on it mispredicted about once a word, which was most of the pass's
 * time. Instead the running word's record is written at slot `words` on every character and
 * `words` moves past it only when a blank ends the word. The loop keeps only the word state, so
 * it stays in registers.
 */
function scanWords(text: string, hashes: Int32Array, starts: Int32Array): number {
  const n = text.length;
  let words = 0;
  let inWord = 0; // 1 while inside a word
  let h = OFFSET; // hash of the running word
  let length = 0; // characters of the running word so far (apostrophes inside it included)
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const t = CLASS[c]!;
    if (t !== SPECIAL) {
      const keep = KEEP[c]!; // all ones for a word character, 0 for a blank
      const isWord = keep & 1;
      hashes[words] = h;
      starts[words] = i - length;
      words += inWord & (isWord ^ 1);
      // A blank resets the running word; a word character extends it.
      h = (Math.imul(h ^ t, FNV_PRIME) & keep) | (OFFSET & ~keep);
      length = (length + 1) & keep;
      inWord = isWord;
      continue;
    }
    if (inWord === 1) {
      // Apostrophes are dropped inside a word ("don't" = "dont"); the word goes on if a word
      // character follows.
      if (c === 39 || c === 0x2019) {
        length += 1;
        continue;
      }
      hashes[words] = h;
      starts[words] = i - length;
      words += 1;
      inWord = 0;
      h = OFFSET;
      length = 0;
    }
    countMark(c, words);
  }
  if (inWord === 1) {
    hashes[words] = h;
    starts[words] = n - length;
    words += 1;
  }
  return words;
}

/**
 * Counts of one profile, filled by `countMark` and `countWords`. Kept out of `profileText`'s loop
 * so the rare updates (a "!", a blank line) are not code paths that the loop's optimised version
 * meets for the first time and deoptimises on; the loop keeps only the word state in registers.
 */
const MARKS = new Int32Array(12);
const M_QUESTION = 0;
const M_EXCLAIM = 1;
const M_NEWLINES = 2;
const M_BLANK_LINES = 3;
const M_COLONS = 4;
const M_CODE = 5;
const M_MATH = 6;
/** 1 when the current line has content (a word counts through M_LINE_WORDS instead). */
const M_LINE_CONTENT = 7;
/** Words seen when the current line began: a word since then gives the line content too. */
const M_LINE_WORDS = 8;
const M_NUMBERS = 9;
const M_MID_CAPS = 10;
const M_STARTS_UPPER = 11;

/** Counts a character that is neither a word character nor a blank (`words` so far, for blank lines). */
function countMark(c: number, words: number): void {
  // Non-ASCII separators and apostrophes outside words are content on their line, nothing more.
  const f = c < 128 ? FLAGS[c]! : 0;
  if (f & F_NEWLINE) {
    if (MARKS[M_LINE_CONTENT] === 0 && words === MARKS[M_LINE_WORDS] && MARKS[M_NEWLINES]! > 0)
      MARKS[M_BLANK_LINES] = MARKS[M_BLANK_LINES]! + 1;
    MARKS[M_LINE_CONTENT] = 0;
    MARKS[M_LINE_WORDS] = words;
    MARKS[M_NEWLINES] = MARKS[M_NEWLINES]! + 1;
    return;
  }
  MARKS[M_LINE_CONTENT] = 1;
  MARKS[M_QUESTION] = MARKS[M_QUESTION]! + ((f & F_QUESTION) === 0 ? 0 : 1);
  MARKS[M_EXCLAIM] = MARKS[M_EXCLAIM]! + ((f & F_EXCLAIM) === 0 ? 0 : 1);
  MARKS[M_COLONS] = MARKS[M_COLONS]! + ((f & F_COLON) === 0 ? 0 : 1);
  MARKS[M_CODE] = MARKS[M_CODE]! + ((f & F_CODE) === 0 ? 0 : 1);
  MARKS[M_MATH] = MARKS[M_MATH]! + ((f & F_MATH) === 0 ? 0 : 1);
}

/**
 * Per-word counts from the word starts: numbers, capitalised words in mid-sentence and whether
 * the text starts upper-case (its first word that starts with a letter, not a digit, does). Each
 * looks at the text from a word's start, and mostly at its first character only.
 */
function countWords(text: string, words: number, starts: Int32Array): void {
  let numbers = 0;
  let midCaps = 0;
  for (let k = 0; k < words; k++) {
    const at = starts[k]!;
    const first = text.charCodeAt(at);
    if (first <= 57) {
      if (allDigits(text, at)) numbers += 1;
    } else if (first <= 90 && first >= 65 && continuesWord(text, at + 1) && !sentenceStart(text, at)) {
      midCaps += 1;
    }
  }
  MARKS[M_NUMBERS] = numbers;
  MARKS[M_MID_CAPS] = midCaps;
  for (let k = 0; k < words; k++) {
    const first = text.charCodeAt(starts[k]!);
    if (CLASS[first]! > 57) {
      MARKS[M_STARTS_UPPER] = first >= 65 && first <= 90 ? 1 : 0;
      return;
    }
  }
}

/** True when the word starting at `at` (a digit) has only digits (apostrophes inside are dropped). */
function allDigits(text: string, at: number): boolean {
  for (let j = at; j < text.length; j++) {
    const c = text.charCodeAt(j);
    const t = CLASS[c]!;
    if (t > 57) return false;
    if (t < 48 && c !== 39 && c !== 0x2019) return true;
  }
  return true;
}

/** True when text[at] carries a word on (a word character or an apostrophe): the word is ≥ 2 long. */
function continuesWord(text: string, at: number): boolean {
  if (at >= text.length) return false;
  const c = text.charCodeAt(at);
  return CLASS[c]! > SPECIAL || c === 39 || c === 0x2019;
}

/**
 * True when the word starting at `at` starts a sentence: a sentence mark (. ? ! : or a newline)
 * comes after the previous word, or no word comes before it.
 */
function sentenceStart(text: string, at: number): boolean {
  for (let j = at - 1; j >= 0; j--) {
    const c = text.charCodeAt(j);
    if (c < 128 && (FLAGS[c]! & F_SENTENCE) !== 0) return true;
    if (CLASS[c]! > SPECIAL) return false;
  }
  return true;
}
