/**
 * Traffic-side signals a campaign's accounts can share, for colouring the accounts graph: the
 * dominant prompt template, a coarse timing signature, the network requests come from, and the
 * client fingerprint (user agent + TLS) they carry. Each is
 * read from the account's latest logged exchanges (a bounded number per account, one indexed
 * query each), so it works the same on SQLite and PostgreSQL and for detector workers in other
 * processes. Display only: no decision depends on these keys.
 */
import type { ExchangeEvent } from '../contract/types.js';
import { fnv1a } from '../detect/features/hash.js';
import { skeletonText } from '../detect/features/skeleton.js';
import type { Store } from '../store/types.js';
import { lastUserText } from './exchange-summary.js';
import { GRAPH_NODE_CAP } from './view-model.js';

/** Latest exchanges read per account. */
export const SIGNAL_EXCHANGES = 12;
/** Most accounts in one answer: the graph draws no more than this. */
export const MAX_SIGNAL_ACCOUNTS = GRAPH_NODE_CAP;
/** Prompt characters the skeleton looks at (its own scan limit). */
const SKELETON_CHARS = 4096;
/** Characters of skeleton text shown in a template key. */
const TEMPLATE_LABEL = 48;
/** Accounts whose exchanges are read at once (PostgreSQL answers them in parallel). */
const CONCURRENCY = 16;

export interface AccountSignals {
  account_id: string;
  /** Exchanges read for this account (at most SIGNAL_EXCHANGES). */
  exchanges: number;
  /**
   * Skeleton of the template its prompts fill most often (at least twice), e.g.
   * `rate the response …: # [1a2b3c4d]`: a fleet rotating through one template set shares it.
   */
  template: string | null;
  /** Median gap between its requests, bucketed, and its busiest 6-hour block of the UTC day. */
  timing: string | null;
  /** The /24 (IPv4) or /48 (IPv6) most of its requests come from. */
  request_network: string | null;
  /** User agent and TLS fingerprint most of its requests carry, e.g. `python-httpx/0.27 · t13d1516h2_…`. */
  client_fingerprint: string | null;
}

/** The value held by at least half of `values` (nulls count against it), most frequent first. */
function dominant(values: ReadonlyArray<string | null>): string | null {
  const counts = new Map<string, number>();
  let best: string | null = null;
  let bestCount = 0;
  for (const v of values) {
    if (v === null) continue;
    const n = (counts.get(v) ?? 0) + 1;
    counts.set(v, n);
    if (n > bestCount) {
      best = v;
      bestCount = n;
    }
  }
  return bestCount * 2 >= values.length ? best : null;
}

/**
 * The value used most often, if at least twice; ties go to the smallest value, so accounts that
 * rotate through the same set of templates get the same key.
 */
function mostUsed(values: ReadonlyArray<string | null>): string | null {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  let bestCount = 1;
  for (const [v, n] of counts) {
    if (n > bestCount || (n === bestCount && best !== null && v < best)) {
      best = v;
      bestCount = n;
    }
  }
  return best;
}

const clip = (text: string, n: number): string => (text.length > n ? `${text.slice(0, n)}…` : text);

function templateKey(event: ExchangeEvent): string | null {
  const text = lastUserText(event, SKELETON_CHARS);
  if (text.trim() === '') return null;
  const frame = skeletonText(text);
  if (frame === '' || frame === '#') return null;
  // FNV-1a over the frame is the detector's skeleton() hash, without building the frame twice.
  const hash = fnv1a(frame).toString(16).padStart(8, '0');
  return `${clip(frame, TEMPLATE_LABEL)} [${hash}]`;
}

/** Characters of a user agent or TLS fingerprint shown in a client key. */
const CLIENT_LABEL = 60;

function clientKey(event: ExchangeEvent): string | null {
  const { user_agent: ua, tls_fingerprint: tls } = event.client;
  if ((ua === undefined || ua === '') && (tls === undefined || tls === '')) return null;
  return `${clip(ua || '(no user agent)', CLIENT_LABEL)} · ${clip(tls || '(no TLS fingerprint)', CLIENT_LABEL)}`;
}

/** Upper bounds (seconds) of the cadence buckets, roughly ×3 apart, with their labels. */
const GAP_BUCKETS: ReadonlyArray<[number, string]> = [
  [1, '< 1 s'],
  [3, '1–3 s'],
  [10, '3–10 s'],
  [30, '10–30 s'],
  [60, '30–60 s'],
  [180, '1–3 min'],
  [600, '3–10 min'],
  [1800, '10–30 min'],
  [3600, '30–60 min'],
  [3 * 3600, '1–3 h'],
  [12 * 3600, '3–12 h'],
  [86_400, '12–24 h'],
];

/**
 * Coarse timing signature of a burst of requests: the median gap between them (bucketed) and the
 * 6-hour block of the UTC day most of them fall in. Needs three requests (two gaps).
 *
 * @example
 * timingKey([Date.parse('2026-01-01T09:00:00Z'), Date.parse('2026-01-01T09:00:05Z'), Date.parse('2026-01-01T09:00:11Z')]);
 * // 'gaps 3–10 s · 06–12 UTC'
 */
export function timingKey(times: readonly number[]): string | null {
  const ts = times.filter(Number.isFinite).sort((a, b) => a - b);
  if (ts.length < 3) return null;
  const gaps = ts.slice(1).map((t, i) => (t - (ts[i] ?? t)) / 1000);
  gaps.sort((a, b) => a - b);
  const median = gaps[Math.floor((gaps.length - 1) / 2)] ?? 0; // the lower median
  const gap = GAP_BUCKETS.find(([upTo]) => median < upTo)?.[1] ?? '> 1 day';
  const blocks = ts.map((t) => Math.floor(new Date(t).getUTCHours() / 6));
  const block = Number(dominant(blocks.map(String)) ?? -1);
  const hours = block < 0 ? 'spread over the day' : `${pad(block * 6)}–${pad(block * 6 + 6)} UTC`;
  return `gaps ${gap} · ${hours}`;
}

const pad = (h: number): string => String(h).padStart(2, '0');

/**
 * Request-time network of an address: the /24 of IPv4, the /48 of IPv6.
 *
 * @example
 * networkOf('203.0.113.7'); // '203.0.113.0/24'
 */
export function networkOf(ip: string | null | undefined): string | null {
  if (ip === null || ip === undefined || ip === '') return null;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(ip);
  if (v4 !== null) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  if (ip.includes(':')) {
    const [head = ''] = ip.split('::');
    const groups = head.split(':').filter((g) => g !== '');
    return `${[...groups, '0', '0', '0'].slice(0, 3).join(':')}::/48`;
  }
  return null;
}

/**
 * The signals of one account from its latest exchanges (any order).
 *
 * @example
 * accountSignals('acct-1', await store.listLatestEvents({ accountId: 'acct-1', limit: 12 })).template;
 */
export function accountSignals(accountId: string, events: readonly ExchangeEvent[]): AccountSignals {
  return {
    account_id: accountId,
    exchanges: events.length,
    template: mostUsed(events.map(templateKey)),
    timing: timingKey(events.map((e) => Date.parse(e.ts))),
    request_network: events.length === 0 ? null : dominant(events.map((e) => networkOf(e.client.ip))),
    client_fingerprint: events.length === 0 ? null : dominant(events.map(clientKey)),
  };
}

/**
 * Signals of `accounts`, each from its latest SIGNAL_EXCHANGES exchanges.
 *
 * @example
 * await signalsOf(store, campaign.accounts.slice(0, 2500));
 */
export async function signalsOf(store: Store, accounts: readonly string[]): Promise<AccountSignals[]> {
  const out: AccountSignals[] = [];
  for (let i = 0; i < accounts.length; i += CONCURRENCY) {
    const chunk = accounts.slice(i, i + CONCURRENCY);
    const events = await Promise.all(
      chunk.map((accountId) => store.listLatestEvents({ accountId, limit: SIGNAL_EXCHANGES })),
    );
    for (const [j, accountId] of chunk.entries()) out.push(accountSignals(accountId, events[j] ?? []));
    // SQLite answers synchronously: let the gateway serve requests between chunks.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}
