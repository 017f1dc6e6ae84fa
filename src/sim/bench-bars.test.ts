import { describe, expect, it } from 'vitest';
import { judge, judgeCampaign, judgePersona } from './bench-bars.js';
import type { BenchScore, CampaignScore, PersonaScore } from './score.js';

function campaign(over: Partial<CampaignScore> & { campaign: string; kind: string }): CampaignScore {
  return {
    accounts: 10,
    exchanges: 1000,
    leakedExchanges: 0,
    leak: 0,
    accountsFlagged: 10,
    accountsContained: 10,
    startedAt: '2026-01-01T00:00:00.000Z',
    firstFlagMs: 1000,
    firstContainmentMs: 2000,
    attribution: {
      reportedCampaign: 'c1',
      matchedAccounts: 10,
      reportedAccounts: 10,
      completeness: 1,
      purity: 1,
    },
    ...over,
  };
}

function persona(name: string, collateral: number): PersonaScore {
  return {
    persona: name,
    accounts: 100,
    exchanges: 1000,
    collateralAccounts: Math.round(collateral * 100),
    collateral,
    blockedAccounts: 0,
    blockRate: 0,
    affectedExchanges: 0,
  };
}

describe('judgeCampaign', () => {
  it('uses the family bar: 1% for hydra, 5% for low-and-slow, 10% for adaptive', () => {
    expect(judgeCampaign(campaign({ campaign: 'hydra-2', kind: 'hydra', leak: 0.01 })).pass).toBe(true);
    expect(judgeCampaign(campaign({ campaign: 'hydra-2', kind: 'hydra', leak: 0.011 })).failed).toEqual([
      'leak',
    ]);
    expect(judgeCampaign(campaign({ campaign: 'low-and-slow', kind: 'low-and-slow', leak: 0.05 })).pass).toBe(
      true,
    );
    expect(judgeCampaign(campaign({ campaign: 'adaptive', kind: 'adaptive', leak: 0.11 })).failed).toEqual([
      'leak',
    ]);
  });

  it('fails attribution below 95% and purity below 99% or missing', () => {
    const weak = campaign({
      campaign: 'deepseek',
      kind: 'deepseek',
      attribution: {
        reportedCampaign: 'c',
        matchedAccounts: 9,
        reportedAccounts: 10,
        completeness: 0.9,
        purity: 0.9,
      },
    });
    expect(judgeCampaign(weak).failed).toEqual(['attribution', 'purity']);
    const none = campaign({
      campaign: 'deepseek',
      kind: 'deepseek',
      attribution: {
        reportedCampaign: null,
        matchedAccounts: 0,
        reportedAccounts: 0,
        completeness: 0,
        purity: null,
      },
    });
    expect(judgeCampaign(none).failed).toEqual(['attribution', 'purity']);
  });

  it('has no leak bar for a family it does not know', () => {
    expect(judgeCampaign(campaign({ campaign: 'novel', kind: 'novel', leak: 0.9 })).pass).toBe(true);
  });
});

describe('judgePersona and judge', () => {
  it('holds hard negatives to 1% and leaves casual chat to the overall bar', () => {
    expect(judgePersona(persona('eval-harness', 0.011)).failed).toEqual(['collateral']);
    expect(judgePersona(persona('eval-harness', 0.01)).pass).toBe(true);
    expect(judgePersona(persona('casual-chat', 0.5)).pass).toBe(true);
  });

  it('fails overall when benign collateral exceeds 0.1%', () => {
    const score: BenchScore = {
      events: 1,
      decisions: 0,
      campaigns: [campaign({ campaign: 'hydra', kind: 'hydra' })],
      personas: [persona('casual-chat', 0.002)],
      attack: { accounts: 10, exchanges: 1000, leakedExchanges: 0, leak: 0 },
      benign: {
        accounts: 1000,
        exchanges: 1,
        collateralAccounts: 2,
        collateral: 0.002,
        blockedAccounts: 0,
        blockRate: 0,
        affectedExchanges: 0,
      },
      unlabelled: { accounts: 0, exchanges: 0, decisions: 0 },
      decisionsAppliedByTs: 0,
    };
    const verdicts = judge(score);
    expect(verdicts.collateral.failed).toEqual(['collateral']);
    expect(verdicts.campaigns.hydra?.pass).toBe(true);
    expect(verdicts.pass).toBe(false);
    expect(
      judge({ ...score, benign: { ...score.benign, collateralAccounts: 1, collateral: 0.001 } }).pass,
    ).toBe(true);
  });
});
