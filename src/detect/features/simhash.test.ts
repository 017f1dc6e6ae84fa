import { describe, expect, it } from 'vitest';
import { hamming, simhash, simhashWords } from './simhash.js';

const article =
  'Summarize the following news article in three bullet points for a busy executive. The city council ' +
  'voted on Tuesday to expand the bus network with twelve new routes, citing rising ridership since the ' +
  'pandemic and complaints from residents of the northern districts about long waits. The plan will be ' +
  'funded by a mix of state grants and a small increase in parking fees downtown, and the first routes ' +
  'are expected to open in the spring after a public consultation.';

describe('simhash', () => {
  it('is deterministic and splits into unsigned 32-bit halves', () => {
    const a = simhash(article);
    expect(simhash(article)).toEqual(a);
    expect(a.hi).toBeGreaterThanOrEqual(0);
    expect(a.lo).toBeLessThan(2 ** 32);
  });

  it('keeps near-duplicates (one word changed) within a few bits', () => {
    const words = article.split(' ');
    const distances = words.map((_, k) => {
      const edited = [...words];
      edited[k] = 'zebra';
      return hamming(simhash(article), simhash(edited.join(' ')));
    });
    distances.sort((a, b) => a - b);
    expect(distances[Math.floor(distances.length / 2)]).toBeLessThanOrEqual(5);
    expect(distances[Math.floor(distances.length * 0.9)]).toBeLessThanOrEqual(9);
    expect(hamming(simhash(article), simhash(article.toUpperCase()))).toBe(0);
  });

  it('puts unrelated prompts far apart', () => {
    const other =
      'Write a Python function that parses a CSV file of transactions, groups them by customer and returns ' +
      'the total amount per customer sorted in descending order, with unit tests for empty files.';
    expect(hamming(simhash(article), simhash(other))).toBeGreaterThan(16);
  });

  it('returns zero for no words', () => {
    expect(simhashWords(new Int32Array(0), 0)).toEqual({ hi: 0, lo: 0 });
  });
});

describe('hamming', () => {
  it('counts differing bits across both halves', () => {
    expect(hamming({ hi: 0, lo: 0b1011 }, { hi: 1, lo: 0 })).toBe(4);
    expect(hamming({ hi: 0xffffffff, lo: 0xffffffff }, { hi: 0, lo: 0 })).toBe(64);
  });
});

describe('simhash on long texts (sampled features)', () => {
  it('still keeps one-word edits of a ~1 KB prompt within a few bits', () => {
    const long = `${article} ${article.replace(/council/g, 'board')} ${article.replace(/bus/g, 'tram')}`;
    const edited = long.replace('twelve', 'fourteen');
    expect(long.length).toBeGreaterThan(1200);
    expect(hamming(simhash(long), simhash(edited))).toBeLessThanOrEqual(6);
  });
});
