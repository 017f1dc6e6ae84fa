/**
 * The online detection engine: per-account profiles, cross-account linking and campaign scoring,
 * turned into escalations on the action ladder by the policy. `process` uses only state up to
 * the event it is given and no clock or randomness, so a prefix of a stream yields exactly the
 * decisions the full run makes up to that point.
 */
import { parseTimestamp } from '../contract/date-time.js';
import { ACTIONS, type Action } from '../contract/types.js';
import { factsOf, scoreAccount } from './account-score.js';
import { Campaign } from './campaigns.js';
import { CoActivity } from './coactivity.js';
import { reasonsOf, type Scored } from './evidence.js';
import { extractFeatures } from './features/extract.js';
import type { ExchangeFeatures } from './features/types.js';
import { CAPABILITIES } from './features/types.js';
import { egressOnly, joinNeed } from './join-rule.js';
import { KeyIndex, type KeyJoin } from './key-index.js';
import { keyHash, Linker, type LinkKind } from './linker.js';
import { Lockstep } from './lockstep.js';
import { actionFor, defaultPolicy, type Policy } from './policy.js';
import { isHarvestShaped, type ProfileSnapshot, ProfileStore } from './profile.js';
import { AccountRegistry, KeySlot } from './registry.js';
import { decodeSnapshot, encodeSnapshot } from './snapshot.js';
import { captureFields, type FieldState, restoreFields, SnapshotError } from './state-fields.js';
import type { AccountRecord, CampaignReport, Decision, ExchangeEvent, OnlineDetector } from './types.js';

const HOUR_MS = 3_600_000;
const BLOCK_RANK = ACTIONS.indexOf('block');
const THROTTLE_RANK = ACTIONS.indexOf('throttle');
/** A model first seen this long after the stream began counts as a release we watched happen. */
const RELEASE_WARMUP_MS = 24 * HOUR_MS;
/** Traffic on a released model within this window counts as a pivot to it. */
const PIVOT_WINDOW_MS = 72 * HOUR_MS;
const ROOT_PAIR_SHIFT = 2 ** 26;
const PAYMENT: readonly LinkKind[] = ['payment'];
const CORROBORATE: FollowUp = { use: 'corroborate' };
const MAX_CROSS_EDGES = 1_000_000;
/** Co-activity signatures are recomputed at most once per this many hours per account. */
const COACTIVITY_PERIOD_HOURS = 6;
/**
 * Members of an acted-on campaign have their weak keys indexed on each of their first this many
 * requests, then on every 4th (their keys change little; the index stays cheap on big fleets).
 */
const ACTED_ON_EVERY_EVENT = 32;
/** Models whose first appearance is remembered (the new-model signal); past this, none is new. */
export const MAX_MODELS = 10_000;
/** Characters of a model name kept as its key. */
const MODEL_KEY_CHARS = 200;
/** Sign-ups in the same window of this length share a sign-up key. */
const SIGNUP_WINDOW_MS = 2 * HOUR_MS;
/**
 * A campaign whose members signed up in more windows than this provisions around the calendar,
 * so sharing one of its sign-up windows says nothing (see `corroborate`).
 */
const SPREAD_SIGNUP_WINDOWS = 8;
/** Members read when counting a campaign's sign-up windows. */
const SIGNUP_SCAN = 256;

export interface DetectorOptions {
  policy?: Policy;
  /** Feature extractor; defaults to `extractFeatures`. */
  extract?: (event: ExchangeEvent) => ExchangeFeatures;
}

/**
 * What one event or account record asks of the key index: the keys the account joins, in order.
 * The scale-out pipeline sends them to the linking stage; `process` answers them in place.
 */
export interface LinkStep {
  readonly joins: readonly KeyJoin[];
}

/** The engine, which can also write its whole state as a snapshot and link through a remote key index. */
export interface Detector extends OnlineDetector {
  /**
   * The whole state as versioned bytes (see snapshot.ts); `restoreDetector` continues from it
   * exactly as this detector would. Not between `begin…` and `finish`.
   */
  snapshot(): Buffer;
  /**
   * First half of `process` for a key index held elsewhere: updates the account's profile and
   * says which keys it joins. `finish` must follow before anything else is fed.
   *
   * @example
   * const step = detector.beginEvent(event);
   * const found = await linkingStage.join(step.joins); // members each key had before
   * decisions.push(...detector.finish(step, found));
   */
  beginEvent(event: ExchangeEvent): LinkStep;
  /** First half of `addAccount` (its payment key); `finish` returns no decisions for it. */
  beginAccount(record: AccountRecord): LinkStep;
  /**
   * Second half: `found[k]` holds the accounts that carried `step.joins[k]` before (what
   * `KeyIndex.join` returns). Links, scores campaigns and returns the escalations.
   */
  finish(step: LinkStep, found: readonly (readonly number[])[]): Decision[];
}

/** What a join's answer is used for, decided when the join is asked. */
type FollowUp =
  | { use: 'payment' }
  | { use: 'corroborate' }
  /**
   * Corroborate members whose dominant capability is one of `capabilities` (a mask of this
   * account's main ones) and whose main capabilities include this account's dominant `capability`.
   */
  | { use: 'network'; capability: number; capabilities: number }
  /** Corroborate members active in the same hours up to this hour. */
  | { use: 'coactivity'; hour: number };

/** The event half of an open step: what `finish` needs to carry on where `beginEvent` stopped. */
interface EventStep {
  event: ExchangeEvent;
  f: ExchangeFeatures;
  newModel: boolean;
  freshContext: boolean;
  /** i's campaign before this event's links. */
  grouped: Campaign | undefined;
  accountScore: Scored | undefined;
  /** The account's first request (as far as its profile knows). */
  first: boolean;
}

interface OpenStep extends LinkStep {
  readonly joins: KeyJoin[];
  readonly account: number;
  readonly follow: FollowUp[];
  readonly event: EventStep | undefined;
  /** Accounts this request found it in lockstep with (lockstep.ts); corroborated in `finish`. */
  lockstep: readonly number[];
}

/**
 * Creates the distillguard detection engine.
 *
 * @example
 * const detector = createDetector();
 * for (const record of accounts) detector.addAccount(record);
 * for await (const event of events) decisions.push(...detector.process(event));
 * const campaigns = detector.campaigns();
 */
export function createDetector(opts: DetectorOptions = {}): Detector {
  return new Engine(opts.policy ?? defaultPolicy(), opts.extract ?? extractFeatures);
}

/**
 * A detector continuing from `snapshot()` bytes. The policy must be the one the snapshot was
 * taken under; a different policy, format version or detector build is a `SnapshotError`
 * naming what differs.
 *
 * @example
 * const bytes = detector.snapshot();
 * const resumed = restoreDetector(bytes, { policy });
 * resumed.process(nextEvent); // what `detector.process(nextEvent)` would return
 */
export function restoreDetector(snapshot: Uint8Array, opts: DetectorOptions = {}): Detector {
  const policy = opts.policy ?? defaultPolicy();
  return Engine.fromState(decodeSnapshot(snapshot, policy), policy, opts.extract ?? extractFeatures);
}

/** Given again at restore (the policy is checked against the snapshot's) or transient (the open step), so not state. */
const ENGINE_CONTEXT = ['policy', 'extract', 'open'];
const NO_ACCOUNTS: readonly number[] = [];
/** Engine fields holding other classes' instances: each has its own line in toState/fromState. */
const ENGINE_NESTED = [
  'registry',
  'profiles',
  'keyIndex',
  'linker',
  'coactivity',
  'lockstep',
  'groups',
  'catchUp',
];

class Engine implements Detector {
  private readonly registry = new AccountRegistry();
  private readonly profiles: ProfileStore;
  /** Used by `process`/`addAccount`; with `begin…`/`finish` the index lives in the linking stage. */
  private readonly keyIndex = new KeyIndex();
  private readonly linker = new Linker();
  /** Hourly activity of every account over the last week (co-activity origin key). */
  private readonly coactivity = new CoActivity();
  /** Suspicious accounts whose requests land within seconds of each other (lockstep origin). */
  private readonly lockstep = new Lockstep();
  /** Campaign state per union-find root (only for groups of two or more). */
  private readonly groups = new Map<number, Campaign>();
  private readonly modelFirstSeen = new Map<string, number>();
  /** Accounts (→ their root) seen corroborating between two not-yet-merged groups, by root pair. */
  private readonly crossEdges = new Map<number, Map<number, number>>();
  /** Acted-on campaigns that gained members since the last event. */
  private readonly catchUp = new Set<Campaign>();
  private streamStartMs = Number.NaN;
  private campaignSeq = 0;
  private records = 0;
  private events = 0;
  private missingUa = 0;
  private missingTls = 0;
  private missingResponse = 0;
  /** The step between `begin…` and `finish` (not state: a snapshot is never taken inside one). */
  private open: OpenStep | undefined = undefined;

  constructor(
    private readonly policy: Policy,
    private readonly extract: (event: ExchangeEvent) => ExchangeFeatures,
  ) {
    this.profiles = new ProfileStore({
      idleMs: policy.tracking.idleEvictHours * HOUR_MS,
      maxAccounts: policy.tracking.maxAccounts,
    });
  }

  snapshot(): Buffer {
    if (this.open !== undefined) throw new Error('detector: snapshot() inside an unfinished link step');
    return encodeSnapshot(this.toState(), this.policy);
  }

  /** Plain fields as they are (see state-fields.ts), nested instances through their own toState. */
  toState(): FieldState {
    const catchUp: number[] = [];
    // By root, because flushCatchUp compares identity with the live group; an absorbed one is skipped there anyway.
    for (const c of this.catchUp) {
      const root = this.linker.find(c.members[0]!);
      if (this.groups.get(root) === c) catchUp.push(root);
    }
    return {
      ...captureFields(this, [...ENGINE_CONTEXT, ...ENGINE_NESTED]),
      registry: this.registry.toState(),
      profiles: this.profiles.toState(),
      keyIndex: this.keyIndex.toState(),
      linker: this.linker.toState(),
      coactivity: this.coactivity.toState(),
      lockstep: this.lockstep.toState(),
      groups: [...this.groups].map(([root, c]) => [root, c.toState()]),
      catchUp,
    };
  }

  static fromState(state: unknown, policy: Policy, extract: Engine['extract']): Engine {
    const s = state as FieldState;
    if (typeof s !== 'object' || s === null || !Array.isArray(s.groups) || !Array.isArray(s.catchUp)) {
      throw new SnapshotError('detector: snapshot lacks the campaign groups');
    }
    const groups = new Map<number, Campaign>();
    for (const [root, c] of s.groups as Array<[number, unknown]>) {
      groups.set(root, Campaign.fromState(c, `campaign at root ${root}`));
    }
    const catchUp = new Set<Campaign>();
    for (const root of s.catchUp as number[]) {
      const c = groups.get(root);
      if (c === undefined)
        throw new SnapshotError(`detector: catch-up names root ${root}, which has no campaign`);
      catchUp.add(c);
    }
    const nested = {
      registry: AccountRegistry.fromState(s.registry),
      profiles: ProfileStore.fromState(s.profiles),
      keyIndex: KeyIndex.fromState(s.keyIndex),
      linker: Linker.fromState(s.linker),
      coactivity: CoActivity.fromState(s.coactivity),
      lockstep: Lockstep.fromState(s.lockstep),
      groups,
      catchUp,
    };
    return restoreFields(new Engine(policy, extract), { ...s, ...nested }, ENGINE_CONTEXT, 'detector');
  }

  addAccount(record: AccountRecord): void {
    this.finishHere(this.beginAccount(record));
  }

  process(event: ExchangeEvent): Decision[] {
    return this.finishHere(this.beginEvent(event));
  }

  /** Answers a step's joins from the engine's own key index. */
  private finishHere(step: LinkStep): Decision[] {
    return this.finish(
      step,
      step.joins.map((j) => this.keyIndex.join(j.kind, j.hash, j.account).members),
    );
  }

  beginAccount(record: AccountRecord): LinkStep {
    const step = this.openStep(this.registry.indexOf(record.account_id), undefined);
    const i = step.account;
    const isNew = this.registry.facts[i] === undefined;
    const facts = factsOf(record);
    this.registry.facts[i] = facts;
    if (isNew) this.records++;
    if (record.payment_fingerprint) {
      // A payment instrument is the one key costly enough to fake that sharing it links outright.
      this.ask(step, 'payment', keyHash(record.payment_fingerprint), { use: 'payment' });
    }
    if (Number.isFinite(facts.createdAtMs)) {
      // Fleets are provisioned in bursts: each account carries its own window and the one
      // before, so sign-ups in the same or adjacent windows share a key.
      const window = Math.floor(facts.createdAtMs / SIGNUP_WINDOW_MS);
      this.registry.keys[i * KeySlot.Count + KeySlot.Signup] = keyHash(`signup|${window}`);
      this.registry.keys[i * KeySlot.Count + KeySlot.SignupPrev] = keyHash(`signup|${window - 1}`);
    }
    this.open = step;
    return step;
  }

  beginEvent(event: ExchangeEvent): LinkStep {
    // Date.parse exactly, with a fast path for the canonical shape (every event pays for this).
    const ts = parseTimestamp(event.ts);
    if (Number.isNaN(this.streamStartMs)) this.streamStartMs = ts;
    this.events++;
    if (!event.client.user_agent) this.missingUa++;
    if (!event.client.tls_fingerprint) this.missingTls++;
    if (!event.response) this.missingResponse++;

    const i = this.registry.indexOf(event.account_id);
    const open = this.openStep(i, undefined);
    this.coactivity.touch(i, ts);
    const f = this.extract(event);
    const newModel = this.isNewModel(event.model, ts);
    const slot = this.profiles.slotFor(i, ts);
    const freshContext = isFreshContext(event);
    this.profiles.update(slot, f, { tsMs: ts, newModel, freshContext });
    const n = this.profiles.events(slot);
    // Account evidence moves slowly once there is some history: rescoring every 4th request
    // after the first 32 keeps the per-event cost flat without delaying links materially.
    const rescore = this.registry.rank[i]! < BLOCK_RANK && (n <= 32 || n % 4 === 0);
    const snapshot = rescore ? this.profiles.snapshot(slot) : undefined;
    const accountScore = snapshot ? scoreAccount(snapshot, this.registry.facts[i]) : undefined;
    const grouped = this.groups.get(this.linker.find(i));
    // Members of a campaign already acted on are suspicious whatever their own score (a payment
    // group can be blocked before its members' own scores pass linkScore): their keys are indexed
    // too, so accounts that join the operation later can be matched against them.
    const actedOn =
      (grouped?.actionRank ?? -1) >= THROTTLE_RANK && (n <= ACTED_ON_EVERY_EVENT || n % 4 === 0);
    if ((accountScore && accountScore.score >= this.policy.campaign.linkScore) || actedOn) {
      this.linkWeak(open, event, f, snapshot ?? this.profiles.snapshot(slot), slot, ts);
    }
    // Every request of an account once suspicious, not only the rescored ones (every 4th after the
    // 32nd): two accounts' rescored requests need not fall in the same batches.
    if (this.registry.suspect[i] === 1) open.lockstep = this.lockstep.observe(i, ts);
    const step: OpenStep = {
      ...open,
      event: { event, f, newModel, freshContext, grouped, accountScore, first: n === 1 },
    };
    this.open = step;
    return step;
  }

  finish(step: LinkStep, found: readonly (readonly number[])[]): Decision[] {
    const open = this.open;
    if (open === undefined || step !== open) throw new Error('detector: finish() of a step that is not open');
    if (found.length !== open.joins.length) {
      throw new Error(`detector: finish() got ${found.length} answers for ${open.joins.length} joins`);
    }
    this.open = undefined;
    const i = open.account;
    for (let k = 0; k < open.joins.length; k++) {
      this.follow(i, open.joins[k]!.kind, open.follow[k]!, found[k]!);
    }
    for (const other of open.lockstep) this.corroborate(i, other, 'lockstep');
    const e = open.event;
    if (e === undefined) return [];
    const { event, f, newModel, freshContext, grouped, accountScore } = e;
    const out: Decision[] = [];
    const group = this.groups.get(this.linker.find(i));
    if (group) {
      // A group formed just now was seeded from the profile, which already holds this event.
      if (grouped !== undefined) group.addEvent(f, newModel, freshContext, i, e.first);
      if (group.actionRank < BLOCK_RANK) this.judgeCampaign(group, event, out);
    }
    if (this.catchUp.size > 0) this.flushCatchUp(event, out);
    const own = accountScore && actionFor(accountScore.score, this.policy.account);
    if (accountScore && own !== undefined && ACTIONS.indexOf(own) > this.registry.rank[i]!) {
      this.escalate(i, ACTIONS.indexOf(own), undefined, accountScore, event, out);
    }
    return out;
  }

  campaigns(): CampaignReport[] {
    const out: CampaignReport[] = [];
    for (const group of this.groups.values()) {
      if (group.id === undefined || group.firstActionAt === undefined) continue;
      out.push({
        id: group.id,
        accounts: group.members.map((m) => this.registry.ids[m]!).sort(),
        first_action_at: group.firstActionAt,
        score: round(group.peakScore),
        capabilities: group.capabilityShares(),
        evidence: group.peakEvidence,
      });
    }
    return out.sort((a, b) => (a.first_action_at < b.first_action_at ? -1 : a.id < b.id ? -1 : 1));
  }

  notes(): string[] {
    const notes: string[] = [];
    if (this.records === 0) {
      notes.push('no account records: payment, sign-up burst, verification and channel signals unused');
    }
    if (this.events > 0) {
      if (this.missingUa === this.events)
        notes.push('no user agents in events: client-fingerprint linking unused');
      else if (this.missingTls === this.events)
        notes.push('no TLS fingerprints in events: client fingerprints use the user agent only');
      if (this.missingResponse === this.events)
        notes.push('no responses in events: output-size signals unused');
    }
    if (this.profiles.evicted > 0) {
      notes.push(`${this.profiles.evicted} idle account profiles were evicted to bound memory`);
    }
    return notes;
  }

  /** True while `model` is a model that appeared mid-stream and is still within its pivot window. */
  private isNewModel(model: string, ts: number): boolean {
    // Bounded: a log may name any number of models, of any length (junk, or an attack on memory).
    const key = model.length > MODEL_KEY_CHARS ? model.slice(0, MODEL_KEY_CHARS) : model;
    let first = this.modelFirstSeen.get(key);
    if (first === undefined) {
      if (this.modelFirstSeen.size >= MAX_MODELS) return false;
      first = ts;
      this.modelFirstSeen.set(key, ts);
    }
    return first - this.streamStartMs >= RELEASE_WARMUP_MS && ts - first <= PIVOT_WINDOW_MS;
  }

  /**
   * Indexes a suspicious account under its weak keys and links it to other suspicious accounts
   * that share at least two independent kinds of them (e.g. client stack and template, template
   * and sign-up day). Only suspicious accounts are indexed, so a crowd key (a NAT, a proxy pool,
   * a popular SDK) links nobody unless several of its users are themselves suspicious; a subnet
   * counts only between accounts in the same line of work (main capabilities), so IP sharing never links
   * on its own.
   */
  private linkWeak(
    step: OpenStep,
    event: ExchangeEvent,
    f: ExchangeFeatures,
    p: ProfileSnapshot,
    slot: number,
    ts: number,
  ): void {
    const capability = this.profiles.dominantCapability(slot);
    const capabilities = this.profiles.mainCapabilities(slot);
    const i = step.account;
    const reg = this.registry;
    const base = i * KeySlot.Count;
    const first = reg.suspect[i] === 0;
    reg.suspect[i] = 1;
    // The TLS stack (else the user agent) without the address: tooling survives proxy rotation.
    const stack = event.client.tls_fingerprint ?? event.client.user_agent;
    if (stack) {
      const client = keyHash(stack);
      if (first || reg.keys[base + KeySlot.Client] !== client) {
        reg.keys[base + KeySlot.Client] = client;
        this.ask(step, 'client', client, CORROBORATE);
      }
    }
    // The network key is asked again when the subnet, the account's main capabilities or its
    // harvest shape change: a fleet on one static subnet would otherwise be compared once, on the
    // noisy traits of its first few requests, and never again (an egress-only pair links only
    // harvest-shaped accounts, join-rule.ts `egressOnly`).
    const subnet = keyHash(f.subnet);
    const traits = (capabilities * CAPABILITIES.length + capability) * 2 + (isHarvestShaped(p) ? 1 : 0);
    const asked = (subnet ^ Math.imul(traits + 1, 0x9e3779b1)) >>> 0;
    if (first || reg.keys[base + KeySlot.Network] !== asked) {
      reg.keys[base + KeySlot.Network] = asked;
      this.ask(step, 'network', subnet, { use: 'network', capability, capabilities });
    }
    if (p.topSkeletonCount >= 3 && reg.keys[base + KeySlot.Template] !== p.topSkeleton + 1) {
      reg.keys[base + KeySlot.Template] = p.topSkeleton + 1;
      this.ask(step, 'template', p.topSkeleton, CORROBORATE);
    }
    if (p.runnerUpSkeletonCount >= 3 && reg.keys[base + KeySlot.Template2] !== p.runnerUpSkeleton + 1) {
      reg.keys[base + KeySlot.Template2] = p.runnerUpSkeleton + 1;
      this.ask(step, 'template', p.runnerUpSkeleton, CORROBORATE);
    }
    this.linkCoActivity(step, capability, Math.floor(ts / HOUR_MS));
    if (first) {
      for (const signupSlot of [KeySlot.Signup, KeySlot.SignupPrev]) {
        const signup = reg.keys[base + signupSlot]!;
        if (signup !== 0) this.ask(step, 'signup', signup, CORROBORATE);
      }
    }
  }

  /**
   * Co-activity origin key: a suspicious account that ran round the clock this week joins the
   * bucket of its activity MinHash and dominant capability, and corroborates with bucket members
   * whose active hours coincide with its own (checked exactly). A week's hours change little
   * in a few hours, so it is recomputed at most once per `COACTIVITY_PERIOD_HOURS` per account.
   */
  private linkCoActivity(step: OpenStep, mine: number, now: number): void {
    const i = step.account;
    const keys = this.registry.keys;
    const base = i * KeySlot.Count;
    const period = Math.floor(now / COACTIVITY_PERIOD_HOURS);
    if (keys[base + KeySlot.CoActivityAt] === period + 1) return;
    keys[base + KeySlot.CoActivityAt] = period + 1;
    const signature = this.coactivity.signature(i, now);
    if (signature < 0) return;
    const key = signature * CAPABILITIES.length + mine;
    if (keys[base + KeySlot.CoActivity] === key + 1) return;
    keys[base + KeySlot.CoActivity] = key + 1;
    this.ask(step, 'coactivity', key, { use: 'coactivity', hour: now });
  }

  /** A new step for account i; only one step is open at a time. */
  private openStep(i: number, event: EventStep | undefined): OpenStep {
    if (this.open !== undefined) throw new Error('detector: a link step is open; finish() it first');
    this.linker.ensure(i);
    // Set as `open` by the begin… method once built, so a throw half-way leaves no step open.
    return { joins: [], account: i, follow: [], event, lockstep: NO_ACCOUNTS };
  }

  /** Adds a join to the step, with what its answer is for. */
  private ask(step: OpenStep, kind: LinkKind, hash: number, use: FollowUp): void {
    step.joins.push({ kind, hash, account: step.account });
    step.follow.push(use);
  }

  /**
   * Acts on one join's answer, in join order — the order `process` always used: the answers
   * only feed corroboration and links, which no later join of the same step reads.
   */
  private follow(i: number, kind: LinkKind, use: FollowUp, members: readonly number[]): void {
    for (const other of members) {
      if (other === i) continue;
      if (use.use === 'payment') this.link(i, other, PAYMENT);
      else if (use.use === 'corroborate') this.corroborate(i, other, kind);
      else if (use.use === 'network') {
        // Same /24 *and* the same line of work: the dominant capability of each is a main one
        // of the other, so a subnet shared by people doing different things links nobody.
        const slot = this.profiles.find(other);
        if (
          slot !== undefined &&
          (use.capabilities & (1 << this.profiles.dominantCapability(slot))) !== 0 &&
          (this.profiles.mainCapabilities(slot) & (1 << use.capability)) !== 0
        ) {
          this.corroborate(i, other, 'network');
        }
      } else if (this.coactivity.synchronised(i, other, use.hour)) this.corroborate(i, other, 'coactivity');
    }
  }

  /**
   * A corroborated pair links at once while both sides are small. Between groups of which one is
   * established, `joinNeed` (join-rule.ts) says how many distinct accounts must corroborate on
   * each side first — two on an established side, fewer only on the pairs its rules name — so
   * that one coincidence never fuses two operations into one report.
   */
  private corroborate(i: number, other: number, kind: LinkKind): void {
    if (!this.linker.corroborate(i, other, kind)) return;
    const newKind = this.linker.addedKind;
    const ri = this.linker.find(i);
    const ro = this.linker.find(other);
    if (ri === ro) {
      if (newKind) this.creditWithin(ri, i, other, kind);
      return;
    }
    const established = this.policy.campaign.minAccounts;
    const gi = this.groups.get(ri);
    const go = this.groups.get(ro);
    const si = gi?.members.length ?? 1;
    const so = go?.members.length ?? 1;
    const kinds = this.linker.pairKinds(i, other);
    if (si < established && so < established) {
      if (egressOnly(kinds) && !(this.harvests(i) && this.harvests(other))) return;
      this.link(i, other, kinds);
      return;
    }
    const need = joinNeed({
      kinds,
      a: { size: si, actionRank: gi?.actionRank ?? -1 },
      b: { size: so, actionRank: go?.actionRank ?? -1 },
      minAccounts: established,
      // Only a shared sign-up window is judged by it: the members are read only then.
      spreadSignups:
        kinds.includes('signup') &&
        ((si >= established && this.signsUpAroundTheCalendar(ri)) ||
          (so >= established && this.signsUpAroundTheCalendar(ro))),
      sameSignupWindow: this.sameSignupWindow(i, other),
      outsiderHarvests: egressOnly(kinds) && this.harvests(si < established ? i : other),
    });
    if (need === undefined) return;
    const key = Math.min(ri, ro) * ROOT_PAIR_SHIFT + Math.max(ri, ro);
    let sides = this.crossEdges.get(key);
    if (!sides) {
      if (this.crossEdges.size >= MAX_CROSS_EDGES) return;
      sides = new Map();
      this.crossEdges.set(key, sides);
    }
    sides.set(i, ri);
    sides.set(other, ro);
    let fromI = 0;
    let fromO = 0;
    for (const root of sides.values()) {
      if (root === ri) fromI++;
      else if (root === ro) fromO++;
    }
    if (fromI >= need.a && fromO >= need.b) {
      this.crossEdges.delete(key);
      this.link(i, other, need.kinds);
    }
  }

  /**
   * A pair inside one group newly corroborated (or corroborated already and sharing one more
   * kind of key) is evidence of what the group shares, whichever union brought the two in: a
   * group's score must not depend on the order its links were seen (a payment link that came
   * first would otherwise hide the template and network its members share).
   */
  private creditWithin(root: number, a: number, b: number, kind: LinkKind): void {
    const group = this.groups.get(root);
    if (group === undefined) return;
    if (this.linker.corroboratedWithout(a, b, kind)) group.addLink(kind, 1);
    else for (const k of this.linker.pairKinds(a, b)) group.addLink(k, 1);
  }

  /**
   * The group at `root` has members from more than `SPREAD_SIGNUP_WINDOWS` sign-up windows (at
   * most `SIGNUP_SCAN` members are read, so the check is bounded on any fleet).
   */
  private signsUpAroundTheCalendar(root: number): boolean {
    const members = this.groups.get(root)?.members ?? [];
    const keys = this.registry.keys;
    const windows = new Set<number>();
    for (let k = 0; k < members.length && k < SIGNUP_SCAN; k++) {
      const w = keys[members[k]! * KeySlot.Count + KeySlot.Signup]!;
      if (w !== 0) windows.add(w);
      if (windows.size > SPREAD_SIGNUP_WINDOWS) return true;
    }
    return false;
  }

  /** Whether an account's own traffic so far is harvest-shaped (profile.ts `isHarvestShaped`). */
  private harvests(account: number): boolean {
    const slot = this.profiles.find(account);
    return slot !== undefined && this.profiles.harvestShaped(slot);
  }

  /** Accounts a and b signed up in the same sign-up window (known for both). */
  private sameSignupWindow(a: number, b: number): boolean {
    const keys = this.registry.keys;
    const ka = keys[a * KeySlot.Count + KeySlot.Signup]!;
    return ka !== 0 && ka === keys[b * KeySlot.Count + KeySlot.Signup];
  }

  /**
   * Unions the groups of a and b, merging campaign state and crediting the kinds of shared
   * signal with the accounts they brought in; queues catch-up escalations.
   */
  private link(a: number, b: number, kinds: readonly LinkKind[]): void {
    this.groupOf(a);
    this.groupOf(b);
    const merged = this.linker.union(a, b);
    if (!merged) return;
    const keep = this.groups.get(merged.root)!;
    const absorbed = this.groups.get(merged.absorbed)!;
    const joined = Math.min(absorbed.members.length, keep.members.length);
    keep.absorb(absorbed);
    for (const kind of kinds) keep.addLink(kind, joined);
    this.groups.delete(merged.absorbed);
    if (keep.actionRank >= 0) this.catchUp.add(keep);
  }

  /** Brings every member of campaigns that gained members up to the campaign's action. */
  private flushCatchUp(event: ExchangeEvent, out: Decision[]): void {
    for (const group of this.catchUp) {
      if (this.groups.get(this.linker.find(group.members[0]!)) !== group) continue; // absorbed since
      for (const m of group.members) {
        if (this.registry.rank[m]! < group.actionRank)
          this.escalate(m, group.actionRank, group, group.score(), event, out);
      }
    }
    this.catchUp.clear();
  }

  /** The campaign state of i's group, creating it (from i's history) for a singleton. */
  private groupOf(i: number): Campaign {
    const root = this.linker.find(i);
    let group = this.groups.get(root);
    if (!group) {
      group = new Campaign();
      const slot = this.profiles.find(i);
      const snapshot = slot === undefined ? undefined : this.profiles.snapshot(slot);
      group.addMember(i, snapshot, this.registry.facts[i]);
      if (slot !== undefined) {
        const { regs, offset } = this.profiles.hllOf(slot);
        group.addPrompts(regs, offset);
      }
      this.groups.set(root, group);
    }
    return group;
  }

  /** Scores a group after an event and escalates all members if it crossed a campaign threshold. */
  private judgeCampaign(group: Campaign, event: ExchangeEvent, out: Decision[]): void {
    if (group.members.length < this.policy.campaign.minAccounts) return;
    const s = group.score();
    // The report shows the strongest case made; sentences are rebuilt only on a real rise.
    if (s.score >= group.peakScore + 0.005 && group.id !== undefined) {
      group.peakScore = s.score;
      group.peakEvidence = reasonsOf(s.evidence, 10);
    }
    const action = actionFor(s.score, this.policy.campaign);
    if (action === undefined) return;
    const rank = ACTIONS.indexOf(action);
    if (rank <= group.actionRank) return;
    group.actionRank = rank;
    if (s.score > group.peakScore || group.peakEvidence.length === 0) {
      group.peakScore = s.score;
      group.peakEvidence = reasonsOf(s.evidence, 10);
    }
    if (group.id === undefined) {
      group.id = this.nextCampaignId();
      group.firstActionAt = event.ts;
    }
    for (const m of group.members) {
      if (this.registry.rank[m]! < rank) this.escalate(m, rank, group, s, event, out);
    }
  }

  private escalate(
    i: number,
    rank: number,
    group: Campaign | undefined,
    s: Scored,
    event: ExchangeEvent,
    out: Decision[],
  ): void {
    this.registry.rank[i] = rank;
    const reasons = reasonsOf(s.evidence);
    if (group) reasons.unshift(`member of campaign ${group.id} (${group.members.length} linked accounts)`);
    out.push({
      at: event.ts,
      event_id: event.id,
      account_id: this.registry.ids[i]!,
      action: ACTIONS[rank] as Action,
      score: round(s.score),
      campaign_id: group?.id ?? null,
      reasons,
    });
  }

  private nextCampaignId(): string {
    this.campaignSeq++;
    return `campaign-${String(this.campaignSeq).padStart(4, '0')}`;
  }
}

/** No assistant or tool turns in the request: nothing of an earlier answer is carried forward. */
function isFreshContext(event: ExchangeEvent): boolean {
  const messages = event.request.messages;
  if (!Array.isArray(messages)) return true;
  for (const m of messages) if (m && (m.role === 'assistant' || m.role === 'tool')) return false;
  return true;
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
