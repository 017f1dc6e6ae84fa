import { describe, expect, it } from 'vitest';
import { MinHeap } from './min-heap.js';

describe('MinHeap', () => {
  it('gives back any sequence sorted, and nothing when empty', () => {
    let s = 12345;
    const xs = Array.from({ length: 1000 }, () => {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      return s % 100;
    });
    const h = new MinHeap<number>((a, b) => a < b);
    for (const x of xs) h.push(x);
    expect(h.size).toBe(1000);
    expect(h.peek()).toBe(Math.min(...xs));
    const out: number[] = [];
    for (let x = h.pop(); x !== undefined; x = h.pop()) out.push(x);
    expect(out).toEqual([...xs].sort((a, b) => a - b));
    expect(h.pop()).toBeUndefined();
  });

  it('interleaves pushes and pops', () => {
    const h = new MinHeap<[number, string]>((a, b) => a[0] < b[0]);
    h.push([5, 'e']);
    h.push([2, 'b']);
    expect(h.pop()?.[1]).toBe('b');
    h.push([1, 'a']);
    h.push([9, 'z']);
    expect([h.pop()?.[1], h.pop()?.[1], h.pop()?.[1], h.size]).toEqual(['a', 'e', 'z', 0]);
  });

  it('replaces the first item with one sift', () => {
    const h = new MinHeap<number>((a, b) => a < b);
    for (const x of [4, 1, 6, 3]) h.push(x);
    h.replaceTop(5);
    const out: number[] = [];
    for (let x = h.pop(); x !== undefined; x = h.pop()) out.push(x);
    expect(out).toEqual([3, 4, 5, 6]);
  });
});
