/**
 * Campaign state: aggregate evidence of a linked group of accounts, updated in O(1) per event
 * and merged when groups merge, and the campaign score computed from it. A campaign is judged
 * on what its members do together (shared payment, shared templates, elicitation across the
 * group, a dataset covered once across accounts), which is far stronger than any one account.
 */

import type { AccountFacts } from './account-score.js';
import { contentEvidence } from './account-score.js';
import { CrossOverlap } from './cross-overlap.js';
import { combine, type Evidence, pct, type Scored } from './evidence.js';
import type { ExchangeFeatures } from './features/types.js';
import { CAPABILITIES } from './features/types.js';
import type { LinkKind } from './linker.js';
import type { ProfileSnapshot } from './profile.js';
import { HLL_REGISTERS, hllAdd, hllEstimate, hllMerge, mix32 } from './sketch.js';
import { captureFields, type FieldState, restoreFields } from './state-fields.js';

const FINE_BITS = 10;
const FINE_REGISTERS = 1 << FINE_BITS;

/**
 * Distinct share of a group's fresh prompts (by the fine estimator, ~3 % error) at or above which
 * they count as a query set worked through once. A harvest re-sends some prompts — retries after
 * errors and timeouts, near-duplicates in its corpus — so the bar leaves one in ten; a benchmark
 * re-run by several accounts shows up as overlap between members, which has its own item.
 * (At 0.95, hydra's first behaviour-linked group on seed 6 read 0.92–0.94 for hours and waited.)
 */
const NEVER_REPEATED = 0.9;

/** Largest capability share at or below which a group's traffic spans several capabilities. */
const BROAD_TOP_SHARE = 0.6;

/** Most that shared-key items (payment aside) add to a group sending nothing harvest-shaped. */
const COORDINATION_ALONE = 1;

/** Prior log-odds of a linked group: most linked groups are orgs, classes or families. */
export const CAMPAIGN_PRIOR = -4;

const LINK_WORDS: Record<LinkKind, string> = {
  payment: 'share a payment fingerprint',
  template: 'send the same prompt template',
  client: 'share a client fingerprint (user agent + TLS)',
  signup: 'signed up within hours of each other',
  network: 'share a network and behave alike',
  coactivity: 'run round the clock together (the same active hours all week)',
  lockstep: 'send requests in lockstep (within seconds of each other, batch after batch)',
};

/** Recomputed on demand (and holds closures), so not state. */
const NOT_STATE = ['cached'];

/**
 * Aggregate state of one linked group.
 *
 * @example
 * const c = new Campaign();
 * c.addMember(0, snapshot, facts);
 * c.addEvent(features, false, true);
 * c.score().score;
 */
export class Campaign {
  readonly members: number[] = [];
  events = 0;
  cotHits = 0;
  rubricHits = 0;
  datasetHits = 0;
  singleTurn = 0;
  buildsOnAnswer = 0;
  newModelHits = 0;
  hungerSum = 0;
  freshToolCalls = 0;
  verified = 0;
  withOrg = 0;
  vetted = 0;
  withRecord = 0;
  /** Members whose record shows no verification, organisation or vetted channel. */
  unvouched = 0;
  readonly caps = new Float64Array(CAPABILITIES.length);
  readonly hll = new Uint8Array(HLL_REGISTERS);
  /**
   * A finer estimator (1024 registers, ~3% error) of distinct fresh-context prompts sent since
   * the group formed: overlap between members (benchmarks re-run by many accounts) versus a
   * partitioned query set (members never repeat each other) is a few tens of percent, below what
   * the members' 64-register sketches can resolve. Continuations are left out: a tool result or
   * a follow-up is not a prompt of the query set, and short tool outputs collide.
   */
  readonly fine = new Uint8Array(FINE_REGISTERS);
  /** Fresh-context requests since the group formed (the ones `fine` has seen). */
  fineEvents = 0;
  /** Members known to have sent at least one request (payment links can add accounts before they do). */
  contributors = 0;
  /**
   * Which members sent which fresh-context prompts since the group formed: overlap *between*
   * members, so an account re-using its own small prompt pool is not mistaken for a shared
   * benchmark.
   */
  readonly cross = new CrossOverlap();
  /**
   * Prompts estimated to have been sent by more than one member before they were linked: at
   * each merge, |A| + |B| − |A ∪ B| from the coarse estimators (a run of the same benchmark by
   * two harnesses shows up at once, long before the fine estimator has seen enough).
   */
  sharedPrompts = 0;
  /** Accounts brought into the group by unions backed by each kind of shared signal. */
  readonly links: Record<LinkKind, number> = {
    payment: 0,
    template: 0,
    client: 0,
    signup: 0,
    network: 0,
    coactivity: 0,
    lockstep: 0,
  };
  /** Campaign id, assigned when the group first triggers an action. */
  id: string | undefined;
  firstActionAt: string | undefined;
  /** Highest action rank applied to the whole group (-1 = none). */
  actionRank = -1;
  /** Highest score the group reached when judged (decisions never de-escalate, so reports show the peak). */
  peakScore = 0;
  /** Evidence at the peak score, as sentences. */
  peakEvidence: string[] = [];
  private cached: Scored | undefined;

  /**
   * Every field but the score cache (see state-fields.ts).
   *
   * @example
   * c.toState().members; // [0, 3, 7]
   */
  toState(): FieldState {
    return { ...captureFields(this, [...NOT_STATE, 'cross']), cross: this.cross.toState() };
  }

  /**
   * A campaign from `toState()` output.
   *
   * @example
   * const copy = Campaign.fromState(c.toState(), 'campaign at root 7');
   */
  static fromState(state: unknown, where = 'campaign'): Campaign {
    const s = state as FieldState;
    return restoreFields(new Campaign(), { ...s, cross: CrossOverlap.fromState(s?.cross) }, NOT_STATE, where);
  }

  /** Adds an account with what it did before joining (profile may be absent: no traffic yet). */
  addMember(index: number, p: ProfileSnapshot | undefined, facts: AccountFacts | undefined): void {
    this.members.push(index);
    if (facts) {
      this.withRecord++;
      if (facts.verified) this.verified++;
      if (facts.hasOrg) this.withOrg++;
      if (facts.vettedChannel) this.vetted++;
      if (!facts.verified && !facts.hasOrg && !facts.vettedChannel) this.unvouched++;
    }
    if (p) {
      if (p.events > 0) this.contributors++;
      this.events += p.events;
      this.cotHits += p.cotHits;
      this.rubricHits += p.rubricHits;
      this.datasetHits += p.datasetHits;
      this.singleTurn += p.singleTurn;
      this.buildsOnAnswer += p.buildsOnAnswer;
      this.newModelHits += p.newModelHits;
      this.hungerSum += p.meanHunger * p.events;
      this.freshToolCalls += p.freshToolCalls;
      CAPABILITIES.forEach((c, i) => {
        this.caps[i]! += p.capabilities[c];
      });
    }
    this.cached = undefined;
  }

  /** Merges the registers of a member's distinct-prompt estimator. */
  addPrompts(regs: Uint8Array, offset: number): void {
    hllMerge(this.hll, 0, regs, offset);
  }

  /** Folds one exchange of member `member` (an account index) into the aggregate. */
  addEvent(
    f: ExchangeFeatures,
    newModel: boolean,
    freshContext: boolean,
    member: number,
    first = false,
  ): void {
    if (first) this.contributors++;
    if (f.toolCount > 0 && freshContext) this.freshToolCalls++;
    this.events++;
    if (f.cotElicitation >= 0.5) this.cotHits++;
    if (f.rubricGrading >= 0.5) this.rubricHits++;
    if (f.datasetStyle >= 0.5) this.datasetHits++;
    if (f.userTurns <= 1) this.singleTurn++;
    if (f.buildsOnAnswer) this.buildsOnAnswer++;
    if (newModel) this.newModelHits++;
    this.hungerSum += f.outputHunger;
    this.caps[CAPABILITIES.indexOf(f.capability)]!++;
    const hash = mix32((f.simhashHi ^ mix32(f.simhashLo)) >>> 0);
    hllAdd(this.hll, 0, hash);
    // A continuation's last turn (a tool result, a follow-up) depends on its conversation; a
    // re-sent benchmark item is a fresh request.
    if (freshContext) {
      hllAdd(this.fine, 0, hash, FINE_BITS);
      this.fineEvents++;
      this.cross.add(hash, member);
    }
    this.cached = undefined;
  }

  /** Absorbs another group (after union-find merged them). */
  absorb(other: Campaign): void {
    for (const m of other.members) this.members.push(m);
    this.events += other.events;
    this.cotHits += other.cotHits;
    this.rubricHits += other.rubricHits;
    this.datasetHits += other.datasetHits;
    this.singleTurn += other.singleTurn;
    this.buildsOnAnswer += other.buildsOnAnswer;
    this.newModelHits += other.newModelHits;
    this.hungerSum += other.hungerSum;
    this.freshToolCalls += other.freshToolCalls;
    this.verified += other.verified;
    this.withOrg += other.withOrg;
    this.vetted += other.vetted;
    this.withRecord += other.withRecord;
    this.unvouched += other.unvouched;
    for (let i = 0; i < this.caps.length; i++) this.caps[i]! += other.caps[i]!;
    const before = hllEstimate(this.hll, 0) + hllEstimate(other.hll, 0);
    hllMerge(this.hll, 0, other.hll, 0);
    this.sharedPrompts += other.sharedPrompts + Math.max(0, before - hllEstimate(this.hll, 0));
    for (let i = 0; i < FINE_REGISTERS; i++)
      if (other.fine[i]! > this.fine[i]!) this.fine[i] = other.fine[i]!;
    this.fineEvents += other.fineEvents;
    this.contributors += other.contributors;
    this.cross.merge(other.cross);
    for (const k of Object.keys(this.links) as LinkKind[]) this.links[k] += other.links[k];
    // The older campaign id survives so reports and enforcement keep one name.
    if (
      other.id !== undefined &&
      (this.id === undefined || (other.firstActionAt ?? '') < (this.firstActionAt ?? ''))
    ) {
      this.id = other.id;
      this.firstActionAt = other.firstActionAt;
    }
    this.actionRank = Math.max(this.actionRank, other.actionRank);
    if (other.peakScore > this.peakScore) {
      this.peakScore = other.peakScore;
      this.peakEvidence = other.peakEvidence;
    }
    this.cached = undefined;
  }

  /** Credits a kind of shared signal with the accounts a union brought in. */
  addLink(kind: LinkKind, accounts: number): void {
    this.links[kind] += accounts;
    this.cached = undefined;
  }

  /**
   * Coordination alone never convicts: accounts that share tooling, networks and hours but send
   * nothing harvest-shaped (no reasoning-trace or grading requests, no tool decisions in fresh
   * contexts, no pivot to a new model, no query set across capabilities) read like one product's
   * service accounts filling its template. Their shared-key items (payment aside: a costly key)
   * then count for at most `COORDINATION_ALONE` in all.
   */
  private capCoordination(evidence: Evidence[]): void {
    if (evidence.some((e) => e.tag === 'harvest')) return;
    let shared = 0;
    for (const e of evidence) if (e.tag === 'coordination') shared += e.weight;
    if (shared <= COORDINATION_ALONE) return;
    evidence.push({
      weight: COORDINATION_ALONE - shared,
      reason: 'coordinated, but nothing harvest-shaped: reads like one product’s service accounts',
    });
  }

  /** Share of traffic per capability class. */
  capabilityShares(): Record<string, number> {
    const out: Record<string, number> = {};
    if (this.events === 0) return out;
    CAPABILITIES.forEach((c, i) => {
      const v = this.caps[i]!;
      if (v > 0) out[c] = Math.round((v / this.events) * 1000) / 1000;
    });
    return out;
  }

  /** Distinct fresh prompts by the fine estimator (a pass over its registers: asked only when needed). */
  private distinctFine(): number {
    return Math.min(this.fineEvents, hllEstimate(this.fine, 0, FINE_REGISTERS));
  }

  /** Share of the group's traffic in its most frequent capability (0 with no traffic). */
  topCapabilityShare(): number {
    let total = 0;
    let top = 0;
    for (const c of this.caps) {
      total += c;
      if (c > top) top = c;
    }
    return total > 0 ? top / total : 0;
  }

  /** The campaign score with its evidence (cached until the state changes). */
  score(): Scored {
    if (this.cached) return this.cached;
    const size = this.members.length;
    const n = this.events;
    const evidence: Evidence[] = contentEvidence({
      events: n,
      cotHits: this.cotHits,
      rubricHits: this.rubricHits,
      datasetHits: this.datasetHits,
      singleTurn: this.singleTurn,
      buildsOnAnswer: this.buildsOnAnswer,
      newModelHits: this.newModelHits,
      meanHunger: n > 0 ? this.hungerSum / n : 0,
      freshToolCalls: this.freshToolCalls,
    });
    for (const kind of Object.keys(this.links) as LinkKind[]) {
      const joined = this.links[kind];
      if (joined === 0 || kind === 'network') continue;
      const linked = Math.min(size, joined + 1);
      let weight = (kind === 'payment' ? 1.5 : 1) * Math.min(1, (linked - 1) / 4);
      // A family or small team shares a card; dozens of accounts on one instrument is a fleet.
      if (kind === 'payment' && linked > 5) weight += Math.min(1.5, 0.5 * Math.log2(linked / 5));
      evidence.push({
        weight,
        reason: () => `${linked} of ${size} accounts ${LINK_WORDS[kind]}`,
        ...(kind === 'payment' ? {} : { tag: 'coordination' as const }),
      });
    }
    if (this.links.network > 0) {
      const linked = Math.min(size, this.links.network + 1);
      evidence.push({
        weight: 0.5 * Math.min(1, this.links.network / 4),
        reason: () => `${linked} accounts ${LINK_WORDS.network}`,
        tag: 'coordination',
      });
    }
    // Overlap since linking is judged between members (who sent which prompt), not as any
    // repetition in the group's traffic; the merge-time estimate covers history before linking.
    const m = this.fineEvents;
    const mergedShare = n >= 100 ? Math.min(1, this.sharedPrompts / n) : 0;
    const crossShare = this.cross.share();
    const overlapping = crossShare > 0.2 || mergedShare > 0.25;
    // The register pass only when the cheap conditions for the query-set item hold.
    const queryShaped = !overlapping && m >= 100 && size >= 3 && this.datasetHits / n >= 0.5;
    const distinct = queryShaped ? this.distinctFine() : 0;
    if (overlapping) {
      const share = Math.max(crossShare, mergedShare);
      evidence.push({
        weight: -Math.min(3, 6 * share),
        reason: () =>
          `members re-send each other's prompts (≈${pct(share)} overlap): a shared benchmark, not a partitioned query set`,
      });
    } else if (queryShaped && distinct / m >= NEVER_REPEATED) {
      // A query set that spans several capabilities, split between more accounts, is more plainly
      // a harvest of a taxonomy: people and teams who happen to link rarely number more than a
      // handful and repeat each other, and a product's service accounts fill one task's template
      // (one capability) with their users' texts, which never repeat either.
      const splitters = Math.max(3, Math.min(size, this.contributors));
      const broad = this.topCapabilityShare() <= BROAD_TOP_SHARE;
      const bonus = broad ? Math.min(1.2, 0.5 * Math.log2(splitters / 3)) : 0;
      evidence.push({
        weight: 0.8 + bonus,
        ...(bonus > 0 ? { tag: 'harvest' as const } : {}),
        reason: () =>
          `${splitters} accounts send ≈${Math.round(distinct)} distinct dataset-style prompts without repeating each other` +
          (bonus > 0 ? ', across several capabilities' : ''),
      });
    }
    this.capCoordination(evidence);
    if (this.withRecord > 0) {
      const verified = this.verified / this.withRecord;
      if (verified > 0.5)
        evidence.push({ weight: -3 * verified, reason: () => `${pct(verified)} of accounts are verified` });
      const org = this.withOrg / this.withRecord;
      if (org > 0.5)
        evidence.push({
          weight: -1.5 * org,
          reason: () => `${pct(org)} of accounts belong to organisations`,
        });
      if (this.unvouched === size && size >= 3) {
        evidence.push({
          weight: 0.5,
          reason: () => `none of the ${size} accounts is verified, in an organisation or vouched for`,
        });
      }
      const vetted = this.vetted / this.withRecord;
      if (vetted > 0.5)
        evidence.push({
          weight: -1 * vetted,
          reason: () => `${pct(vetted)} signed up through vetted programmes`,
        });
    }
    this.cached = combine(CAMPAIGN_PRIOR, evidence);
    return this.cached;
  }
}
