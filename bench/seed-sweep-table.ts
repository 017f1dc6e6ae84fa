/**
 * The seed sweep's parsing and table: which seeds to run, and one row per seed with every
 * campaign's leak (a cross where it misses a bar) plus benign collateral, then how many seeds met
 * each campaign's bars. Kept apart from the runner so it is tested without simulating anything.
 */
import { judgeCampaign } from '../src/sim/bench-bars.js';
import type { BenchScore } from '../src/sim/score.js';

/**
 * Seeds from `1-12`, `1,3,5` or a mix (`1-3,8`), in the order given, without repeats.
 *
 * @example
 * parseSeeds('1-3,8'); // [1, 2, 3, 8]
 */
export function parseSeeds(text: string): number[] {
  const seeds: number[] = [];
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (m === null) throw new Error(`--seeds: "${part}" is not a seed or a range like 1-12`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) throw new Error(`--seeds: range ${part.trim()} runs backwards`);
    if (to - from >= 1000) throw new Error(`--seeds: range ${part.trim()} is longer than 1,000 seeds`);
    for (let s = from; s <= to; s++) if (!seeds.includes(s)) seeds.push(s);
  }
  return seeds;
}

/** One bench run of the sweep. */
export interface SeedRow {
  seed: number;
  /** What the run was (e.g. "with records", "no account records"). */
  variant: string;
  score: BenchScore;
}

const pct = (x: number): string => `${(x * 100).toFixed(x < 0.1 ? 2 : 1)} %`;

/**
 * A Markdown table of the rows: leak per campaign (✗ after a campaign that misses any of its
 * bars: leak, attribution, purity), benign accounts at throttle or above, and a last line with
 * how many runs met each campaign's bars.
 *
 * @example
 * formatSeedTable([{ seed: 1, variant: 'with records', score }]);
 */
export function formatSeedTable(rows: readonly SeedRow[]): string {
  const campaigns = [...new Set(rows.flatMap((r) => r.score.campaigns.map((c) => c.campaign)))].sort();
  const header = ['seed', 'run', ...campaigns, 'benign ≥ throttle'];
  const met = new Map<string, number>(campaigns.map((c) => [c, 0]));
  const lines = rows.map((r) => {
    const cells = campaigns.map((name) => {
      const c = r.score.campaigns.find((x) => x.campaign === name);
      if (c === undefined) return '–';
      const pass = judgeCampaign(c).pass;
      if (pass) met.set(name, (met.get(name) ?? 0) + 1);
      return `${pct(c.leak)}${pass ? '' : ' ✗'}`;
    });
    const b = r.score.benign;
    return [String(r.seed), r.variant, ...cells, `${b.collateralAccounts} / ${b.accounts}`];
  });
  const summary = [
    'all',
    `${rows.length} runs`,
    ...campaigns.map((c) => `bars met ${met.get(c)} / ${rows.length}`),
    '',
  ];
  const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [row(header), row(header.map(() => '---')), ...lines.map(row), row(summary)].join('\n');
}
