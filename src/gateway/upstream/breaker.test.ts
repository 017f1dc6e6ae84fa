import { describe, expect, it } from 'vitest';
import { type BreakerState, createBreaker } from './breaker.js';

describe('createBreaker', () => {
  it('opens after N consecutive failures, half-opens after openMs, and closes on a good probe', () => {
    let t = 0;
    const changes: BreakerState[] = [];
    const breaker = createBreaker({
      failureThreshold: 2,
      openMs: 100,
      now: () => t,
      onStateChange: (s) => changes.push(s),
    });
    breaker.failure();
    expect(breaker.allow()).toBe(true);
    breaker.failure();
    expect(breaker.state()).toBe('open');
    expect(breaker.allow()).toBe(false);
    t = 100;
    expect(breaker.allow()).toBe(true);
    expect(breaker.state()).toBe('half-open');
    expect(breaker.allow()).toBe(false);
    breaker.success();
    expect(breaker.state()).toBe('closed');
    expect(changes).toEqual(['open', 'half-open', 'closed']);
  });

  it('re-opens when the half-open probe fails, and a success resets the failure count', () => {
    let t = 0;
    const breaker = createBreaker({ failureThreshold: 2, openMs: 10, now: () => t });
    breaker.failure();
    breaker.success();
    breaker.failure();
    expect(breaker.state()).toBe('closed');
    breaker.failure();
    t = 10;
    expect(breaker.allow()).toBe(true);
    breaker.failure();
    expect(breaker.state()).toBe('open');
    expect(breaker.allow()).toBe(false);
  });
});
