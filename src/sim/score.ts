/**
 * Scores a detection report against simulation ground truth with the DESIGN.md definitions:
 * per campaign leak, time to first action and attribution; per benign persona collateral.
 *
 * Replay rule (report/1): a decision triggered by event E applies to its account from that
 * account's first request after E in the stream; E itself (and anything before it) was served.
 * When the trigger event id is not in the stream, the decision applies from events with a
 * later ts.
 */
import { actionRank, type Decision, type ExchangeEvent, type Label, type Report } from '../contract/types.js';

/** Campaign families from DESIGN.md; a label's campaign is one of these or an instance id starting with one. */
export const CAMPAIGN_KINDS = [
  'deepseek',
  'moonshot',
  'minimax',
  'hydra',
  'low-and-slow',
  'adaptive',
] as const;

const NONE = -1;
const THROTTLE = actionRank('throttle');
const DEGRADE = actionRank('degrade');
const BLOCK = actionRank('block');

export interface Attribution {
  /** The reported campaign that holds most of this campaign's accounts (null when none holds any). */
  reportedCampaign: string | null;
  /** This campaign's accounts inside that reported campaign. */
  matchedAccounts: number;
  /** Size of that reported campaign. */
  reportedAccounts: number;
  /** matchedAccounts / accounts. */
  completeness: number;
  /** matchedAccounts / reportedAccounts (null when nothing matched). */
  purity: number | null;
}

export interface CampaignScore {
  /** The label's campaign id. */
  campaign: string;
  /** Family from CAMPAIGN_KINDS the id starts with, or the id itself when unknown. */
  kind: string;
  /** Labelled accounts of the campaign. */
  accounts: number;
  /** Exchanges of those accounts in the stream. */
  exchanges: number;
  /** Exchanges served while the sender was below degrade. */
  leakedExchanges: number;
  /** leakedExchanges / exchanges (0 when the campaign sent nothing). */
  leak: number;
  /** Accounts that got any decision. */
  accountsFlagged: number;
  /** Accounts that reached degrade or block. */
  accountsContained: number;
  /** ts of the campaign's first exchange (null when it sent nothing). */
  startedAt: string | null;
  /** First decision of any action on any of its accounts, in ms after startedAt (null: never). */
  firstFlagMs: number | null;
  /** First degrade/block decision on any of its accounts, in ms after startedAt (null: never). */
  firstContainmentMs: number | null;
  attribution: Attribution;
}

export interface PersonaScore {
  persona: string;
  accounts: number;
  exchanges: number;
  /** Accounts that ever reached throttle or above. */
  collateralAccounts: number;
  /** collateralAccounts / accounts. */
  collateral: number;
  blockedAccounts: number;
  /** blockedAccounts / accounts. */
  blockRate: number;
  /** Exchanges that arrived while their account was at throttle or above. */
  affectedExchanges: number;
}

export interface BenchScore {
  events: number;
  decisions: number;
  campaigns: CampaignScore[];
  personas: PersonaScore[];
  /** All attack traffic together. */
  attack: { accounts: number; exchanges: number; leakedExchanges: number; leak: number };
  /** All benign accounts together. */
  benign: Omit<PersonaScore, 'persona'>;
  /** Stream accounts with no label, and decisions about them (both ignored by the scores). */
  unlabelled: { accounts: number; exchanges: number; decisions: number };
  /** Decisions whose trigger event id never appeared in the stream, so they were applied by ts. */
  decisionsAppliedByTs: number;
}

/** Counters shared by a campaign or a persona. */
interface Group {
  name: string;
  members: string[];
  accounts: number;
  exchanges: number;
  leaked: number;
  affected: number;
  firstEventMs: number;
  firstFlagMs: number;
  firstContainmentMs: number;
}

interface AccountState {
  group: Group;
  attack: boolean;
  /** Rank in force for the account's next request. */
  level: number;
  /** Highest rank any decision ever gave it. */
  peak: number;
}

/**
 * The online core of scoring: feed it each event as it is served and the decisions that event
 * triggered, then finish with the report. Lets a bench score in the same pass as the detector
 * runs, with exact trigger positions, instead of reading the events a second time.
 *
 * @example
 * const scorer = createScorer(labels);
 * for await (const event of events) {
 *   scorer.observe(event);
 *   scorer.apply(detector.process(event));
 * }
 * const score = scorer.finish(report);
 */
export interface Scorer {
  /** Counts one exchange as served at its account's level in force now. */
  observe(event: ExchangeEvent): void;
  /** Decisions made after the last observed event; they apply from each account's next request. */
  apply(decisions: readonly Decision[]): void;
  /** Scores everything observed; `report` supplies the full decision list and the campaigns. */
  finish(report: Report): BenchScore;
}

/**
 * Creates an online scorer for one run's ground truth. Throws if an account is labelled twice.
 *
 * @example
 * const scorer = createScorer([{ account_id: 'a', label: 'attack', campaign: 'hydra', persona: 'hydra-worker' }]);
 */
export function createScorer(labels: Label[]): Scorer {
  const campaigns = new Map<string, Group>();
  const personas = new Map<string, Group>();
  const accounts = indexLabels(labels, campaigns, personas);
  const unlabelled = new Set<string>();
  let events = 0;
  let unlabelledExchanges = 0;

  return {
    observe(event) {
      events += 1;
      const state = accounts.get(event.account_id);
      if (state === undefined) {
        unlabelled.add(event.account_id);
        unlabelledExchanges += 1;
        return;
      }
      const group = state.group;
      group.exchanges += 1;
      if (group.firstEventMs === Number.POSITIVE_INFINITY) group.firstEventMs = Date.parse(event.ts);
      if (state.level < DEGRADE) group.leaked += 1;
      if (state.level >= THROTTLE) group.affected += 1;
    },

    apply(decisions) {
      for (const d of decisions) {
        const state = accounts.get(d.account_id);
        if (state !== undefined) state.level = Math.max(state.level, actionRank(d.action));
      }
    },

    finish(report) {
      return summarize(report, accounts, campaigns, personas, {
        events,
        unlabelledAccounts: unlabelled.size,
        unlabelledExchanges,
      });
    },
  };
}

/**
 * Scores one run from a finished report, streaming `events` once (a second read of the file
 * the report was made from). Decisions apply after their trigger event; a decision whose trigger
 * id is not in the stream applies from the first event with a later ts.
 *
 * @example
 * const score = await scoreRun({ events: openEvents('events.jsonl.gz'), labels, report });
 * score.campaigns[0]?.leak; // e.g. 0.004
 */
export async function scoreRun(opts: {
  events: AsyncIterable<ExchangeEvent>;
  labels: Label[];
  report: Report;
}): Promise<BenchScore> {
  const scorer = createScorer(opts.labels);
  const decisions = opts.report.decisions;
  const byTrigger = new Map<string, number[]>();
  decisions.forEach((d, i) => {
    const list = byTrigger.get(d.event_id);
    if (list === undefined) byTrigger.set(d.event_id, [i]);
    else list.push(i);
  });
  // Fallback order for decisions whose trigger never shows up: by ts, stable.
  const byTime = decisions
    .map((d, i) => ({ at: Date.parse(d.at), i }))
    .sort((a, b) => a.at - b.at || a.i - b.i);
  const applied = new Uint8Array(decisions.length);
  const applyAll = (indices: number[]): void => {
    const fresh = indices.filter((i) => applied[i] === 0);
    for (const i of fresh) applied[i] = 1;
    scorer.apply(fresh.map((i) => decisions[i] as Decision));
  };

  let next = 0;
  let appliedByTs = 0;
  for await (const event of opts.events) {
    const t = Date.parse(event.ts);
    // Decisions made strictly before this event's ts are in force whatever their trigger.
    const late: number[] = [];
    while (next < byTime.length && (byTime[next]?.at ?? t) < t) {
      const i = (byTime[next] as { i: number }).i;
      if (applied[i] === 0) late.push(i);
      next += 1;
    }
    if (late.length > 0) {
      appliedByTs += late.length;
      applyAll(late);
    }
    scorer.observe(event);
    // This event was served; what it triggered applies from the next request on.
    const triggered = byTrigger.get(event.id);
    if (triggered !== undefined) applyAll(triggered);
  }
  return { ...scorer.finish(opts.report), decisionsAppliedByTs: appliedByTs };
}

function summarize(
  report: Report,
  accounts: Map<string, AccountState>,
  campaigns: Map<string, Group>,
  personas: Map<string, Group>,
  seen: { events: number; unlabelledAccounts: number; unlabelledExchanges: number },
): BenchScore {
  // Peaks and first-action times come from the full decision list, independent of replay order.
  let unlabelledDecisions = 0;
  for (const state of accounts.values()) state.peak = NONE;
  for (const group of [...campaigns.values(), ...personas.values()]) {
    group.firstFlagMs = Number.POSITIVE_INFINITY;
    group.firstContainmentMs = Number.POSITIVE_INFINITY;
  }
  for (const d of report.decisions) {
    const state = accounts.get(d.account_id);
    if (state === undefined) {
      unlabelledDecisions += 1;
      continue;
    }
    const rank = actionRank(d.action);
    state.peak = Math.max(state.peak, rank);
    const at = Date.parse(d.at);
    state.group.firstFlagMs = Math.min(state.group.firstFlagMs, at);
    if (rank >= DEGRADE) state.group.firstContainmentMs = Math.min(state.group.firstContainmentMs, at);
  }

  const campaignScores = [...campaigns.values()]
    .map((g) => campaignScore(g, accounts, report))
    .sort((a, b) => a.campaign.localeCompare(b.campaign));
  const personaScores = [...personas.values()]
    .map((g) => personaScore(g, accounts))
    .sort((a, b) => a.persona.localeCompare(b.persona));

  const attack = campaignScores.reduce(
    (sum, c) => ({
      accounts: sum.accounts + c.accounts,
      exchanges: sum.exchanges + c.exchanges,
      leakedExchanges: sum.leakedExchanges + c.leakedExchanges,
    }),
    { accounts: 0, exchanges: 0, leakedExchanges: 0 },
  );
  const benignTotals = personaScores.reduce(
    (sum, p) => ({
      accounts: sum.accounts + p.accounts,
      exchanges: sum.exchanges + p.exchanges,
      collateralAccounts: sum.collateralAccounts + p.collateralAccounts,
      blockedAccounts: sum.blockedAccounts + p.blockedAccounts,
      affectedExchanges: sum.affectedExchanges + p.affectedExchanges,
    }),
    { accounts: 0, exchanges: 0, collateralAccounts: 0, blockedAccounts: 0, affectedExchanges: 0 },
  );

  return {
    events: seen.events,
    decisions: report.decisions.length,
    campaigns: campaignScores,
    personas: personaScores,
    attack: { ...attack, leak: ratio(attack.leakedExchanges, attack.exchanges) },
    benign: {
      ...benignTotals,
      collateral: ratio(benignTotals.collateralAccounts, benignTotals.accounts),
      blockRate: ratio(benignTotals.blockedAccounts, benignTotals.accounts),
    },
    unlabelled: {
      accounts: seen.unlabelledAccounts,
      exchanges: seen.unlabelledExchanges,
      decisions: unlabelledDecisions,
    },
    decisionsAppliedByTs: 0,
  };
}

function indexLabels(
  labels: Label[],
  campaigns: Map<string, Group>,
  personas: Map<string, Group>,
): Map<string, AccountState> {
  const accounts = new Map<string, AccountState>();
  for (const label of labels) {
    if (accounts.has(label.account_id)) {
      throw new Error(`labels: account ${label.account_id} is labelled more than once`);
    }
    const attack = label.label === 'attack';
    // An attack label without a campaign id still needs a row; its persona is the best name we have.
    const key = attack ? (label.campaign ?? label.persona) : label.persona;
    const groups = attack ? campaigns : personas;
    let group = groups.get(key);
    if (group === undefined) {
      group = newGroup(key);
      groups.set(key, group);
    }
    group.accounts += 1;
    group.members.push(label.account_id);
    accounts.set(label.account_id, { group, attack, level: NONE, peak: NONE });
  }
  return accounts;
}

function newGroup(name: string): Group {
  return {
    name,
    members: [],
    accounts: 0,
    exchanges: 0,
    leaked: 0,
    affected: 0,
    firstEventMs: Number.POSITIVE_INFINITY,
    firstFlagMs: Number.POSITIVE_INFINITY,
    firstContainmentMs: Number.POSITIVE_INFINITY,
  };
}

function campaignScore(group: Group, accounts: Map<string, AccountState>, report: Report): CampaignScore {
  let flagged = 0;
  let contained = 0;
  for (const id of group.members) {
    const peak = accounts.get(id)?.peak ?? NONE;
    if (peak > NONE) flagged += 1;
    if (peak >= DEGRADE) contained += 1;
  }
  const started = Number.isFinite(group.firstEventMs) ? group.firstEventMs : null;
  const since = (ms: number): number | null =>
    started === null || !Number.isFinite(ms) ? null : ms - started;
  return {
    campaign: group.name,
    kind: CAMPAIGN_KINDS.find((k) => group.name.startsWith(k)) ?? group.name,
    accounts: group.accounts,
    exchanges: group.exchanges,
    leakedExchanges: group.leaked,
    leak: ratio(group.leaked, group.exchanges),
    accountsFlagged: flagged,
    accountsContained: contained,
    startedAt: started === null ? null : new Date(started).toISOString(),
    firstFlagMs: since(group.firstFlagMs),
    firstContainmentMs: since(group.firstContainmentMs),
    attribution: attribute(new Set(group.members), report),
  };
}

/**
 * Best-matching reported campaign: most of the campaign's accounts, ties broken by smaller
 * size (higher purity), then by report order.
 */
function attribute(members: Set<string>, report: Report): Attribution {
  let best: Attribution = {
    reportedCampaign: null,
    matchedAccounts: 0,
    reportedAccounts: 0,
    completeness: 0,
    purity: null,
  };
  for (const reported of report.campaigns) {
    const unique = new Set(reported.accounts);
    let matched = 0;
    for (const id of unique) if (members.has(id)) matched += 1;
    if (matched === 0) continue;
    const better =
      matched > best.matchedAccounts ||
      (matched === best.matchedAccounts && unique.size < best.reportedAccounts);
    if (better) {
      best = {
        reportedCampaign: reported.id,
        matchedAccounts: matched,
        reportedAccounts: unique.size,
        completeness: ratio(matched, members.size),
        purity: ratio(matched, unique.size),
      };
    }
  }
  return best;
}

function personaScore(group: Group, accounts: Map<string, AccountState>): PersonaScore {
  let collateral = 0;
  let blocked = 0;
  for (const id of group.members) {
    const peak = accounts.get(id)?.peak ?? NONE;
    if (peak >= THROTTLE) collateral += 1;
    if (peak >= BLOCK) blocked += 1;
  }
  return {
    persona: group.name,
    accounts: group.accounts,
    exchanges: group.exchanges,
    collateralAccounts: collateral,
    collateral: ratio(collateral, group.accounts),
    blockedAccounts: blocked,
    blockRate: ratio(blocked, group.accounts),
    affectedExchanges: group.affected,
  };
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}
