import { describe, expect, it } from 'vitest';
import { keyHash, Linker } from './linker.js';

describe('Linker', () => {
  it('indexes key members and reports earlier carriers', () => {
    const l = new Linker();
    expect(l.join('payment', 7, 0).members).toEqual([]);
    expect(l.join('payment', 7, 1).members).toEqual([0]);
    const third = l.join('payment', 7, 2);
    expect(third.members).toEqual([0, 1]);
    expect(third.size).toBe(3);
    expect(l.join('payment', 7, 2).size).toBe(3); // rejoining is a no-op
    expect(l.peek('payment', 7).members).toEqual([0, 1, 2]);
    expect(l.peek('template', 7).size).toBe(0); // kinds are separate namespaces
  });

  it('marks crowded keys saturated and bounds their member lists', () => {
    const l = new Linker({ keyCap: 8 });
    let last = l.join('network', 1, 0);
    for (let i = 1; i < 200; i++) last = l.join('network', 1, i);
    expect(last.saturated).toBe(true);
    expect(l.peek('network', 1).members.length).toBe(8);
    // The kept members are the latest joiners.
    expect([...l.peek('network', 1).members].sort((a, b) => a - b)).toEqual([
      192, 193, 194, 195, 196, 197, 198, 199,
    ]);
  });

  it('counts co-activity as an origin key: it corroborates tooling, never tooling alone or itself', () => {
    const l = new Linker();
    expect(l.corroborate(1, 2, 'coactivity')).toBe(false);
    expect(l.corroborate(1, 2, 'client')).toBe(true);
    expect(l.pairKinds(2, 1)).toEqual(['client', 'coactivity']);
    expect(l.corroborate(3, 4, 'coactivity')).toBe(false);
    expect(l.corroborate(3, 4, 'network')).toBe(false); // two origin keys are not a link
  });

  it('says whether a pair is corroborated without one kind of key', () => {
    const l = new Linker();
    l.corroborate(1, 2, 'client');
    expect(l.corroborate(1, 2, 'coactivity')).toBe(true);
    expect(l.corroboratedWithout(1, 2, 'coactivity')).toBe(false);
    l.corroborate(2, 1, 'signup');
    expect(l.corroboratedWithout(2, 1, 'coactivity')).toBe(true);
    expect(l.corroboratedWithout(1, 2, 'client')).toBe(false);
    expect(l.corroboratedWithout(3, 4, 'coactivity')).toBe(false);
  });

  it('merges groups with union-find', () => {
    const l = new Linker();
    l.ensure(5000);
    expect(l.union(1, 2)).toBeDefined();
    expect(l.union(3, 4000)).toBeDefined();
    expect(l.union(2, 4000)).toBeDefined();
    expect(l.union(1, 3)).toBeUndefined();
    expect(l.find(4000)).toBe(l.find(1));
    expect(l.find(5)).toBe(5);
  });

  it('corroborates a pair only on a tooling key plus an independent origin key', () => {
    const l = new Linker();
    expect(l.corroborate(3, 9, 'template')).toBe(false);
    expect(l.corroborate(9, 3, 'client')).toBe(false); // two tooling keys are one piece of evidence
    expect(l.corroborate(9, 3, 'network')).toBe(true);
    expect(l.pairKinds(3, 9)).toEqual(['template', 'client', 'network']);
    expect(l.corroborate(3, 4, 'network')).toBe(false);
    expect(l.corroborate(3, 4, 'signup')).toBe(false); // two origin keys without shared tooling
    expect(l.corroborate(4, 3, 'client')).toBe(true);
    const capped = new Linker({ pairCap: 1 });
    capped.corroborate(1, 2, 'client');
    expect(capped.corroborate(1, 3, 'client')).toBe(false); // over the cap: not tracked
    expect(capped.corroborate(1, 2, 'signup')).toBe(true);
    expect(capped.markCounted(2, 1)).toBe(true);
    expect(capped.markCounted(1, 2)).toBe(false);
    expect(capped.markCounted(1, 3)).toBe(false); // unknown pair
  });

  it('hashes keys to stable distinct numbers', () => {
    expect(keyHash('pf_1')).toBe(keyHash('pf_1'));
    const seen = new Set<number>();
    for (let i = 0; i < 100_000; i++) seen.add(keyHash(`pf_${i}`));
    expect(seen.size).toBe(100_000);
    expect(Number.isSafeInteger(keyHash('x'))).toBe(true);
  });
});
