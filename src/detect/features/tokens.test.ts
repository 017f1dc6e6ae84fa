import { describe, expect, it } from 'vitest';
import { fnv1a } from './hash.js';
import { MAX_WORDS, profileText } from './tokens.js';

describe('profileText', () => {
  it('hashes lower-cased words, dropping apostrophes and splitting on punctuation', () => {
    const p = profileText("Don't STOP: step-by-step, 42 times!");
    expect(Array.from(p.hashes)).toEqual(
      ['dont', 'stop', 'step', 'by', 'step', '42', 'times'].map((w) => fnv1a(w) | 0),
    );
    expect(p.numbers).toBe(1);
    expect(p.colons).toBe(1);
    expect(p.exclamations).toBe(1);
    expect(p.startsUpper).toBe(true);
  });

  it('treats typographic apostrophes and quotes like ASCII ones', () => {
    const p = profileText('it’s “quoted”');
    expect(Array.from(p.hashes)).toEqual(['its', 'quoted'].map((w) => fnv1a(w) | 0));
  });

  it('makes each Chinese character or kana a word, with full-width punctuation as separators', () => {
    const p = profileText('请一步一步推理：第3步か？OK');
    expect(Array.from(p.hashes)).toEqual(
      ['请', '一', '步', '一', '步', '推', '理', '第', '3', '步', 'か', 'ok'].map((w) => fnv1a(w) | 0),
    );
    expect(p.numbers).toBe(1);
  });

  it('lower-cases letters of every cased script', () => {
    const p = profileText('Über ШАГ Étape');
    expect(Array.from(p.hashes)).toEqual(['über', 'шаг', 'étape'].map((w) => fnv1a(w) | 0));
  });

  it('counts shape: blank lines, code and formula characters, mid-sentence capitals', () => {
    const p = profileText(
      'Classify the animal.\n\nInput: Iguana\n\nfn main() { let x = 1; }\n\nAsk Bob today',
    );
    expect(p.blankLines).toBe(3);
    expect(p.codeChars).toBeGreaterThanOrEqual(4);
    expect(p.midCaps).toBe(1); // Bob (Iguana follows a colon, Ask starts a line)
    expect(p.lastChar).toBe('y'.charCodeAt(0));
  });

  it('sees a lower-case start as casual typing', () => {
    expect(profileText('  what was mkultra?').startsUpper).toBe(false);
  });

  it('caps the number of word hashes kept', () => {
    const p = profileText('w '.repeat(MAX_WORDS + 500));
    expect(p.words).toBe(MAX_WORDS);
  });

  it('reads texts longer than its code-unit buffer, and shorter ones after them, in full', () => {
    const long = `${'alpha beta '.repeat(2000)}Omega!`; // 22,006 characters: the buffer grows
    const p = profileText(long, new Int32Array(8192));
    expect(p.words).toBe(4001);
    expect(p.hashes[4000]).toBe(fnv1a('omega') | 0);
    expect(p.exclamations).toBe(1);
    expect(p.lastChar).toBe(33);
    const short = profileText('Hi there');
    expect([...short.hashes]).toEqual([fnv1a('hi') | 0, fnv1a('there') | 0]);
    expect(short.lastChar).toBe(101);
  });

  it('keeps lone surrogates as word characters, as charCodeAt sees them', () => {
    const p = profileText('a\ud800b \udc00');
    expect(p.words).toBe(2);
    expect(p.lastChar).toBe(0xdc00);
  });

  it('reads the full-width marks of Chinese and Japanese as the ASCII ones, and case in every script', () => {
    const zh = profileText('计算下列表达式的值：3×4。对吗？太好了！');
    expect([zh.colons, zh.questionMarks, zh.exclamations]).toEqual([1, 1, 1]);
    expect(zh.startsUpper).toBe(false);
    expect(zh.startsCaseless).toBe(true);
    expect(zh.lastChar).toBe(0xff01);
    for (const text of ['Вычислите значение', 'Écrivez un poème', 'Übersetze den Satz'])
      expect(profileText(text).startsUpper, text).toBe(true);
    for (const text of ['привет, как дела', 'écris-moi', 'hello'])
      expect(profileText(text).startsUpper, text).toBe(false);
    expect(profileText('다음 식의 값을 구하시오.').startsCaseless).toBe(true);
    // Symbols are neither: an emoji or × before the first word says nothing about a script.
    expect(profileText('😀 hey').startsCaseless).toBe(false);
    // A mid-sentence capital follows a full-width full stop as it follows an ASCII one.
    expect(profileText('我喜欢。Python is fun').midCaps).toBe(0);
  });
});
