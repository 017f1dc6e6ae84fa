/** Table of exchange summaries (time, account, model, status, prompt excerpt) for Account and Campaign views. */
import { h, link, table, when } from './dom.mjs';
import type { ExchangeSummary } from './types.mjs';

/**
 * Exchanges as a table; prompt excerpts go in as text nodes, so hostile prompts stay text.
 *
 * @example
 * exchangesTable(examples.data, true);
 */
export function exchangesTable(rows: readonly ExchangeSummary[], withAccount: boolean): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'muted' }, 'No exchanges logged.');
  const head = [
    'time',
    ...(withAccount ? ['account'] : []),
    'model',
    'from',
    'status',
    'output tokens',
    'prompt',
  ];
  return table(
    head,
    rows.map((e) => [
      h('time', { datetime: e.ts, 'data-exchange': e.id }, when(e.ts)),
      ...(withAccount ? [link(`#/account/${encodeURIComponent(e.account_id)}`, e.account_id)] : []),
      e.model,
      e.ip,
      e.status ?? '—',
      e.output_tokens ?? '—',
      h('span', { class: 'prompt' }, e.prompt),
    ]),
    { class: 'exchanges' },
  );
}
