/**
 * Pulls the last user turn out of a request in either wire format (OpenAI chat or Anthropic
 * messages) and normalises it. Work is bounded: only the first HEAD_CHARS characters of the turn
 * are copied, the rest is only measured, so a megabyte prompt costs what an 8 KB one does.
 */
import type { WireMessage } from '../../contract/types.js';

/** Characters of the raw turn kept for analysis; everything after is only counted. */
export const HEAD_CHARS = 8192;
/** Characters of the normalised prompt kept in the features (for display and evidence; the
 * detector works on hashes, so a short excerpt keeps extraction cheap). */
export const PROMPT_CHARS = 256;

/** The last user turn of a request. */
export interface UserTurn {
  /** The first HEAD_CHARS characters of the turn's text (text blocks joined by newlines). */
  head: string;
  /** Length of the full text of the turn. */
  chars: number;
  /** True when the turn is a tool result (OpenAI `tool` message or Anthropic `tool_result` blocks only). */
  fromTool: boolean;
  /** Index of the turn in `messages`, or -1 when there is no user turn. */
  index: number;
}

interface TextAcc {
  parts: string[];
  kept: number;
  chars: number;
  textBlocks: number;
  toolBlocks: number;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function addText(acc: TextAcc, text: string, limit: number): void {
  if (acc.chars > 0) acc.chars += 1; // the joining newline
  acc.chars += text.length;
  if (acc.kept >= limit) return;
  const room = limit - acc.kept;
  const piece = text.length > room ? text.slice(0, room) : text;
  acc.parts.push(piece);
  acc.kept += piece.length + 1;
}

/** Collects text from a content value: a string, or an array of text / tool_result blocks. */
function collect(acc: TextAcc, content: unknown, limit: number, depth: number): void {
  if (typeof content === 'string') {
    addText(acc, content, limit);
    acc.textBlocks++;
    return;
  }
  if (!Array.isArray(content) || depth > 2) return;
  for (const block of content) {
    if (typeof block === 'string') {
      addText(acc, block, limit);
      acc.textBlocks++;
    } else if (isRecord(block)) {
      if (block.type === 'tool_result') {
        acc.toolBlocks++;
        collect(acc, block.content, limit, depth + 1);
        acc.textBlocks--; // text inside a tool result is not the user's own text
      } else if (typeof block.text === 'string') {
        addText(acc, block.text, limit);
        acc.textBlocks++;
      }
    }
  }
}

/**
 * Returns the text of a message's content (string or content blocks), bounded to `limit` characters.
 *
 * @example
 * contentText([{ type: 'text', text: 'hi' }, { type: 'image', source: {} }], 100); // { text: 'hi', chars: 2 }
 */
export function contentText(content: unknown, limit = HEAD_CHARS): { text: string; chars: number } {
  const acc: TextAcc = { parts: [], kept: 0, chars: 0, textBlocks: 0, toolBlocks: 0 };
  collect(acc, content, limit, 0);
  const joined = acc.parts.length === 1 ? acc.parts[0]! : acc.parts.join('\n');
  return { text: joined.length > limit ? joined.slice(0, limit) : joined, chars: acc.chars };
}

/**
 * Finds the last user turn (a `user` message, or an OpenAI `tool` message that ends an agent loop).
 *
 * @example
 * lastUserTurn([{ role: 'user', content: 'Hello' }, { role: 'assistant', content: 'Hi!' }, { role: 'user', content: 'Thanks' }]);
 * // { head: 'Thanks', chars: 6, fromTool: false, index: 2 }
 */
export function lastUserTurn(messages: readonly WireMessage[]): UserTurn {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (!isRecord(m) || (m.role !== 'user' && m.role !== 'tool')) continue;
    const acc: TextAcc = { parts: [], kept: 0, chars: 0, textBlocks: 0, toolBlocks: 0 };
    collect(acc, m.content, HEAD_CHARS, 0);
    const joined = acc.parts.length === 1 ? acc.parts[0]! : acc.parts.join('\n');
    const head = joined.length > HEAD_CHARS ? joined.slice(0, HEAD_CHARS) : joined;
    const fromTool = m.role === 'tool' || (acc.toolBlocks > 0 && acc.textBlocks <= 0);
    return { head, chars: acc.chars, fromTool, index: i };
  }
  return { head: '', chars: 0, fromTool: false, index: -1 };
}

const OUT = new Uint16Array(PROMPT_CHARS * 4);
/** Longest `limit` the Latin-1 path serves. */
const LATIN1_LIMIT = PROMPT_CHARS * 4;
/** Latin-1 output for the common case; decoding it is one native call instead of fromCharCode.
 * One byte of slack: the loop below may write one character past `limit` before it cuts back. */
const OUT_LATIN1 = Buffer.alloc(LATIN1_LIMIT + 1);

/** Whitespace folded to one space (ASCII controls, NBSP, line/paragraph separators, ideographic). */
function isFoldSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x2028 || c === 0x2029 || c === 0x3000;
}

/** Lower-cases ASCII and Latin-1 upper-case letters (× U+00D7 is not a letter). */
function lower(c: number): number {
  return (c >= 65 && c <= 90) || (c >= 0xc0 && c <= 0xde && c !== 0xd7) ? c + 32 : c;
}

/**
 * Latin-1 code → its normalised form: 0 for whitespace that folds, the lower-cased character
 * otherwise (0 itself, NUL, maps to a value above 255 that the loop turns back into 0). One table
 * load per character instead of the comparisons of `isFoldSpace` and `lower`.
 */
const NORM_NUL = 256;
const NORM_LATIN1 = new Uint16Array(256);
for (let c = 0; c < 256; c++) NORM_LATIN1[c] = isFoldSpace(c) ? 0 : c === 0 ? NORM_NUL : lower(c);

/**
 * Lower-cases (ASCII and Latin-1), folds whitespace runs to one space, trims, and truncates to
 * `limit` characters. One bounded pass: at most 4 × limit input characters are read.
 *
 * @example
 * normalizeText('  Hello\n\n  World\t!  '); // 'hello world !'
 */
export function normalizeText(text: string, limit = PROMPT_CHARS): string {
  if (limit > LATIN1_LIMIT) return normalizeWide(text, limit);
  const scan = Math.min(text.length, limit * 4);
  let len = 0;
  /** 1 while a folded space waits to be written before the next kept character. */
  let space = 0;
  for (let i = 0; i < scan && len < limit; i++) {
    const c = text.charCodeAt(i);
    // Beyond Latin-1 the byte buffer cannot hold the result: redo it in UTF-16 (rare in prompts).
    if (c >= 256) return normalizeWide(text, limit);
    const m = NORM_LATIN1[c]!;
    // No branch on space vs character (words end at unpredictable places, so such a branch
    // mispredicts about once a word): both writes always happen and `len` moves past the ones
    // that count. keep = 1 for a kept character, 0 for folding whitespace (the only m of 0).
    const keep = ((m - 1) >>> 31) ^ 1;
    OUT_LATIN1[len] = 32;
    len += space & keep;
    OUT_LATIN1[len] = m; // NORM_NUL (256) stores as 0 in the byte buffer
    len += keep;
    // A space is pending after whitespace that follows some output; any kept character clears it.
    // (0 - len, not -len: -0 is a double, which would take this loop off its int32 path.)
    space = (keep ^ 1) & ((0 - len) >>> 31);
  }
  // A pending space written at limit - 1 is followed by its character at `limit`: cut that off
  // (the output is `limit` long and ends with the space).
  return OUT_LATIN1.toString('latin1', 0, Math.min(len, limit));
}

/** `normalizeText` for text with characters beyond Latin-1 (or a limit beyond the byte buffer). */
function normalizeWide(text: string, limit: number): string {
  const out = limit <= OUT.length ? OUT : new Uint16Array(limit);
  const scan = Math.min(text.length, limit * 4);
  let len = 0;
  let space = false;
  for (let i = 0; i < scan && len < limit; i++) {
    const c = text.charCodeAt(i);
    if (isFoldSpace(c)) {
      space = len > 0;
      continue;
    }
    if (space) {
      out[len++] = 32;
      space = false;
      if (len >= limit) break;
    }
    out[len++] = lower(c);
  }
  // Chunked so the argument list stays small whatever the limit.
  let result = '';
  for (let at = 0; at < len; at += 1024) {
    // apply takes the typed array as array-like; spreading it would go through the iterator.
    result += String.fromCharCode.apply(
      null,
      out.subarray(at, Math.min(len, at + 1024)) as unknown as number[],
    );
  }
  return result;
}
