/**
 * Where a campaign's leak comes from: replays the distillguard engine over a kept `simulate`
 * output and splits the campaign's exchanges served below degrade into (a) before the campaign's
 * first containment, (b) after it by accounts already seen before it, (c) after it by accounts
 * first seen after it (late joiners), with the late joiners' leaked requests per account. Tells
 * "contain the first accounts sooner" apart from "catch new accounts on their first requests".
 *
 * Usage: npx tsx bench/leak-split.ts <simulate-dir> [campaign=hydra]
 */
import { openAccounts, openEvents, openLabels } from '../src/contract/read-jsonl.js';
import { ACTIONS } from '../src/contract/types.js';
import { createDetector } from '../src/detect/detector.js';
import { inputFiles } from '../src/sim/bench-run.js';
import { reportErrors } from './script-errors.js';

reportErrors(import.meta.url);

const DEGRADE = ACTIONS.indexOf('degrade');

export interface LeakSplit {
  campaign: string;
  exchanges: number;
  leaked: number;
  firstContainmentAt: string | null;
  beforeFirstContainment: number;
  afterByAccountsSeenBefore: number;
  afterByLateJoiners: number;
  lateJoiners: number;
  /** Leaked requests per late joiner: median and maximum. */
  lateMedian: number;
  lateMax: number;
}

/**
 * Runs the engine over `dir` and splits `campaign`'s leak (same semantics as `bench`: a decision
 * applies from the account's next request).
 *
 * @example
 * const split = await leakSplit('/tmp/sim', 'hydra');
 * split.afterByLateJoiners / split.leaked; // share of the leak from accounts that joined late
 */
export async function leakSplit(dir: string, campaign: string): Promise<LeakSplit> {
  const files = inputFiles(dir);
  const members = new Set<string>();
  for await (const l of openLabels(files.labels)) if (l.campaign === campaign) members.add(l.account_id);
  const detector = createDetector();
  if (files.accounts !== null) for await (const a of openAccounts(files.accounts)) detector.addAccount(a);
  const level = new Map<string, number>();
  const firstSeen = new Map<string, string>();
  const lateLeaks = new Map<string, number>();
  const out: LeakSplit = {
    campaign,
    exchanges: 0,
    leaked: 0,
    firstContainmentAt: null,
    beforeFirstContainment: 0,
    afterByAccountsSeenBefore: 0,
    afterByLateJoiners: 0,
    lateJoiners: 0,
    lateMedian: 0,
    lateMax: 0,
  };
  for await (const e of openEvents(files.events)) {
    if (members.has(e.account_id)) {
      out.exchanges++;
      if (!firstSeen.has(e.account_id)) firstSeen.set(e.account_id, e.ts);
      if ((level.get(e.account_id) ?? -1) < DEGRADE) {
        out.leaked++;
        if (out.firstContainmentAt === null) out.beforeFirstContainment++;
        else if (firstSeen.get(e.account_id)! > out.firstContainmentAt) {
          out.afterByLateJoiners++;
          lateLeaks.set(e.account_id, (lateLeaks.get(e.account_id) ?? 0) + 1);
        } else out.afterByAccountsSeenBefore++;
      }
    }
    for (const d of detector.process(e)) {
      const rank = ACTIONS.indexOf(d.action);
      level.set(d.account_id, Math.max(level.get(d.account_id) ?? -1, rank));
      if (rank >= DEGRADE && members.has(d.account_id) && out.firstContainmentAt === null)
        out.firstContainmentAt = d.at;
    }
  }
  const late = [...lateLeaks.values()].sort((a, b) => a - b);
  out.lateJoiners = late.length;
  out.lateMedian = late[Math.floor(late.length / 2)] ?? 0;
  out.lateMax = late[late.length - 1] ?? 0;
  return out;
}

const [dir, campaign = 'hydra'] = process.argv.slice(2);
if (dir === undefined) {
  process.stderr.write('usage: npx tsx bench/leak-split.ts <simulate-dir> [campaign]\n');
  process.exitCode = 2;
} else {
  const s = await leakSplit(dir, campaign);
  const pct = (x: number): string => `${((100 * x) / Math.max(1, s.leaked)).toFixed(0)}%`;
  process.stdout.write(
    `${s.campaign}: ${s.leaked} of ${s.exchanges} exchanges leaked; first containment ${s.firstContainmentAt ?? 'never'}\n` +
      `  before first containment         ${s.beforeFirstContainment} (${pct(s.beforeFirstContainment)})\n` +
      `  after, accounts seen before it   ${s.afterByAccountsSeenBefore} (${pct(s.afterByAccountsSeenBefore)})\n` +
      `  after, late joiners              ${s.afterByLateJoiners} (${pct(s.afterByLateJoiners)}) from ${s.lateJoiners} accounts, median ${s.lateMedian} / max ${s.lateMax} each\n`,
  );
}
