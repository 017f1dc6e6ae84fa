/**
 * Account pair → small bit set, in an open-addressing hash table over typed arrays.
 *
 * Written by hand because the linker asks it about every pair of suspicious accounts that meet on
 * a key, up to millions of pairs: a `Map<number, number>` keyed by `lo * 2^26 + hi` boxes every
 * key above 2^31 as a heap number (garbage per lookup, 16 bytes more per entry) and cost ~1 µs per
 * call on the speed stream; here a pair is one Float64 and one byte, probed linearly.
 */
import { SnapshotError } from './state-fields.js';

/** Account indices below this fit the pair key (lo * 2^26 + hi stays a safe integer). */
export const PAIR_SHIFT = 2 ** 26;
const MIN_CAPACITY = 1024;

/** Plain-data form of a table, for snapshots. */
export interface PairTableState {
  keys: Float64Array;
  bits: Uint8Array;
  size: number;
}

/**
 * Bits per unordered account pair; 0 means "not stored".
 *
 * @example
 * const t = new PairTable();
 * t.or(3, 1, 0b10); // 0b10
 * t.get(1, 3); // 0b10
 */
export class PairTable {
  /** Pair key per slot (lo * PAIR_SHIFT + hi + 1, so 0 marks an empty slot). */
  private keys: Float64Array = new Float64Array(MIN_CAPACITY);
  private bits: Uint8Array = new Uint8Array(MIN_CAPACITY);
  /** Pairs stored. */
  size = 0;

  /** The pair's bits, or 0 when the pair is not stored. */
  get(a: number, b: number): number {
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    return this.bits[this.slot(lo, hi, lo * PAIR_SHIFT + hi + 1)]!;
  }

  /**
   * ORs `bits` (non-zero) into the pair's bits and returns the result. A pair not yet stored is
   * added unless `cap` pairs are stored already; then 0 is returned and nothing changes.
   */
  or(a: number, b: number, bits: number, cap = Number.POSITIVE_INFINITY): number {
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    const key = lo * PAIR_SHIFT + hi + 1;
    let s = this.slot(lo, hi, key);
    if (this.keys[s] === 0) {
      if (this.size >= cap) return 0;
      if ((this.size + 1) * 2 > this.keys.length) {
        this.grow();
        s = this.slot(lo, hi, key);
      }
      this.keys[s] = key;
      this.size += 1;
    }
    const next = this.bits[s]! | bits;
    this.bits[s] = next;
    return next;
  }

  /** Slot holding `key`, or the empty slot where it would go. */
  private slot(lo: number, hi: number, key: number): number {
    const keys = this.keys;
    const mask = keys.length - 1;
    let s = (Math.imul(Math.imul(lo, 0x9e3779b1) ^ hi, 0x85ebca6b) >>> 7) & mask;
    for (;;) {
      const k = keys[s]!;
      if (k === key || k === 0) return s;
      s = (s + 1) & mask;
    }
  }

  /** Doubles the capacity (keeping the load at most one half, so probes stay short). */
  private grow(): void {
    const oldKeys = this.keys;
    const oldBits = this.bits;
    this.keys = new Float64Array(oldKeys.length * 2);
    this.bits = new Uint8Array(oldKeys.length * 2);
    for (let i = 0; i < oldKeys.length; i++) {
      const key = oldKeys[i]!;
      if (key === 0) continue;
      const lo = Math.floor((key - 1) / PAIR_SHIFT);
      const hi = key - 1 - lo * PAIR_SHIFT;
      const s = this.slot(lo, hi, key);
      this.keys[s] = key;
      this.bits[s] = oldBits[i]!;
    }
  }

  /**
   * The table as plain data (by reference: serialise it before changing the table).
   *
   * @example
   * const bytes = v8.serialize(table.toState());
   */
  toState(): PairTableState {
    return { keys: this.keys, bits: this.bits, size: this.size };
  }

  /**
   * A table from `toState()` output.
   *
   * @example
   * const copy = PairTable.fromState(table.toState());
   */
  static fromState(state: unknown): PairTable {
    const s = state as Partial<PairTableState> | null;
    const capacity = s?.keys instanceof Float64Array ? s.keys.length : 0;
    if (
      s === null ||
      typeof s !== 'object' ||
      !(s.keys instanceof Float64Array) ||
      !(s.bits instanceof Uint8Array) ||
      s.bits.length !== capacity ||
      capacity < MIN_CAPACITY ||
      (capacity & (capacity - 1)) !== 0 ||
      typeof s.size !== 'number'
    ) {
      throw new SnapshotError(
        'linker pairs: expected a pair table (keys, bits of one power-of-two length, size)',
      );
    }
    const table = new PairTable();
    table.keys = s.keys;
    table.bits = s.bits;
    table.size = s.size;
    return table;
  }
}
