import { describe, expect, it } from 'vitest';
import { skeleton, skeletonText } from './skeleton.js';

describe('skeletonText', () => {
  it('masks numbers, quotes, names, e-mails, URLs and inline code', () => {
    expect(skeletonText('Natalia sold 48 clips in April, then $12.50 more.')).toBe(
      'natalia sold # clips in #, then # more.',
    );
    expect(skeletonText('Translate "Good morning, Anna" and \'see you\' into French.')).toBe(
      'translate # and # into #.',
    );
    expect(skeletonText('Ask John Smith at john@example.com or https://example.com/x?y=1 now')).toBe(
      'ask # at # or # now',
    );
    expect(skeletonText('Marie Curie was born in Warsaw.')).toBe('marie # was born in #.');
    expect(skeletonText("Hi, I was born in 1990 and I'm curious.")).toBe(
      "hi, i was born in # and i'm curious.",
    );
    expect(skeletonText('Rename `fooBar` to snake case.')).toBe('rename # to snake case.');
    expect(skeletonText("don't mask it's")).toBe("don't mask it's");
  });

  it('masks a www. address only at the start of a word (lower-case letters take a fast path)', () => {
    expect(skeletonText('see www.example.org and awww.cute or new words')).toBe(
      'see # and awww.cute or new words',
    );
    expect(skeletonText('mail bob@x.org, then read docs:// now')).toBe('mail # then read # now');
  });

  it('masks an address that starts after a run of plain lower-case words (the run passes spaces)', () => {
    expect(skeletonText('send it to bob@example.com or visit www.example.com now')).toBe(
      'send it to # or visit # now',
    );
    expect(skeletonText('we went west with walter and www.x.org')).toBe('we went west with walter and #');
    expect(skeletonText('see it at http://a.b/c and mail x@y.z today')).toBe('see it at # and mail # today');
    expect(skeletonText('the cat sat  on the mat')).toBe('the cat sat on the mat');
  });

  it('keeps labels and masks their values', () => {
    expect(skeletonText('Sentence 1: I am going.\nSentence 2: I goes.')).toBe('sentence #: # sentence #: #');
    expect(skeletonText('See http://x.org: docs')).toBe('see # docs');
    expect(skeletonText('问题：一个水池有两个进水管\n答案：')).toBe('问题: # 答案：');
  });

  it('masks strings in Chinese and Japanese corner brackets', () => {
    expect(skeletonText('把「今天天气很好」翻译成英文')).toBe('把#翻译成英文');
    expect(skeletonText('『吾輩は猫である』の作者は？')).toBe('#の作者は？');
  });

  it('masks the input block after a short instruction paragraph and keeps a short closing cue', () => {
    const text = 'Categorize the following fruit as either citrus or non-citrus.\n\nBanana\n\nAnswer:';
    expect(skeletonText(text)).toBe(
      'categorize the following fruit as either citrus or non-citrus. # answer:',
    );
  });

  it('masks fenced code even when it contains blank lines', () => {
    const text = 'Why does this fail?\n\n```python\ndef f():\n\n    return 1\n```';
    expect(skeletonText(text)).toBe('why does this fail? #');
  });

  it('keeps a short instruction that follows a long input', () => {
    const text = `${'The committee met to discuss the budget and the plan. '.repeat(10)}\n\nSummarize the above in one line.`;
    expect(skeletonText(text)).toBe('# summarize the above in one line.');
  });
});

describe('skeleton', () => {
  it('gives fills of one template the same hash', () => {
    const fill = (product: string, words: number, text: string) =>
      `Write a product description for "${product}" in under ${words} words.\n\nReviews:\n${text}`;
    expect(skeleton(fill('Acme Kettle', 50, 'Boils fast.'))).toBe(
      skeleton(fill('Zen Lamp', 80, 'Warm light, nice.\nGood.')),
    );
    const judge = (q: string, a: string) =>
      `Please act as an impartial judge.\n\n[Question]\n${q}\n\n[Answer]\n${a}\n\nRate the answer from 1 to 10.`;
    expect(skeleton(judge('What is 2+2?', '4'))).toBe(
      skeleton(judge('Capital of Peru?', 'Lima, since 1535.')),
    );
  });

  it('gives fills of a Chinese template the same hash', () => {
    const fill = (q: string) => `任务：${q}\n\n请分两部分回答。第一部分"推理"：你完整的逐步内部推理。`;
    expect(skeleton(fill('小明有5个苹果，吃了2个，还剩几个？'))).toBe(skeleton(fill('求 x^2 = 16 的解。')));
  });

  it('gives GSM8K-style problems with different names and numbers the same hash only if the wording matches', () => {
    expect(skeleton('Weng earns $12 an hour. Yesterday, she worked 50 minutes. How much did she earn?')).toBe(
      skeleton('Weng earns $15 an hour. Yesterday, she worked 40 minutes. How much did she earn?'),
    );
    expect(skeleton('Weng earns $12 an hour. How much did she earn?')).not.toBe(
      skeleton('Betty is saving $100 for a wallet. How much more does she need?'),
    );
  });

  it('separates unrelated prompts', () => {
    const prompts = [
      'what do you think about the future of iran?',
      'Write a haiku about autumn rain.',
      'Write a poem about autumn rain.',
      'Explain the concept of cash flow.',
      'Complete the following Python function:\n\ndef add(a, b):',
    ];
    expect(new Set(prompts.map(skeleton)).size).toBe(prompts.length);
  });

  it('is bounded on megabyte prompts and never throws on odd text', () => {
    // Deterministic stand-in for a wall-clock bound: megabyte inputs that differ only far past the
    // head give the same skeleton, so the tail is never read (speed is measured in bench/features.ts).
    expect(skeleton(`"${'a'.repeat(5_000_000)}`)).toBe(
      skeleton(`"${'a'.repeat(4_000_000)}${'b c 1 '.repeat(100_000)}`),
    );
    expect(skeleton(`'x ${"'".repeat(100_000)}`)).toBe(
      skeleton(`'x ${"'".repeat(50_000)}${'zz '.repeat(20_000)}`),
    );
    expect(skeleton('`'.repeat(100_000))).toBe(skeleton(`${'`'.repeat(60_000)}${'q'.repeat(40_000)}`));
    expect(skeletonText('')).toBe('');
  });
});
