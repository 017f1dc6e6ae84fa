import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { eventsOf, testWorld } from '../test-helpers/world.js';
import { HOUR } from '../timing.js';
import { minimax, pivotShare } from './minimax.js';

describe('minimax', () => {
  const world = testWorld(20);
  const pop = minimax(world, new Rng(13).fork('minimax'));
  const events = eventsOf(pop);
  const next = world.models.next;

  it('never uses the new model before its release', () => {
    expect(events.filter((e) => e.t < world.releaseAt).every((e) => e.model !== next)).toBe(true);
  });

  it('moves about half its traffic to the new model within 24 hours of release', () => {
    const day = events.filter((e) => e.t >= world.releaseAt + 12 * HOUR && e.t < world.releaseAt + 24 * HOUR);
    expect(day.length).toBeGreaterThan(100);
    const share = day.filter((e) => e.model === next).length / day.length;
    expect(share).toBeGreaterThan(0.4);
    expect(share).toBeLessThan(0.6);
    expect(pivotShare(1)).toBe(0);
    expect(pivotShare(24)).toBe(0.5);
  });

  it('is agentic coding with tools, around the clock', () => {
    expect(events.filter((e) => Array.isArray(e.request.tools)).length / events.length).toBeGreaterThan(0.9);
    expect(new Set(events.map((e) => new Date(e.t).getUTCHours())).size).toBe(24);
  });
});
