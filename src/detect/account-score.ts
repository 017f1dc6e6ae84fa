/**
 * Suspicion of one account from its own behaviour and sign-up facts. Deliberately conservative:
 * power users, evaluation harnesses and enterprise apps share many single-account traits with
 * distillers (volume, one template, 24/7, single-turn), so alone an account rarely passes
 * monitor; convictions come from campaigns (linked accounts acting together).
 */
import type { AccountRecord } from '../contract/types.js';
import { combine, type Evidence, pct, type Scored, shrunkShare } from './evidence.js';
import { DISTINCT_MIN_EVENTS, type ProfileSnapshot } from './profile.js';

/** What the provider told us about an account, reduced to what scoring uses. */
export interface AccountFacts {
  createdAtMs: number;
  verified: boolean;
  hasOrg: boolean;
  /**
   * Sign-up channels where someone vouched for the customer (education, research, enterprise
   * sales, partners). Startup credit programmes are self-applied, so they do not count.
   */
  vettedChannel: boolean;
  channel: string;
}

const VETTED_CHANNEL = /educ|research|academ|enterprise|partner|sales/i;

/**
 * Reduces an account record to scoring facts.
 *
 * @example
 * factsOf({ account_id: 'a', created_at: '2026-01-01T00:00:00Z', verified: true }).verified; // true
 */
export function factsOf(record: AccountRecord): AccountFacts {
  const channel = record.signup_channel ?? '';
  return {
    createdAtMs: Date.parse(record.created_at),
    verified: record.verified === true,
    hasOrg: record.org_id !== undefined && record.org_id !== '',
    vettedChannel: VETTED_CHANNEL.test(channel),
    channel,
  };
}

/** Prior log-odds of an account with no evidence: distillers are rare. */
export const ACCOUNT_PRIOR = -5;

/**
 * Extraction-shaped content of a profile: elicitation, grading, dataset-style single-turn
 * traffic without conversational continuity. Shared by account and campaign scoring.
 */
export function contentEvidence(p: {
  events: number;
  cotHits: number;
  rubricHits: number;
  datasetHits: number;
  singleTurn: number;
  buildsOnAnswer: number;
  newModelHits: number;
  meanHunger: number;
  freshToolCalls: number;
}): Evidence[] {
  const out: Evidence[] = [];
  const n = p.events;
  const cot = shrunkShare(p.cotHits, n);
  if (cot > 0.05) {
    out.push({
      weight: 3.5 * cot,
      tag: 'harvest',
      reason: () => `${pct(p.cotHits / n)} of ${n} prompts ask for the full reasoning trace`,
    });
  }
  const rubric = shrunkShare(p.rubricHits, n);
  if (rubric > 0.05) {
    out.push({
      weight: 2.5 * rubric,
      tag: 'harvest',
      reason: () => `${pct(p.rubricHits / n)} of ${n} prompts use the model as a grader`,
    });
  }
  const dataset = shrunkShare(p.datasetHits, n);
  const single = n > 0 ? p.singleTurn / n : 0;
  if (dataset > 0.3 && single > 0.8) {
    out.push({
      weight: 1.5 * dataset * single,
      reason: () => `${pct(p.datasetHits / n)} dataset-style single-turn instructions`,
    });
  }
  const builds = shrunkShare(p.buildsOnAnswer, n);
  if (builds > 0.05) {
    out.push({
      weight: -3 * Math.min(1, builds * 2),
      reason: () => `${pct(p.buildsOnAnswer / n)} of turns build on earlier answers`,
    });
  }
  const pivot = shrunkShare(p.newModelHits, n, 10);
  if (pivot > 0.3) {
    out.push({
      weight: 1.2 * pivot,
      tag: 'harvest',
      reason: () => `${pct(p.newModelHits / n)} of traffic moved to a just-released model`,
    });
  }
  if (n >= 10 && p.freshToolCalls / n >= 0.5) {
    // Agents send tool results back; asking for tool decisions in fresh contexts and never
    // continuing harvests tool-use behaviour.
    const share = p.freshToolCalls / n;
    out.push({
      weight: 2 * share,
      tag: 'harvest',
      reason: () =>
        `${pct(share)} of requests ask for tool calls in a fresh context and never return results`,
    });
  }
  if (p.meanHunger >= 0.6 && n >= 5) {
    out.push({
      weight: 0.5 * p.meanHunger,
      reason: () => `asks for maximal output (hunger ${p.meanHunger.toFixed(2)})`,
    });
  }
  return out;
}

/**
 * Scores one account.
 *
 * @example
 * const s = scoreAccount(store.snapshot(slot), facts);
 * s.score; // in [0, 1]
 */
export function scoreAccount(p: ProfileSnapshot, facts: AccountFacts | undefined): Scored {
  const evidence = contentEvidence(p);
  const n = p.events;
  if (n >= DISTINCT_MIN_EVENTS && p.distinctPrompts / n < 0.6) {
    evidence.push({
      weight: -1.5,
      reason: () =>
        `re-sends the same prompts (≈${Math.round(p.distinctPrompts)} distinct of ${n}), like an evaluation run`,
    });
  }
  if (n >= 20) {
    let top = 0;
    let topName = '';
    // for…in, not Object.entries: no arrays per rescoring, same (insertion) order.
    for (const name in p.capabilities) {
      const count = p.capabilities[name as keyof typeof p.capabilities];
      if (count > top) {
        top = count;
        topName = name;
      }
    }
    if (top / n >= 0.85 && p.datasetHits / n >= 0.5) {
      evidence.push({
        weight: 0.5,
        reason: () => `${pct(top / n)} of traffic targets one capability (${topName})`,
      });
    }
  }
  if (n >= 100 && p.distinctPrompts / n >= 0.9 && p.datasetHits / n >= 0.6) {
    evidence.push({
      weight: 1,
      reason: () =>
        `≈${Math.round(p.distinctPrompts)} dataset-style prompts and none repeated: working through a query set`,
    });
  }
  if (p.activeHours >= 20 && p.activeDays >= 2 && n >= 48) {
    evidence.push({ weight: 0.6, reason: () => `active ${p.activeHours} of 24 hours, around the clock` });
  }
  if (!Number.isNaN(p.gapCv) && n >= 30 && p.gapCv < 0.35) {
    evidence.push({
      weight: 0.5,
      reason: () => `machine-regular timing (inter-arrival CV ${p.gapCv.toFixed(2)})`,
    });
  }
  if (n >= 10 && p.subnetChanges / n > 0.5) {
    evidence.push({
      weight: 0.5,
      reason: () => `rotates source networks (${p.subnetChanges} changes in ${n} requests)`,
    });
  }
  if (n >= 10 && p.hostingHits / n > 0.8) {
    evidence.push({ weight: 0.3, reason: 'traffic comes from hosting/proxy networks' });
  }
  if (facts) {
    if (facts.verified) evidence.push({ weight: -2.5, reason: 'verified account' });
    if (facts.hasOrg) evidence.push({ weight: -1, reason: 'belongs to an organisation' });
    if (facts.vettedChannel)
      evidence.push({ weight: -1, reason: () => `signed up through ${facts.channel}` });
    const ageDays = (p.firstTs - facts.createdAtMs) / 86_400_000;
    if (ageDays >= 0 && ageDays < 1 && !facts.verified) {
      evidence.push({ weight: 0.4, reason: 'first request within a day of sign-up' });
    }
  }
  return combine(ACCOUNT_PRIOR, evidence);
}
