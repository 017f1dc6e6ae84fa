import { describe, expect, it } from 'vitest';
import { judge } from './bench-bars.js';
import { duration, formatBenchTable, percent, renderTable } from './bench-table.js';
import type { BenchResult } from './bench-types.js';
import type { BenchScore } from './score.js';

describe('renderTable', () => {
  it('pads columns to the widest cell, right-aligning where asked', () => {
    expect(
      renderTable(
        ['name', 'n'],
        [
          ['a', '1'],
          ['bb', '22'],
        ],
        ['left', 'right'],
      ),
    ).toBe('name   n\na      1\nbb    22');
  });
});

describe('percent and duration', () => {
  it('keeps small shares visible and labels never-happened durations', () => {
    expect(percent(0)).toBe('0%');
    expect(percent(0.0042)).toBe('0.42%');
    expect(percent(0.5)).toBe('50.0%');
    expect(duration(null)).toBe('never');
    expect(duration(2_500)).toBe('2.5s');
    expect(duration(45_000)).toBe('45s');
    expect(duration(90_000)).toBe('1.5m');
    expect(duration(5_400_000)).toBe('1.5h');
    expect(duration(3 * 86_400_000)).toBe('3.0d');
    expect(duration(-90_000)).toBe('-1.5m');
  });
});

describe('formatBenchTable', () => {
  const score: BenchScore = {
    events: 1500,
    decisions: 3,
    campaigns: [
      {
        campaign: 'hydra-1',
        kind: 'hydra',
        accounts: 12,
        exchanges: 1000,
        leakedExchanges: 250,
        leak: 0.25,
        accountsFlagged: 3,
        accountsContained: 3,
        startedAt: '2026-01-01T00:00:00.000Z',
        firstFlagMs: 120_000,
        firstContainmentMs: 7_200_000,
        attribution: {
          reportedCampaign: null,
          matchedAccounts: 0,
          reportedAccounts: 0,
          completeness: 0,
          purity: null,
        },
      },
    ],
    personas: [
      {
        persona: 'eval-harness',
        accounts: 4,
        exchanges: 500,
        collateralAccounts: 1,
        collateral: 0.25,
        blockedAccounts: 1,
        blockRate: 0.25,
        affectedExchanges: 20,
      },
    ],
    attack: { accounts: 12, exchanges: 1000, leakedExchanges: 250, leak: 0.25 },
    benign: {
      accounts: 4,
      exchanges: 500,
      collateralAccounts: 1,
      collateral: 0.25,
      blockedAccounts: 1,
      blockRate: 0.25,
      affectedExchanges: 20,
    },
    unlabelled: { accounts: 0, exchanges: 0, decisions: 0 },
    decisionsAppliedByTs: 0,
  };
  const result: BenchResult = {
    schema: 'distillguard.bench/1',
    detector: 'baseline',
    detectorNotes: ['baseline detector: rate rule only'],
    startedAt: '2026-01-01T00:00:00.000Z',
    input: { source: 'simulated', dir: null, scale: 0.01, seed: 7, scenarios: null, days: null, data: null },
    timing: { simulateSeconds: 2, analyzeSeconds: 1.5, scoreSeconds: 0.5, eventsPerSecond: 1000 },
    memory: { peakRssMiB: 223.4, analyzePeakRssMiB: 123.4 },
    events: 1500,
    rejected: 0,
    score,
    verdicts: judge(score),
    machine: { cpus: 2, node: 'v20', platform: 'linux' },
  };

  it('prints a row per campaign and persona with its bar and verdict', () => {
    const text = formatBenchTable(result);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^campaign\s+accounts\s+exchanges\s+leaked\s+leak\s+bar\s+first flag/);
    expect(lines[1]).toMatch(
      /^hydra-1\s+12\s+1,000\s+250\s+25\.0%\s+<=1\.0%\s+2\.0m\s+2\.0h\s+3\/12\s+0%\s+-\s+FAIL \(leak, attribution, purity\)$/,
    );
    expect(text).toMatch(/\neval-harness\s+4\s+500\s+1\s+25\.0%\s+25\.0%\s+<=1\.0%\s+FAIL \(collateral\)\n/);
    expect(text).toMatch(/\nall benign\s+4\s+500\s+1\s+25\.0%\s+25\.0%\s+<=0\.10%\s+FAIL \(collateral\)\n/);
    expect(text).toContain(
      'analyze 1.5 s = 1,000 events/s; peak RSS 123 MiB (process 223 MiB); simulate 2.0 s; score 0.5 s',
    );
    expect(text).toContain('detector baseline; input simulated scale 0.01 seed 7');
    expect(text).toContain('overall FAIL');
    expect(text).toContain('note: baseline detector: rate rule only');
  });
});
