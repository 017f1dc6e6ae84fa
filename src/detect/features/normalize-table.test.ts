import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeText } from './normalize.js';

/** normalizeText's definition, written plainly: fold, lower-case (ASCII, Latin-1), trim, cut. */
function referenceNormalize(text: string, limit: number): string {
  const head = text.slice(0, limit * 4);
  const folded = head.replace(/[\t\n\v\f\r \u00a0\u2028\u2029\u3000]+/g, ' ').trim();
  const lowered = folded.replace(/[A-Z\u00c0-\u00d6\u00d8-\u00de]/g, (ch) =>
    String.fromCharCode(ch.charCodeAt(0) + 32),
  );
  return lowered.slice(0, limit);
}

/** Characters around every class the table distinguishes: controls, NUL, spaces, Latin-1, beyond. */
const char = fc.oneof(
  fc.integer({ min: 0, max: 255 }),
  fc.constantFrom(9, 10, 13, 32, 0xa0, 0x2028, 0x2029, 0x3000, 0xd7, 0xc0, 0xde, 0xdf, 0x100, 0x41),
);

describe('normalizeText table', () => {
  it('matches the plain definition on Latin-1 text, NUL and whitespace of every kind included', () => {
    fc.assert(
      fc.property(fc.array(char, { maxLength: 1500 }), fc.integer({ min: 1, max: 300 }), (codes, limit) => {
        const text = String.fromCharCode(...codes);
        expect(normalizeText(text, limit)).toBe(referenceNormalize(text, limit));
      }),
      { numRuns: 400 },
    );
  });
});
