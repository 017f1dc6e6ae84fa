/**
 * Connects the live detector to the gateway: every exchange event on the bus is fed to the
 * detector (off the request path, on the bus's delivery tick), and the escalations it returns go
 * to the decision recorder, which applies them to the enforcement table at once — so they take
 * effect from the account's next request — and stores them with the campaigns.
 */
import type { EventBus } from '../bus/types.js';
import type { AccountRecord, CampaignReport, Decision, ExchangeEvent } from '../contract/types.js';
import type { OnlineDetector } from '../detect/types.js';
import { toAccountRecord } from '../store/account-record.js';
import type { Store } from '../store/types.js';
import type { GatewayMetrics } from './metrics.js';

/** Where decisions go (src/store/decision-recorder.ts implements it). */
export interface DecisionSink {
  record(decisions: readonly Decision[], campaigns?: readonly CampaignReport[]): void;
}

export interface DetectorLinkOptions {
  bus: EventBus;
  detector: OnlineDetector;
  decisions: DecisionSink;
  metrics?: GatewayMetrics;
  /**
   * Looks up an account the detector has not seen yet (sign-up and payment facts); called once
   * per new account, asynchronously, so it never delays an event.
   */
  lookupAccount?: (accountId: string) => Promise<AccountRecord | undefined>;
  onError?: (error: unknown) => void;
}

/**
 * Subscribes the detector to the bus; returns the unsubscribe function.
 *
 * @example
 * const stop = attachDetector({ bus, detector: createDetector(), decisions: createDecisionRecorder({ store, enforcement }) });
 */
export function attachDetector(options: DetectorLinkOptions): () => void {
  const { detector, metrics } = options;
  const decisions = metrics === undefined ? options.decisions : countedDecisions(options.decisions, metrics);
  const known = new Set<string>();
  const onError =
    options.onError ??
    ((error: unknown) => process.stderr.write(`distillguard detector: ${String(error)}\n`));
  return options.bus.subscribe((event: ExchangeEvent) => {
    if (options.lookupAccount !== undefined && !known.has(event.account_id)) {
      known.add(event.account_id);
      options.lookupAccount(event.account_id).then((record) => {
        if (record !== undefined) detector.addAccount(record);
      }, onError);
    }
    let found: Decision[];
    try {
      found = detector.process(event);
    } catch (error) {
      onError(error);
      return;
    }
    if (found.length === 0) return;
    // Campaigns change when decisions do; asking on every event would cost a scan per request.
    decisions.record(found, detector.campaigns());
  });
}

/**
 * `sink` that also counts each decision by action in `distillguard_decisions_total`, wherever the
 * decisions come from (this thread's detector, the exchange thread, the detector workers).
 *
 * @example
 * const recorded = countedDecisions(recorder, metrics);
 * recorded.record(decisions, campaigns);
 */
export function countedDecisions(sink: DecisionSink, metrics: GatewayMetrics): DecisionSink {
  return {
    record(decisions, campaigns) {
      for (const d of decisions) metrics.decisions.inc({ action: d.action });
      sink.record(decisions, campaigns);
    },
  };
}

/**
 * Seeds the detector with accounts already known, so their sign-up facts count from the start.
 *
 * @example
 * seedAccounts(detector, await storedAccounts(store));
 */
export function seedAccounts(detector: OnlineDetector, records: Iterable<AccountRecord>): number {
  let n = 0;
  for (const record of records) {
    detector.addAccount(record);
    n++;
  }
  return n;
}

/** How many stored accounts a starting detector is seeded with. */
const SEED_LIMIT = 10_000;

/**
 * The accounts a starting detector is seeded with, from the store.
 *
 * @example
 * seedAccounts(detector, await storedAccounts(store));
 */
export async function storedAccounts(store: Pick<Store, 'listAccounts'>): Promise<AccountRecord[]> {
  return (await store.listAccounts({ limit: SEED_LIMIT })).map(toAccountRecord);
}

/**
 * `lookupAccount` for `attachDetector`: one stored account as the detector sees it.
 *
 * @example
 * attachDetector({ bus, detector, decisions, lookupAccount: accountLookup(store) });
 */
export function accountLookup(
  store: Pick<Store, 'getAccount'>,
): (accountId: string) => Promise<AccountRecord | undefined> {
  return async (accountId) => {
    const row = await store.getAccount(accountId);
    return row === undefined ? undefined : toAccountRecord(row);
  };
}
