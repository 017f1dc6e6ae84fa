/** Account view: profile, standing enforcement, keys, decisions with reasons; throttle/block/unblock. */
import { admin, api } from './api.mjs';
import { h, link, table, when } from './dom.mjs';
import { exchangesTable } from './exchanges.mjs';
import type { Account, DecisionRow, ExchangeSummary, ListOf } from './types.mjs';

const OVERRIDES = ['throttle', 'block', 'unblock', 'allowlist', 'unallowlist'] as const;

/**
 * Builds the Account view; `reload(flash)` re-renders after an action with a confirmation line.
 *
 * @example
 * main.replaceChildren(await accountView('acct_1', reload));
 */
export async function accountView(id: string, reload: (flash?: string) => void): Promise<HTMLElement> {
  const path = encodeURIComponent(id);
  const [account, decisions, exchanges] = await Promise.all([
    admin<Account>('GET', `accounts/${path}`),
    admin<ListOf<DecisionRow>>('GET', `decisions?account=${path}&limit=200`),
    api<ListOf<ExchangeSummary>>('GET', `/console/api/accounts/${path}/exchanges?limit=20`),
  ]);
  const e = account.enforcement ?? null;
  const reason = h('input', {
    type: 'text',
    id: 'reason',
    placeholder: 'reason (required, audited)',
    size: 40,
  });
  const status = h('span', { class: 'muted', id: 'action-status' });
  const act = async (kind: (typeof OVERRIDES)[number]): Promise<void> => {
    if (reason.value.trim() === '') {
      status.textContent = 'Give a reason first.';
      return;
    }
    try {
      await admin('POST', `enforcement/${path}`, { action: kind, reason: reason.value });
      reload(`${kind}: ${account.id}`);
    } catch (error) {
      status.textContent = (error as Error).message;
    }
  };
  const profile: Array<[string, string]> = [
    ['organisation', account.org_id ?? '—'],
    ['created', when(account.created_at)],
    ['verified', account.verified ? 'yes' : 'no'],
    ['sign-up channel', account.signup_channel ?? '—'],
    ['payment fingerprint', account.payment_fingerprint ?? '—'],
    ['email domain', account.email_domain ?? '—'],
    ['sign-up IP', account.signup_ip ?? '—'],
  ];
  const state =
    e === null
      ? 'none'
      : e.allowlisted === true
        ? `allowlisted (${e.action ?? 'none'})`
        : (e.action ?? 'none');
  return h(
    'section',
    { 'data-view': 'account' },
    h('h2', {}, `Account ${account.id}`),
    h(
      'p',
      {},
      'Enforcement: ',
      h('b', { id: 'enforcement-state' }, state),
      e?.campaignId
        ? h('span', {}, ' · campaign ', link(`#/campaign/${encodeURIComponent(e.campaignId)}`, e.campaignId))
        : null,
    ),
    e?.reasons && e.reasons.length > 0 ? h('ul', {}, ...e.reasons.map((r) => h('li', {}, r))) : null,
    h(
      'div',
      { class: 'actions' },
      reason,
      ...OVERRIDES.map((k) =>
        h(
          'button',
          { id: `do-${k}`, class: k === 'block' ? 'danger' : undefined, onclick: () => void act(k) },
          k,
        ),
      ),
      status,
    ),
    h('h3', {}, 'Profile'),
    table(['field', 'value'], profile),
    h('h3', {}, `Keys (${account.keys?.length ?? 0})`),
    table(
      ['key', 'name', 'scopes', 'created', 'expires', 'revoked'],
      (account.keys ?? []).map((k) => [
        k.prefix,
        k.name ?? '—',
        k.scopes.join(', ') || 'all',
        when(k.created_at),
        when(k.expires_at),
        when(k.revoked_at),
      ]),
    ),
    h('h3', {}, `Decisions (${decisions.data.length})`),
    table(
      ['at', 'action', 'score', 'campaign', 'source', 'reasons'],
      decisions.data.map((d) => [
        when(d.at),
        d.action,
        d.score.toFixed(3),
        d.campaign_id ?? '—',
        d.source,
        d.reasons.join('; '),
      ]),
    ),
    h('h3', {}, `Recent exchanges (latest ${exchanges.data.length} logged, newest first)`),
    exchangesTable(exchanges.data, false),
  );
}
