import { deserialize, serialize } from 'node:v8';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PAIR_SHIFT, PairTable } from './pair-table.js';
import { SnapshotError } from './state-fields.js';

describe('PairTable', () => {
  it('stores bits per unordered pair and ORs into them', () => {
    const t = new PairTable();
    expect(t.get(1, 2)).toBe(0);
    expect(t.or(2, 1, 0b01)).toBe(0b01);
    expect(t.or(1, 2, 0b10)).toBe(0b11);
    expect(t.get(2, 1)).toBe(0b11);
    expect(t.get(1, 3)).toBe(0);
    expect(t.size).toBe(1);
  });

  it('adds no new pair beyond the cap but still updates stored ones', () => {
    const t = new PairTable();
    t.or(0, 1, 1, 2);
    t.or(0, 2, 1, 2);
    expect(t.or(0, 3, 1, 2)).toBe(0);
    expect(t.get(0, 3)).toBe(0);
    expect(t.or(0, 1, 4, 2)).toBe(5);
    expect(t.size).toBe(2);
  });

  it('agrees with a Map through growth, for indices up to the key limit', () => {
    const index = fc.oneof(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: PAIR_SHIFT - 1 }));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(index, index, fc.integer({ min: 1, max: 255 })), { maxLength: 3000 }),
        (ops) => {
          const t = new PairTable();
          const m = new Map<string, number>();
          for (const [a, b, bits] of ops) {
            const key = `${Math.min(a, b)}/${Math.max(a, b)}`;
            const want = (m.get(key) ?? 0) | bits;
            m.set(key, want);
            expect(t.or(a, b, bits)).toBe(want);
          }
          expect(t.size).toBe(m.size);
          for (const [key, bits] of m) {
            const [a, b] = key.split('/').map(Number);
            expect(t.get(b!, a!)).toBe(bits);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('round-trips through a v8-serialised snapshot and refuses other data', () => {
    const t = new PairTable();
    for (let i = 0; i < 2000; i++) t.or(i, i + 7, 1 << (i % 8));
    const copy = PairTable.fromState(deserialize(serialize(t.toState())));
    expect(copy.size).toBe(2000);
    expect(copy.get(1999 + 7, 1999)).toBe(1 << (1999 % 8));
    expect(() => PairTable.fromState(new Map())).toThrow(SnapshotError);
    expect(() =>
      PairTable.fromState({ keys: new Float64Array(1000), bits: new Uint8Array(1000), size: 0 }),
    ).toThrow(/power-of-two/);
  });
});
