/**
 * Reads a whole store out in the contract's shapes, a page at a time (bounded memory on any size
 * of log): the exchange log in (ts, insertion) order and every account as an account record —
 * what `distillguard export` writes for `analyze`.
 */
import type { AccountRecord, ExchangeEvent } from '../contract/types.js';
import { toAccountRecord } from './account-record.js';
import type { EventCursor, Store } from './types.js';

/** Rows per query. */
const PAGE = 5_000;

/**
 * The exchange log, oldest first, one page per batch.
 *
 * @example
 * for await (const batch of storedEvents(store)) for (const e of batch) writer.write(e);
 */
export async function* storedEvents(
  store: Pick<Store, 'pageEvents'>,
  pageSize = PAGE,
): AsyncGenerator<ExchangeEvent[]> {
  let after: EventCursor | undefined;
  do {
    const page = await store.pageEvents({ limit: pageSize, ...(after === undefined ? {} : { after }) });
    if (page.events.length > 0) yield page.events;
    after = page.next;
  } while (after !== undefined);
}

/**
 * Every stored account as an account record, by id, one page per batch.
 *
 * @example
 * for await (const batch of storedAccountRecords(store)) for (const a of batch) writer.write(a);
 */
export async function* storedAccountRecords(
  store: Pick<Store, 'listAccounts'>,
  pageSize = PAGE,
): AsyncGenerator<AccountRecord[]> {
  let afterId: string | undefined;
  for (;;) {
    const rows = await store.listAccounts({ limit: pageSize, ...(afterId === undefined ? {} : { afterId }) });
    if (rows.length > 0) yield rows.map(toAccountRecord);
    if (rows.length < pageSize) return;
    afterId = rows[rows.length - 1]?.id;
  }
}
