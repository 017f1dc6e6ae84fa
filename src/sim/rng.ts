/**
 * Seeded randomness for the simulator. Every random choice goes through an `Rng`, never
 * Math.random, so one seed gives byte-identical output. `fork(label)` derives an independent
 * stream per account or campaign: adding a scenario does not shift the draws of the others.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/**
 * FNV-1a over a string, 32-bit: a cheap, stable way to turn labels into seeds.
 *
 * @example
 * hash32('hydra/account-1'); // a stable unsigned 32-bit integer
 */
export function hash32(text: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export class Rng {
  private readonly gen: RandomGenerator;

  /**
   * @example
   * const rng = new Rng(42);
   * rng.int(1, 6); // same value on every run with seed 42
   */
  constructor(readonly seed: number) {
    this.gen = xoroshiro128plus(seed | 0);
  }

  /**
   * An independent generator for a named sub-stream; same seed and label → same stream.
   *
   * @example
   * const accountRng = rng.fork('hydra/account-17');
   */
  fork(label: string): Rng {
    return new Rng(hash32(label, hash32(String(this.seed))) ^ Math.imul(this.seed, 0x9e3779b1));
  }

  /** Uniform in [0, 1). */
  float(): number {
    return uniformFloat64(this.gen);
  }

  /**
   * Uniform integer in [min, max], both included.
   *
   * @example
   * new Rng(1).int(0, 9); // 0..9
   */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** Uniform real in [min, max). */
  range(min: number, max: number): number {
    return min + this.float() * (max - min);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /**
   * One element of a non-empty array.
   *
   * @example
   * new Rng(3).pick(['a', 'b']); // 'a' or 'b'
   */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: empty array');
    return items[Math.floor(this.float() * items.length)] as T;
  }

  /**
   * One element chosen with the given non-negative weights.
   *
   * @example
   * new Rng(3).weighted([['x', 9], ['y', 1]]); // usually 'x'
   */
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.float() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    const last = items[items.length - 1];
    if (last === undefined) throw new Error('Rng.weighted: empty array');
    return last[0];
  }

  /** Standard normal draw (Box–Muller). */
  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /**
   * Log-normal draw with the given median and log-space spread: heavy right tail, like token
   * counts and think times.
   */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Exponential draw with the given mean: gaps of a Poisson process. */
  exp(mean: number): number {
    return -mean * Math.log(1 - this.float());
  }

  /** `n` lowercase hex digits. */
  hex(n: number): string {
    let out = '';
    while (out.length < n) out += ((this.float() * 0x100000000) >>> 0).toString(16).padStart(8, '0');
    return out.slice(0, n);
  }

  /** Fisher–Yates shuffle of a copy. */
  shuffled<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1));
      const tmp = out[i] as T;
      out[i] = out[j] as T;
      out[j] = tmp;
    }
    return out;
  }
}
