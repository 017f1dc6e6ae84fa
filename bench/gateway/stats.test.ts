import { describe, expect, it } from 'vitest';
import { median, percentile } from './stats.js';

describe('median', () => {
  it('takes the middle of an odd list regardless of order', () => {
    expect(median([5, 1, 3])).toBe(3);
  });
  it('averages the two middle values of an even list', () => {
    expect(median([10, 2, 4, 8])).toBe(6);
  });
  it('does not reorder the caller’s array', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
  it('refuses an empty list', () => {
    expect(() => median([])).toThrow(/empty/);
  });
});

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
  });
  it('rejects out-of-range p', () => {
    expect(() => percentile([1], 101)).toThrow(/0 to 100/);
  });
});
