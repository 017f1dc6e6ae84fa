/** Keys and accounts, enforcement, and audit views: first pages of the admin API's lists. */
import { admin, api } from './api.mjs';
import { h, link, table, when } from './dom.mjs';
import {
  ACTIONS,
  type Account,
  type AuditRow,
  type EnforcementState,
  type Key,
  type ListOf,
  type Policy,
} from './types.mjs';

const LIMIT = 200;

/**
 * Builds the Keys and accounts view (first pages of both admin lists).
 *
 * @example
 * main.replaceChildren(await keysAccountsView());
 */
export async function keysAccountsView(): Promise<HTMLElement> {
  const [accounts, keys] = await Promise.all([
    admin<ListOf<Account>>('GET', `accounts?limit=${LIMIT}`),
    admin<ListOf<Key>>('GET', `keys?limit=${LIMIT}`),
  ]);
  const accountLink = (id: string) => link(`#/account/${encodeURIComponent(id)}`, id);
  return h(
    'section',
    { 'data-view': 'keys' },
    h('h2', {}, 'Keys and accounts'),
    h('h3', {}, `Accounts (first ${LIMIT})`),
    table(
      ['account', 'org', 'verified', 'channel', 'created'],
      accounts.data.map((a) => [
        accountLink(a.id),
        a.org_id ?? '—',
        a.verified ? 'yes' : 'no',
        a.signup_channel ?? '—',
        when(a.created_at),
      ]),
    ),
    h('h3', {}, `Keys (first ${LIMIT})`),
    table(
      ['key', 'account', 'name', 'scopes', 'expires', 'revoked'],
      keys.data.map((k) => [
        k.prefix,
        accountLink(k.account_id),
        k.name ?? '—',
        k.scopes.join(', ') || 'all',
        when(k.expires_at),
        when(k.revoked_at),
      ]),
    ),
  );
}

/**
 * Builds the Policy view: thresholds in force and standing enforcement.
 *
 * @example
 * main.replaceChildren(await policyView());
 */
export async function policyView(): Promise<HTMLElement> {
  const [rows, policy] = await Promise.all([
    admin<ListOf<EnforcementState & { account_id: string; source?: string }>>('GET', 'enforcement'),
    api<Policy>('GET', '/console/api/policy'),
  ]);
  const counts = new Map<string, number>();
  for (const r of rows.data) {
    const k = r.allowlisted === true ? 'allowlisted' : (r.action ?? 'none');
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return h(
    'section',
    { 'data-view': 'policy' },
    h('h2', {}, 'Policy and standing enforcement'),
    h(
      'p',
      {},
      'The action ladder is monitor < throttle < degrade < block; a decision applies from the account’s next request. Detector decisions only escalate; operator overrides win and are audited; an allowlisted account ignores detector decisions until unallowlisted.',
    ),
    h('h3', {}, 'Detector policy in force (score from which each action applies)'),
    h('p', {}, 'Source: ', h('code', { id: 'policy-source' }, policy.source), ' — read-only here.'),
    table(
      ['judged as', ...ACTIONS],
      [
        ['single account', ...ACTIONS.map((a) => policy.account[a].toFixed(3))],
        ['campaign (every member)', ...ACTIONS.map((a) => policy.campaign[a].toFixed(3))],
      ],
      { id: 'policy-thresholds' },
    ),
    h(
      'p',
      { class: 'muted' },
      `A campaign needs at least ${policy.campaign.minAccounts} linked accounts; weak shared signals link accounts from score ${policy.campaign.linkScore}; profiles idle ${policy.tracking.idleEvictHours} h are evicted (at most ${policy.tracking.maxAccounts.toLocaleString('en-US')} tracked).`,
    ),
    h('h3', {}, 'Standing enforcement'),
    table(
      ['state', 'accounts'],
      [...counts].map(([k, n]) => [k, n]),
    ),
    h('h3', {}, `Enforced accounts (first ${LIMIT})`),
    table(
      ['account', 'action', 'allowlisted', 'case', 'reasons'],
      rows.data
        .slice(0, LIMIT)
        .map((r) => [
          link(`#/account/${encodeURIComponent(r.account_id)}`, r.account_id),
          r.action ?? '—',
          r.allowlisted === true ? 'yes' : 'no',
          r.caseRef ?? '—',
          (r.reasons ?? []).slice(0, 2).join('; '),
        ]),
    ),
  );
}

/**
 * Builds the Audit view (latest entries first).
 *
 * @example
 * main.replaceChildren(await auditView());
 */
export async function auditView(): Promise<HTMLElement> {
  const audit = await admin<ListOf<AuditRow>>('GET', `audit?limit=${LIMIT}`);
  return h(
    'section',
    { 'data-view': 'audit' },
    h('h2', {}, 'Audit log'),
    table(
      ['at', 'actor', 'action', 'target', 'reason'],
      audit.data.map((a) => [when(a.at), a.actor, a.action, a.target, a.reason]),
    ),
  );
}
