/**
 * Lockstep between suspicious accounts: requests that land within seconds of each other, batch
 * after batch. One dispatcher spreading a job over several accounts (the public record's
 * "synchronised, load-balanced accounts") sends each batch through all of them at once; people
 * and independent machines coincide by the hour, not by the second. Measured on the seed-1
 * simulation (docs/detector.md, eleventh pass): every deepseek pair had a partner request within
 * ±5 s for 100 % of its requests, every pair in every other population at most 21 %.
 *
 * Only requests that come a minute or more after the account's previous one count (a batch
 * dispatcher's accounts send one request per batch; a busy or bursty account coincides with
 * anyone by chance), and only accounts that mostly send such requests can be in lockstep. It is
 * an origin signal: a company that spreads its own traffic over several keys is in lockstep too,
 * so it corroborates shared tooling, never links alone, and a group still needs harvest-shaped
 * evidence to be acted on.
 *
 * Cost: O(1) per request of a suspicious account (a bounded look back over a ring of the latest
 * ones), 16 bytes per account, and a count per pair that coincided at least once (capped).
 */
import { PAIR_SHIFT } from './pair-table.js';
import { captureFields, type FieldState, restoreFields } from './state-fields.js';

/** Two requests this close (ms) coincide. */
export const LOCKSTEP_WINDOW_MS = 5_000;
/** A request counts only this long (ms) or more after the account's previous one. */
export const LOCKSTEP_MIN_GAP_MS = 60_000;
/** Coincidences a pair needs before it can be in lockstep. */
export const LOCKSTEP_MIN_COINCIDENCES = 8;
/** Share of the sparser account's counted requests that must coincide, and of each account's requests that must count. */
export const LOCKSTEP_SHARE = 0.5;
/**
 * Pairs whose coincidences are counted at most. Busy suspicious fleets coincide by chance now and
 * then (at scale 0.02, 39,457 pairs had coincided, 26,729 of them 8 times or more, 15 in
 * lockstep), so a full table first forgets the pairs too far behind to ever qualify.
 */
export const DEFAULT_LOCKSTEP_PAIR_CAP = 100_000;
/** Latest counted requests remembered, and how many of them one request looks back over. */
const RING = 256;
const LOOK_BACK = 64;

const NONE: readonly number[] = [];

/** One key per unordered pair of account indices, packed as the linker's pair table packs them. */
function pairKey(a: number, b: number): number {
  return a < b ? a * PAIR_SHIFT + b : b * PAIR_SHIFT + a;
}

/**
 * Finds pairs of accounts in lockstep.
 *
 * @example
 * const lockstep = new Lockstep();
 * lockstep.observe(0, t); lockstep.observe(1, t + 800); // [] until the pair has coincided often enough
 */
export class Lockstep {
  constructor(opts: { pairCap?: number } = {}) {
    this.pairCap = opts.pairCap ?? DEFAULT_LOCKSTEP_PAIR_CAP;
  }

  /** Every field (see state-fields.ts). */
  toState(): FieldState {
    return captureFields(this, []);
  }

  /** A Lockstep from `toState()` output. */
  static fromState(state: unknown): Lockstep {
    return restoreFields(new Lockstep(), state, [], 'lockstep');
  }

  private ringAccount = new Int32Array(RING);
  private ringTs = new Float64Array(RING);
  private ringNext = 0;
  private ringSize = 0;
  /** Requests observed per account. */
  private requests = new Uint32Array(1024);
  /** Of them, the ones that came at least LOCKSTEP_MIN_GAP_MS after the previous. */
  private counted = new Uint32Array(1024);
  private lastTs = new Float64Array(1024).fill(Number.NEGATIVE_INFINITY);
  /** Pair key → coincidences so far, or -1 once reported. */
  private pairs = new Map<number, number>();
  private pairCap: number;
  /** New pairs refused since the table was last swept (sweeps are spaced so they cost O(1) per pair). */
  private refused = 0;

  /**
   * Records a request of suspicious account `i` at `ts` and returns the accounts it is now found
   * in lockstep with (each pair is reported once).
   */
  observe(i: number, ts: number): readonly number[] {
    if (i >= this.requests.length) this.grow(i);
    this.requests[i]! += 1;
    const sparse = ts - this.lastTs[i]! >= LOCKSTEP_MIN_GAP_MS;
    this.lastTs[i] = ts;
    if (!sparse) return NONE;
    this.counted[i]! += 1;
    let found: number[] | undefined;
    const look = Math.min(this.ringSize, LOOK_BACK);
    for (let k = 1; k <= look; k++) {
      const slot = (this.ringNext - k + RING) % RING;
      if (ts - this.ringTs[slot]! > LOCKSTEP_WINDOW_MS) break;
      const j = this.ringAccount[slot]!;
      // An account counts once per request however many of its requests are near (each of its
      // counted requests is a minute apart, so at most one is).
      if (j === i) continue;
      const key = pairKey(i, j);
      const before = this.pairs.get(key);
      if (before === -1) continue;
      if (before === undefined && this.pairs.size >= this.pairCap && !this.makeRoom()) continue;
      const coincided = (before ?? 0) + 1;
      if (this.inLockstep(i, j, coincided)) {
        this.pairs.set(key, -1);
        if (found === undefined) found = [j];
        else found.push(j);
      } else {
        this.pairs.set(key, coincided);
      }
    }
    this.ringAccount[this.ringNext] = i;
    this.ringTs[this.ringNext] = ts;
    this.ringNext = (this.ringNext + 1) % RING;
    if (this.ringSize < RING) this.ringSize += 1;
    return found ?? NONE;
  }

  private inLockstep(i: number, j: number, coincided: number): boolean {
    if (coincided < LOCKSTEP_MIN_COINCIDENCES) return false;
    const ci = this.counted[i]!;
    const cj = this.counted[j]!;
    return (
      coincided >= LOCKSTEP_SHARE * Math.min(ci, cj) &&
      ci >= LOCKSTEP_SHARE * this.requests[i]! &&
      cj >= LOCKSTEP_SHARE * this.requests[j]!
    );
  }

  /**
   * With the table full: every so often forgets the pairs whose coincidences are so far behind
   * half of the sparser account's counted requests that they cannot qualify; true if room was made.
   */
  private makeRoom(): boolean {
    this.refused += 1;
    if (this.refused < Math.max(1, this.pairCap / 8)) return false;
    this.refused = 0;
    for (const [key, coincided] of this.pairs) {
      if (coincided === -1) continue;
      const a = Math.floor(key / PAIR_SHIFT);
      const b = key - a * PAIR_SHIFT;
      const behind = LOCKSTEP_SHARE * Math.min(this.counted[a]!, this.counted[b]!) - coincided;
      if (behind > LOCKSTEP_MIN_COINCIDENCES) this.pairs.delete(key);
    }
    return this.pairs.size < this.pairCap;
  }

  private grow(i: number): void {
    let size = this.requests.length;
    while (size <= i) size *= 2;
    const requests = new Uint32Array(size);
    requests.set(this.requests);
    this.requests = requests;
    const counted = new Uint32Array(size);
    counted.set(this.counted);
    this.counted = counted;
    const lastTs = new Float64Array(size).fill(Number.NEGATIVE_INFINITY);
    lastTs.set(this.lastTs);
    this.lastTs = lastTs;
  }
}
