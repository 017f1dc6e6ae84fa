/**
 * Cross-account linking, pair side: the kinds of shared key each account pair was seen sharing
 * (corroboration) and union-find over account indices. Who carries which key is the key index
 * (key-index.ts), kept apart so it can be partitioned by key. The linker only records what pairs
 * share and merges groups when told to; *whether* a shared key justifies a merge is the
 * detector's call (network keys never do on their own).
 */

import { PAIR_SHIFT, PairTable } from './pair-table.js';
import { captureFields, type FieldState, restoreFields } from './state-fields.js';

/** Kinds of shared signal, strongest first (co-activity and lockstep last only to keep older bits stable). */
export const LINK_KINDS = [
  'payment',
  'template',
  'client',
  'signup',
  'network',
  'coactivity',
  'lockstep',
] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

function kindBit(kind: LinkKind): number {
  return 1 << LINK_KINDS.indexOf(kind);
}
/** Kinds that say which tools an account uses: two of them are one piece of evidence (one SDK emits both). */
const TOOLING = kindBit('template') | kindBit('client');
/** Kinds that say where or when an account comes from, independent of its tools. */
const ORIGIN = kindBit('signup') | kindBit('network') | kindBit('coactivity') | kindBit('lockstep');

/** Corroboration: a tooling kind of key and an independent origin kind, both among `bits`. */
function corroboratedBits(bits: number): boolean {
  return (bits & TOOLING) !== 0 && (bits & ORIGIN) !== 0;
}

/**
 * Whether `kinds` corroborate a pair (a tooling and an origin kind), as `Linker.corroborate` judges.
 *
 * @example
 * corroboratingKinds(['client', 'template']); // false: both tooling
 * corroboratingKinds(['client', 'network']); // true
 */
export function corroboratingKinds(kinds: readonly LinkKind[]): boolean {
  return corroboratedBits(kinds.reduce((bits, kind) => bits | kindBit(kind), 0));
}
/** Pair flag: already counted towards a group merge. */
const COUNTED = 1 << 7;

/** Account pairs remembered for corroboration; beyond this new pairs are not tracked. */
export const DEFAULT_PAIR_CAP = 2_000_000;
/** About the last call only, so not state. */
const NOT_STATE = ['addedKind'];

/**
 * Pair corroboration and union-find.
 *
 * @example
 * const linker = new Linker();
 * linker.union(0, 1);
 * linker.find(1) === linker.find(0); // true
 */
export class Linker {
  private parent = new Int32Array(1024);
  private rank = new Uint8Array(1024);
  private count = 0;
  /** Kinds of weak key each account pair has been seen sharing (bit per LINK_KINDS index). */
  private pairs = new PairTable();
  private readonly pairCap: number;

  constructor(opts: { pairCap?: number } = {}) {
    this.pairCap = opts.pairCap ?? DEFAULT_PAIR_CAP;
  }

  /**
   * Every field (see state-fields.ts): union-find arrays, pair kinds, cap.
   *
   * @example
   * const bytes = v8.serialize(linker.toState());
   */
  toState(): FieldState {
    return { ...captureFields(this, [...NOT_STATE, 'pairs']), pairs: this.pairs.toState() };
  }

  /**
   * A linker from `toState()` output.
   *
   * @example
   * const copy = Linker.fromState(linker.toState());
   */
  static fromState(state: unknown): Linker {
    const linker = restoreFields(new Linker(), state, NOT_STATE, 'linker');
    linker.pairs = PairTable.fromState((state as FieldState).pairs);
    return linker;
  }

  /** Makes index `i` (and every index below it) a known singleton. */
  ensure(i: number): void {
    if (i < this.count) return;
    if (i >= this.parent.length) {
      let size = this.parent.length;
      while (size <= i) size *= 2;
      const parent = new Int32Array(size);
      parent.set(this.parent);
      const rank = new Uint8Array(size);
      rank.set(this.rank);
      this.parent = parent;
      this.rank = rank;
    }
    for (let j = this.count; j <= i; j++) this.parent[j] = j;
    this.count = i + 1;
  }

  /** Root of i's group (path halving). */
  find(i: number): number {
    let x = i;
    while (this.parent[x] !== x) {
      const grand = this.parent[this.parent[x]!]!;
      this.parent[x] = grand;
      x = grand;
    }
    return x;
  }

  /** Merges the groups of a and b; returns the surviving and absorbed roots, or undefined if already one group. */
  union(a: number, b: number): { root: number; absorbed: number } | undefined {
    this.ensure(Math.max(a, b));
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return undefined;
    if (this.rank[ra]! < this.rank[rb]!) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    if (this.rank[ra] === this.rank[rb]) this.rank[ra]!++;
    return { root: ra, absorbed: rb };
  }

  /**
   * Whether the last `corroborate` call saw the pair share a kind of key it had not shown before
   * (read right after the call; one more lookup per call would cost ~1 % of analyze).
   */
  addedKind = false;

  /**
   * Records that accounts a and b share a key of `kind` and says whether the pair is now
   * corroborated: it shares a *tooling* key (template, client stack) and an *origin* key
   * (sign-up window, subnet, synchronised round-the-clock activity). Tooling keys are correlated with each other (the same software
   * emits the same template and TLS stack), and each alone is shared by crowds of unrelated
   * users; coinciding with an independent origin signal is what makes a coordination link.
   *
   * @example
   * linker.corroborate(1, 2, 'template'); // false
   * linker.corroborate(1, 2, 'client'); // false: both tooling
   * linker.corroborate(1, 2, 'signup'); // true
   */
  corroborate(a: number, b: number, kind: LinkKind): boolean {
    this.addedKind = false;
    if (Math.max(a, b) >= PAIR_SHIFT) return false;
    const before = this.pairs.get(a, b);
    const bit = kindBit(kind);
    if ((before & bit) !== 0) return corroboratedBits(before);
    const bits = this.pairs.or(a, b, bit, this.pairCap);
    if (bits === 0) return false;
    this.addedKind = true;
    return corroboratedBits(bits);
  }

  /**
   * Whether the pair is corroborated (tooling + origin, as in `corroborate`) by its other kinds
   * of shared key once `without` is left out.
   *
   * @example
   * linker.corroborate(1, 2, 'client'); linker.corroborate(1, 2, 'coactivity');
   * linker.corroboratedWithout(1, 2, 'coactivity'); // false: client alone is tooling only
   */
  corroboratedWithout(a: number, b: number, without: LinkKind): boolean {
    return corroboratedBits(this.pairs.get(a, b) & ~kindBit(without));
  }

  /**
   * Kinds of weak key a pair has been seen sharing.
   *
   * @example
   * linker.corroborate(1, 2, 'client'); linker.pairKinds(2, 1); // ['client']
   */
  pairKinds(a: number, b: number): LinkKind[] {
    const bits = this.pairs.get(a, b);
    return LINK_KINDS.filter((kind) => (bits & kindBit(kind)) !== 0);
  }

  /**
   * Marks a known pair as counted towards merging two groups; true the first time only, so a
   * pair that keeps meeting on rotating keys is one piece of evidence, not many.
   *
   * @example
   * linker.corroborate(1, 2, 'client'); linker.markCounted(1, 2); // true, then false
   */
  markCounted(a: number, b: number): boolean {
    const bits = this.pairs.get(a, b);
    if (bits === 0 || bits & COUNTED) return false;
    this.pairs.or(a, b, COUNTED);
    return true;
  }
}

/**
 * A 53-bit key hash of a string (two independent 32-bit FNV variants), so a million distinct
 * payment fingerprints are kept as numbers with a negligible chance of two colliding.
 *
 * @example
 * keyHash('pf_9c41') === keyHash('pf_9c41'); // true
 */
export function keyHash(s: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
}
