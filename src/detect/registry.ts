/**
 * Identity layer of the detector: account id ↔ dense index, sign-up facts, the action each
 * account is at, and the last shared-signal keys it was linked under. Small per account (tens of
 * bytes plus the id) and never evicted, because enforcement and campaign membership must outlive
 * an idle behavioural profile.
 */
import type { AccountFacts } from './account-score.js';
import { captureFields, type FieldState, restoreFields } from './state-fields.js';

/** Per-account slots of remembered key hashes (to rejoin only when a key changes). */
export enum KeySlot {
  Client = 0,
  /** Subnet key last asked, mixed with the dominant capability it was asked with. */
  Network,
  Template,
  /** The runner-up template asked, + 1. */
  Template2,
  Signup,
  SignupPrev,
  /** Co-activity link key last joined, + 1 (0: none). */
  CoActivity,
  /** Period (of `COACTIVITY_PERIOD_HOURS`) the co-activity signature was last computed in, + 1. */
  CoActivityAt,
  Count,
}

/** Derived from `ids`, so rebuilt on restore rather than stored twice. */
const NOT_STATE = ['byId'];

/**
 * Registry of accounts seen in records or events.
 *
 * @example
 * const r = new AccountRegistry();
 * const i = r.indexOf('acct_1');
 * r.rank[i]; // -1: no action yet
 */
export class AccountRegistry {
  private readonly byId = new Map<string, number>();
  readonly ids: string[] = [];
  readonly facts: Array<AccountFacts | undefined> = [];
  /** Current action rank (-1 none, 0 monitor … 3 block). */
  rank = new Int8Array(1024).fill(-1);
  /** 1 once the account has been suspicious enough to link through weak keys. */
  suspect = new Uint8Array(1024);
  /** Remembered key hashes, KeySlot.Count per account. */
  keys = new Float64Array(1024 * KeySlot.Count);

  get size(): number {
    return this.ids.length;
  }

  /** The index of an account, registering it on first sight. */
  indexOf(accountId: string): number {
    const known = this.byId.get(accountId);
    if (known !== undefined) return known;
    const i = this.ids.length;
    this.ids.push(accountId);
    this.facts.push(undefined);
    this.byId.set(accountId, i);
    if (i >= this.rank.length) this.grow(this.rank.length * 2);
    return i;
  }

  /**
   * Every field but the id index, which is rebuilt from `ids` (see state-fields.ts).
   *
   * @example
   * registry.toState().ids; // ['acct_1', …]
   */
  toState(): FieldState {
    return captureFields(this, NOT_STATE);
  }

  /**
   * A registry from `toState()` output.
   *
   * @example
   * const copy = AccountRegistry.fromState(registry.toState());
   */
  static fromState(state: unknown): AccountRegistry {
    const r = restoreFields(new AccountRegistry(), state, NOT_STATE, 'account registry');
    for (let i = 0; i < r.ids.length; i++) r.byId.set(r.ids[i]!, i);
    return r;
  }

  /** The index of a known account, or undefined. */
  find(accountId: string): number | undefined {
    return this.byId.get(accountId);
  }

  private grow(size: number): void {
    const rank = new Int8Array(size).fill(-1);
    rank.set(this.rank);
    this.rank = rank;
    const suspect = new Uint8Array(size);
    suspect.set(this.suspect);
    this.suspect = suspect;
    const keys = new Float64Array(size * KeySlot.Count);
    keys.set(this.keys);
    this.keys = keys;
  }
}
