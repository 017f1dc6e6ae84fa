/**
 * How suspicious accounts look over their first requests: replays `scoreAccount` (each account
 * on its own, no linking) over a kept `simulate` output and prints, per campaign and benign
 * persona, the 10th / 50th / 90th percentile and maximum account logit at requests 1, 2, 3, 5, 8,
 * 9, 10 and 12. Shows how far a fresh account is from `linkScore` (≈ −3.18) before the `n ≥ 10`
 * evidence arrives (docs/detector.md, fifth pass).
 *
 * Usage: npx tsx bench/early-scores.ts <simulate-dir>
 */
import { openAccounts, openEvents, openLabels } from '../src/contract/read-jsonl.js';
import { type AccountFacts, factsOf, scoreAccount } from '../src/detect/account-score.js';
import { ProfileStore } from '../src/detect/profile.js';
import { inputFiles } from '../src/sim/bench-run.js';
import { ProfileReplay } from './profile-replay.js';
import { reportErrors } from './script-errors.js';

reportErrors(import.meta.url);

const dir = process.argv[2];
if (dir === undefined) {
  process.stderr.write('usage: npx tsx bench/early-scores.ts <simulate-dir>\n');
  process.exit(2);
}
const files = inputFiles(dir);
const persona = new Map<string, string>();
for await (const l of openLabels(files.labels))
  persona.set(l.account_id, l.label === 'benign' ? `benign:${l.persona ?? '?'}` : (l.campaign ?? '?'));
const facts = new Map<string, AccountFacts>();
if (files.accounts !== null)
  for await (const a of openAccounts(files.accounts)) facts.set(a.account_id, factsOf(a));
const store = new ProfileStore({ idleMs: 168 * 3600000, maxAccounts: 2_000_000 });
const replay = new ProfileReplay(store);
/** Group (campaign or benign persona) → request number → logits. */
const logits = new Map<string, number[][]>();
for await (const e of openEvents(files.events)) {
  const slot = replay.add(e);
  const n = store.events(slot);
  if (n > 12) continue;
  const s = scoreAccount(store.snapshot(slot), facts.get(e.account_id));
  const g = persona.get(e.account_id) ?? '?';
  let arr = logits.get(g);
  if (!arr) {
    arr = Array.from({ length: 13 }, () => []);
    logits.set(g, arr);
  }
  arr[n]!.push(Math.log(s.score / (1 - s.score)));
}
const q = (a: number[], p: number) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]?.toFixed(2) ?? '-';
};
for (const [g, arr] of [...logits].sort()) {
  const row = [1, 2, 3, 5, 8, 9, 10, 12].map(
    (n) => `${n}:${q(arr[n]!, 0.1)}/${q(arr[n]!, 0.5)}/${q(arr[n]!, 0.9)}/${q(arr[n]!, 1)}`,
  );
  process.stdout.write(`${g.padEnd(26)} ${arr[1]!.length} ${row.join(' ')}\n`);
}
