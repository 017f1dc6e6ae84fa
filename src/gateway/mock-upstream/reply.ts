/**
 * The mock model's deterministic "generation": the same prompt always yields the same words, so
 * tests and benchmarks can assert on exact output and token counts without a real model.
 */

const WORDS = [
  'the',
  'model',
  'answers',
  'with',
  'a',
  'short',
  'deterministic',
  'reply',
  'about',
  'your',
  'question',
  'and',
  'each',
  'word',
  'counts',
  'as',
  'one',
  'token',
  'in',
  'usage',
  'so',
  'tests',
  'can',
  'check',
  'exact',
  'numbers',
  'while',
  'streams',
  'arrive',
  'chunk',
  'by',
  'chunk',
];

/**
 * FNV-1a over UTF-16 code units: tiny, fast and stable across runs.
 *
 * @example
 * fnv1a('a'); // 0xe40c292c
 */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The output tokens for a prompt: `count` words picked by a seeded xorshift from a fixed list;
 * the first token has no leading space, the rest do, so joining them gives the reply text.
 *
 * @example
 * mockTokens('hello', 3).join(''); // same three words on every call
 */
export function mockTokens(prompt: string, count: number, salt = 0): string[] {
  let state = (fnv1a(prompt) ^ Math.imul(salt + 1, 0x9e3779b9)) >>> 0 || 1;
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    const word = WORDS[state % WORDS.length] ?? 'token';
    tokens.push(i === 0 ? word : ` ${word}`);
  }
  return tokens;
}

/**
 * A rough input-token count (4 characters per token), as the mock reports in `usage`.
 *
 * @example
 * approxTokens('abcdefgh'); // 2
 */
export function approxTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/**
 * Concatenates the text of chat messages in either wire format (string content or text blocks).
 *
 * @example
 * promptText([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }]); // 'hi'
 */
export function promptText(messages: unknown, system?: unknown): string {
  const parts: string[] = [];
  collectText(system, parts);
  if (Array.isArray(messages)) {
    for (const message of messages) {
      if (message !== null && typeof message === 'object')
        collectText((message as { content?: unknown }).content, parts);
    }
  }
  return parts.join('\n');
}

function collectText(content: unknown, parts: string[]): void {
  if (typeof content === 'string') parts.push(content);
  else if (Array.isArray(content)) {
    for (const block of content) {
      if (block !== null && typeof block === 'object') {
        const text = (block as { text?: unknown }).text;
        if (typeof text === 'string') parts.push(text);
      }
    }
  }
}
