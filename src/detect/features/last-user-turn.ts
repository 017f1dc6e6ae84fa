/**
 * Pulls the last user turn out of a request in either wire format (OpenAI chat or Anthropic
 * messages). Normalisation happens where the text is read (profileText lower-cases and splits words
 * as it hashes them; the skeleton folds case and whitespace as it masks), so no normalised copy is
 * made. Work is bounded: only the first HEAD_CHARS characters of the turn are copied, the rest is
 * only measured, so a megabyte prompt costs what an 8 KB one does.
 */
import type { WireMessage } from '../../contract/types.js';

/** Characters of the raw turn kept for analysis; everything after is only counted. */
export const HEAD_CHARS = 8192;

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
  const { text, acc } = gather(content, limit);
  return { text, chars: acc.chars };
}

/** The text of `content` joined and cut to `limit`, with the counts `collect` kept. */
function gather(content: unknown, limit: number): { text: string; acc: TextAcc } {
  const acc: TextAcc = { parts: [], kept: 0, chars: 0, textBlocks: 0, toolBlocks: 0 };
  collect(acc, content, limit, 0);
  const joined = acc.parts.length === 1 ? acc.parts[0]! : acc.parts.join('\n');
  return { text: joined.length > limit ? joined.slice(0, limit) : joined, acc };
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
    const { text: head, acc } = gather(m.content, HEAD_CHARS);
    const fromTool = m.role === 'tool' || (acc.toolBlocks > 0 && acc.textBlocks <= 0);
    return { head, chars: acc.chars, fromTool, index: i };
  }
  return { head: '', chars: 0, fromTool: false, index: -1 };
}
