import { describe, expect, it } from 'vitest';
import { buildLexicon, countCues, registerCues, startsWithPhrase } from './lexicon.js';
import { profileText } from './tokens.js';

describe('lexicon', () => {
  const lex = buildLexicon({
    cot: ['step by step', 'show your work', 'step'],
    grade: ['rubric', 'rate the following'],
  });

  it('counts whole-phrase matches per cue, case and punctuation insensitive', () => {
    const counts = countCues(
      profileText('Use the RUBRIC. Rate the following, step-by-step; show your work.'),
      lex,
    );
    expect(counts[lex.index('cot')]).toBe(4); // "step by step", "show your work", and "step" twice
    expect(counts[lex.index('grade')]).toBe(2);
  });

  it('does not match partial phrases or across the end of the text', () => {
    const counts = countCues(profileText('show your'), lex);
    expect(Array.from(counts)).toEqual([0, 0]);
  });

  it('rejects unknown cue names and empty phrases', () => {
    expect(() => lex.index('nope')).toThrow(/no cue "nope"/);
    expect(() => buildLexicon({ bad: ['...'] })).toThrow(/has no words/);
    // Listed twice, a phrase would count twice; spellings that tokenise alike are the same phrase.
    expect(() => buildLexicon({ cot: ['step by step', 'Step-by-step'] })).toThrow(
      /"Step-by-step" is listed twice/,
    );
    expect(() => buildLexicon({ a: ['step'], b: ['step'] })).not.toThrow();
  });

  it('counts what a plain scan counts: one-word and longer phrases sharing words, one phrase in two cues, text ends', () => {
    const groups = {
      x: ['a', 'a b', 'a b c', 'b'],
      y: ['b c', 'c a', 'c', 'a c a', 'b'],
    };
    const mixed = buildLexicon(groups);
    const phrases = Object.entries(groups).flatMap(([cue, list]) =>
      list.map((p) => ({ cue: mixed.index(cue), words: p.split(' ') })),
    );
    const vocabulary = ['a', 'b', 'c', 'd'];
    let seed = 7;
    for (let round = 0; round < 200; round++) {
      const words: string[] = [];
      const length = round % 9;
      for (let k = 0; k < length; k++) {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        words.push(vocabulary[seed >>> 30]!);
      }
      const expected = [0, 0];
      for (let i = 0; i < words.length; i++) {
        for (const p of phrases) {
          if (p.words.every((w, k) => words[i + k] === w)) expected[p.cue]!++;
        }
      }
      expect(Array.from(countCues(profileText(words.join(' ')), mixed)), words.join(' ')).toEqual(expected);
    }
  });

  it('handles many phrases sharing a first word', () => {
    const many = buildLexicon({ a: Array.from({ length: 50 }, (_, i) => `the w${i}`) });
    expect(countCues(profileText('the w7 and the w49 but not the w50'), many)[0]).toBe(2);
  });
});

describe('startsWithPhrase', () => {
  const verbs = buildLexicon({ verb: ['write', 'fill in', '计算', '请计算'], other: ['classify'] });

  it('finds a phrase of any cue and any length at the first word only', () => {
    expect(startsWithPhrase(profileText('Write a poem'), verbs)).toBe(true);
    expect(startsWithPhrase(profileText('Classify these'), verbs)).toBe(true);
    expect(startsWithPhrase(profileText('Fill in the blank'), verbs)).toBe(true);
    expect(startsWithPhrase(profileText('计算下列表达式'), verbs)).toBe(true);
    expect(startsWithPhrase(profileText('请计算'), verbs)).toBe(true);
    expect(startsWithPhrase(profileText('Please write a poem'), verbs)).toBe(false);
    expect(startsWithPhrase(profileText('我来计算'), verbs)).toBe(false);
  });

  it('does not match a phrase cut off by the end of the text, or an empty text', () => {
    expect(startsWithPhrase(profileText('fill'), verbs)).toBe(false);
    expect(startsWithPhrase(profileText('计'), verbs)).toBe(false);
    expect(startsWithPhrase(profileText(''), verbs)).toBe(false);
  });

  it('agrees with counting the first words alone for one-word phrases', () => {
    const one = buildLexicon({ verb: ['write', 'list', 'solve'] });
    for (const text of ['Solve it', 'list all', 'so solve', 'writes', '', '42 write']) {
      const counted =
        countCues(
          { hashes: profileText(text).hashes, words: Math.min(1, profileText(text).words) },
          one,
        )[0]! > 0;
      expect(startsWithPhrase(profileText(text), one), text).toBe(counted);
    }
  });
});

describe('registerCues', () => {
  it('counts every registered set in one shared pass, per profile', () => {
    const a = registerCues('test-a', { cot: ['step by step'] });
    const b = registerCues('test-b', { grade: ['rubric'] });
    const p = profileText('Use the rubric, step by step.');
    expect(a.count(p)[a.index('cot')]).toBe(1);
    expect(b.count(p)[b.index('grade')]).toBe(1);
    const q = profileText('nothing here');
    expect(a.count(q)[a.index('cot')]).toBe(0);
    expect(() => registerCues('test-a', { cot: ['x'] })).toThrow(/registered twice/);
    expect(() => a.index('grade')).toThrow(/no cue "test-a.grade"/);
  });
});
