import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { byAccount, eventsOf, testWorld } from '../test-helpers/world.js';
import { DAY, HOUR, MINUTE } from '../timing.js';
import { lowAndSlow } from './low-and-slow.js';

describe('low-and-slow', () => {
  const world = testWorld(30);
  const pop = lowAndSlow(world, new Rng(16).fork('low-and-slow'));
  const events = eventsOf(pop);

  it('uses a few aged accounts', () => {
    expect(pop.accounts.length).toBeGreaterThanOrEqual(4);
    expect(pop.accounts.length).toBeLessThanOrEqual(10);
    expect(pop.accounts.every((a) => Date.parse(a.created_at) < world.start - 30 * DAY)).toBe(true);
  });

  it('stays under obvious rate limits for the whole window', () => {
    for (const list of byAccount(events).values()) {
      const perHour = new Map<number, number>();
      for (let i = 0; i < list.length; i++) {
        const t = list[i]?.t ?? 0;
        perHour.set(Math.floor(t / HOUR), (perHour.get(Math.floor(t / HOUR)) ?? 0) + 1);
        if (i > 0) expect(t - (list[i - 1]?.t ?? 0)).toBeGreaterThanOrEqual(3 * MINUTE - 1);
      }
      expect(Math.max(...perHour.values())).toBeLessThanOrEqual(20);
      expect((list[list.length - 1]?.t ?? 0) - (list[0]?.t ?? 0)).toBeGreaterThan(
        0.9 * (world.end - world.start) - DAY,
      );
    }
  });
});
