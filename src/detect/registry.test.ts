import { describe, expect, it } from 'vitest';
import { AccountRegistry, KeySlot } from './registry.js';

describe('AccountRegistry', () => {
  it('assigns dense stable indices and grows its arrays', () => {
    const r = new AccountRegistry();
    for (let i = 0; i < 5000; i++) expect(r.indexOf(`a${i}`)).toBe(i);
    expect(r.indexOf('a42')).toBe(42);
    expect(r.find('nope')).toBeUndefined();
    expect(r.rank[4999]).toBe(-1);
    r.rank[4999] = 2;
    r.keys[4999 * KeySlot.Count + KeySlot.Template] = 7;
    r.indexOf('more');
    expect(r.rank[4999]).toBe(2);
    expect(r.keys[4999 * KeySlot.Count + KeySlot.Template]).toBe(7);
    expect(r.ids[5000]).toBe('more');
  });
});
