/**
 * What each campaign's and benign persona's accounts look like on their own: replays the
 * per-account profiles (no linking) over a kept `simulate` output and prints, per group, the
 * median and 90th percentile of the account logit and of the profile traits scoring reads, at
 * the account's 50th request and at its last. Shows which traits separate the campaigns that are
 * never linked (moonshot, low-and-slow, adaptive) from the hard negatives.
 *
 * Usage: npx tsx bench/account-profiles.ts <simulate-dir> [checkpoint=50]
 */
import { openAccounts, openEvents, openLabels } from '../src/contract/read-jsonl.js';
import { type AccountFacts, factsOf, scoreAccount } from '../src/detect/account-score.js';
import { type ProfileSnapshot, ProfileStore } from '../src/detect/profile.js';
import { inputFiles } from '../src/sim/bench-run.js';
import { ProfileReplay } from './profile-replay.js';
import { reportErrors } from './script-errors.js';

reportErrors(import.meta.url);

const dir = process.argv[2];
if (dir === undefined) {
  process.stderr.write('usage: npx tsx bench/account-profiles.ts <simulate-dir> [checkpoint]\n');
  process.exit(2);
}
const checkpoint = Number(process.argv[3] ?? 50);
const files = inputFiles(dir);
const group = new Map<string, string>();
for await (const l of openLabels(files.labels))
  group.set(l.account_id, l.label === 'benign' ? `~${l.persona ?? '?'}` : (l.campaign ?? '?'));
const facts = new Map<string, AccountFacts>();
if (files.accounts !== null)
  for await (const a of openAccounts(files.accounts)) facts.set(a.account_id, factsOf(a));
const store = new ProfileStore({ idleMs: 1000 * 86_400_000, maxAccounts: 2_000_000 });
const atCheckpoint = new Map<string, Record<string, number>>();

/** The traits printed, from a profile snapshot and the account's facts. */
function traits(p: ProfileSnapshot, f: AccountFacts | undefined): Record<string, number> {
  const n = p.events;
  const s = scoreAccount(p, f);
  const spanDays = Math.max(1, (p.lastTs - p.firstTs) / 86_400_000);
  return {
    logit: Math.log(s.score / (1 - s.score)),
    n,
    perDay: n / Math.max(1, p.activeDays),
    daysShare: p.activeDays / Math.ceil(spanDays),
    hours: p.activeHours,
    cot: p.cotHits / n,
    dataset: p.datasetHits / n,
    single: p.singleTurn / n,
    builds: p.buildsOnAnswer / n,
    distinct: p.distinctPrompts / n,
    gapCv: p.gapCv,
    gapMin: p.gapMeanSec / 60,
    hunger: p.meanHunger,
    tools: p.toolUse / n,
    fresh: p.freshToolCalls / n,
    tmpl: p.templateHits / n,
    host: p.hostingHits / n,
    verified: f?.verified ? 1 : 0,
  };
}

const replay = new ProfileReplay(store);
for await (const e of openEvents(files.events)) {
  const slot = replay.add(e);
  if (store.events(slot) === checkpoint)
    atCheckpoint.set(e.account_id, traits(store.snapshot(slot), facts.get(e.account_id)));
}

function table(title: string, rows: Map<string, Record<string, number>[]>): void {
  const keys = Object.keys([...rows.values()][0]?.[0] ?? {});
  process.stdout.write(`\n${title}  (median / 90th percentile; accounts)\n`);
  process.stdout.write(
    `${['group'.padEnd(18), 'acc'.padStart(5), ...keys.map((k) => k.padStart(11))].join(' ')}\n`,
  );
  for (const [g, list] of [...rows].sort()) {
    const cells = keys.map((k) => {
      const v = list
        .map((r) => r[k]!)
        .filter((x) => !Number.isNaN(x))
        .sort((a, b) => a - b);
      const at = (q: number) => v[Math.min(v.length - 1, Math.floor(q * v.length))] ?? Number.NaN;
      const f = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(2));
      return `${f(at(0.5))}/${f(at(0.9))}`.padStart(11);
    });
    process.stdout.write(`${[g.padEnd(18), String(list.length).padStart(5), ...cells].join(' ')}\n`);
  }
}

/** Appends `value` to the list under `key`. */
function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const final = new Map<string, Record<string, number>[]>();
const early = new Map<string, Record<string, number>[]>();
for (const [id, i] of replay.accounts) {
  const slot = store.find(i);
  if (slot === undefined) continue;
  const t = traits(store.snapshot(slot), facts.get(id));
  if ((t.n ?? 0) < checkpoint) continue;
  const g = group.get(id) ?? '?';
  push(final, g, t);
  const c = atCheckpoint.get(id);
  if (c) push(early, g, c);
}
table(`at request ${checkpoint}`, early);
table('at the last request', final);
