import { describe, expect, it } from 'vitest';
import { PROXY_POOL, PROXY_SUBNETS } from '../network.js';
import { resellerCustomer } from '../personas/reseller-customer.js';
import { Rng } from '../rng.js';
import { byAccount, eventsOf, testWorld } from '../test-helpers/world.js';
import { HOUR } from '../timing.js';
import { hydra } from './hydra.js';

function subnet(ip: string): string {
  return ip.split('.').slice(0, 3).join('.');
}

describe('hydra', () => {
  const world = testWorld(44);
  const pop = hydra(world, new Rng(14).fork('hydra'));
  const events = eventsOf(pop);
  const lists = byAccount(events);

  it('replenishes: accounts are used for a while, then fresh sign-ups take over', () => {
    expect(pop.accounts.length).toBeGreaterThanOrEqual(40);
    const spans = [...lists.values()].map((l) => ({ first: l[0]?.t ?? 0, last: l[l.length - 1]?.t ?? 0 }));
    const firstEnd = Math.min(...spans.map((s) => s.last));
    // Accounts that only appear after another has gone quiet for good.
    expect(spans.filter((s) => s.first > firstEnd).length).toBeGreaterThan(pop.accounts.length / 2);
    for (const a of pop.accounts) {
      const first = lists.get(a.account_id)?.[0]?.t;
      if (first !== undefined) expect(first - Date.parse(a.created_at)).toBeLessThan(24 * HOUR);
    }
  });

  it('reuses a few cards across many accounts, but not all', () => {
    const uses = new Map<string, number>();
    for (const a of pop.accounts)
      uses.set(a.payment_fingerprint ?? '', (uses.get(a.payment_fingerprint ?? '') ?? 0) + 1);
    expect(Math.max(...uses.values())).toBeGreaterThanOrEqual(3);
    expect(uses.size).toBeGreaterThan(5);
  });

  it('goes through the same proxy pool (ASN and /24s) as legitimate reseller customers', () => {
    expect(events.every((e) => e.client.asn === PROXY_POOL.asn)).toBe(true);
    const resellers = eventsOf(resellerCustomer(world, new Rng(15), 10));
    const hydraSubnets = new Set(events.map((e) => subnet(e.client.ip)));
    expect(resellers.every((e) => hydraSubnets.has(subnet(e.client.ip)))).toBe(true);
    expect(hydraSubnets.size).toBeLessThanOrEqual(PROXY_POOL.prefixes.length * PROXY_SUBNETS.length);
  });
});
