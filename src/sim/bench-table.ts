/**
 * Plain-text rendering of a bench result: one aligned table for campaigns, one for benign
 * personas, and a footer with throughput and memory. Plain text (no colour) so it pastes
 * unchanged into docs/benchmarks.md and CI logs.
 */
import {
  ATTRIBUTION_BAR,
  COLLATERAL_HARD_NEGATIVE_BAR,
  COLLATERAL_OVERALL_BAR,
  HARD_NEGATIVE_PERSONAS,
  LEAK_BARS,
  PURITY_BAR,
  type Verdict,
} from './bench-bars.js';
import type { BenchResult } from './bench-types.js';

type Align = 'left' | 'right';

/**
 * Aligns rows under headers; numbers conventionally right-aligned.
 *
 * @example
 * renderTable(['name', 'n'], [['a', '1'], ['bb', '22']], ['left', 'right']);
 * // "name   n\na      1\nbb    22"
 */
export function renderTable(headers: string[], rows: string[][], align: Align[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => {
        const width = widths[i] ?? 0;
        return align[i] === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/**
 * A share as a percentage, with two decimals below 1% so small leaks stay visible.
 *
 * @example
 * percent(0.0042); // "0.42%"
 * percent(0.5);    // "50.0%"
 */
export function percent(share: number): string {
  const p = share * 100;
  if (p === 0) return '0%';
  return p < 1 ? `${p.toFixed(2)}%` : `${p.toFixed(1)}%`;
}

/**
 * A duration in the largest unit that keeps it readable; null means the event never happened.
 *
 * @example
 * duration(90_000);     // "1.5m"
 * duration(null);       // "never"
 */
export function duration(ms: number | null): string {
  if (ms === null) return 'never';
  const sign = ms < 0 ? '-' : '';
  const a = Math.abs(ms);
  if (a < 60_000) return `${sign}${(a / 1000).toFixed(a < 10_000 ? 1 : 0)}s`;
  if (a < 3_600_000) return `${sign}${(a / 60_000).toFixed(1)}m`;
  if (a < 86_400_000) return `${sign}${(a / 3_600_000).toFixed(1)}h`;
  return `${sign}${(a / 86_400_000).toFixed(1)}d`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function result(v: Verdict | undefined): string {
  if (v === undefined) return '';
  return v.pass ? 'pass' : `FAIL (${v.failed.join(', ')})`;
}

/**
 * Renders the whole result as the text `distillguard bench` prints.
 *
 * @example
 * process.stdout.write(formatBenchTable(result) + '\n');
 */
export function formatBenchTable(r: BenchResult): string {
  const { score, verdicts } = r;
  const campaignRows = score.campaigns.map((c) => {
    const bar = LEAK_BARS[c.kind];
    return [
      c.campaign,
      count(c.accounts),
      count(c.exchanges),
      count(c.leakedExchanges),
      percent(c.leak),
      bar === undefined ? '-' : `<=${percent(bar)}`,
      duration(c.firstFlagMs),
      duration(c.firstContainmentMs),
      `${count(c.accountsContained)}/${count(c.accounts)}`,
      percent(c.attribution.completeness),
      c.attribution.purity === null ? '-' : percent(c.attribution.purity),
      result(verdicts.campaigns[c.campaign]),
    ];
  });
  const campaigns = renderTable(
    [
      'campaign',
      'accounts',
      'exchanges',
      'leaked',
      'leak',
      'bar',
      'first flag',
      'first contain',
      'contained',
      'attribution',
      'purity',
      'result',
    ],
    campaignRows,
    [
      'left',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'left',
    ],
  );

  const personaRows = score.personas.map((p) => {
    const hard = HARD_NEGATIVE_PERSONAS.includes(p.persona);
    return [
      p.persona,
      count(p.accounts),
      count(p.exchanges),
      count(p.collateralAccounts),
      percent(p.collateral),
      percent(p.blockRate),
      hard ? `<=${percent(COLLATERAL_HARD_NEGATIVE_BAR)}` : '-',
      result(verdicts.personas[p.persona]),
    ];
  });
  const b = score.benign;
  personaRows.push([
    'all benign',
    count(b.accounts),
    count(b.exchanges),
    count(b.collateralAccounts),
    percent(b.collateral),
    percent(b.blockRate),
    `<=${percent(COLLATERAL_OVERALL_BAR)}`,
    result(verdicts.collateral),
  ]);
  const personas = renderTable(
    ['benign persona', 'accounts', 'exchanges', 'hit', 'collateral', 'blocked', 'bar', 'result'],
    personaRows,
    ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
  );

  const input =
    r.input.source === 'simulated'
      ? `simulated scale ${String(r.input.scale)} seed ${String(r.input.seed)}${r.input.scenarios ? ` scenarios ${r.input.scenarios.join(',')}` : ''}${r.input.days === null ? '' : ` days ${r.input.days}`}`
      : `data dir ${String(r.input.dir)}`;
  const footer = [
    `detector ${r.detector}; input ${input}`,
    `events ${count(r.events)} (rejected ${count(r.rejected)}), decisions ${count(score.decisions)}, attack leak overall ${percent(score.attack.leak)}`,
    `analyze ${r.timing.analyzeSeconds.toFixed(1)} s = ${count(Math.round(r.timing.eventsPerSecond))} events/s; peak RSS ${r.memory.analyzePeakRssMiB.toFixed(0)} MiB (process ${r.memory.peakRssMiB.toFixed(0)} MiB)${r.timing.simulateSeconds === null ? '' : `; simulate ${r.timing.simulateSeconds.toFixed(1)} s`}; score ${r.timing.scoreSeconds.toFixed(1)} s`,
    `bars: attribution >=${percent(ATTRIBUTION_BAR)}, purity >=${percent(PURITY_BAR)}; overall ${verdicts.pass ? 'PASS' : 'FAIL'}`,
  ];
  if (score.unlabelled.accounts > 0) {
    footer.push(
      `unlabelled: ${count(score.unlabelled.accounts)} accounts, ${count(score.unlabelled.exchanges)} exchanges (not scored)`,
    );
  }
  if (score.decisionsAppliedByTs > 0) {
    footer.push(
      `${count(score.decisionsAppliedByTs)} decisions named a trigger event not in the stream (applied by ts)`,
    );
  }
  for (const note of r.detectorNotes) footer.push(`note: ${note}`);
  return `${campaigns}\n\n${personas}\n\n${footer.join('\n')}`;
}
