/**
 * In scale-out mode the detector runs elsewhere, so it cannot look accounts up in the gateway's
 * store. This wrapper publishes an account's record to the bus the first time the gateway sees
 * that account, just after its first event (the engine accepts records between events).
 */
import type { AccountRecord, ExchangeEvent } from '../contract/types.js';
import type { NatsBus } from './nats.js';
import type { EventBus } from './types.js';

/**
 * Wraps `bus` so each new account's record follows its first event onto the bus.
 *
 * @example
 * const bus = announceAccounts(natsBus, async (id) => toRecord(await store.getAccount(id)));
 * bus.publish(event); // also publishes the account record once
 */
export function announceAccounts(
  bus: NatsBus,
  lookup: (accountId: string) => Promise<AccountRecord | undefined>,
  known: Set<string> = new Set(),
  onError: (error: unknown) => void = (error) =>
    process.stderr.write(`distillguard bus: account lookup failed: ${String(error)}\n`),
): EventBus {
  return {
    publish(event: ExchangeEvent) {
      bus.publish(event);
      if (known.has(event.account_id)) return;
      known.add(event.account_id);
      lookup(event.account_id).then((record) => {
        if (record !== undefined) bus.publishAccount(record);
      }, onError);
    },
    subscribe: (handler) => bus.subscribe(handler),
    close: () => bus.close(),
  };
}
