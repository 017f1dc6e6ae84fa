import { describe, expect, it } from 'vitest';
import { corroboratingKinds, keyHash, Linker } from './linker.js';

describe('Linker', () => {
  it('counts co-activity as an origin key: it corroborates tooling, never tooling alone or itself', () => {
    const l = new Linker();
    expect(l.corroborate(1, 2, 'coactivity')).toBe(false);
    expect(l.corroborate(1, 2, 'client')).toBe(true);
    expect(l.pairKinds(2, 1)).toEqual(['client', 'coactivity']);
    expect(l.corroborate(3, 4, 'coactivity')).toBe(false);
    expect(l.corroborate(3, 4, 'network')).toBe(false); // two origin keys are not a link
  });

  it('judges a list of kinds by the same rule as a pair', () => {
    expect(corroboratingKinds(['client', 'template'])).toBe(false);
    expect(corroboratingKinds(['signup', 'network', 'coactivity'])).toBe(false);
    expect(corroboratingKinds(['template', 'coactivity'])).toBe(true);
    expect(corroboratingKinds(['payment', 'client', 'signup'])).toBe(true);
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

  it('says whether a call showed the pair a kind of key it had not shared before', () => {
    const l = new Linker();
    l.corroborate(2, 1, 'client');
    expect(l.addedKind).toBe(true);
    l.corroborate(1, 2, 'client');
    expect(l.addedKind).toBe(false);
    l.corroborate(1, 2, 'network');
    expect(l.addedKind).toBe(true);
    expect(l.toState()).not.toHaveProperty('addedKind');
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
