/**
 * The profile of the head of a prompt that every text feature shares: word hashes (letters
 * lower-cased on the fly, apostrophes dropped so "don't" = "dont", any other punctuation splits,
 * each Chinese character or kana a word of its own) plus a few structural counts. One
 * branch-free pass over the characters hashes the words and notes where the rarer characters are
 * (digits, capitals, ASCII punctuation); the counts are then taken at those alone. Nothing is allocated per word, which is what keeps extraction within its
 * few-microsecond budget (profileText on a ~1 KB prompt costs about one bare FNV-1a pass over it).
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
  /** True when the first letter of the text is upper case (in any cased script). */
  startsUpper: boolean;
  /** True when the first letter of the text is from a script without case (Chinese, Japanese,
   * Korean, Arabic, Hebrew, Thai…), where capitalisation says nothing about tidiness. */
  startsCaseless: boolean;
  /** `?` and the full-width `？`. */
  questionMarks: number;
  /** `!` and the full-width `！`. */
  exclamations: number;
  newlines: number;
  /** Blank lines (paragraph breaks). */
  blankLines: number;
  /** `:` and the full-width `：`. */
  colons: number;
  /** Characters typical of code: { } ; = < > _ ` | \ */
  codeChars: number;
  /** Characters typical of formulas: + * / ^ = % $ (outside words). */
  mathChars: number;
  /** Last non-space character of the text (0 for empty text), as written (full-width kept). */
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

/**
 * Whether a code unit is punctuation or a space of another script: general punctuation, CJK
 * symbols and punctuation (、。「」), and the full-width ASCII punctuation Chinese and Japanese
 * text uses (，：；？！（）).
 */
function isForeignPunctuation(c: number): boolean {
  return (
    c === 0xa0 ||
    c === 0xab ||
    c === 0xbb ||
    c === 0xfeff ||
    (c >= 0x2000 && c <= 0x206f) ||
    (c >= 0x3000 && c <= 0x303f) ||
    (c >= 0xff01 && c <= 0xff0f) ||
    (c >= 0xff1a && c <= 0xff20) ||
    (c >= 0xff3b && c <= 0xff40) ||
    (c >= 0xff5b && c <= 0xff65)
  );
}

/**
 * Whether a code unit is a word of its own: Chinese characters and Japanese kana, written without
 * spaces, so a run of them is a clause, not a word; one character per word lets phrases such as
 * 一步一步 (step by step) be matched and near-duplicates be compared as in spaced scripts.
 */
function isSoloWordChar(c: number): boolean {
  return (
    (c >= 0x3040 && c <= 0x30ff) || // hiragana, katakana
    (c >= 0x3400 && c <= 0x4dbf) || // CJK extension A
    (c >= 0x4e00 && c <= 0x9fff) || // CJK unified ideographs
    (c >= 0xf900 && c <= 0xfaff) // CJK compatibility ideographs
  );
}

/**
 * Word character (lower-cased) of any code unit; spaces and punctuation of other scripts are 0.
 * Letters beyond ASCII are lower-cased too where one code unit maps to one ("Über" = "über",
 * "Шаг" = "шаг"), so phrases match at the start of a sentence in any cased script.
 */
function wordChar(c: number): number {
  if (c < 128) return LOWER[c]!;
  if (c === 0x2019) return SKIP; // typographic apostrophe
  if (isForeignPunctuation(c)) return 0;
  const lower = String.fromCharCode(c).toLowerCase();
  return lower.length === 1 ? lower.charCodeAt(0) : c;
}

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

/**
 * Per UTF-16 code unit, what the word loop needs in one load: bits 0–15 the lower-cased word
 * character (0 for none), bit 30 set for an apostrophe (dropped inside words), bit 31 set for a
 * word character, bit 28 (SOLO) for a word character that is a word by itself, so `t >> 31`,
 * `(t << 1) >> 31` and `(t << 3) >> 31` are the loop's masks, and bit 29 (RARE) for the
 * characters a shape count looks at: digits, capitals, ASCII punctuation with FLAGS, and solo
 * characters (which only tell `shapes` that the text needs `hashWordsSolo`) and the full-width
 * marks of WIDE_MARKS.
 */
const CLASS = new Int32Array(65536);
const WORD = 1 << 31;
const APOSTROPHE = 1 << 30;
const RARE = 1 << 29;
const SOLO = 1 << 28;

/**
 * The full-width sentence marks of Chinese and Japanese text (！？：。．｡), counted as the ASCII
 * marks they stand for: "计算下列表达式的值。" ends a sentence as "Compute the value." does.
 */
const WIDE_MARKS = new Map([
  [0xff01, 33],
  [0xff1f, 63],
  [0xff1a, 58],
  [0x3002, 46],
  [0xff0e, 46],
  [0xff61, 46],
]);

for (let c = 0; c < 65536; c++) {
  const lc = wordChar(c);
  if (lc > SKIP) {
    CLASS[c] = lc | WORD | (isSoloWordChar(c) ? SOLO : 0);
  } else if (lc === SKIP) CLASS[c] = APOSTROPHE;
  if (
    (c >= 48 && c <= 57) ||
    (c >= 65 && c <= 90) ||
    (c < 128 && (FLAGS[c]! & ~F_SPACE) !== 0) ||
    isSoloWordChar(c) ||
    WIDE_MARKS.has(c)
  ) {
    CLASS[c] = CLASS[c]! | RARE;
  }
}

/**
 * Longest text served by the fixed arrays below (the 8 KB head a prompt is cut to); longer texts
 * use arrays that grow. The word loop runs about 20% faster on module-level constant arrays than
 * on arrays held in variables (V8 folds their address and length into the code; measured), so
 * `hashWords` and `shapes` take their arrays as arguments and are called at two sites, one with
 * the constants: V8 inlines each call and specialises it to its arguments.
 */
const FIXED_CHARS = 8192;
/** Every character stores the running hash at slot `words`: ⌈n/2⌉ words need one slot more. */
const wordSlots = (chars: number): number => ((chars + 1) >> 1) + 1;
const UNITS = new Uint16Array(FIXED_CHARS);
const UNIT_BYTES = Buffer.from(UNITS.buffer);
const HASHES = new Int32Array(wordSlots(FIXED_CHARS));
/** Positions of the RARE characters, and one slot more (the loop stores at every character). */
const RARES = new Int32Array(FIXED_CHARS + 1);
let bigUnits = new Uint16Array(0);
let bigUnitBytes = Buffer.from(bigUnits.buffer);
let bigHashes = new Int32Array(0);
let bigRares = new Int32Array(0);

/** Grows the arrays for texts beyond FIXED_CHARS. */
function reserveBig(chars: number): void {
  if (bigUnits.length >= chars) return;
  let size = FIXED_CHARS * 2;
  while (size < chars) size *= 2;
  bigUnits = new Uint16Array(size);
  bigUnitBytes = Buffer.from(bigUnits.buffer);
  bigHashes = new Int32Array(wordSlots(size));
  bigRares = new Int32Array(size + 1);
}

/** Words and RARE characters found by `hashWords` (module state: one profile at a time). */
let wordCount = 0;
let rareCount = 0;
/** Whether the text `shapes` last read has a solo character (then `hashWordsSolo` reads it again). */
let soloSeen = false;

/**
 * Hashes every word of codes[0, n) into `hashes` and lists the positions of the RARE characters
 * in `rares`, setting wordCount and rareCount. No branch depends on the text: a branch on "does
 * the word go on?" mispredicted about once a word, which cost more than the hashing. Every
 * character runs `h = (imul(h ^ lc, prime) & w) | (h & a) | (offset & s)` with masks w (word
 * character), a (apostrophe: h unchanged) and s (separator: h back to the offset basis). The state
 * is stored at slot `words` each character; the count moves past it when a word ends, which
 * commits it. Positions are stored the same way.
 */
function hashWords(codes: Uint16Array, n: number, hashes: Int32Array, rares: Int32Array): void {
  // Imported bindings are read through their module's cell: locals keep them in registers.
  const offset = FNV_OFFSET | 0;
  const prime = FNV_PRIME;
  let h = offset;
  let inWord = 0; // -1 inside a word (apostrophes included), 0 outside
  let words = 0;
  let rare = 0;
  for (let i = 0; i < n; i++) {
    const t = CLASS[codes[i]!]!;
    const w = t >> 31;
    const a = (t << 1) >> 31;
    const s = ~(w | a);
    hashes[words] = h;
    words -= inWord & s;
    rares[rare] = i;
    rare += (t & RARE) >>> 29;
    h = (Math.imul(h ^ (t & 0xffff), prime) & w) | (h & a) | (offset & s);
    inWord = w | (inWord & a);
  }
  hashes[words] = h;
  wordCount = words - inWord;
  rareCount = rare;
}

/**
 * `hashWords` for a text with solo characters (Chinese, kana): the same word loop with one more
 * mask, ending a word before and after each solo character (the RARE positions `hashWords` listed
 * stay as they are). Run again over the text only when `shapes`
 * met one, so other texts do not pay for the extra operations (about 10 % of extraction when
 * every text paid them, measured with bench/features-ab.ts).
 */
function hashWordsSolo(codes: Uint16Array, n: number, hashes: Int32Array): void {
  // Imported bindings are read through their module's cell: locals keep them in registers.
  const offset = FNV_OFFSET | 0;
  const prime = FNV_PRIME;
  let h = offset;
  let inWord = 0; // -1 inside a word (apostrophes included), 0 outside
  let afterSolo = 0; // -1 when the last character was a word by itself
  let words = 0;
  for (let i = 0; i < n; i++) {
    const t = CLASS[codes[i]!]!;
    const w = t >> 31;
    const a = (t << 1) >> 31;
    const solo = (t << 3) >> 31;
    const s = ~(w | a);
    // A word ends at a separator, before a solo character and after one.
    const ends = s | solo | afterSolo;
    hashes[words] = h;
    words -= inWord & ends;
    const from = (h & ~(solo | afterSolo)) | (offset & (solo | afterSolo));
    h = (Math.imul(from ^ (t & 0xffff), prime) & w) | (from & a) | (offset & s);
    inWord = w | (inWord & a & ~ends);
    afterSolo = solo;
  }
  hashes[words] = h;
  wordCount = words - inWord;
}

/** Shape counts of the last profiled text, in the order of the S_* indices. */
const SHAPE = new Int32Array(12);
const S_NUMBERS = 0;
const S_MID_CAPS = 1;
const S_STARTS_UPPER = 2;
const S_QUESTION = 3;
const S_EXCLAIM = 4;
const S_NEWLINES = 5;
const S_BLANK = 6;
const S_COLONS = 7;
const S_CODE = 8;
const S_MATH = 9;
const S_LAST = 10;
const S_STARTS_CASELESS = 11;

/** True when the word character at `at` starts a word (apostrophes inside words join them). */
function startsWord(codes: Uint16Array, at: number): boolean {
  if ((CLASS[codes[at]!]! & SOLO) !== 0) return true;
  let j = at - 1;
  while (j >= 0 && (CLASS[codes[j]!]! & APOSTROPHE) !== 0) j--;
  return j < 0 || (CLASS[codes[j]!]! & (WORD | SOLO)) !== WORD;
}

/** Position of the last word character before `at`, or -1. */
function lastWordCharBefore(codes: Uint16Array, at: number): number {
  let j = at - 1;
  while (j >= 0 && CLASS[codes[j]!]! >= 0) j--;
  return j;
}

/** True when the word starting at `at` has only digits (and apostrophes, which words drop). */
function isNumber(codes: Uint16Array, at: number, n: number): boolean {
  for (let j = at; j < n; j++) {
    const t = CLASS[codes[j]!]!;
    if ((t & (WORD | APOSTROPHE)) === 0 || (t & SOLO) !== 0) return true;
    const lc = t & 0xffff;
    if (lc !== 0 && (lc < 48 || lc > 57)) return false;
  }
  return true;
}

/** True when the line ending at the newline at `at` has only spaces and tabs after a newline. */
function blankLineBefore(codes: Uint16Array, at: number): boolean {
  let j = at - 1;
  while (j >= 0) {
    const c = codes[j]!;
    if (c !== 32 && (c >= 128 || FLAGS[c] !== F_SPACE)) return c === 10;
    j--;
  }
  return false;
}

const UPPER = 1;
const CASELESS = 2;
const OTHER = 3;
/** Case of each code unit beyond ASCII, filled in as first letters meet them (0: not yet known). */
const CASES = new Uint8Array(65536);

/**
 * UPPER (upper or title case), CASELESS (a letter of a script without case: Chinese, kana,
 * Hangul, Arabic, Hebrew…) or OTHER (lower case, symbols, emoji halves). Read once per text, so
 * the Unicode categories are looked up lazily rather than for all 65,536 units at start-up
 * (13 ms, measured).
 */
function letterCase(c: number): number {
  if (c < 128) return c >= 65 && c <= 90 ? UPPER : OTHER;
  let known = CASES[c]!;
  if (known === 0) {
    const ch = String.fromCharCode(c);
    known = /[\p{Lu}\p{Lt}]/u.test(ch) ? UPPER : /\p{Lo}/u.test(ch) ? CASELESS : OTHER;
    CASES[c] = known;
  }
  return known;
}

/** letterCase of the first word that does not start with a digit (OTHER when there is none). */
function firstLetterCase(codes: Uint16Array, n: number): number {
  for (let i = 0; i < n; i++) {
    const c = codes[i]!;
    if (CLASS[c]! < 0 && c > 57 && startsWord(codes, i)) return letterCase(c);
  }
  return OTHER;
}

/**
 * Counts the shapes of codes[0, n) into SHAPE from the positions of its RARE characters alone
 * (about one character in twelve of prose): the counts only change at them, and what they need
 * of their surroundings (is this the start of a word? was there a sentence mark since the last
 * word? is this line blank?) is a short look back. Walking every word instead cost 2 µs per
 * ~1 KB prompt, mostly in mispredicted branches.
 */
function shapes(codes: Uint16Array, n: number, rares: Int32Array, count: number): void {
  let numbers = 0;
  let midCaps = 0;
  let question = 0;
  let exclaim = 0;
  let newlines = 0;
  let blank = 0;
  let colons = 0;
  let codeChars = 0;
  let mathChars = 0;
  let lastSentence = -1; // position of the last sentence mark (. ? ! : newline) so far
  let solo = false;
  for (let r = 0; r < count; r++) {
    const at = rares[r]!;
    const unit = codes[at]!;
    if ((CLASS[unit]! & SOLO) !== 0) {
      solo = true;
      continue;
    }
    const c = unit < 128 ? unit : WIDE_MARKS.get(unit)!;
    if (c >= 65 && c <= 90) {
      // A capital starting a word of ≥ 2 characters, apostrophes included, in mid-sentence.
      const next = at + 1 < n ? CLASS[codes[at + 1]!]! : 0;
      if ((next & (WORD | APOSTROPHE)) !== 0 && (next & SOLO) === 0 && startsWord(codes, at)) {
        const previous = lastWordCharBefore(codes, at);
        if (previous >= 0 && lastSentence < previous) midCaps++;
      }
    } else if (c >= 48 && c <= 57) {
      if (startsWord(codes, at) && isNumber(codes, at, n)) numbers++;
    } else {
      const f = FLAGS[c]!;
      if (f & F_NEWLINE) {
        if (newlines > 0 && blankLineBefore(codes, at)) blank++;
        newlines++;
      }
      // Which mark this is cannot be predicted: the counts move without branches.
      const sentence = -(f & F_SENTENCE);
      lastSentence = (at & sentence) | (lastSentence & ~sentence);
      question += (f & F_QUESTION) >> 3;
      exclaim += (f & F_EXCLAIM) >> 4;
      colons += (f & F_COLON) >> 5;
      codeChars += (f & F_CODE) >> 1;
      mathChars += (f & F_MATH) >> 2;
    }
  }
  let lastChar = 0;
  for (let j = n - 1; j >= 0; j--) {
    const c = codes[j]!;
    if (c !== 32 && c !== 10 && c !== 9 && c !== 13) {
      lastChar = c;
      break;
    }
  }
  SHAPE[S_NUMBERS] = numbers;
  SHAPE[S_MID_CAPS] = midCaps;
  const first = firstLetterCase(codes, n);
  SHAPE[S_STARTS_UPPER] = first === UPPER ? 1 : 0;
  SHAPE[S_STARTS_CASELESS] = first === CASELESS ? 1 : 0;
  SHAPE[S_QUESTION] = question;
  SHAPE[S_EXCLAIM] = exclaim;
  SHAPE[S_NEWLINES] = newlines;
  SHAPE[S_BLANK] = blank;
  SHAPE[S_COLONS] = colons;
  SHAPE[S_CODE] = codeChars;
  SHAPE[S_MATH] = mathChars;
  SHAPE[S_LAST] = lastChar;
  soloSeen = solo;
}

/** Shared scratch buffer: profiles are consumed before the next call, so reuse avoids garbage. */
const SCRATCH = new Int32Array(MAX_WORDS);

/**
 * Scans `text`: one pass hashes the words and notes where the rarer characters are, a second
 * visits those for the shape counts. The returned `hashes` array is a view on `buffer` (by
 * default a shared one that the next call overwrites): use the profile before profiling another
 * text into it (or copy it).
 *
 * @example
 * const p = profileText("Don't stop: 42 times!");
 * p.words; // 4 (dont, stop, 42, times)
 * p.numbers; // 1
 */
export function profileText(text: string, buffer: Int32Array = SCRATCH): TextProfile {
  const n = text.length;
  let hashes: Int32Array;
  // The same calls twice, so each call site gets its own arrays as constants (see FIXED_CHARS).
  // `utf16le` copies code units as they are, lone surrogates included.
  if (n <= FIXED_CHARS) {
    UNIT_BYTES.write(text, 0, 'utf16le');
    hashWords(UNITS, n, HASHES, RARES);
    shapes(UNITS, n, RARES, rareCount);
    if (soloSeen) hashWordsSolo(UNITS, n, HASHES);
    hashes = HASHES;
  } else {
    reserveBig(n);
    bigUnitBytes.write(text, 0, 'utf16le');
    hashWords(bigUnits, n, bigHashes, bigRares);
    shapes(bigUnits, n, bigRares, rareCount);
    if (soloSeen) hashWordsSolo(bigUnits, n, bigHashes);
    hashes = bigHashes;
  }
  const kept = Math.min(wordCount, buffer.length);
  buffer.set(hashes.subarray(0, kept));
  return {
    hashes: buffer.subarray(0, kept),
    words: kept,
    numbers: SHAPE[S_NUMBERS]!,
    midCaps: SHAPE[S_MID_CAPS]!,
    startsUpper: SHAPE[S_STARTS_UPPER] === 1,
    startsCaseless: SHAPE[S_STARTS_CASELESS] === 1,
    questionMarks: SHAPE[S_QUESTION]!,
    exclamations: SHAPE[S_EXCLAIM]!,
    newlines: SHAPE[S_NEWLINES]!,
    blankLines: SHAPE[S_BLANK]!,
    colons: SHAPE[S_COLONS]!,
    codeChars: SHAPE[S_CODE]!,
    mathChars: SHAPE[S_MATH]!,
    lastChar: SHAPE[S_LAST]!,
    chars: n,
  };
}
