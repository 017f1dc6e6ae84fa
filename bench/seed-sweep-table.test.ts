import { describe, expect, it } from 'vitest';
import type { BenchScore, CampaignScore } from '../src/sim/score.js';
import { formatSeedTable, parseSeeds } from './seed-sweep-table.js';

function campaign(name: string, leak: number): CampaignScore {
  return {
    campaign: name,
    kind: name,
    accounts: 10,
    exchanges: 1000,
    leakedExchanges: Math.round(leak * 1000),
    leak,
    accountsFlagged: 10,
    accountsContained: 10,
    startedAt: '2026-01-01T00:00:00.000Z',
    firstFlagMs: 1,
    firstContainmentMs: 2,
    attribution: {
      reportedCampaign: 'campaign-0001',
      matchedAccounts: 10,
      reportedAccounts: 10,
      completeness: 1,
      purity: 1,
    },
  };
}

function score(hydraLeak: number, collateral: number): BenchScore {
  return {
    events: 1,
    decisions: 1,
    campaigns: [campaign('hydra', hydraLeak), campaign('deepseek', 0.005)],
    personas: [],
    attack: { accounts: 20, exchanges: 2000, leakedExchanges: 0, leak: 0 },
    benign: {
      accounts: 100,
      exchanges: 1000,
      collateralAccounts: collateral,
      collateral: collateral / 100,
      blockedAccounts: 0,
      blockRate: 0,
      affectedExchanges: 0,
    },
    unlabelled: { accounts: 0, exchanges: 0, decisions: 0 },
    decisionsAppliedByTs: 0,
  };
}

describe('parseSeeds', () => {
  it('reads ranges and lists, keeping order and dropping repeats', () => {
    expect(parseSeeds('1-3,8')).toEqual([1, 2, 3, 8]);
    expect(parseSeeds('5, 2-3, 3')).toEqual([5, 2, 3]);
  });

  it('names what it cannot read', () => {
    expect(() => parseSeeds('1-x')).toThrow(/"1-x" is not a seed or a range/);
    expect(() => parseSeeds('9-2')).toThrow(/runs backwards/);
    expect(() => parseSeeds('1-5000')).toThrow(/longer than 1,000/);
  });
});

describe('formatSeedTable', () => {
  it('marks runs that miss a bar and counts the runs that meet them', () => {
    const text = formatSeedTable([
      { seed: 1, variant: 'with records', score: score(0.0097, 0) },
      { seed: 2, variant: 'with records', score: score(0.013, 2) },
    ]);
    const lines = text.split('\n');
    expect(lines[0]).toBe('| seed | run | deepseek | hydra | benign ≥ throttle |');
    expect(lines[2]).toBe('| 1 | with records | 0.50 % | 0.97 % | 0 / 100 |');
    expect(lines[3]).toBe('| 2 | with records | 0.50 % | 1.30 % ✗ | 2 / 100 |');
    expect(lines[4]).toBe('| all | 2 runs | bars met 2 / 2 | bars met 1 / 2 |  |');
  });
});
