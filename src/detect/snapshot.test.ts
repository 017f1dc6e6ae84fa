/**
 * Detector snapshots: cutting a `simulate` stream anywhere, snapshotting to bytes and continuing
 * in a fresh detector must decide and report exactly what the uninterrupted run does, and leave
 * the same state. The state comparison walks every field of every object reachable from the
 * engine, independently of toState/fromState, so a field the snapshot forgets fails here.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AccountRecord, Decision, ExchangeEvent } from '../contract/types.js';
import { simulateSmallCampaignRun } from '../sim/test-helpers/small-campaign-run.js';
import { createDetector, type Detector, restoreDetector } from './detector.js';
import { extractFeatures } from './features/extract.js';
import type { ExchangeFeatures } from './features/types.js';
import { defaultPolicy, type Policy } from './policy.js';
import { decodeSnapshot, encodeSnapshot, SNAPSHOT_VERSION, SnapshotError } from './snapshot.js';

type Op = { account: AccountRecord } | { event: ExchangeEvent };

const ops: Op[] = [];
const features = new Map<string, ExchangeFeatures>();
const extract = (e: ExchangeEvent): ExchangeFeatures => features.get(e.id) ?? extractFeatures(e);
let eventCount = 0;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dg-snapshot-'));
  // Seed 12: a sign-up links into an acted-on campaign before its next event (a pending catch-up)
  // both with the real corpora and with the simulator's built-in generator.
  const { events, accounts } = await simulateSmallCampaignRun(dir, 12);
  for (const e of events) features.set(e.id, extractFeatures(e));
  eventCount = events.length;
  // Most records up front, every 7th interleaved with the events (as a live bus delivers
  // sign-ups), so cuts also fall between records and pending catch-ups.
  const late = accounts.filter((_, i) => i % 7 === 3);
  for (const a of accounts) if (!late.includes(a)) ops.push({ account: a });
  const every = Math.max(1, Math.floor(events.length / (late.length + 1)));
  for (let i = 0; i < events.length; i++) {
    if (i % every === 0 && late.length > 0) ops.push({ account: late.shift() as AccountRecord });
    ops.push({ event: events[i] as ExchangeEvent });
  }
  for (const a of late) ops.push({ account: a });
}, 120_000);

function feed(d: Detector, from: number, to: number, out: Decision[]): void {
  for (let i = from; i < to; i++) {
    const op = ops[i] as Op;
    if ('account' in op) d.addAccount(op.account);
    else for (const x of d.process(op.event)) out.push(x);
  }
}

/**
 * Fields that are not state, left out of the tree: Campaign's `cached` score is a cache holding
 * closures, rebuilt on demand (campaigns.ts); Linker's `addedKind` is about its last call only
 * (linker.ts).
 */
const TRANSIENT: Record<string, readonly string[]> = { Campaign: ['cached'], Linker: ['addedKind'] };

/** Every field reachable from `x`, as a tree tagged with class names, transient fields left out. */
function stateTree(x: unknown, seen = new Set<unknown>()): unknown {
  if (typeof x === 'function') return `[function ${x.name}]`;
  if (typeof x !== 'object' || x === null) return x;
  // Slabs as bytes: element-wise deep equality over hundreds of thousands of slots is what makes this slow.
  if (ArrayBuffer.isView(x)) {
    return `${x.constructor.name}(${x.byteLength}) ${Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString('base64')}`;
  }
  if (seen.has(x)) return '[cycle]';
  seen.add(x);
  try {
    if (Array.isArray(x)) return x.map((v) => stateTree(v, seen));
    if (x instanceof Map) return new Map([...x].map(([k, v]) => [k, stateTree(v, seen)]));
    if (x instanceof Set) return [...x].map((v) => stateTree(v, seen));
    const name: string | undefined = x.constructor?.name;
    const out: Record<string, unknown> = { __class: name };
    const skip = name === undefined ? undefined : TRANSIENT[name];
    for (const [k, v] of Object.entries(x)) {
      if (skip?.includes(k)) continue;
      out[k] = stateTree(v, seen);
    }
    return out;
  } finally {
    seen.delete(x);
  }
}

/** Deterministic cut points (xorshift from a fixed seed), so a failure names a reproducible cut. */
function cutPoints(n: number, count: number, seed: number): number[] {
  let s = seed >>> 0 || 1;
  const cuts = new Set<number>([1, n - 1]);
  while (cuts.size < count) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    cuts.add(1 + ((s >>> 0) % (n - 1)));
  }
  return [...cuts].sort((a, b) => a - b);
}

const tightPolicy = (): Policy => {
  const p = defaultPolicy();
  // Small enough that profiles are evicted (free list, sweep cursor and eviction count in play).
  p.tracking = { idleEvictHours: 2, maxAccounts: 48 };
  return p;
};

describe('detector snapshots', () => {
  for (const [name, makePolicy] of [
    ['default policy', defaultPolicy],
    ['a policy that evicts profiles', tightPolicy],
  ] as const) {
    it(`cut anywhere, restored from bytes: same decisions, report and state (${name})`, () => {
      const policy = makePolicy();
      const full = createDetector({ policy, extract });
      const expected: Decision[] = [];
      // Cuts where a sign-up just linked an account into an acted-on campaign and its catch-up
      // escalation waits for the next event: state that lives only between two calls.
      const pendingCatchUp: number[] = [];
      for (let i = 0; i < ops.length; i++) {
        feed(full, i, i + 1, expected);
        if ((full as unknown as { catchUp: Set<unknown> }).catchUp.size > 0) pendingCatchUp.push(i + 1);
      }
      if (policy.tracking.maxAccounts === defaultPolicy().tracking.maxAccounts) {
        expect(pendingCatchUp.length).toBeGreaterThan(0);
      }
      expect(eventCount).toBeGreaterThan(1000);
      expect(full.campaigns().length).toBeGreaterThan(0);
      const expectedState = stateTree(full);
      for (const cut of [...cutPoints(ops.length, 6, 0x5eed + ops.length), ...pendingCatchUp.slice(0, 1)]) {
        const before = createDetector({ policy, extract });
        const decisions: Decision[] = [];
        feed(before, 0, cut, decisions);
        const bytes = Buffer.from(before.snapshot());
        const resumed = restoreDetector(bytes, { policy, extract });
        expect(stateTree(resumed), `state right after restore at cut ${cut}`).toStrictEqual(
          stateTree(before),
        );
        feed(resumed, cut, ops.length, decisions);
        expect(decisions, `decisions with a restore at cut ${cut}`).toStrictEqual(expected);
        expect(resumed.campaigns()).toStrictEqual(full.campaigns());
        expect(resumed.notes()).toStrictEqual(full.notes());
        expect(stateTree(resumed), `final state with a restore at cut ${cut}`).toStrictEqual(expectedState);
      }
    }, 120_000);
  }

  it('a mid-stream snapshot is far smaller than the events it stands for', () => {
    const d = createDetector({ extract });
    feed(d, 0, ops.length, []);
    const bytes = d.snapshot();
    const eventBytes = ops.reduce(
      (sum, op) => sum + ('event' in op ? JSON.stringify(op.event).length : 0),
      0,
    );
    expect(bytes.length).toBeLessThan(eventBytes / 4);
  });

  it('refuses a snapshot taken under a different policy, naming the field', () => {
    const d = createDetector({ extract });
    feed(d, 0, 500, []);
    const bytes = d.snapshot();
    const other = defaultPolicy();
    other.campaign.block = Math.min(1, other.campaign.block + 0.01);
    expect(() => restoreDetector(bytes, { policy: other })).toThrow(SnapshotError);
    expect(() => restoreDetector(bytes, { policy: other })).toThrow(
      /different policy \(\/campaign\/block differs/,
    );
  });

  it('refuses other format versions, foreign bytes and corrupt bodies with clear errors', () => {
    const d = createDetector({ extract });
    feed(d, 0, 500, []);
    const bytes = Buffer.from(d.snapshot());
    const newer = Buffer.from(bytes);
    newer.writeUInt32LE(99, 8);
    expect(() => restoreDetector(newer)).toThrow(
      `detector snapshot format version 99; this build reads version ${SNAPSHOT_VERSION}`,
    );
    expect(() => restoreDetector(Buffer.from('{"events":[]}'))).toThrow(
      'not a distillguard detector snapshot (bad magic bytes)',
    );
    const truncated = bytes.subarray(0, Math.floor(bytes.length / 2));
    expect(() => restoreDetector(truncated)).toThrow(/detector snapshot is corrupt/);
  });

  it('refuses a snapshot from a build whose classes have other fields, naming them', () => {
    const d = createDetector({ extract });
    feed(d, 0, 2000, []);
    const policy = defaultPolicy();
    const state = decodeSnapshot(d.snapshot(), policy) as Record<string, Record<string, unknown>>;
    const linker = state.linker as Record<string, unknown>;
    delete linker.pairs;
    linker.pairsV2 = new Map();
    expect(() => restoreDetector(encodeSnapshot(state, policy), { policy })).toThrow(
      'linker: snapshot from a different detector build (lacks field(s) pairs; has field(s) this build does not know: pairsV2)',
    );
  });
});
