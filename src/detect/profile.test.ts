import { describe, expect, it } from 'vitest';
import { CAPABILITIES, type ExchangeFeatures } from './features/types.js';
import { HARVEST_MIN_EVENTS, isHarvestShaped, ProfileStore } from './profile.js';

function features(over: Partial<ExchangeFeatures> = {}): ExchangeFeatures {
  return {
    promptChars: 5,
    skeleton: 1,
    simhashHi: 1,
    simhashLo: 1,
    capability: 'chat',
    cotElicitation: 0,
    rubricGrading: 0,
    datasetStyle: 0,
    userTurns: 1,
    buildsOnAnswer: false,
    outputHunger: 0,
    toolCount: 0,
    asnKind: 'residential',
    uaFamily: 'chrome',
    subnet: '203.0.113.0/24',
    ...over,
  };
}

const HOUR = 3_600_000;

describe('ProfileStore', () => {
  it('names the main capabilities: the dominant one, and a runner-up with at least half its requests', () => {
    const store = new ProfileStore({ idleMs: 100 * HOUR, maxAccounts: 10 });
    const bit = (c: (typeof CAPABILITIES)[number]): number => 1 << CAPABILITIES.indexOf(c);
    const mix = (slot: number, counts: Partial<Record<(typeof CAPABILITIES)[number], number>>): number => {
      for (const [capability, n] of Object.entries(counts)) {
        for (let k = 0; k < n; k++) {
          const f = features({ capability: capability as (typeof CAPABILITIES)[number] });
          store.update(slot, f, { tsMs: k, newModel: false, freshContext: true });
        }
      }
      return store.mainCapabilities(slot);
    };
    expect(mix(store.slotFor(0, 0), { coding: 10, math: 6, chat: 1 })).toBe(bit('coding') | bit('math'));
    expect(mix(store.slotFor(1, 0), { coding: 10, math: 4, chat: 4 })).toBe(bit('coding'));
    expect(mix(store.slotFor(2, 0), { chat: 3 })).toBe(bit('chat'));
    expect(mix(store.slotFor(3, 0), { other: 2, writing: 2 })).toBe(bit('writing') | bit('other'));
  });

  it('names the runner-up skeleton next to the top one (none with a single skeleton)', () => {
    const store = new ProfileStore({ idleMs: 100 * HOUR, maxAccounts: 10 });
    const slot = store.slotFor(0, 0);
    const send = (skeleton: number, times: number): void => {
      for (let k = 0; k < times; k++)
        store.update(slot, features({ skeleton }), { tsMs: k, newModel: false, freshContext: true });
    };
    const runnerUp = () => {
      const s = store.snapshot(slot);
      return { skeleton: s.runnerUpSkeleton, count: s.runnerUpSkeletonCount };
    };
    send(7, 5);
    expect(runnerUp()).toEqual({ skeleton: 0, count: 0 });
    send(9, 4);
    send(11, 2);
    expect(store.snapshot(slot).topSkeleton).toBe(7);
    expect(runnerUp()).toEqual({ skeleton: 9, count: 4 });
  });

  it('accumulates counts, timing and distinct prompts', () => {
    const store = new ProfileStore({ idleMs: 100 * HOUR, maxAccounts: 10_000 });
    const slot = store.slotFor(0, 0);
    for (let i = 0; i < 48; i++) {
      store.update(slot, features({ cotElicitation: i % 2 ? 0.9 : 0, simhashLo: i, capability: 'math' }), {
        tsMs: i * HOUR,
        newModel: false,
        freshContext: true,
      });
    }
    const s = store.snapshot(slot);
    expect(s.events).toBe(48);
    expect(s.cotHits).toBe(24);
    expect(s.activeHours).toBe(24);
    expect(s.activeDays).toBe(2);
    expect(s.gapCv).toBeCloseTo(0, 5); // perfectly regular
    expect(s.gapMeanSec).toBeCloseTo(3600, 3);
    expect(s.capabilities.math).toBe(48);
    expect(s.distinctPrompts).toBeGreaterThan(35);
    expect(s.topSkeletonCount).toBe(48);
  });

  it('names the dominant capability from the slab, the first one on ties', () => {
    const store = new ProfileStore({ idleMs: 100 * HOUR, maxAccounts: 10_000 });
    const slot = store.slotFor(0, 0);
    const add = (capability: ExchangeFeatures['capability']) =>
      store.update(slot, features({ capability }), { tsMs: 1, newModel: false, freshContext: true });
    add('writing');
    add('coding');
    expect(CAPABILITIES[store.dominantCapability(slot)]).toBe('coding'); // tie: earlier in CAPABILITIES
    add('writing');
    expect(CAPABILITIES[store.dominantCapability(slot)]).toBe('writing');
  });

  it('counts repeated prompts once', () => {
    const store = new ProfileStore({ idleMs: 100 * HOUR, maxAccounts: 10_000 });
    const slot = store.slotFor(0, 0);
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 50; i++)
        store.update(slot, features({ simhashLo: i }), { tsMs: 1, newModel: false, freshContext: true });
    }
    expect(store.snapshot(slot).distinctPrompts).toBeLessThan(70);
  });

  it('evicts idle accounts and reuses their slots', () => {
    const store = new ProfileStore({ idleMs: HOUR, maxAccounts: 10_000, initialCapacity: 4 });
    for (let i = 0; i < 4; i++)
      store.update(store.slotFor(i, 0), features(), { tsMs: 0, newModel: false, freshContext: true });
    for (let i = 0; i < 8; i++) store.sweep(10 * HOUR, 4);
    expect(store.size).toBe(0);
    const slot = store.slotFor(99, 10 * HOUR);
    expect(store.snapshot(slot).events).toBe(0);
  });

  it('never exceeds the account cap', () => {
    const store = new ProfileStore({ idleMs: 1000 * HOUR, maxAccounts: 1000 });
    for (let i = 0; i < 5000; i++)
      store.update(store.slotFor(i, i), features(), { tsMs: i, newModel: false, freshContext: true });
    expect(store.size).toBeLessThanOrEqual(1000);
    expect(store.evicted).toBeGreaterThanOrEqual(4000);
  });
});

describe('isHarvestShaped', () => {
  const shape = (events: number, singleTurn: number, datasetHits: number, buildsOnAnswer: number) =>
    isHarvestShaped({ events, singleTurn, datasetHits, buildsOnAnswer });

  it('is a query set worked through: single-turn, dataset-style, not building on answers', () => {
    expect(shape(20, 20, 16, 0)).toBe(true);
    expect(shape(20, 20, 16, 3)).toBe(false); // follow-ups on answers: a conversation
    expect(shape(20, 12, 16, 0)).toBe(false); // multi-turn
    expect(shape(20, 20, 6, 0)).toBe(false); // conversational prompts
  });

  it('needs a few requests before it says so', () => {
    expect(shape(HARVEST_MIN_EVENTS - 1, 4, 4, 0)).toBe(false);
    expect(shape(HARVEST_MIN_EVENTS, 5, 5, 0)).toBe(true);
  });
});
