import { describe, expect, it } from 'vitest';
import { Cancellation, sleepUnlessCancelled } from './cancellation.js';

describe('Cancellation', () => {
  it('fires abort once and cuts a sleep short', async () => {
    const c = new Cancellation();
    let fired = 0;
    c.on('abort', () => fired++);
    const started = Date.now();
    const sleeping = sleepUnlessCancelled(5_000, c);
    c.cancel();
    c.cancel();
    await sleeping;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(fired).toBe(1);
    expect(c.aborted).toBe(true);
    expect(c.listenerCount('abort')).toBe(1);
  });

  it('sleeps the full time when not cancelled', async () => {
    const c = new Cancellation();
    const started = Date.now();
    await sleepUnlessCancelled(30, c);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(c.listenerCount('abort')).toBe(0);
  });
});
