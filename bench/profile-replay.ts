/**
 * Per-account profiles replayed over an event stream without linking, for the diagnostics that
 * look at accounts one at a time (bench/early-scores.ts, bench/account-profiles.ts).
 */
import type { ExchangeEvent } from '../src/contract/types.js';
import { extractFeatures } from '../src/detect/features/extract.js';
import type { ProfileStore } from '../src/detect/profile.js';

/**
 * Folds events into a profile store, numbering accounts in order of first sight.
 *
 * @example
 * const replay = new ProfileReplay(new ProfileStore({ idleMs: 7 * 86_400_000, maxAccounts: 1e6 }));
 * for await (const e of openEvents(path)) store.snapshot(replay.add(e)).events;
 */
export class ProfileReplay {
  /** Account id → index given to the store. */
  readonly accounts = new Map<string, number>();

  constructor(readonly store: ProfileStore) {}

  /** Folds one event (in time order) into its account's profile; returns the account's slot. */
  add(e: ExchangeEvent): number {
    let i = this.accounts.get(e.account_id);
    if (i === undefined) {
      i = this.accounts.size;
      this.accounts.set(e.account_id, i);
    }
    const ts = Date.parse(e.ts);
    const slot = this.store.slotFor(i, ts);
    const messages = e.request.messages as Array<{ role: string }> | undefined;
    const freshContext =
      !Array.isArray(messages) || !messages.some((m) => m && (m.role === 'assistant' || m.role === 'tool'));
    this.store.update(slot, extractFeatures(e), { tsMs: ts, newModel: false, freshContext });
    return slot;
  }
}
