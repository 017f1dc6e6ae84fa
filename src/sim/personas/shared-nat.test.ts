import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { eventsOf, testWorld } from '../test-helpers/world.js';
import { DAY } from '../timing.js';
import { sharedNat } from './shared-nat.js';

describe('shared-nat', () => {
  const world = testWorld(14);
  const pop = sharedNat(world, new Rng(6).fork('shared-nat'), 40);
  const events = eventsOf(pop);

  it('puts many accounts behind one or two campus addresses of a university network', () => {
    const accountsPerIp = new Map<string, Set<string>>();
    for (const e of events) {
      const set = accountsPerIp.get(e.client.ip) ?? new Set<string>();
      set.add(e.account_id);
      accountsPerIp.set(e.client.ip, set);
    }
    expect(Math.max(...[...accountsPerIp.values()].map((s) => s.size))).toBeGreaterThanOrEqual(10);
    expect(accountsPerIp.size).toBeLessThanOrEqual(4);
  });

  it('signs up through the education channel in a burst at term start', () => {
    expect(
      pop.accounts.every((a) => a.signup_channel === 'education' && (a.email_domain ?? '').endsWith('.edu')),
    ).toBe(true);
    const created = pop.accounts.map((a) => Date.parse(a.created_at));
    expect(Math.max(...created) - Math.min(...created)).toBeLessThan(7 * DAY);
  });
});
