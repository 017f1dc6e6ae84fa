/**
 * Co-activity of accounts (SynchroTrap-style): which hours of the last week each account was
 * active in, to tell machine-synchronised fleets from people who merely keep the same office
 * hours. A fleet driven by one orchestrator runs round the clock and switches on and off
 * together; people (a lab, a university behind one NAT) share working hours but sleep, so they
 * never cover the night. Two accounts count as synchronised only when *both* were active in
 * nearly every hour of the day within the window and their sets of active hours (absolute
 * hours, so on/off transitions count) mostly coincide.
 *
 * Cost: 24 bytes of bitmap and 8 bytes of bookkeeping per account, O(1) per event; comparing
 * two accounts reads 168 bits. Candidates are found through a MinHash of the active hours used
 * as a link key, never by comparing all pairs.
 */

import { popcount32 } from './bits.js';
import { captureFields, type FieldState, restoreFields } from './state-fields.js';

const HOUR_MS = 3_600_000;
/** Window of absolute hours kept per account: one week. */
export const COACTIVITY_WINDOW_HOURS = 168;
const WORDS = Math.ceil(COACTIVITY_WINDOW_HOURS / 32);
/** Hours of the day (UTC) an account must cover within the window to count as round the clock. */
export const ROUND_THE_CLOCK_HOURS = 20;
/** Active hours within the window below which nothing is said (two days' worth). */
export const MIN_ACTIVE_HOURS = 48;
/** Jaccard similarity of two accounts' active hours at or above which they are synchronised. */
export const SYNC_JACCARD = 0.8;

/** What one account did within the window ending at a given hour. */
export interface ActivityWindow {
  /** Hours of the window with at least one request. */
  activeHours: number;
  /** Distinct hours of day (UTC) among them, 0–24. */
  hoursOfDay: number;
}

/**
 * Per-account ring bitmaps of active hours over the last week.
 *
 * @example
 * const co = new CoActivity();
 * co.touch(0, ts); co.touch(1, ts);
 * co.synchronised(0, 1, Math.floor(ts / 3_600_000)); // true once both ran round the clock together
 */
export class CoActivity {
  /** Every field (see state-fields.ts). */
  toState(): FieldState {
    return captureFields(this, []);
  }

  /** A CoActivity from `toState()` output. */
  static fromState(state: unknown): CoActivity {
    return restoreFields(new CoActivity(), state, [], 'co-activity');
  }

  private bits = new Uint32Array(1024 * WORDS);
  /** Last active absolute hour per account (-1: never active). */
  private last = new Int32Array(1024).fill(-1);

  /** Records a request of account `i` at `tsMs` (events arrive in time order). */
  touch(i: number, tsMs: number): void {
    if (i >= this.last.length) this.grow(i);
    const h = Math.floor(tsMs / HOUR_MS);
    const last = this.last[i]!;
    const base = i * WORDS;
    if (last < 0 || h - last >= COACTIVITY_WINDOW_HOURS) {
      this.bits.fill(0, base, base + WORDS);
    } else {
      // Hours skipped since the last request were idle: clear their (week-old) bits.
      for (let k = last + 1; k < h; k++) {
        const at = k % COACTIVITY_WINDOW_HOURS;
        this.bits[base + (at >>> 5)]! &= ~(1 << (at & 31));
      }
    }
    if (h < last && last - h >= COACTIVITY_WINDOW_HOURS) return;
    const at = h % COACTIVITY_WINDOW_HOURS;
    this.bits[base + (at >>> 5)]! |= 1 << (at & 31);
    if (h > last) this.last[i] = h;
  }

  /** Whether account `i` made a request in absolute hour `h` (only hours within its last week are known). */
  activeAt(i: number, h: number): boolean {
    if (i >= this.last.length) return false;
    const last = this.last[i]!;
    if (last < 0 || h > last || last - h >= COACTIVITY_WINDOW_HOURS) return false;
    const at = h % COACTIVITY_WINDOW_HOURS;
    return (this.bits[i * WORDS + (at >>> 5)]! & (1 << (at & 31))) !== 0;
  }

  /** Activity of account `i` in the week ending at absolute hour `now`. */
  window(i: number, now: number): ActivityWindow {
    let activeHours = 0;
    let dayMask = 0;
    for (let h = now - COACTIVITY_WINDOW_HOURS + 1; h <= now; h++) {
      if (!this.activeAt(i, h)) continue;
      activeHours++;
      dayMask |= 1 << (h % 24);
    }
    return { activeHours, hoursOfDay: popcount32(dayMask) };
  }

  /** Account `i` ran round the clock in the week ending at `now` (people sleep; machines do not). */
  roundTheClock(i: number, now: number): boolean {
    const w = this.window(i, now);
    return w.activeHours >= MIN_ACTIVE_HOURS && w.hoursOfDay >= ROUND_THE_CLOCK_HOURS;
  }

  /**
   * Both accounts ran round the clock in the week ending at `now` and their active hours mostly
   * coincide (Jaccard ≥ `SYNC_JACCARD`): they switched on and off together.
   */
  synchronised(a: number, b: number, now: number): boolean {
    if (!this.roundTheClock(a, now) || !this.roundTheClock(b, now)) return false;
    let both = 0;
    let either = 0;
    for (let h = now - COACTIVITY_WINDOW_HOURS + 1; h <= now; h++) {
      const x = this.activeAt(a, h);
      const y = this.activeAt(b, h);
      if (x && y) both++;
      if (x || y) either++;
    }
    return either > 0 && both / either >= SYNC_JACCARD;
  }

  /**
   * A MinHash of account `i`'s active hours in the week ending at `now` (the active hour with the
   * smallest hash), or -1 unless it ran round the clock. Accounts whose active hours coincide
   * with Jaccard J get the same value with probability J, so it buckets candidates for
   * `synchronised` without comparing all pairs.
   */
  signature(i: number, now: number): number {
    if (!this.roundTheClock(i, now)) return -1;
    let best = -1;
    let bestHash = Number.POSITIVE_INFINITY;
    for (let h = now - COACTIVITY_WINDOW_HOURS + 1; h <= now; h++) {
      if (!this.activeAt(i, h)) continue;
      const hash = hourHash(h);
      if (hash < bestHash) {
        bestHash = hash;
        best = h;
      }
    }
    return best;
  }

  private grow(i: number): void {
    let size = this.last.length;
    while (size <= i) size *= 2;
    const last = new Int32Array(size).fill(-1);
    last.set(this.last);
    this.last = last;
    const bits = new Uint32Array(size * WORDS);
    bits.set(this.bits);
    this.bits = bits;
  }
}

/** A well-spread unsigned hash of an absolute hour number. */
function hourHash(h: number): number {
  let x = h >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}
