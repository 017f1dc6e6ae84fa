/**
 * Counts what the gateway did to each population during a demo replay: requests served in full,
 * served degraded, refused; for campaigns the leak (served in full before containment) and when
 * containment began, for benign personas how many accounts were touched at all.
 */
import type { Label } from '../../contract/types.js';
import { type Action, actionRank } from '../../contract/types.js';

export interface PopulationTally {
  name: string;
  attack: boolean;
  accounts: number;
  requests: number;
  /** Answered in full (2xx while the account was below degrade). */
  servedFull: number;
  /** Answered while the account was at degrade (capped, no reasoning traces, no logprobs). */
  servedDegraded: number;
  /** Refused: blocked accounts (403) or throttled ones (429). */
  refused: number;
  /** Other failures (should stay 0; counted so nothing is hidden). */
  failed: number;
  /** Accounts that ever stood at throttle or above (collateral, for benign personas). */
  touchedAccounts: number;
  /** ts of the first request sent while an account of this population was at degrade or block. */
  firstContainedAt: string | undefined;
  /** Requests of this population sent before that moment. */
  requestsBeforeContainment: number;
}

/** Accumulates per-population counts from replay results. */
export class DemoTally {
  private readonly byAccount = new Map<string, PopulationTally>();
  private readonly populations = new Map<string, PopulationTally>();
  private readonly touched = new Set<string>();

  /**
   * @example
   * const tally = new DemoTally(labels);
   */
  constructor(labels: Iterable<Label>) {
    for (const label of labels) {
      const name = label.label === 'attack' ? (label.campaign ?? label.persona) : label.persona;
      let population = this.populations.get(name);
      if (population === undefined) {
        population = {
          name,
          attack: label.label === 'attack',
          accounts: 0,
          requests: 0,
          servedFull: 0,
          servedDegraded: 0,
          refused: 0,
          failed: 0,
          touchedAccounts: 0,
          firstContainedAt: undefined,
          requestsBeforeContainment: 0,
        };
        this.populations.set(name, population);
      }
      population.accounts++;
      this.byAccount.set(label.account_id, population);
    }
  }

  /**
   * Records one request: `standing` is the account's action when the request was sent.
   *
   * @example
   * tally.record('acct_1', '2026-01-05T00:00:00.000Z', 'degrade', 200);
   */
  record(accountId: string, ts: string, standing: Action | undefined, status: number): void {
    const population = this.byAccount.get(accountId);
    if (population === undefined) return;
    population.requests++;
    const rank = standing === undefined ? -1 : actionRank(standing);
    if (rank >= actionRank('throttle') && !this.touched.has(accountId)) {
      this.touched.add(accountId);
      population.touchedAccounts++;
    }
    if (rank >= actionRank('degrade')) population.firstContainedAt ??= ts;
    else if (population.firstContainedAt === undefined) population.requestsBeforeContainment++;
    if (status >= 200 && status < 300) {
      if (rank >= actionRank('degrade')) population.servedDegraded++;
      else population.servedFull++;
    } else if (status === 403 || status === 429) population.refused++;
    else population.failed++;
  }

  /** Marks accounts that reached throttle or above after their last request. */
  markTouched(accountId: string): void {
    const population = this.byAccount.get(accountId);
    if (population === undefined || this.touched.has(accountId)) return;
    this.touched.add(accountId);
    population.touchedAccounts++;
  }

  /** Campaigns first, then benign personas, each by name. */
  rows(): PopulationTally[] {
    return [...this.populations.values()].sort(
      (a, b) => Number(b.attack) - Number(a.attack) || a.name.localeCompare(b.name),
    );
  }
}
