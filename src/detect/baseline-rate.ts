/**
 * The baseline: a deliberately naive per-account request-rate rule, the kind of limit an API
 * already has. It exists so `bench` can show what the real detector adds over "block whoever
 * sends too much": it has no content, timing or cross-account signals and finds no campaigns.
 */
import type { AccountRecord, CampaignReport, Decision, ExchangeEvent } from '../contract/types.js';
import type { OnlineDetector } from './types.js';

export interface BaselineOptions {
  /** An account sending more than this many requests within any sliding hour is blocked. Default 200. */
  requestsPerHour?: number;
}

/** Default limit: well above a person chatting, below a scripted harvester running flat out. */
export const DEFAULT_REQUESTS_PER_HOUR = 200;

const HOUR_MS = 3_600_000;

/** Timestamps of one account's recent requests, oldest first; `head` skips evicted entries. */
interface Window {
  times: number[];
  head: number;
  blocked: boolean;
}

/**
 * Creates the baseline rate detector. An account whose request count in the hour ending at the
 * current event (that event included) exceeds the limit gets one `block` decision; nothing else
 * is ever reported.
 *
 * @example
 * const detector = createBaselineDetector({ requestsPerHour: 100 });
 * for await (const event of events) decisions.push(...detector.process(event));
 */
export function createBaselineDetector(opts: BaselineOptions = {}): OnlineDetector {
  const limit = opts.requestsPerHour ?? DEFAULT_REQUESTS_PER_HOUR;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`requestsPerHour must be a positive integer, got ${String(limit)}`);
  }
  const windows = new Map<string, Window>();
  let accountRecords = 0;

  return {
    addAccount(_record: AccountRecord): void {
      // The rule ignores what is known about accounts; counting them only feeds notes().
      accountRecords += 1;
    },

    process(event: ExchangeEvent): Decision[] {
      const now = Date.parse(event.ts);
      let window = windows.get(event.account_id);
      if (window === undefined) {
        window = { times: [], head: 0, blocked: false };
        windows.set(event.account_id, window);
      }
      // Once blocked there is nothing higher to escalate to, so stop tracking the account.
      if (window.blocked) return [];
      window.times.push(now);
      while (window.head < window.times.length && (window.times[window.head] ?? now) <= now - HOUR_MS) {
        window.head += 1;
      }
      // Compact now and then so a long-lived account's array stays about `limit` long.
      if (window.head > limit) {
        window.times = window.times.slice(window.head);
        window.head = 0;
      }
      const count = window.times.length - window.head;
      if (count <= limit) return [];
      window.blocked = true;
      window.times = [];
      window.head = 0;
      return [
        {
          at: event.ts,
          event_id: event.id,
          account_id: event.account_id,
          action: 'block',
          score: 1,
          campaign_id: null,
          reasons: [`${count} requests in the last hour (baseline rate rule, limit ${limit})`],
        },
      ];
    },

    campaigns(): CampaignReport[] {
      return [];
    },

    notes(): string[] {
      const notes = [
        `baseline detector: per-account rate rule only (block above ${limit} requests per sliding hour); no content, timing or cross-account signals, no campaigns`,
      ];
      if (accountRecords > 0)
        notes.push(`${accountRecords} account records received and ignored by the baseline rule`);
      return notes;
    },
  };
}
