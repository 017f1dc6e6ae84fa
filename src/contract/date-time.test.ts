import { fullFormats } from 'ajv-formats/dist/formats.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDateTime } from './date-time.js';

const ajvDateTime = (fullFormats['date-time'] as { validate: (s: string) => boolean }).validate;

/** Strings close to the canonical shape: every position may be a digit, a separator or junk. */
const nearCanonical = fc
  .tuple(
    fc.integer({ min: -62_000_000_000_000, max: 253_000_000_000_000 }),
    fc.array(
      fc.tuple(
        fc.nat(30),
        fc.constantFrom('0', '9', '3', '1', '2', '6', '-', ':', 'T', 't', ' ', 'Z', 'z', '.', '+', 'x', ''),
      ),
      {
        maxLength: 3,
      },
    ),
    fc.boolean(),
  )
  .map(([ms, edits, dropFraction]) => {
    let s = new Date(ms).toISOString();
    if (dropFraction) s = s.replace(/\.\d+Z$/, 'Z');
    for (const [at, ch] of edits) s = s.slice(0, at) + ch + s.slice(at + 1);
    return s;
  });

describe('isDateTime', () => {
  it('accepts exactly what ajv-formats date-time accepts, near the canonical shape', () => {
    fc.assert(
      fc.property(nearCanonical, (s) => {
        expect(isDateTime(s)).toBe(ajvDateTime(s));
      }),
      { numRuns: 5000 },
    );
  });

  it('accepts exactly what ajv-formats accepts on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        expect(isDateTime(s)).toBe(ajvDateTime(s));
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['2026-05-01T12:00:00.000Z', true],
    ['2026-05-01T12:00:00Z', true],
    ['2024-02-29T00:00:00.5Z', true],
    ['2023-02-29T00:00:00Z', false],
    ['2026-13-01T00:00:00Z', false],
    ['2026-05-01T24:00:00Z', false],
    ['2026-05-01T12:00:00.Z', false],
    ['2026-05-01t12:00:00z', true],
    ['2026-05-01 12:00:00+02:00', true],
    ['2016-12-31T23:59:60Z', true],
    ['2026-05-01T12:00:00', false],
  ])('%s → %s (and ajv-formats agrees)', (s, ok) => {
    expect(isDateTime(s)).toBe(ok);
    expect(ajvDateTime(s)).toBe(ok);
  });
});
