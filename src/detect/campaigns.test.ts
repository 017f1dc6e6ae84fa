import { describe, expect, it } from 'vitest';
import { Campaign } from './campaigns.js';
import type { ExchangeFeatures } from './features/types.js';

function features(q: number, over: Partial<ExchangeFeatures> = {}): ExchangeFeatures {
  return {
    promptChars: 300,
    skeleton: 3,
    simhashHi: q * 2654435761,
    simhashLo: q,
    capability: 'math',
    cotElicitation: 0.9,
    rubricGrading: 0,
    datasetStyle: 0.9,
    userTurns: 1,
    buildsOnAnswer: false,
    outputHunger: 0.5,
    toolCount: 0,
    asnKind: 'hosting',
    uaFamily: 'python-requests',
    subnet: '203.0.113.0/24',
    ...over,
  };
}

function group(prompts: (member: number, k: number) => number): Campaign {
  const c = new Campaign();
  for (let m = 0; m < 4; m++) c.addMember(m, undefined, undefined);
  c.addLink('payment', 3);
  for (let k = 0; k < 400; k++) c.addEvent(features(prompts(k % 4, k)), false, true, k % 4);
  return c;
}

describe('Campaign', () => {
  it('counts a partitioned query set for the campaign and a shared benchmark against it', () => {
    const partitioned = group((_, k) => k); // every prompt new
    const benchmark = group((_, k) => Math.floor(k / 4)); // all four members send the same items
    expect(partitioned.score().logit).toBeGreaterThan(benchmark.score().logit + 2);
    const text = (c: Campaign) =>
      c.score().evidence.map((e) => (typeof e.reason === 'string' ? e.reason : e.reason()));
    expect(text(benchmark).join(' ')).toMatch(/re-send each other's prompts/);
    expect(text(partitioned).join(' ')).toMatch(/4 of 4 accounts share a payment fingerprint/);
  });

  it('counts a query set as worked through once despite a few re-sent prompts, not a quarter', () => {
    const coverage = (c: Campaign) =>
      c
        .score()
        .evidence.some((e) =>
          /without repeating each other/.test(typeof e.reason === 'string' ? e.reason : e.reason()),
        );
    // Each member re-sends one prompt in twelve (retries), never another member's.
    expect(coverage(group((_, k) => (k % 12 === 11 ? k - 4 : k)))).toBe(true);
    // One in four re-sent (two members repeat their previous prompt every other round).
    expect(coverage(group((m, k) => (m >= 2 && Math.floor(k / 4) % 2 === 1 ? k - 4 : k)))).toBe(false);
  });

  it('lets coordination alone add little: a product’s service accounts are coordinated too', () => {
    const text = (c: Campaign) =>
      c
        .score()
        .evidence.map((e) => (typeof e.reason === 'string' ? e.reason : e.reason()))
        .join('\n');
    const fleet = (cot: number): Campaign => {
      const c = new Campaign();
      for (let m = 0; m < 6; m++) c.addMember(m, undefined, undefined);
      for (const kind of ['client', 'template', 'coactivity', 'network'] as const) c.addLink(kind, 5);
      // One task's template filled with users' texts: dataset-style, one capability, never repeated.
      for (let k = 0; k < 600; k++)
        c.addEvent(
          features(k, { capability: 'writing', cotElicitation: k % 100 < cot ? 0.9 : 0 }),
          false,
          true,
          k % 6,
        );
      return c;
    };
    const product = fleet(0);
    const harvest = fleet(30);
    expect(text(product)).toMatch(/nothing harvest-shaped/);
    expect(text(harvest)).not.toMatch(/nothing harvest-shaped/);
    // Three kinds of shared key at full weight plus the network would add 3.5; capped at 1.
    const shared = product
      .score()
      .evidence.filter((e) => e.tag === 'coordination' || /harvest-shaped/.test(String(e.reason)))
      .reduce((sum, e) => sum + e.weight, 0);
    expect(shared).toBeCloseTo(1, 5);
    expect(product.score().score).toBeLessThan(0.5);
    expect(harvest.score().score).toBeGreaterThan(0.8);
  });

  it('weighs a query set split between more accounts more when it spans capabilities, counting only members that sent something', () => {
    const areas = ['math', 'coding', 'writing', 'agentic'] as const;
    const split = (members: number, idle: number, oneTask = false): Campaign => {
      const c = new Campaign();
      // Idle members: linked (a card shared at sign-up) but no request yet.
      for (let m = 0; m < idle; m++) c.addMember(100 + m, undefined, undefined);
      for (let m = 0; m < members; m++) c.addMember(m, undefined, undefined);
      for (let k = 0; k < 600; k++) {
        const capability = oneTask ? 'writing' : areas[k % areas.length]!;
        c.addEvent(features(k, { capability }), false, true, k % members, k < members);
      }
      return c;
    };
    const coverage = (c: Campaign) =>
      c
        .score()
        .evidence.find((e) =>
          (typeof e.reason === 'string' ? e.reason : e.reason()).includes('without repeating'),
        );
    expect(coverage(split(3, 0))?.weight).toBeCloseTo(0.8);
    expect(coverage(split(12, 0))?.weight).toBeCloseTo(1.8);
    expect(coverage(split(3, 9))?.weight).toBeCloseTo(0.8);
    // A product's service accounts fill one task's template with users' texts: no harvest of a taxonomy.
    expect(coverage(split(12, 0, true))?.weight).toBeCloseTo(0.8);
    const reason = coverage(split(3, 9))?.reason;
    expect(typeof reason === 'function' ? reason() : reason).toMatch(/^3 accounts send ≈\d+ distinct/);
  });

  it('judges coverage on fresh prompts: tool results sent back in between do not count as repeats', () => {
    const c = new Campaign();
    for (let m = 0; m < 4; m++) c.addMember(m, undefined, undefined);
    for (let k = 0; k < 600; k++) {
      c.addEvent(features(k), false, true, k % 4, k < 4);
      // Every third request is followed by the tool's short output, which collides across calls.
      if (k % 3 === 0) c.addEvent(features(999_999, { toolCount: 1 }), false, false, k % 4);
    }
    const text = c
      .score()
      .evidence.map((e) => (typeof e.reason === 'string' ? e.reason : e.reason()))
      .join(' ');
    expect(text).toMatch(/4 accounts send ≈\d+ distinct dataset-style prompts without repeating each other/);
  });

  it('does not count members repeating their own prompts as a shared benchmark', () => {
    // Each member cycles through its own pool of 25 prompts (retries, a small dealt pool):
    // heavy repetition, but no member ever sends another member's prompt.
    const ownPools = group((m, k) => m * 1000 + (Math.floor(k / 4) % 25));
    const text = ownPools
      .score()
      .evidence.map((e) => (typeof e.reason === 'string' ? e.reason : e.reason()))
      .join(' ');
    expect(text).not.toMatch(/re-send each other's prompts/);
    expect(ownPools.cross.share()).toBe(0);
  });

  it('counts a public benchmark re-run by members with their own retries against the group', () => {
    // Members re-send each other's items (the same 100-item benchmark) and retry their own.
    const c = group((_, k) => Math.floor(k / 8) % 50);
    expect(c.cross.share()).toBeGreaterThan(0.5);
    const text = c
      .score()
      .evidence.map((e) => (typeof e.reason === 'string' ? e.reason : e.reason()))
      .join(' ');
    expect(text).toMatch(/re-send each other's prompts/);
  });

  it('merges state and keeps the older campaign id', () => {
    const a = group((_, k) => k);
    const b = group((_, k) => 10_000 + k);
    a.id = 'campaign-0002';
    a.firstActionAt = '2026-01-02T00:00:00.000Z';
    b.id = 'campaign-0001';
    b.firstActionAt = '2026-01-01T00:00:00.000Z';
    b.actionRank = 3;
    a.absorb(b);
    expect(a.members).toHaveLength(8);
    expect(a.events).toBe(800);
    expect(a.id).toBe('campaign-0001');
    expect(a.actionRank).toBe(3);
    expect(a.capabilityShares()).toEqual({ math: 1 });
  });
});
