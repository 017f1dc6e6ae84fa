/**
 * The interface every detector implements, so `analyze`, `bench` and the live gateway can run
 * any of them (the real engine in `detector.ts`, the naive baseline in `baseline-rate.ts`) over
 * the same event stream in event-time order.
 */
import type { AccountRecord, CampaignReport, Decision, ExchangeEvent } from '../contract/types.js';

export type { AccountRecord, CampaignReport, Decision, ExchangeEvent };

/**
 * An online detector: it sees events one at a time in ts order and decides immediately, using
 * only what it has seen so far (a decision triggered by event E never looks past E).
 *
 * @example
 * const detector: OnlineDetector = createBaselineDetector();
 * for (const record of accounts) detector.addAccount(record);
 * for await (const event of events) decisions.push(...detector.process(event));
 * const report = { decisions, campaigns: detector.campaigns(), notes: detector.notes() };
 */
export interface OnlineDetector {
  /** Registers what the provider knows about an account (sign-up, payment); may come before or between events. */
  addAccount(record: AccountRecord): void;
  /**
   * Feeds one event and returns the escalations it triggered, possibly for other accounts of
   * the same campaign. Each returned decision applies from that account's next request onward.
   */
  process(event: ExchangeEvent): Decision[];
  /** Campaigns found so far (linked accounts acting together). */
  campaigns(): CampaignReport[];
  /** Report-level remarks, e.g. "no account records: payment/sign-up signals unused". */
  notes(): string[];
}
