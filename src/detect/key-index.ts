/**
 * The shared-signal key index: which accounts carry each key (payment fingerprint, template,
 * client stack, subnet, sign-up window, co-activity signature). It is the bipartite half of the
 * cross-account graph and depends on nothing but the order of its own joins, so it can be
 * partitioned by key: in one process the engine holds one, in the scale-out pipeline the linking
 * stage holds a partition of it per key range (src/bus/link-worker.ts).
 */
import type { LinkKind } from './linker.js';
import { captureFields, type FieldState, restoreFields } from './state-fields.js';

/** Members kept per key; past this a key is "saturated" (shared by a crowd, so weak evidence). */
export const DEFAULT_KEY_CAP = 64;

/** One account joining one key: what the engine asks the index. */
export interface KeyJoin {
  kind: LinkKind;
  /** 53-bit key hash (`keyHash`). */
  hash: number;
  /** The engine's account index. */
  account: number;
}

interface KeyEntry {
  /** Up to the cap; after it, the most recent joiners. */
  members: number[];
  /** Joins seen; exact up to the cap, a lower bound on distinct members after it. */
  size: number;
}

/**
 * Key → accounts, with a member cap per key.
 *
 * @example
 * const index = new KeyIndex();
 * index.join('payment', 12345, 0);
 * index.join('payment', 12345, 1); // { members: [0], size: 2, saturated: false }
 */
export class KeyIndex {
  private readonly keys = new Map<string, Map<number, number | KeyEntry>>();
  private readonly keyCap: number;

  constructor(opts: { keyCap?: number } = {}) {
    this.keyCap = opts.keyCap ?? DEFAULT_KEY_CAP;
  }

  /**
   * Every field (see state-fields.ts).
   *
   * @example
   * const bytes = v8.serialize(index.toState());
   */
  toState(): FieldState {
    return captureFields(this, []);
  }

  /**
   * An index from `toState()` output.
   *
   * @example
   * const copy = KeyIndex.fromState(index.toState());
   */
  static fromState(state: unknown): KeyIndex {
    return restoreFields(new KeyIndex(), state, [], 'key index');
  }

  /**
   * Records that account `i` carries key `hash` of `kind` and returns who carried it before
   * (up to the cap, a fresh array), the key's size and whether it is saturated. Joining twice
   * is a no-op.
   *
   * @example
   * index.join('template', keyHash('sk'), 3).members; // accounts seen with that template before 3
   */
  join(
    kind: LinkKind,
    hash: number,
    i: number,
  ): { members: readonly number[]; size: number; saturated: boolean } {
    let map = this.keys.get(kind);
    if (map === undefined) {
      map = new Map();
      this.keys.set(kind, map);
    }
    const entry = map.get(hash);
    if (entry === undefined) {
      map.set(hash, i); // most keys stay single-member: store the bare index, no array
      return { members: [], size: 1, saturated: false };
    }
    if (typeof entry === 'number') {
      if (entry === i) return { members: [], size: 1, saturated: false };
      map.set(hash, { members: [entry, i], size: 2 });
      return { members: [entry], size: 2, saturated: false };
    }
    const known = entry.members.includes(i);
    const before = known ? entry.members.filter((m) => m !== i) : entry.members.slice();
    if (!known) {
      // Past the cap the list keeps the most recent joiners (a ring): fleets churn, and a new
      // account should meet the accounts active now, not the first ones ever seen.
      if (entry.members.length < this.keyCap) entry.members.push(i);
      else entry.members[entry.size % this.keyCap] = i;
      entry.size++;
    }
    return { members: before, size: entry.size, saturated: entry.size > this.keyCap };
  }

  /**
   * Current members (up to the cap) and size of a key, without joining it.
   *
   * @example
   * index.peek('payment', 12345); // { members: [0, 1], size: 2 }
   */
  peek(kind: LinkKind, hash: number): { members: readonly number[]; size: number } {
    const entry = this.keys.get(kind)?.get(hash);
    if (entry === undefined) return { members: [], size: 0 };
    if (typeof entry === 'number') return { members: [entry], size: 1 };
    return { members: entry.members, size: entry.size };
  }
}
