import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { byAccount, eventsOf, lastUserText, testWorld } from '../test-helpers/world.js';
import { DAY, HOUR } from '../timing.js';
import { enterpriseApp } from './enterprise-app.js';

describe('enterprise-app', () => {
  const world = testWorld(7);
  const pop = enterpriseApp(world, new Rng(3).fork('enterprise-app'), 6);
  const events = eventsOf(pop);

  it('is verified, belongs to an org and carries its org on every event', () => {
    expect(pop.accounts.every((a) => a.verified === true && a.org_id !== undefined)).toBe(true);
    expect(events.every((e) => e.org_id !== undefined)).toBe(true);
  });

  it('sends one template per account', () => {
    for (const list of byAccount(events).values()) {
      const heads = new Set(list.map((e) => lastUserText(e).slice(0, 40)));
      expect(heads.size).toBe(1);
      expect(new Set(list.map((e) => e.request.system ?? e.request.messages[0]?.content)).size).toBe(1);
    }
  });

  it('runs around the clock at high volume', () => {
    const hours = new Set(events.map((e) => Math.floor((e.t % DAY) / HOUR)));
    expect(hours.size).toBe(24);
    const busiest = Math.max(...[...byAccount(events).values()].map((l) => l.length));
    expect(busiest / 7).toBeGreaterThan(50);
  });
});
