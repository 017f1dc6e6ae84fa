import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtInCorpora, CorpusError, loadCorpora, parseCorpus } from './corpora.js';

const DATA = '../shared/data';

describe('parseCorpus', () => {
  it('reads conversations and tools', () => {
    const items = parseCorpus(
      [
        '{"id":"a","source":"s","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}',
        '',
        '{"id":"b","source":"s","messages":[{"role":"user","content":"w?"}],"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}]}',
      ].join('\n'),
      'x.jsonl',
    );
    expect(items.map((i) => i.turns.length)).toEqual([2, 1]);
    expect(items[1]?.tools?.[0]?.name).toBe('get_weather');
  });

  it('names the file and line of a broken row', () => {
    expect(() => parseCorpus('{"messages":[]}\n{oops', 'p.jsonl')).toThrow(CorpusError);
    expect(() => parseCorpus('{"messages":[{"role":"user","content":"x"}]}\n{oops', 'p.jsonl')).toThrow(
      'p.jsonl:2: not valid JSON',
    );
  });
});

describe('loadCorpora', () => {
  it('falls back to the built-in generator without a data directory', () => {
    const c = loadCorpora('/nonexistent-dir');
    expect(c.builtIn).toBe(true);
    expect(c.distill.tools.every((t) => t.tools !== undefined)).toBe(true);
    expect(builtInCorpora().conversations[0]).toEqual(c.conversations[0]);
  });

  it.runIf(existsSync(DATA))('loads the real corpora grouped by use', () => {
    const c = loadCorpora(DATA);
    expect(c.builtIn).toBe(false);
    expect(c.distill.reasoning.length).toBe(7473);
    expect(c.evals.humaneval.length).toBe(164);
    expect(c.conversations.every((x) => x.turns.filter((t) => t.role === 'user').length > 1)).toBe(true);
  });
});
