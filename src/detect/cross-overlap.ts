/**
 * Cross-member prompt overlap of a linked group: how much its members re-send *each other's*
 * prompts, `1 − distinct(union) / Σ distinct(member)`. A public benchmark re-run by several
 * researchers scores high; a partitioned query set scores ≈ 0; and, unlike `1 − distinct/events`,
 * an account repeating its own prompts (retries, its own small prompt pool) does not count,
 * because each prompt records *which* members sent it, not how often.
 *
 * Bounded by distinct sampling (Gibbons): only prompts whose hash falls below a threshold are
 * kept; when the table is full the threshold halves and entries above it go. Sampling is by the
 * prompt's hash, so a prompt is either tracked for every member or for none, and the ratio is
 * unbiased at any sampling level.
 */
import { mix32 } from './sketch.js';

/** Sampled prompts kept per group (4 KB of hashes and masks at most). */
export const CROSS_OVERLAP_CAP = 512;
/** Fewer sampled prompts than this say nothing yet. */
export const CROSS_OVERLAP_MIN_PROMPTS = 50;

import { popcount32 } from './bits.js';
import { captureFields, type FieldState, restoreFields } from './state-fields.js';

/**
 * Sampled prompt → set of members (as a 32-bit mask of hashed member indices) for one group.
 *
 * @example
 * const o = new CrossOverlap();
 * o.add(promptHash, 0);
 * o.add(promptHash, 1); // the same prompt from another member
 * o.share(); // 0.5 once enough prompts are sampled: 1 distinct prompt, 2 member-prompts
 */
export class CrossOverlap {
  /** Sampling level: a prompt is kept when its hash's top `level` bits are zero (rate 2^-level). */
  level = 0;
  /** Sampled prompt hash → mask of members that sent it. */
  readonly senders = new Map<number, number>();
  /** Σ over sampled prompts of how many members sent each: kept as masks change, because the
   * campaign score reads `share()` after every member event and summing 512 masks each time was
   * ~4 % of analyze on a simulated stream. */
  sends = 0;

  constructor(private readonly cap = CROSS_OVERLAP_CAP) {}

  /** Every field (see state-fields.ts). */
  toState(): FieldState {
    return captureFields(this, []);
  }

  /** A CrossOverlap from `toState()` output. */
  static fromState(state: unknown): CrossOverlap {
    return restoreFields(new CrossOverlap(), state, [], 'cross overlap');
  }

  /** Records that `member` (an account index) sent the prompt with 32-bit hash `hash`. */
  add(hash: number, member: number): void {
    if (!this.sampled(hash)) return;
    const bit = 1 << (mix32(member) & 31);
    const before = this.senders.get(hash) ?? 0;
    if ((before & bit) !== 0) return;
    this.senders.set(hash, (before | bit) >>> 0);
    this.sends += 1;
    if (this.senders.size > this.cap) this.shrink();
  }

  /** Folds another group's table into this one (after the groups merged). */
  merge(other: CrossOverlap): void {
    this.level = Math.max(this.level, other.level);
    for (const [hash, mask] of other.senders) {
      if (this.sampled(hash)) this.senders.set(hash, ((this.senders.get(hash) ?? 0) | mask) >>> 0);
    }
    this.drop();
    while (this.senders.size > this.cap) this.shrink();
  }

  /** Prompts currently sampled. */
  get prompts(): number {
    return this.senders.size;
  }

  /**
   * `1 − distinct(union) / Σ distinct(member)` over the sampled prompts, or 0 with fewer than
   * `CROSS_OVERLAP_MIN_PROMPTS` of them.
   */
  share(): number {
    const prompts = this.senders.size;
    if (prompts < CROSS_OVERLAP_MIN_PROMPTS) return 0;
    return 1 - prompts / this.sends;
  }

  private sampled(hash: number): boolean {
    return this.level === 0 || hash >>> (32 - this.level) === 0;
  }

  private shrink(): void {
    this.level++;
    this.drop();
  }

  /** Removes the prompts the current level no longer samples and recounts `sends`. */
  private drop(): void {
    for (const hash of this.senders.keys()) if (!this.sampled(hash)) this.senders.delete(hash);
    let sends = 0;
    for (const mask of this.senders.values()) sends += popcount32(mask);
    this.sends = sends;
  }
}
