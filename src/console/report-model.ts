/**
 * Views of a report/1 that the HTML report draws: one row per account that was ever escalated
 * (highest action, score, campaign) and decisions counted per time bucket and action. Kept apart
 * from the templates so the numbers are tested without parsing HTML.
 */
import { ACTIONS, type Action, actionRank, type Decision } from '../contract/types.js';

/** One escalated account, as the accounts table lists it. */
export interface AccountRow {
  accountId: string;
  /** Highest action any decision gave the account. */
  action: Action;
  /** Highest score among its decisions. */
  score: number;
  campaignId: string | null;
  firstAt: string;
  /** When it reached its highest action. */
  topAt: string;
  decisions: number;
  /** Reasons of the decision that set its highest action. */
  reasons: string[];
}

/**
 * Folds decisions into one row per account, strongest action first, then score, then id (stable).
 *
 * @example
 * accountRows(report.decisions)[0]?.action; // 'block' when anything was blocked
 */
export function accountRows(decisions: readonly Decision[]): AccountRow[] {
  const rows = new Map<string, AccountRow>();
  for (const d of decisions) {
    const row = rows.get(d.account_id);
    if (row === undefined) {
      rows.set(d.account_id, {
        accountId: d.account_id,
        action: d.action,
        score: d.score,
        campaignId: d.campaign_id ?? null,
        firstAt: d.at,
        topAt: d.at,
        decisions: 1,
        reasons: d.reasons,
      });
      continue;
    }
    row.decisions++;
    row.score = Math.max(row.score, d.score);
    if (d.campaign_id) row.campaignId = d.campaign_id;
    if (actionRank(d.action) > actionRank(row.action)) {
      row.action = d.action;
      row.topAt = d.at;
      row.reasons = d.reasons;
    }
  }
  return [...rows.values()].sort(
    (a, b) =>
      actionRank(b.action) - actionRank(a.action) ||
      b.score - a.score ||
      (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0),
  );
}

/** Decisions per action in one time bucket. */
export interface TimeBucket {
  /** Start of the bucket, ms since the epoch. */
  start: number;
  counts: Record<Action, number>;
}

/** The decisions-over-time series: equal-width buckets from the first to the last decision. */
export interface Timeline {
  start: number;
  end: number;
  bucketMs: number;
  buckets: TimeBucket[];
}

const emptyCounts = (): Record<Action, number> => ({ monitor: 0, throttle: 0, degrade: 0, block: 0 });

/**
 * Counts decisions per action in `bucketCount` equal buckets spanning `[from, to]` (defaults: the
 * first and last decision). Returns null when there are no decisions to draw.
 *
 * @example
 * decisionTimeline(report.decisions, 48)?.buckets.length; // 48
 */
export function decisionTimeline(
  decisions: ReadonlyArray<Pick<Decision, 'at' | 'action'>>,
  bucketCount: number,
  range?: { from: number; to: number },
): Timeline | null {
  if (decisions.length === 0 || bucketCount < 1) return null;
  let start = range?.from ?? Number.POSITIVE_INFINITY;
  let end = range?.to ?? Number.NEGATIVE_INFINITY;
  const times = decisions.map((d) => Date.parse(d.at));
  if (range === undefined) {
    for (const t of times) {
      if (t < start) start = t;
      if (t > end) end = t;
    }
  }
  // A single instant still gets a visible width of one minute.
  const span = Math.max(end - start, 60_000);
  const bucketMs = Math.ceil(span / bucketCount);
  const buckets: TimeBucket[] = [];
  for (let i = 0; i < bucketCount; i++) buckets.push({ start: start + i * bucketMs, counts: emptyCounts() });
  decisions.forEach((d, i) => {
    const t = times[i] ?? start;
    const index = Math.min(bucketCount - 1, Math.max(0, Math.floor((t - start) / bucketMs)));
    const bucket = buckets[index];
    if (bucket !== undefined) bucket.counts[d.action]++;
  });
  return { start, end: start + bucketMs * bucketCount, bucketMs, buckets };
}

/**
 * How many accounts ended at each rung of the ladder.
 *
 * @example
 * accountsAtAction(accountRows(decisions)).block; // accounts blocked
 */
export function accountsAtAction(rows: readonly AccountRow[]): Record<Action, number> {
  const counts = emptyCounts();
  for (const row of rows) counts[row.action]++;
  return counts;
}

export { ACTIONS };
