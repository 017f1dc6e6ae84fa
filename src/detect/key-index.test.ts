import { describe, expect, it } from 'vitest';
import { KeyIndex } from './key-index.js';

describe('KeyIndex', () => {
  it('indexes key members and reports earlier carriers', () => {
    const l = new KeyIndex();
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
    const l = new KeyIndex({ keyCap: 8 });
    let last = l.join('network', 1, 0);
    for (let i = 1; i < 200; i++) last = l.join('network', 1, i);
    expect(last.saturated).toBe(true);
    expect(l.peek('network', 1).members.length).toBe(8);
    // The kept members are the latest joiners.
    expect([...l.peek('network', 1).members].sort((a, b) => a - b)).toEqual([
      192, 193, 194, 195, 196, 197, 198, 199,
    ]);
  });

  it('round-trips its state', () => {
    const l = new KeyIndex({ keyCap: 4 });
    for (let i = 0; i < 10; i++) l.join('template', 3, i);
    l.join('payment', 9, 1);
    const copy = KeyIndex.fromState(structuredClone(l.toState()));
    expect(copy.join('template', 3, 42)).toEqual(l.join('template', 3, 42));
    expect(copy.peek('payment', 9)).toEqual({ members: [1], size: 1 });
  });
});
