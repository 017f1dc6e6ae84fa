import { describe, expect, it } from 'vitest';
import { buildLexicon, countCues, registerCues } from './lexicon.js';
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
  });

  it('handles many phrases sharing a first word', () => {
    const many = buildLexicon({ a: Array.from({ length: 50 }, (_, i) => `the w${i}`) });
    expect(countCues(profileText('the w7 and the w49 but not the w50'), many)[0]).toBe(2);
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
