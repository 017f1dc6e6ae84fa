import { describe, expect, it } from 'vitest';
import { bucketWidth, minuteCounts, rollupWindow } from './event-buckets.js';

const m0 = Date.parse('2026-01-01T00:00:00.000Z') / 60_000;

describe('minuteCounts', () => {
  it('groups a batch by minute, oldest first, counting answers of 400 and above as errors', () => {
    expect(
      minuteCounts([
        { ts: '2026-01-01T00:02:00.000Z', response: { status: 200 } },
        { ts: '2026-01-01T00:00:59.999Z', response: { status: 400 } },
        { ts: '2026-01-01T00:00:00.000Z' },
        { ts: '2026-01-01T00:02:59.000Z', response: { status: 399 } },
        { ts: 'not a time', response: { status: 500 } },
      ]),
    ).toEqual([
      { minute: m0, exchanges: 2, errors: 1 },
      { minute: m0 + 2, exchanges: 2, errors: 0 },
    ]);
    expect(minuteCounts([])).toEqual([]);
  });
});

describe('rollupWindow', () => {
  it('accepts only whole-minute windows and buckets', () => {
    const from = '2026-01-01T00:00:00.000Z';
    expect(rollupWindow({ from, to: '2026-01-01T03:00:00.000Z', bucketMs: 10_800_000 })).toEqual({
      fromMinute: m0,
      toMinute: m0 + 180,
    });
    expect(rollupWindow({ from, to: '2026-01-01T03:00:00.001Z', bucketMs: 60_000 })).toBeUndefined();
    expect(rollupWindow({ from: '2026-01-01T00:00:30.000Z', to: from, bucketMs: 60_000 })).toBeUndefined();
    expect(rollupWindow({ from, to: '2026-01-01T03:00:00.000Z', bucketMs: 90_000 })).toBeUndefined();
    expect(rollupWindow({ from: 'soon', to: from, bucketMs: 60_000 })).toBeUndefined();
  });
});

describe('bucketWidth', () => {
  it('refuses widths under a second or not whole', () => {
    expect(bucketWidth(1000)).toBe(1000);
    expect(() => bucketWidth(999)).toThrow(/at least 1000/);
    expect(() => bucketWidth(1500.5)).toThrow(/whole number/);
  });
});
