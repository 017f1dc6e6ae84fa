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
});
