import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

const opts = { baseDelayMs: 100, maxDelayMs: 1000 };

describe('backoffDelay', () => {
  it('doubles per attempt within equal-jitter bounds and caps at maxDelayMs', () => {
    expect(backoffDelay(0, opts, undefined, () => 0)).toBe(50);
    expect(backoffDelay(0, opts, undefined, () => 1)).toBe(100);
    expect(backoffDelay(2, opts, undefined, () => 0.5)).toBe(300);
    expect(backoffDelay(10, opts, undefined, () => 1)).toBe(1000);
  });

  it('honours Retry-After when it is within the cap', () => {
    expect(backoffDelay(0, opts, '0.5')).toBe(500);
    expect(backoffDelay(0, opts, '30', () => 0)).toBe(50);
  });
});
