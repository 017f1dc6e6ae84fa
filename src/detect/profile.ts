/**
 * Per-account behavioural state, kept as fixed-size slots in a few typed-array slabs (struct of
 * arrays) so a million tracked accounts cost a few hundred bytes each and no per-account objects.
 * Everything is updated in O(1) per event. Idle slots are reclaimed by a clock sweep in event
 * time, so memory tracks the active population rather than everyone ever seen.
 */

import { popcount32 } from './bits.js';
import type { Capability, ExchangeFeatures } from './features/types.js';
import { CAPABILITIES } from './features/types.js';
import { fnv1a, HLL_REGISTERS, hllAdd, hllEstimate, MG_SLOTS, mgAdd, mix32 } from './sketch.js';
import { captureFields, type FieldState, restoreFields } from './state-fields.js';

/** Numeric fields of a profile slot (indices into the Float64 slab). */
enum P {
  FirstTs = 0,
  LastTs,
  Events,
  GapN,
  GapMean,
  GapM2,
  HourBits,
  ActiveDays,
  LastDay,
  SingleTurn,
  BuildsOnAnswer,
  MultiTurn,
  CotHits,
  RubricHits,
  DatasetHits,
  HungerSum,
  ToolUse,
  NewModelHits,
  HostingHits,
  ResidentialHits,
  SubnetChanges,
  LastSubnet,
  PromptChars,
  TemplateHits,
  FreshToolCalls,
  Count,
}
const FIELDS = P.Count;
const CAPS = CAPABILITIES.length;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Below this many events the distinct-prompt estimate is not used, so not computed. */
export const DISTINCT_MIN_EVENTS = 30;
/** Requests an account needs before its traffic can be called harvest-shaped. */
export const HARVEST_MIN_EVENTS = 5;

/** A read-only snapshot of one account's profile, what scoring and reasons are computed from. */
export interface ProfileSnapshot {
  events: number;
  firstTs: number;
  lastTs: number;
  /** Coefficient of variation of inter-arrival gaps (NaN with fewer than 3 gaps). */
  gapCv: number;
  /** Mean gap between requests in seconds (NaN before the second request). */
  gapMeanSec: number;
  /** Distinct hours of day (UTC) with activity, 0–24. */
  activeHours: number;
  activeDays: number;
  singleTurn: number;
  buildsOnAnswer: number;
  multiTurn: number;
  cotHits: number;
  rubricHits: number;
  datasetHits: number;
  meanHunger: number;
  toolUse: number;
  /** Requests on a model within its first days of global availability. */
  newModelHits: number;
  hostingHits: number;
  residentialHits: number;
  subnetChanges: number;
  meanPromptChars: number;
  /** Requests declaring tools in a fresh context: a tool decision asked for, never carried out. */
  freshToolCalls: number;
  /** Requests whose skeleton repeats one of the account's own frequent skeletons. */
  templateHits: number;
  /** Lower bound on the count of the account's most frequent skeleton. */
  topSkeletonCount: number;
  /** Most frequent skeleton hash (0 if none). */
  topSkeleton: number;
  /**
   * Lower bound on the count of the second most frequent skeleton (0 when there is none): a fleet
   * that rotates a pool of templates shows a different one on top in each account.
   */
  runnerUpSkeletonCount: number;
  /** Second most frequent skeleton hash (0 if none). */
  runnerUpSkeleton: number;
  /** Estimated distinct prompts (near-duplicates count once). */
  distinctPrompts: number;
  capabilities: Record<Capability, number>;
}

/** Inputs beyond the features that a profile update needs. */
export interface ProfileUpdate {
  tsMs: number;
  /** The request's model was released (first seen anywhere) recently. */
  newModel: boolean;
  /** The request carries no earlier assistant or tool turns (a fresh context). */
  freshContext: boolean;
}

/**
 * Slab storage of account profiles.
 *
 * @example
 * const store = new ProfileStore({ idleMs: 7 * 86_400_000, maxAccounts: 100_000 });
 * const slot = store.slotFor(accountIndex, ts);
 * store.update(slot, features, { tsMs: ts, newModel: false });
 * store.snapshot(slot).events; // 1
 */
export class ProfileStore {
  private capacity = 0;
  private num = new Float64Array(0);
  private caps = new Uint32Array(0);
  private hll = new Uint8Array(0);
  private mgKeys = new Uint32Array(0);
  private mgCounts = new Uint32Array(0);
  /** Account index owning each slot (-1 = free). */
  private owner = new Int32Array(0);
  /** Slot of each account index (-1 = not tracked); grows with the registry. */
  private slotOfIndex = new Int32Array(1024).fill(-1);
  private tracked = 0;
  private readonly free: number[] = [];
  private used = 0;
  private cursor = 0;
  private readonly idleMs: number;
  private readonly maxAccounts: number;
  /** Accounts whose profiles were dropped for idleness or the cap. */
  evicted = 0;

  constructor(opts: { idleMs: number; maxAccounts: number; initialCapacity?: number }) {
    this.idleMs = opts.idleMs;
    this.maxAccounts = opts.maxAccounts;
    this.grow(Math.min(opts.initialCapacity ?? 1024, opts.maxAccounts));
  }

  /**
   * Every field (see state-fields.ts): slabs, free list, sweep cursor and limits.
   *
   * @example
   * const bytes = v8.serialize(store.toState());
   */
  toState(): FieldState {
    return captureFields(this, []);
  }

  /**
   * A store from `toState()` output.
   *
   * @example
   * const copy = ProfileStore.fromState(store.toState());
   */
  static fromState(state: unknown): ProfileStore {
    const empty = new ProfileStore({ idleMs: 0, maxAccounts: 1, initialCapacity: 0 });
    return restoreFields(empty, state, [], 'profile store');
  }

  /** Number of accounts currently tracked. */
  get size(): number {
    return this.tracked;
  }

  /** The slot of a tracked account index, or undefined. */
  find(account: number): number | undefined {
    const slot = account < this.slotOfIndex.length ? this.slotOfIndex[account]! : -1;
    return slot < 0 ? undefined : slot;
  }

  /**
   * `isHarvestShaped` of the account in `slot`, read from its counters (no snapshot is built: the
   * linker asks this on every pair that shares only a proxy pool's keys).
   */
  harvestShaped(slot: number): boolean {
    const b = slot * FIELDS;
    const n = this.num;
    return harvestShape(
      n[b + P.Events]!,
      n[b + P.SingleTurn]!,
      n[b + P.DatasetHits]!,
      n[b + P.BuildsOnAnswer]!,
    );
  }

  /** The slot of account index `account`, allocating (evicting the stalest candidate at the cap) as needed. */
  slotFor(account: number, nowMs: number): number {
    const existing = this.find(account);
    if (existing !== undefined) return existing;
    this.sweep(nowMs, 2);
    let slot = this.free.pop();
    if (slot === undefined) {
      if (this.used >= this.capacity) {
        if (this.capacity >= this.maxAccounts) this.evictStalest();
        else this.grow(Math.min(this.capacity * 2, this.maxAccounts));
      }
      slot = this.free.pop() ?? this.used++;
    }
    this.reset(slot);
    this.owner[slot] = account;
    if (account >= this.slotOfIndex.length) {
      let size = this.slotOfIndex.length;
      while (size <= account) size *= 2;
      const next = new Int32Array(size).fill(-1);
      next.set(this.slotOfIndex);
      this.slotOfIndex = next;
    }
    this.slotOfIndex[account] = slot;
    this.tracked++;
    return slot;
  }

  /** Folds one exchange into the slot's state. */
  update(slot: number, f: ExchangeFeatures, u: ProfileUpdate): void {
    const b = slot * FIELDS;
    const n = this.num;
    const ts = u.tsMs;
    if (n[b + P.Events] === 0) {
      n[b + P.FirstTs] = ts;
      n[b + P.LastDay] = -1;
    } else {
      // Welford over inter-arrival gaps: timing regularity without storing timestamps.
      const gap = Math.max(0, ts - n[b + P.LastTs]!) / 1000;
      const k = ++n[b + P.GapN]!;
      const delta = gap - n[b + P.GapMean]!;
      n[b + P.GapMean]! += delta / k;
      n[b + P.GapM2]! += delta * (gap - n[b + P.GapMean]!);
    }
    n[b + P.LastTs] = ts;
    n[b + P.Events]!++;
    const hour = Math.floor(ts / HOUR_MS) % 24;
    n[b + P.HourBits] = (n[b + P.HourBits]! | (1 << hour)) >>> 0;
    const day = Math.floor(ts / DAY_MS);
    if (day !== n[b + P.LastDay]) {
      n[b + P.LastDay] = day;
      n[b + P.ActiveDays]!++;
    }
    if (f.userTurns <= 1) n[b + P.SingleTurn]!++;
    else n[b + P.MultiTurn]!++;
    if (f.buildsOnAnswer) n[b + P.BuildsOnAnswer]!++;
    if (f.cotElicitation >= 0.5) n[b + P.CotHits]!++;
    if (f.rubricGrading >= 0.5) n[b + P.RubricHits]!++;
    if (f.datasetStyle >= 0.5) n[b + P.DatasetHits]!++;
    n[b + P.HungerSum]! += f.outputHunger;
    if (f.toolCount > 0) {
      n[b + P.ToolUse]!++;
      if (u.freshContext) n[b + P.FreshToolCalls]!++;
    }
    if (u.newModel) n[b + P.NewModelHits]!++;
    if (f.asnKind === 'hosting' || f.asnKind === 'proxy') n[b + P.HostingHits]!++;
    else if (f.asnKind === 'residential' || f.asnKind === 'mobile') n[b + P.ResidentialHits]!++;
    const subnet = fnv1a(f.subnet);
    if (n[b + P.Events]! > 1 && subnet !== n[b + P.LastSubnet]) n[b + P.SubnetChanges]!++;
    n[b + P.LastSubnet] = subnet;
    n[b + P.PromptChars]! += f.promptChars;
    this.caps[slot * CAPS + CAPABILITIES.indexOf(f.capability)]!++;
    hllAdd(this.hll, slot * HLL_REGISTERS, mix32((f.simhashHi ^ mix32(f.simhashLo)) >>> 0));
    if (mgAdd(this.mgKeys, this.mgCounts, slot * MG_SLOTS, f.skeleton >>> 0) >= 3) n[b + P.TemplateHits]!++;
  }

  /**
   * The slot's two largest Misra–Gries counters (the first on ties) as [best, second] slab
   * indices; second is -1 when the summary holds one skeleton or none.
   */
  private topTwoSkeletons(slot: number): [number, number] {
    const o = slot * MG_SLOTS;
    let best = -1;
    let second = -1;
    for (let i = o; i < o + MG_SLOTS; i++) {
      if (best < 0 || this.mgCounts[i]! > this.mgCounts[best]!) {
        second = best;
        best = i;
      } else if (second < 0 || this.mgCounts[i]! > this.mgCounts[second]!) second = i;
    }
    return [best, second];
  }

  /** HLL registers of the slot, for merging into a campaign's estimator. */
  hllOf(slot: number): { regs: Uint8Array; offset: number } {
    return { regs: this.hll, offset: slot * HLL_REGISTERS };
  }

  /** Capability count of one class for the slot. */
  capabilityCount(slot: number, capabilityIndex: number): number {
    return this.caps[slot * CAPS + capabilityIndex]!;
  }

  /**
   * Index (into CAPABILITIES) of the slot's most frequent capability, the first on ties; read
   * from the slab, without building a snapshot (the network key asks it for every member found).
   */
  dominantCapability(slot: number): number {
    const o = slot * CAPS;
    let best = 0;
    for (let c = 1; c < CAPS; c++) if (this.caps[o + c]! > this.caps[o + best]!) best = c;
    return best;
  }

  /**
   * The slot's main capabilities as a bit mask (bit = index into CAPABILITIES): the dominant one,
   * and the runner-up when it has at least half the dominant one's requests — an operation that
   * harvests coding and math in equal parts has both, so which of them leads in a given account is
   * chance.
   *
   * @example
   * store.mainCapabilities(slot) & (1 << CAPABILITIES.indexOf('math')); // non-zero if math is a main one
   */
  mainCapabilities(slot: number): number {
    const o = slot * CAPS;
    const best = this.dominantCapability(slot);
    let second = -1;
    for (let c = 0; c < CAPS; c++) {
      if (c !== best && (second < 0 || this.caps[o + c]! > this.caps[o + second]!)) second = c;
    }
    const runnerUp = this.caps[o + second]!;
    return (1 << best) | (runnerUp > 0 && runnerUp * 2 >= this.caps[o + best]! ? 1 << second : 0);
  }

  /** Events seen in the slot. */
  events(slot: number): number {
    return this.num[slot * FIELDS + P.Events]!;
  }

  /** A plain-object view of the slot, for scoring and explanation. */
  snapshot(slot: number): ProfileSnapshot {
    const b = slot * FIELDS;
    const n = this.num;
    const events = n[b + P.Events]!;
    const gapN = n[b + P.GapN]!;
    const gapMean = n[b + P.GapMean]!;
    const gapSd = gapN > 1 ? Math.sqrt(n[b + P.GapM2]! / (gapN - 1)) : Number.NaN;
    const capabilities = {} as Record<Capability, number>;
    for (let i = 0; i < CAPS; i++) capabilities[CAPABILITIES[i]!] = this.caps[slot * CAPS + i]!;
    const [top, second] = this.topTwoSkeletons(slot);
    const secondCount = second < 0 ? 0 : this.mgCounts[second]!;
    return {
      events,
      firstTs: n[b + P.FirstTs]!,
      lastTs: n[b + P.LastTs]!,
      gapCv: gapN >= 3 && gapMean > 0 ? gapSd / gapMean : Number.NaN,
      gapMeanSec: gapN >= 1 ? gapMean : Number.NaN,
      activeHours: popcount32(n[b + P.HourBits]!),
      activeDays: n[b + P.ActiveDays]!,
      singleTurn: n[b + P.SingleTurn]!,
      buildsOnAnswer: n[b + P.BuildsOnAnswer]!,
      multiTurn: n[b + P.MultiTurn]!,
      cotHits: n[b + P.CotHits]!,
      rubricHits: n[b + P.RubricHits]!,
      datasetHits: n[b + P.DatasetHits]!,
      meanHunger: events > 0 ? n[b + P.HungerSum]! / events : 0,
      toolUse: n[b + P.ToolUse]!,
      newModelHits: n[b + P.NewModelHits]!,
      hostingHits: n[b + P.HostingHits]!,
      residentialHits: n[b + P.ResidentialHits]!,
      subnetChanges: n[b + P.SubnetChanges]!,
      meanPromptChars: events > 0 ? n[b + P.PromptChars]! / events : 0,
      templateHits: n[b + P.TemplateHits]!,
      freshToolCalls: n[b + P.FreshToolCalls]!,
      topSkeletonCount: this.mgCounts[top]!,
      topSkeleton: this.mgKeys[top]!,
      runnerUpSkeletonCount: secondCount,
      runnerUpSkeleton: secondCount === 0 ? 0 : this.mgKeys[second]!,
      distinctPrompts:
        events < DISTINCT_MIN_EVENTS ? events : Math.min(events, hllEstimate(this.hll, slot * HLL_REGISTERS)),
      capabilities,
    };
  }

  /** Checks up to `budget` slots round-robin and frees those idle longer than the policy allows. */
  sweep(nowMs: number, budget: number): void {
    for (let i = 0; i < budget && this.used > 0; i++) {
      this.cursor = (this.cursor + 1) % this.used;
      const account = this.owner[this.cursor]!;
      if (account >= 0 && nowMs - this.num[this.cursor * FIELDS + P.LastTs]! > this.idleMs) {
        this.release(this.cursor, account);
      }
    }
  }

  /** Approximate LRU at the cap: the stalest of the next 16 slots goes. */
  private evictStalest(): void {
    let victim = -1;
    for (let i = 0; i < 16; i++) {
      this.cursor = (this.cursor + 1) % this.used;
      if (this.owner[this.cursor]! < 0) continue;
      const lastTs = this.num[this.cursor * FIELDS + P.LastTs]!;
      if (victim < 0 || lastTs < this.num[victim * FIELDS + P.LastTs]!) victim = this.cursor;
    }
    if (victim >= 0) this.release(victim, this.owner[victim]!);
  }

  private release(slot: number, account: number): void {
    this.slotOfIndex[account] = -1;
    this.owner[slot] = -1;
    this.tracked--;
    this.free.push(slot);
    this.evicted++;
  }

  private reset(slot: number): void {
    this.num.fill(0, slot * FIELDS, (slot + 1) * FIELDS);
    this.caps.fill(0, slot * CAPS, (slot + 1) * CAPS);
    this.hll.fill(0, slot * HLL_REGISTERS, (slot + 1) * HLL_REGISTERS);
    this.mgKeys.fill(0, slot * MG_SLOTS, (slot + 1) * MG_SLOTS);
    this.mgCounts.fill(0, slot * MG_SLOTS, (slot + 1) * MG_SLOTS);
  }

  private grow(capacity: number): void {
    const copy = <T extends Float64Array | Uint32Array | Uint8Array>(old: T, next: T): T => {
      next.set(old);
      return next;
    };
    this.num = copy(this.num, new Float64Array(capacity * FIELDS));
    this.caps = copy(this.caps, new Uint32Array(capacity * CAPS));
    this.hll = copy(this.hll, new Uint8Array(capacity * HLL_REGISTERS));
    this.mgKeys = copy(this.mgKeys, new Uint32Array(capacity * MG_SLOTS));
    this.mgCounts = copy(this.mgCounts, new Uint32Array(capacity * MG_SLOTS));
    const owner = new Int32Array(capacity).fill(-1);
    owner.set(this.owner);
    this.owner = owner;
    this.capacity = capacity;
  }
}

/**
 * Whether an account's own traffic so far is harvest-shaped: at least HARVEST_MIN_EVENTS
 * requests, mostly single-turn dataset-style prompts, almost never building on an answer — the
 * shape of a query set worked through, not of a conversation.
 *
 * @example
 * isHarvestShaped({ events: 20, singleTurn: 20, datasetHits: 18, buildsOnAnswer: 0 }); // true
 */
export function isHarvestShaped(
  p: Pick<ProfileSnapshot, 'events' | 'singleTurn' | 'datasetHits' | 'buildsOnAnswer'>,
): boolean {
  return harvestShape(p.events, p.singleTurn, p.datasetHits, p.buildsOnAnswer);
}

function harvestShape(n: number, singleTurn: number, datasetHits: number, buildsOnAnswer: number): boolean {
  return (
    n >= HARVEST_MIN_EVENTS && singleTurn >= 0.8 * n && datasetHits >= 0.5 * n && buildsOnAnswer < 0.1 * n
  );
}
