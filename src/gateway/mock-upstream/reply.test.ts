import { describe, expect, it } from 'vitest';
import { approxTokens, fnv1a, mockTokens, promptText } from './reply.js';

describe('mock reply', () => {
  it('is deterministic per prompt and differs between prompts', () => {
    expect(mockTokens('hello', 8)).toEqual(mockTokens('hello', 8));
    expect(mockTokens('hello', 8).join('')).not.toBe(mockTokens('goodbye', 8).join(''));
    expect(mockTokens('hello', 8, 1).join('')).not.toBe(mockTokens('hello', 8, 0).join(''));
  });

  it('yields exactly the requested number of tokens, space-joined', () => {
    const tokens = mockTokens('x', 5);
    expect(tokens).toHaveLength(5);
    expect(tokens[0]?.startsWith(' ')).toBe(false);
    expect(tokens.slice(1).every((t) => t.startsWith(' '))).toBe(true);
  });

  it('reads text from strings and content blocks', () => {
    expect(
      promptText(
        [
          { role: 'user', content: 'a' },
          { role: 'user', content: [{ type: 'text', text: 'b' }] },
        ],
        'sys',
      ),
    ).toBe('sys\na\nb');
    expect(approxTokens('abcdefghi')).toBe(3);
    expect(fnv1a('a')).toBe(0xe40c292c);
  });
});
