import { fullFormats } from 'ajv-formats/dist/formats.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDateTime, parseTimestamp } from './date-time.js';

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

describe('parseTimestamp', () => {
  it('returns exactly what Date.parse returns, near the canonical shape', () => {
    fc.assert(
      fc.property(nearCanonical, (s) => {
        expect(Object.is(parseTimestamp(s), Date.parse(s))).toBe(true);
      }),
      { numRuns: 10_000 },
    );
  });

  it('returns exactly what Date.parse returns for every canonical instant in years 0000–9999', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }),
        fc.boolean(),
        (ms, whole) => {
          const iso = new Date(ms).toISOString();
          const s = whole ? iso.replace(/\.\d+Z$/, 'Z') : iso;
          expect(parseTimestamp(s)).toBe(Date.parse(s));
        },
      ),
      { numRuns: 10_000 },
    );
  });

  it('returns exactly what Date.parse returns on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        expect(Object.is(parseTimestamp(s), Date.parse(s))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    '2026-05-01T12:00:00.000Z',
    '2026-05-01T12:00:00Z',
    '0000-01-01T00:00:00.000Z',
    '0000-02-29T23:59:59.999Z',
    '1969-12-31T23:59:59.999Z',
    '1970-01-01T00:00:00.000Z',
    '2000-02-29T00:00:00Z',
    '2100-02-29T00:00:00Z',
    '9999-12-31T23:59:59.999Z',
    '2016-12-31T23:59:60Z',
    '2026-05-01T12:00:00.1Z',
    '2026-05-01T12:00:00.123456Z',
    '2026-05-01t12:00:00.000z',
    '2026-05-01T14:00:00+02:00',
    '2026-02-30T00:00:00.000Z',
    '2026-05-01T12:00:00.0a0Z',
    '',
  ])('%s as Date.parse', (s) => {
    expect(Object.is(parseTimestamp(s), Date.parse(s))).toBe(true);
  });
});
