/**
 * Where the live detector's output goes: each decision is applied to the enforcement table at
 * once (so it takes effect from the account's next request) and is stored, with the campaigns,
 * for the admin API and the console. Store writes are batched off the detector's path.
 */
import type { CampaignReport, Decision } from '../contract/types.js';
import { enforcementFromDecision } from '../gateway/enforcement-table.js';
import type { EnforcementTable } from '../gateway/ports.js';
import type { Store } from './types.js';

export interface DecisionRecorderOptions {
  store: Store;
  enforcement: EnforcementTable;
  now?: () => Date;
  /** Store failures (default: one line on stderr); enforcement in memory is unaffected. */
  onError?: (error: unknown) => void;
}

export interface DecisionRecorder {
  /** Applies `decisions` to enforcement now and queues them, and changed campaigns, for the store. */
  record(decisions: readonly Decision[], campaigns?: readonly CampaignReport[]): void;
  /** Resolves when everything recorded so far is in the store. */
  flush(): Promise<void>;
  readonly stats: Readonly<{ decisions: number; campaignWrites: number; failed: number }>;
}

/**
 * @example
 * const recorder = createDecisionRecorder({ store, enforcement });
 * bus.subscribe((event) => recorder.record(detector.process(event), detector.campaigns()));
 */
export function createDecisionRecorder(opts: DecisionRecorderOptions): DecisionRecorder {
  const now = (): string => (opts.now?.() ?? new Date()).toISOString();
  const onError =
    opts.onError ??
    ((error: unknown) => {
      process.stderr.write(
        `distillguard: decision store write failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    });
  const stats = { decisions: 0, campaignWrites: 0, failed: 0 };
  // Last stored version of each campaign, so an unchanged campaign list costs no writes.
  const stored = new Map<string, string>();
  let pendingDecisions: Decision[] = [];
  let pendingCampaigns = new Map<string, CampaignReport>();
  let chain: Promise<void> = Promise.resolve();
  let scheduled = false;

  const write = async (): Promise<void> => {
    scheduled = false;
    const decisions = pendingDecisions;
    const campaigns = [...pendingCampaigns.values()];
    pendingDecisions = [];
    pendingCampaigns = new Map();
    try {
      await opts.store.insertDecisions(decisions, 'detector');
      stats.decisions += decisions.length;
      const at = now();
      for (const c of campaigns) {
        await opts.store.putCampaign(c, at);
        stats.campaignWrites++;
      }
    } catch (error) {
      stats.failed += decisions.length;
      onError(error);
    }
  };

  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    chain = chain.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(write);
  };

  return {
    stats,
    record(decisions, campaigns = []) {
      for (const d of decisions) {
        opts.enforcement.set(d.account_id, enforcementFromDecision(d));
        pendingDecisions.push(d);
      }
      for (const c of campaigns) {
        const json = JSON.stringify(c);
        if (stored.get(c.id) === json) continue;
        stored.set(c.id, json);
        pendingCampaigns.set(c.id, c);
      }
      if (pendingDecisions.length > 0 || pendingCampaigns.size > 0) schedule();
    },
    async flush() {
      await chain;
    },
  };
}
