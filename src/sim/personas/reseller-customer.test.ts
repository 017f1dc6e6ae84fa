import { describe, expect, it } from 'vitest';
import { PROXY_POOL } from '../network.js';
import { Rng } from '../rng.js';
import { eventsOf, testWorld } from '../test-helpers/world.js';
import { resellerCustomer } from './reseller-customer.js';

describe('reseller-customer', () => {
  const world = testWorld(14);
  const pop = resellerCustomer(world, new Rng(7).fork('reseller-customer'), 20);
  const events = eventsOf(pop);

  it("comes through the commercial proxy pool's ASN and /24s, signed up via the reseller", () => {
    expect(events.length).toBeGreaterThan(20);
    expect(events.every((e) => e.client.asn === PROXY_POOL.asn)).toBe(true);
    expect(pop.accounts.every((a) => a.signup_channel === 'reseller')).toBe(true);
  });

  it('is benign, ordinary traffic', () => {
    expect(pop.labels.every((l) => l.label === 'benign' && l.persona === 'reseller-customer')).toBe(true);
  });
});
