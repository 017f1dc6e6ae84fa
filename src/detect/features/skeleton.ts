/**
 * Template skeleton of a prompt: the wording that stays fixed when one template is filled with
 * many inputs. Variable parts are masked to "#": numbers, quoted strings (「…」 and 『…』 too),
 * inline code and code blocks, e-mails and URLs, capitalised words in mid-sentence (names; a run
 * collapses to one mark), the value after a short "Label:" (or full-width "问题：") at a line
 * start, and the input block of a
 * multi-paragraph prompt (what follows a short instruction paragraph, or precedes a short
 * closing instruction). The result is lower-cased, whitespace-folded and hashed with FNV-1a,
 * so accounts can be compared by one integer.
 *
 * One hand-written pass with bounded look-ahead (no regex, so no backtracking): a skeleton
 * costs about as much as reading its ≤ 460 frame characters once.
 */
import { FNV_OFFSET, FNV_PRIME } from './hash.js';

/** Characters of the prompt the skeleton looks at (templates put their frame up front). */
export const SKELETON_SCAN_CHARS = 4096;
/** Longest instruction paragraph kept; longer ones are cut here. */
const KEEP_CHARS = 400;
/** Longest closing instruction line kept after an input block ("Answer:", "Be concise."). */
const CLOSING_CHARS = 60;
/** Longest quoted string masked as one input. */
const QUOTE_CHARS = 300;
/** Longest "Label" before a colon that counts as a field label. */
const LABEL_CHARS = 40;
const HASH = 35; // '#'
const SPACE = 32;

/** Output code units: frame (≤ 400 + 60) plus separators always fits. */
const OUT = new Uint16Array(1024);

/**
 * The first and last non-blank paragraphs of the text being skeletonised and how many there are:
 * all `build` needs, so `paragraphs` keeps no list (module state: one skeleton at a time).
 */
const paras = { count: 0, firstStart: 0, firstEnd: 0, lastStart: 0, lastEnd: 0 };

function addParagraph(start: number, end: number): void {
  if (paras.count === 0) {
    paras.firstStart = start;
    paras.firstEnd = end;
  }
  paras.lastStart = start;
  paras.lastEnd = end;
  paras.count++;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13 || c === 11 || c === 12;
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c >= 128;
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

/** Finds the non-blank paragraphs of text[0, end) (into `paras`): split at blank lines, except inside ``` fences. */
function paragraphs(text: string, end: number): void {
  paras.count = 0;
  let paraStart = -1;
  let paraEnd = -1;
  let inFence = false;
  let pos = 0;
  while (pos < end) {
    let lineEnd = text.indexOf('\n', pos);
    if (lineEnd < 0 || lineEnd > end) lineEnd = end;
    let k = pos;
    while (k < lineEnd && isSpace(text.charCodeAt(k))) k++;
    const blank = k === lineEnd;
    if (!blank && text.startsWith('```', k)) {
      inFence = !inFence;
      // A fence closed on the same line it opened does not leave the fence open.
      // lastIndexOf from the line end stops at the opener at worst: O(line), never O(text).
      if (inFence && text.lastIndexOf('```', lineEnd - 3) >= k + 3) inFence = false;
    }
    if (blank && !inFence) {
      if (paraStart >= 0) addParagraph(paraStart, paraEnd);
      paraStart = -1;
    } else if (!blank) {
      if (paraStart < 0) paraStart = k;
      paraEnd = lineEnd;
    }
    pos = lineEnd + 1;
  }
  if (paraStart >= 0) addParagraph(paraStart, paraEnd);
}

/** Writer of the folded, masked skeleton into OUT. */
class Sink {
  len = 0;
  private pendingSpace = false;
  private lastMark = false;

  reset(): void {
    this.len = 0;
    this.pendingSpace = false;
    this.lastMark = false;
  }

  space(): void {
    this.pendingSpace = true;
  }

  char(c: number): void {
    if (this.len >= OUT.length - 2) return;
    if (this.pendingSpace && this.len > 0) OUT[this.len++] = SPACE;
    this.pendingSpace = false;
    OUT[this.len++] = isUpper(c) ? c + 32 : c;
    this.lastMark = false;
  }

  /** Output position where the current token began, as `lowerRun` leaves it. */
  token = -1;

  /**
   * Emits the lower-case ASCII letters from text[i] on, the rest of a run whose first letter was
   * just written by `char` (so no space is pending and the last output is no mark), and returns
   * where the run ends: what `char` would do letter by letter, with the length in a register.
   * A "w" at the token's start ends the run (it may begin a "www."). The run also goes on across
   * a single space followed by a lower-case letter other than "w": no rule applies there either,
   * and the main loop would emit the space and letter as this does, with the token starting at
   * the space (left in `token`). Plain prose is mostly such runs: not going round the rules for
   * every word took skeleton on the ~1 KB speed prompts from 2.1 to 1.86 µs (measured).
   */
  lowerRun(text: string, i: number, end: number, tokenOut: number): number {
    const limit = OUT.length - 2;
    let len = this.len;
    let token = tokenOut;
    while (i < end) {
      const d = text.charCodeAt(i);
      if (d >= 97 && d <= 122) {
        if (d === 119 && len === token) break;
        if (len < limit) OUT[len++] = d;
        i++;
        continue;
      }
      if (d !== SPACE || i + 1 >= end || len + 2 >= limit) break;
      const e = text.charCodeAt(i + 1);
      if (e < 97 || e > 122 || e === 119) break;
      token = len;
      OUT[len] = SPACE;
      OUT[len + 1] = e;
      len += 2;
      i += 2;
    }
    this.len = len;
    this.token = token;
    return i;
  }

  /** A masked span; marks separated only by whitespace collapse into one. */
  mark(): void {
    if (this.lastMark) {
      this.pendingSpace = false;
      return;
    }
    this.char(HASH);
    this.lastMark = true;
  }

  /** Drops output back to `at`, a token start (the token turned out to be an e-mail or URL). */
  rewind(at: number): void {
    this.len = at > 0 && OUT[at - 1] === SPACE ? at - 1 : at;
    this.pendingSpace = this.len > 0;
    this.lastMark = this.len > 0 && OUT[this.len - 1] === HASH;
  }
}

const sink = new Sink();

/**
 * Position after the closing `close` of a quote opened at `from - 1`, or -1 when it does not
 * close on the same line within QUOTE_CHARS. For apostrophe quotes the closer must not be
 * followed by a letter ("it's" does not close 'quoted').
 */
function closeQuote(text: string, from: number, end: number, close: number, apostrophe: boolean): number {
  const limit = Math.min(end, from + QUOTE_CHARS + 1);
  for (let k = from; k < limit; k++) {
    const c = text.charCodeAt(k);
    if (c === 10) return -1;
    if (c === close && k > from) {
      if (!apostrophe || k + 1 >= end || !isAlnum(text.charCodeAt(k + 1))) return k + 1;
    }
  }
  return -1;
}

/** Closing mark of each quote kind: " ” ` ' 」 』 (the openers are in `quoteKind`). */
const QUOTE_CLOSE = [34, 0x201d, 96, 39, 0x300d, 0x300f];

/** Kind of an opening quote mark (index into QUOTE_CLOSE), or -1; a switch, as it runs for most characters. */
function quoteKind(c: number): number {
  switch (c) {
    case 34:
      return 0;
    case 0x201c:
      return 1;
    case 96:
      return 2;
    case 39:
      return 3;
    case 0x300c:
      return 4;
    case 0x300e:
      return 5;
    default:
      return -1;
  }
}

/** The colon of a "Label:" — ASCII, or the full-width one Chinese and Japanese text uses. */
function isLabelColon(c: number): boolean {
  return c === 58 || c === 0xff1a;
}

/** End of the line containing `from`, bounded by `end`. */
function lineEndOf(text: string, from: number, end: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 || nl > end ? end : nl;
}

/** Masks and emits text[start, end). */
function scanRange(text: string, start: number, end: number): void {
  let i = start;
  let lineStart = true;
  let sentenceStart = true;
  let labelColon = -1;
  let tokenOut = -1; // output position where the current whitespace-delimited token began
  // Per quote kind (`quoteKind`), a failed search proved no closer before this position: keeps a
  // line full of unmatched quotes linear.
  const noCloseBefore = [-1, -1, -1, -1, -1, -1];
  while (i < end) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      sink.space();
      tokenOut = -1;
      if (c === 10) {
        lineStart = true;
        sentenceStart = true;
      }
      i++;
      continue;
    }
    if (tokenOut < 0) tokenOut = sink.len;
    if (lineStart) {
      lineStart = false;
      // "Label: value" — keep the label, mask the value.
      const limit = Math.min(end, i + LABEL_CHARS + 1);
      let j = i;
      while (j < limit) {
        const cj = text.charCodeAt(j);
        if (isLabelColon(cj) || cj === 10) break;
        j++;
      }
      // A colon followed by "/" is a URL's, not a label's.
      if (j < limit && j > i && isLabelColon(text.charCodeAt(j)) && text.charCodeAt(j + 1) !== 47) {
        const lineEnd = lineEndOf(text, j + 1, end);
        let k = j + 1;
        while (k < lineEnd && isSpace(text.charCodeAt(k))) k++;
        if (k < lineEnd) labelColon = j;
      }
    }
    if (i === labelColon) {
      sink.char(58);
      sink.space();
      sink.mark();
      labelColon = -1;
      i = lineEndOf(text, i + 1, end);
      continue;
    }
    // Most characters are lower-case ASCII letters, which no rule below masks (a "www." only at a
    // token's start): emit them directly instead of walking every rule.
    if (c >= 97 && c <= 122 && (c !== 119 || sink.len !== tokenOut)) {
      sink.char(c);
      sentenceStart = false;
      i++;
      // The rest of a lower-case run takes this same branch (no space, line start or label colon
      // can be inside it): emit it without going round the rules again.
      i = sink.lowerRun(text, i, end, tokenOut);
      tokenOut = sink.token;
      continue;
    }
    // Code: fenced blocks and inline spans.
    if (c === 96) {
      if (text.startsWith('```', i)) {
        const close = text.indexOf('```', i + 3);
        sink.mark();
        i = close < 0 || close + 3 > end ? end : close + 3;
        continue;
      }
    }
    // Quoted strings: "…", “…”, `…`, 「…」, 『…』, and '…' when the apostrophe opens a word.
    const quote = quoteKind(c);
    if (
      quote >= 0 &&
      (c !== 39 || i === 0 || !isAlnum(text.charCodeAt(i - 1))) &&
      i >= noCloseBefore[quote]!
    ) {
      const after = closeQuote(text, i + 1, end, QUOTE_CLOSE[quote]!, c === 39);
      if (after > 0) {
        sink.mark();
        sentenceStart = false;
        i = after;
        continue;
      }
      noCloseBefore[quote] = Math.min(i + 1 + QUOTE_CHARS, lineEndOf(text, i, end));
    }
    // Numbers, with currency sign and percent.
    const next = i + 1 < end ? text.charCodeAt(i + 1) : 0;
    if ((c >= 48 && c <= 57) || ((c === 36 || c === 0x20ac || c === 0xa3) && next >= 48 && next <= 57)) {
      i++;
      while (i < end) {
        const d = text.charCodeAt(i);
        if (
          (d >= 48 && d <= 57) ||
          ((d === 46 || d === 44) && i + 1 < end && isDigit(text.charCodeAt(i + 1)))
        )
          i++;
        else break;
      }
      if (i < end && text.charCodeAt(i) === 37) i++;
      sink.mark();
      sentenceStart = false;
      continue;
    }
    // URLs and e-mails: discovered mid-token, so the token's output is rewound and masked.
    if (
      (c === 58 && text.startsWith('//', i + 1)) ||
      (c === 64 && sink.len > tokenOut && isAlnum(next)) ||
      (sink.len === tokenOut && (c === 119 || c === 87) && text.startsWith('ww.', i + 1))
    ) {
      sink.rewind(tokenOut);
      sink.mark();
      while (i < end && !isSpace(text.charCodeAt(i))) i++;
      continue;
    }
    // Capitalised names in mid-sentence (a sentence's first word is kept: it is usually not a name).
    if (isUpper(c) && !sentenceStart && (i === start || !isAlnum(text.charCodeAt(i - 1)))) {
      let w = i + 1;
      while (
        w < end &&
        (isAlnum(text.charCodeAt(w)) || text.charCodeAt(w) === 39 || text.charCodeAt(w) === 45)
      )
        w++;
      // The pronoun "I" (and I'm, I've, I’d) is not a name.
      const pronoun =
        c === 73 && (w === i + 1 || text.charCodeAt(i + 1) === 39 || text.charCodeAt(i + 1) === 0x2019);
      if (!pronoun) {
        sink.mark();
        i = w;
        continue;
      }
    }
    sink.char(c);
    if (c === 46 || c === 33 || c === 63 || c === 58) sentenceStart = true;
    else if (isAlnum(c) || c === 44 || c === 59 || c === 41) sentenceStart = false;
    i++;
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Writes the skeleton of `text` into OUT and returns its length. */
function build(whole: string): number {
  sink.reset();
  // Work on the head only, so every indexOf below is bounded by it too (not by a 5 MB tail).
  const text = whole.length > SKELETON_SCAN_CHARS ? whole.slice(0, SKELETON_SCAN_CHARS) : whole;
  const end = text.length;
  paragraphs(text, end);
  const { count, firstStart, firstEnd, lastStart, lastEnd } = paras;
  if (count === 0) return 0;
  if (count === 1) {
    scanRange(text, firstStart, Math.min(firstEnd, firstStart + KEEP_CHARS));
  } else if (firstEnd - firstStart <= KEEP_CHARS) {
    // Instruction first, then input; a short one-line closing cue is kept too.
    scanRange(text, firstStart, firstEnd);
    sink.space();
    sink.mark();
    const oneLine = lineEndOf(text, lastStart, lastEnd) === lastEnd;
    if (count >= 3 && oneLine && lastEnd - lastStart <= CLOSING_CHARS) {
      sink.space();
      scanRange(text, lastStart, lastEnd);
    }
  } else if (lastEnd - lastStart <= KEEP_CHARS) {
    sink.mark();
    sink.space();
    scanRange(text, lastStart, lastEnd);
  } else {
    scanRange(text, firstStart, firstStart + KEEP_CHARS);
  }
  return sink.len;
}

/**
 * The skeleton as text: lower-cased, masked parts as "#", whitespace folded.
 *
 * @example
 * skeletonText('Translate to French: "Good morning, Anna"'); // 'translate to french: #'
 * skeletonText('Natalia sold 48 clips in April.'); // 'natalia sold # clips in #.'
 */
export function skeletonText(text: string): string {
  const len = build(text);
  return String.fromCharCode(...OUT.subarray(0, len));
}

/**
 * 32-bit FNV-1a hash of the skeleton: equal for two fills of one template, different for
 * unrelated prompts.
 *
 * @example
 * skeleton('Rate the response on a scale of 1 to 10: "Paris is in France."') ===
 *   skeleton('Rate the response on a scale of 1 to 5: "Water boils at 90 C."'); // true
 */
export function skeleton(text: string): number {
  const len = build(text);
  let h = FNV_OFFSET;
  for (let i = 0; i < len; i++) h = Math.imul(h ^ OUT[i]!, FNV_PRIME);
  return h >>> 0;
}
