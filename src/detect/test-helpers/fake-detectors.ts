/**
 * Small, fully predictable detectors for testing code that drives an OnlineDetector (analyze,
 * bench): one escalates an account by request count, and links accounts sharing a /24 into a
 * campaign whose members are all blocked by the event that completes it.
 */
import type { AccountRecord, CampaignReport, Decision, ExchangeEvent } from '../../contract/types.js';
import type { OnlineDetector } from '../types.js';

/** /24 of an IPv4 address (or the whole address otherwise). */
const subnet = (ip: string): string => ip.split('.').slice(0, 3).join('.');

/**
 * Counts requests per account: throttle at `throttleAt`; when `campaignSize` throttled accounts
 * share a /24, blocks all of them at once (cross-account decisions from one event).
 *
 * @example
 * const detector = createCountingDetector({ throttleAt: 3, campaignSize: 2 });
 */
export function createCountingDetector(opts: { throttleAt: number; campaignSize: number }): OnlineDetector {
  const counts = new Map<string, number>();
  const throttled = new Map<string, string[]>();
  const blocked = new Set<string>();
  const campaigns: CampaignReport[] = [];
  let records = 0;
  return {
    addAccount(_record: AccountRecord) {
      records += 1;
    },
    process(event: ExchangeEvent): Decision[] {
      const n = (counts.get(event.account_id) ?? 0) + 1;
      counts.set(event.account_id, n);
      if (n !== opts.throttleAt || blocked.has(event.account_id)) return [];
      const decide = (account: string, action: 'throttle' | 'block', campaign: string | null): Decision => ({
        at: event.ts,
        event_id: event.id,
        account_id: account,
        action,
        score: action === 'block' ? 0.95 : 0.6,
        campaign_id: campaign,
        reasons: [`${n} requests`],
      });
      const made = [decide(event.account_id, 'throttle', null)];
      const net = subnet(event.client.ip);
      const members = throttled.get(net) ?? [];
      members.push(event.account_id);
      throttled.set(net, members);
      if (members.length === opts.campaignSize) {
        const id = `camp-${net}`;
        for (const m of members) {
          blocked.add(m);
          made.push(decide(m, 'block', id));
        }
        campaigns.push({
          id,
          accounts: [...members],
          first_action_at: event.ts,
          score: 0.95,
          evidence: [`shared ${net}.0/24`],
        });
      }
      return made;
    },
    campaigns: () => campaigns.map((c) => ({ ...c, accounts: [...c.accounts] })),
    notes: () => (records === 0 ? ['no account records'] : []),
  };
}
