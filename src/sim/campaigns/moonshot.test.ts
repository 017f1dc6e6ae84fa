import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { eventsOf, testWorld } from '../test-helpers/world.js';
import { moonshot } from './moonshot.js';

describe('moonshot', () => {
  const world = testWorld(30);
  const pop = moonshot(world, new Rng(12).fork('moonshot'));
  const events = eventsOf(pop);

  it('spreads over varied accounts: clients, networks, sign-up dates, cards', () => {
    expect(pop.accounts.length).toBeGreaterThanOrEqual(8);
    expect(new Set(events.map((e) => e.client.user_agent?.split('/')[0])).size).toBeGreaterThanOrEqual(3);
    expect(new Set(events.map((e) => e.client.asn)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(pop.accounts.map((a) => a.payment_fingerprint)).size).toBeGreaterThan(1);
  });

  it('targets agentic tool use and coding, reconstructing reasoning in its later phase', () => {
    const withTools = events.filter((e) => Array.isArray(e.request.tools)).length;
    expect(withTools / events.length).toBeGreaterThan(0.2);
    const reconstruct = events.filter((e) =>
      JSON.stringify(e.request.messages).includes('Reconstruct the complete'),
    );
    expect(reconstruct.length).toBeGreaterThan(0);
    const mid = world.start + (world.end - world.start) * 0.45;
    expect(reconstruct.every((e) => e.t >= mid)).toBe(true);
  });

  it('sends roughly its share of exchanges', () => {
    expect(events.length).toBeGreaterThan(4000 * 0.7);
    expect(events.length).toBeLessThan(4000 * 1.6);
  });
});
