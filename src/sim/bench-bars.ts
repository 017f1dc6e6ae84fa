/**
 * The acceptance bars from the "Foundation" issue, and the pass/fail verdict of each score row
 * against them. Kept apart from formatting so the JSON result and the printed table agree.
 */
import type { BenchScore, CampaignScore, PersonaScore } from './score.js';

/** Highest acceptable leak per campaign family. */
export const LEAK_BARS: Readonly<Record<string, number>> = {
  deepseek: 0.01,
  moonshot: 0.01,
  minimax: 0.01,
  hydra: 0.01,
  'low-and-slow': 0.05,
  adaptive: 0.1,
};
export const COLLATERAL_OVERALL_BAR = 0.001;
export const COLLATERAL_HARD_NEGATIVE_BAR = 0.01;
export const ATTRIBUTION_BAR = 0.95;
export const PURITY_BAR = 0.99;

/**
 * Benign personas built to look like attackers in some way (volume, templates, eval bursts,
 * tools, shared IPs, proxy pools); casual chat is covered by the overall bar only.
 */
export const HARD_NEGATIVE_PERSONAS: readonly string[] = [
  'power-developer',
  'enterprise-app',
  'eval-harness',
  'agent-builder',
  'shared-nat',
  'reseller-customer',
];

/** Which bars a row missed; empty means it passed every bar that applies to it. */
export interface Verdict {
  pass: boolean;
  failed: string[];
}

export interface BenchVerdicts {
  campaigns: Record<string, Verdict>;
  personas: Record<string, Verdict>;
  collateral: Verdict;
  /** True when every row and the overall collateral pass. */
  pass: boolean;
}

function verdict(failed: string[]): Verdict {
  return { pass: failed.length === 0, failed };
}

/**
 * Judges one campaign: leak (when its family has a bar), attribution completeness and purity.
 *
 * @example
 * judgeCampaign(score.campaigns[0]).failed; // e.g. ['leak', 'attribution']
 */
export function judgeCampaign(c: CampaignScore): Verdict {
  const failed: string[] = [];
  const bar = LEAK_BARS[c.kind];
  if (bar !== undefined && c.leak > bar) failed.push('leak');
  if (c.attribution.completeness < ATTRIBUTION_BAR) failed.push('attribution');
  if (c.attribution.purity === null || c.attribution.purity < PURITY_BAR) failed.push('purity');
  return verdict(failed);
}

/**
 * Judges one benign persona: hard negatives must stay at or under 1% collateral; other
 * personas have no row bar.
 *
 * @example
 * judgePersona({ persona: 'eval-harness', collateral: 0.02, ... }).pass; // false
 */
export function judgePersona(p: PersonaScore): Verdict {
  const hard = HARD_NEGATIVE_PERSONAS.includes(p.persona);
  return verdict(hard && p.collateral > COLLATERAL_HARD_NEGATIVE_BAR ? ['collateral'] : []);
}

/**
 * Judges a whole score against every bar.
 *
 * @example
 * const verdicts = judge(score);
 * if (!verdicts.pass) console.log(verdicts.campaigns);
 */
export function judge(score: BenchScore): BenchVerdicts {
  const campaigns: Record<string, Verdict> = {};
  for (const c of score.campaigns) campaigns[c.campaign] = judgeCampaign(c);
  const personas: Record<string, Verdict> = {};
  for (const p of score.personas) personas[p.persona] = judgePersona(p);
  const collateral = verdict(score.benign.collateral > COLLATERAL_OVERALL_BAR ? ['collateral'] : []);
  const pass =
    collateral.pass &&
    Object.values(campaigns).every((v) => v.pass) &&
    Object.values(personas).every((v) => v.pass);
  return { campaigns, personas, collateral, pass };
}
