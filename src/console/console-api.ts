/**
 * What the console asks of the server beyond the admin API: an overview, a campaign's accounts
 * one page at a time with their standing enforcement, indicator export, and campaign-wide
 * actions. Campaign actions go through the enforcement table's `override`, the same audited
 * service the admin API uses, one account at a time.
 */
import { ACTIONS, type Action } from '../contract/types.js';
import type { PersistentEnforcementTable } from '../gateway/enforcement-table.js';
import type { CampaignRow, EventCountBucket, Store } from '../store/types.js';
import { type AccountSignals, MAX_SIGNAL_ACCOUNTS, networkOf, signalsOf } from './campaign-signals.js';
import { type ExchangeSummary, summarizeExchange } from './exchange-summary.js';
import { trafficHistory } from './traffic-history.js';

/** Campaigns and decisions the overview reads (newest first). */
const OVERVIEW_CAMPAIGNS = 1000;
const OVERVIEW_DECISIONS = 1000;
export const MAX_PAGE = 1000;

export class ConsoleApiError extends Error {
  override name = 'ConsoleApiError';
  constructor(
    readonly status: 400 | 404,
    message: string,
  ) {
    super(message);
  }
}

export interface ConsoleApiDeps {
  store: Store;
  enforcement: PersistentEnforcementTable;
  /** The traffic series, cached (see cachedTrafficHistory); default: a fresh query each time. */
  trafficHistory?: () => Promise<EventCountBucket[]>;
}

/** Points in the overview's traffic chart. */
export const TRAFFIC_POINTS = 72;

export interface Overview {
  campaigns: Array<Pick<CampaignRow, 'id' | 'score' | 'first_action_at' | 'updated_at'> & CampaignExposure>;
  /** Accounts with a standing enforcement, per action. */
  enforced: Record<Action, number>;
  allowlisted: number;
  /** Exchanges in the log (all accounts, within retention). */
  exchanges: number;
  /** The most recent decisions (at, action), oldest first, for the decisions-over-time chart. */
  recentDecisions: Array<{ at: string; action: Action }>;
  /** Signals named most often in campaign evidence, with how many campaigns name each. */
  topSignals: Array<{ signal: string; campaigns: number }>;
}

/**
 * Leak estimate of a campaign as the console can see it: the share of its linked accounts not yet
 * at degrade or block (each of them can still be served full answers).
 */
export interface CampaignExposure {
  accounts: number;
  contained: number;
  uncontained: number;
}

function exposure(accounts: readonly string[], enforcement: PersistentEnforcementTable): CampaignExposure {
  let contained = 0;
  for (const id of accounts) {
    const action = enforcement.get(id)?.action;
    if (action === 'degrade' || action === 'block') contained++;
  }
  return { accounts: accounts.length, contained, uncontained: accounts.length - contained };
}

/** Evidence lines vary in their numbers; the signal is the text with numbers and weights removed. */
function signalOf(evidence: string): string {
  return evidence
    .replace(/\s*\(\+[\d.]+\)\s*$/, '')
    .replace(/≈?\d[\d.,%]*/g, 'N')
    .trim();
}

/**
 * Builds the overview from the store and the live enforcement table.
 *
 * @example
 * const o = await overview({ store, enforcement }); o.enforced.block;
 */
export async function overview(deps: ConsoleApiDeps): Promise<Overview> {
  const campaigns = await deps.store.listCampaigns({ limit: OVERVIEW_CAMPAIGNS });
  const decisions = await deps.store.listDecisions({ limit: OVERVIEW_DECISIONS });
  const enforced: Record<Action, number> = { monitor: 0, throttle: 0, degrade: 0, block: 0 };
  let allowlisted = 0;
  for (const [, e] of deps.enforcement.entries()) {
    if (e.allowlisted === true) allowlisted++;
    else if ((ACTIONS as readonly string[]).includes(e.action)) enforced[e.action]++;
  }
  const signals = new Map<string, number>();
  for (const c of campaigns) {
    for (const s of new Set(c.evidence.map(signalOf))) signals.set(s, (signals.get(s) ?? 0) + 1);
  }
  const topSignals = [...signals]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 10)
    .map(([signal, n]) => ({ signal, campaigns: n }));
  return {
    campaigns: campaigns.map((c) => ({
      id: c.id,
      score: c.score,
      first_action_at: c.first_action_at,
      updated_at: c.updated_at,
      ...exposure(c.accounts, deps.enforcement),
    })),
    enforced,
    allowlisted,
    exchanges: await deps.store.countEvents(),
    recentDecisions: decisions
      .map((d) => ({ at: d.at, action: d.action }))
      .sort((a, b) => (a.at < b.at ? -1 : 1)),
    topSignals,
  };
}

/**
 * The overview's traffic chart: exchanges and error answers over time from the exchange log (up
 * to its last week). Its own request, so the overview is interactive without it and the chart fills
 * in when it arrives (the store answers from its per-minute roll-up).
 *
 * @example
 * (await traffic(deps)).data.length; // ≤ 73
 */
export async function traffic(deps: ConsoleApiDeps): Promise<{ data: EventCountBucket[] }> {
  return { data: await (deps.trafficHistory?.() ?? trafficHistory(deps.store, TRAFFIC_POINTS)) };
}

async function campaignOrThrow(store: Store, id: string): Promise<CampaignRow> {
  const campaign = await store.getCampaign(id);
  if (campaign === undefined) throw new ConsoleApiError(404, `no campaign with id "${id}"`);
  return campaign;
}

/** One row of a campaign's accounts table. */
export interface CampaignAccountRow {
  account_id: string;
  action: Action | null;
  allowlisted: boolean;
  /** Sign-up facts the graph can colour by (null when the account or the fact is unknown). */
  payment_fingerprint: string | null;
  email_domain: string | null;
  /** Sign-up network: the /24 of an IPv4 address, the /48 of an IPv6 one. */
  signup_network: string | null;
}

/** A page offset from a query string: a whole number ≥ 0, else a 400 saying so. */
function checkOffset(offset: number): void {
  if (!Number.isInteger(offset) || offset < 0)
    throw new ConsoleApiError(400, 'offset must be a whole number ≥ 0');
}

/** A page size from a query string: a whole number from 1 to `max`, else a 400 saying so. */
function checkLimit(limit: number, max: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > max)
    throw new ConsoleApiError(400, `limit must be a whole number from 1 to ${max}`);
}

/**
 * One page of a campaign's accounts with their standing enforcement (server-side paging, so a
 * 25,000-account campaign never travels whole).
 *
 * @example
 * await campaignAccounts(deps, 'campaign-0001', 0, 200); // { total, offset, data }
 */
export async function campaignAccounts(
  deps: ConsoleApiDeps,
  id: string,
  offset: number,
  limit: number,
): Promise<{ total: number; offset: number; data: CampaignAccountRow[] }> {
  checkOffset(offset);
  checkLimit(limit, MAX_PAGE);
  const campaign = await campaignOrThrow(deps.store, id);
  const data: CampaignAccountRow[] = [];
  for (const accountId of campaign.accounts.slice(offset, offset + limit)) {
    const e = deps.enforcement.get(accountId);
    const account = await deps.store.getAccount(accountId);
    data.push({
      account_id: accountId,
      action: e?.action ?? null,
      allowlisted: e?.allowlisted === true,
      payment_fingerprint: account?.payment_fingerprint ?? null,
      email_domain: account?.email_domain ?? null,
      signup_network: networkOf(account?.signup_ip),
    });
  }
  return { total: campaign.accounts.length, offset, data };
}

/**
 * Indicators of a campaign for sharing with other providers: its accounts, their key ids, and
 * the evidence, as one JSON document.
 *
 * @example
 * JSON.stringify(await exportIndicators(deps, 'campaign-0001'));
 */
export async function exportIndicators(
  deps: ConsoleApiDeps,
  id: string,
): Promise<{
  campaign: string;
  score: number;
  first_action_at: string;
  accounts: string[];
  key_ids: string[];
  evidence: string[];
}> {
  const campaign = await campaignOrThrow(deps.store, id);
  const keyIds: string[] = [];
  for (const accountId of campaign.accounts) {
    for (const key of await deps.store.listKeys({ accountId, limit: 1000 })) keyIds.push(key.id);
  }
  return {
    campaign: campaign.id,
    score: campaign.score,
    first_action_at: campaign.first_action_at,
    accounts: campaign.accounts,
    key_ids: keyIds,
    evidence: campaign.evidence,
  };
}

/**
 * Applies one override to every account of a campaign: `confirm` blocks them all (each of their
 * keys is refused from its next request), `dismiss` allowlists them. Every change is audited with
 * the campaign id as case reference.
 *
 * @example
 * await campaignAction(deps, 'campaign-0001', 'confirm', { actor: 'console:ana', reason: 'confirmed' });
 */
export async function campaignAction(
  deps: ConsoleApiDeps,
  id: string,
  action: 'confirm' | 'dismiss',
  who: { actor: string; reason: string },
): Promise<{ campaign: string; accounts: number; action: 'block' | 'allowlist' }> {
  if (who.reason.trim() === '') throw new ConsoleApiError(400, 'field "reason" is required');
  const campaign = await campaignOrThrow(deps.store, id);
  const kind = action === 'confirm' ? 'block' : 'allowlist';
  for (const accountId of campaign.accounts) {
    await deps.enforcement.override(accountId, {
      kind,
      actor: who.actor,
      reason: who.reason,
      caseRef: campaign.id,
    });
  }
  return { campaign: campaign.id, accounts: campaign.accounts.length, action: kind };
}

/** Accounts sampled for a campaign's examples and timeline (one indexed query each). */
export const SAMPLE_ACCOUNTS = 200;
const EXAMPLES_PER_ACCOUNT = 1;
const MAX_EXAMPLES = 12;

/**
 * `n` items spread evenly over `items` (all of them when there are no more than `n`), so a
 * sample of a large campaign covers its whole account list, not just its first accounts.
 *
 * @example
 * sampleEvenly(['a', 'b', 'c', 'd', 'e', 'f'], 3); // ['a', 'c', 'e']
 */
export function sampleEvenly<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(items[Math.floor((i * items.length) / n)] as T);
  return out;
}

/**
 * The latest `limit` logged exchanges of an account (newest first), summarised for display.
 *
 * @example
 * await accountExchanges(deps, 'acct-1', 50);
 */
export async function accountExchanges(
  deps: ConsoleApiDeps,
  accountId: string,
  limit: number,
): Promise<ExchangeSummary[]> {
  checkLimit(limit, MAX_PAGE);
  return (await deps.store.listLatestEvents({ accountId, limit })).map(summarizeExchange);
}

/**
 * Example prompts of a campaign: the latest exchange of accounts spread evenly over the campaign
 * (MAX_EXAMPLES of them, skipping accounts with nothing logged), to show analysts what the
 * evidence looks like in practice.
 *
 * @example
 * (await campaignExamples(deps, 'campaign-0001')).data.map((e) => e.prompt);
 */
export async function campaignExamples(
  deps: ConsoleApiDeps,
  id: string,
): Promise<{ sampledAccounts: number; data: ExchangeSummary[] }> {
  const campaign = await campaignOrThrow(deps.store, id);
  const data: ExchangeSummary[] = [];
  let sampled = 0;
  // MAX_EXAMPLES accounts spread over the campaign first; the rest of the sample stands in for
  // those with nothing logged, so the examples never bunch at the start of the account list.
  const candidates = sampleEvenly(campaign.accounts, SAMPLE_ACCOUNTS);
  const first = sampleEvenly(candidates, MAX_EXAMPLES);
  const chosen = new Set(first);
  for (const accountId of [...first, ...candidates.filter((a) => !chosen.has(a))]) {
    if (data.length >= MAX_EXAMPLES) break;
    sampled++;
    const events = await deps.store.listLatestEvents({ accountId, limit: EXAMPLES_PER_ACCOUNT });
    for (const e of events) if (data.length < MAX_EXAMPLES) data.push(summarizeExchange(e));
  }
  return { sampledAccounts: sampled, data };
}

/**
 * Decisions on SAMPLE_ACCOUNTS accounts spread evenly over a campaign, oldest first, for its timeline.
 *
 * @example
 * decisionTimeline((await campaignDecisions(deps, 'campaign-0001')).decisions, 48);
 */
export async function campaignDecisions(
  deps: ConsoleApiDeps,
  id: string,
): Promise<{
  sampledAccounts: number;
  decisions: Array<{ at: string; action: Action; account_id: string }>;
}> {
  const campaign = await campaignOrThrow(deps.store, id);
  const sampled = sampleEvenly(campaign.accounts, SAMPLE_ACCOUNTS);
  const decisions: Array<{ at: string; action: Action; account_id: string }> = [];
  for (const accountId of sampled) {
    for (const d of await deps.store.listDecisions({ accountId, limit: 100 }))
      decisions.push({ at: d.at, action: d.action, account_id: d.account_id });
  }
  decisions.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return { sampledAccounts: sampled.length, decisions };
}

/**
 * Traffic-side signals (template, timing, request network) of one page of a campaign's accounts,
 * each from its latest logged exchanges; the graph colours groups of 2+ accounts sharing a key.
 *
 * @example
 * await campaignSignals(deps, 'campaign-0001', 0, 2500); // { total, offset, data: [{ account_id, template, … }] }
 */
export async function campaignSignals(
  deps: ConsoleApiDeps,
  id: string,
  offset: number,
  limit: number,
): Promise<{ total: number; offset: number; data: AccountSignals[] }> {
  checkOffset(offset);
  checkLimit(limit, MAX_SIGNAL_ACCOUNTS);
  const campaign = await campaignOrThrow(deps.store, id);
  const data = await signalsOf(deps.store, campaign.accounts.slice(offset, offset + limit));
  return { total: campaign.accounts.length, offset, data };
}
