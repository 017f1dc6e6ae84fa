/**
 * Fuzzed prompts and events for the feature A/B check (bench/features-ab.ts): text that hits the
 * corners of the word loop, the skeleton's masking rules and the normaliser (apostrophes, quotes,
 * fences, URLs, Latin-1 and wider scripts, lone surrogates, NUL, the 8 KB head and the 2,048-word
 * cap), spliced into real prompts so cue phrases and templates occur too. Seeded: a failing case
 * can be regenerated.
 */
import type { ExchangeEvent, WireMessage } from '../src/contract/types.js';

/** Deterministic 32-bit generator (mulberry32): enough for fuzzing, no dependency. */
export function rng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pieces the generator strings together; each one stresses a rule of some feature. */
const PIECES = [
  ' ',
  ' ',
  ' ',
  '  ',
  '\n',
  '\n\n',
  '\n \n',
  '\t',
  '\r\n',
  '.',
  ',',
  ';',
  ':',
  '!',
  '?',
  "'",
  "''",
  '\u2019',
  '"',
  '\u201c',
  '\u201d',
  '`',
  '```',
  '```py\nx = 1\n```',
  '{',
  '}',
  '<',
  '>',
  '_',
  '|',
  '\\',
  '=',
  '+',
  '*',
  '/',
  '^',
  '%',
  '$',
  '$5',
  '\u20ac3',
  '\u00a34.50',
  '50%',
  '3.14',
  '1,000',
  '42',
  '@',
  'a@b.co',
  'http://x.io/a',
  'https://example.com',
  'www.site.org',
  'Www.x.y',
  "don't",
  "I'm",
  "I'",
  'I\u2019ve',
  "'quoted'",
  '"a quote"',
  '\u201csmart\u201d',
  'Name: value',
  'Label:',
  'Input: 12',
  'x://',
  '\u00e9t\u00e9',
  '\u00c4RGER',
  '\u00d7',
  '\u00df',
  '\u00ff',
  '\u00a0',
  '\u00ab',
  '\u00bb',
  '\u0000',
  '\u00ad',
  '\u0416\u0443\u043a',
  '\u4e2d\u6587',
  '\u3000',
  '\u3001',
  '\u2028',
  '\u2029',
  '\u2014',
  '\u2026',
  '\ufeff',
  '\uff01',
  '\ud83d\ude00',
  '\ud800',
  '\udc00',
  'A',
  'Z',
  'Paris',
  'McDonald',
  'USA',
  'step by step',
  'show your work',
  'rate the following',
  'on a scale of 1 to 10',
  'the following',
  'can you',
  'Write',
  'Classify',
  'python',
  'how many',
  'thank you',
  'you said',
];

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * One fuzzed text: a mix of real prompt slices, generator pieces, random words and, now and then,
 * a very long or very wordy stretch (past the 8 KB head, past the 2,048-word cap).
 *
 * @example
 * const next = rng(1);
 * fuzzText(next, ['Solve step by step: 2 + 2']).length >= 0; // true
 */
export function fuzzText(next: () => number, real: readonly string[]): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const shape = next();
  if (shape < 0.02) return '';
  if (shape < 0.04) return 'a '.repeat(2000 + Math.floor(next() * 3000)); // beyond MAX_WORDS
  if (shape < 0.06) {
    // Beyond HEAD_CHARS: a real prompt repeated, or generator pieces when none are given.
    const base = real.length > 0 ? pick(real) : PIECES.join('');
    return base.repeat(2 + Math.floor(next() * 12));
  }
  const parts: string[] = [];
  const target = next() < 0.8 ? Math.floor(next() * 1500) : Math.floor(next() * 12_000);
  let length = 0;
  while (length < target) {
    const r = next();
    let piece: string;
    if (r < 0.15 && real.length > 0) {
      const text = pick(real);
      const from = Math.floor(next() * text.length);
      piece = text.slice(from, from + Math.floor(next() * 400));
    } else if (r < 0.55) {
      piece = pick(PIECES);
    } else if (r < 0.6) {
      // A random code unit anywhere in the BMP (surrogates included).
      piece = String.fromCharCode(Math.floor(next() * 65536));
    } else {
      let w = '';
      const n = 1 + Math.floor(next() * 10);
      for (let k = 0; k < n; k++) w += LETTERS[Math.floor(next() * LETTERS.length)];
      piece = w;
    }
    parts.push(piece);
    length += piece.length + 1;
  }
  return parts.join(next() < 0.5 ? ' ' : '');
}

/**
 * A fuzzed event around a fuzzed last user turn: string or block content, tool turns, earlier
 * answers (the continuity path), request fields and odd client fields.
 *
 * @example
 * const e = fuzzEvent(rng(1), 0, ['Hello there']);
 * e.request.messages.length > 0; // true
 */
export function fuzzEvent(next: () => number, i: number, real: readonly string[]): ExchangeEvent {
  const text = fuzzText(next, real);
  const messages: WireMessage[] = [];
  const history = next();
  if (history < 0.3) {
    const earlier = fuzzText(next, real);
    messages.push({ role: 'user', content: earlier.slice(0, 300) });
    // An answer that sometimes repeats the follow-up's words (the overlap rule of continuity).
    const answer = next() < 0.5 ? `${text.slice(0, 500)} ${earlier.slice(0, 200)}` : fuzzText(next, real);
    messages.push({ role: 'assistant', content: answer });
  }
  const kind = next();
  if (kind < 0.6) messages.push({ role: 'user', content: text });
  else if (kind < 0.75)
    messages.push({
      role: 'user',
      content: [
        { type: 'text', text: text.slice(0, Math.floor(text.length / 2)) },
        { type: 'image', source: {} },
        { type: 'text', text: text.slice(Math.floor(text.length / 2)) },
      ],
    });
  else if (kind < 0.85)
    messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: text }] });
  else if (kind < 0.93) messages.push({ role: 'tool', content: text, tool_call_id: 't1' });
  else messages.push({ role: 'assistant', content: text });
  const request: ExchangeEvent['request'] = { messages };
  if (next() < 0.3) request.max_tokens = Math.floor(next() * 40_000);
  if (next() < 0.1) request.tools = [{ type: 'function', function: { name: 'f' } }];
  if (next() < 0.1) request.thinking = { type: 'enabled', budget_tokens: 4096 };
  if (next() < 0.1) request.reasoning_effort = 'high';
  const ips = ['203.0.113.9', '2001:db8::1', 'not-an-ip', '10.1.2.3'];
  return {
    id: `fuzz-${i}`,
    ts: new Date(Date.UTC(2026, 0, 1) + i).toISOString(),
    account_id: `a${i % 50}`,
    api: next() < 0.5 ? 'openai.chat' : 'anthropic.messages',
    model: 'm',
    client: { ip: ips[i % ips.length]!, user_agent: next() < 0.5 ? 'python-requests/2.32' : 'curl/8' },
    request,
  };
}
