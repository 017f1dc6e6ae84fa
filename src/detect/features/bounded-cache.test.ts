import { describe, expect, it } from 'vitest';
import { BoundedCache } from './bounded-cache.js';

describe('BoundedCache', () => {
  it('computes a key once, empties itself when full and never keeps an over-long key', () => {
    const cache = new BoundedCache<number>(3, 5);
    let calls = 0;
    const length = (key: string) => {
      calls++;
      return key.length;
    };
    expect(cache.get('ab', length)).toBe(2);
    expect(cache.get('ab', length)).toBe(2);
    expect(calls).toBe(1);
    cache.get('c', length);
    cache.get('d', length);
    expect(cache.size).toBe(3);
    cache.get('e', length); // full: emptied, then 'e' kept
    expect(cache.size).toBe(1);
    expect(cache.get('toolong', length)).toBe(7);
    expect(cache.get('toolong', length)).toBe(7);
    expect(cache.size).toBe(1);
    expect(calls).toBe(6);
  });
});
