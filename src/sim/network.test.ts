import { describe, expect, it } from 'vitest';
import {
  apiOf,
  endpoint,
  fingerprint,
  HOSTING,
  PROXY_POOL,
  PROXY_SUBNETS,
  proxyExit,
  residential,
} from './network.js';
import { Rng } from './rng.js';

describe('network pools', () => {
  const rng = new Rng(4);

  it('draws addresses inside the network’s announced prefixes', () => {
    for (const net of HOSTING) {
      const where = endpoint(rng, net);
      const [a, b] = where.ip.split('.').map(Number);
      expect(net.prefixes.some(([x, y]) => x === a && y === b)).toBe(true);
      expect(where).toMatchObject({ asn: net.asn, asn_org: net.org, country: net.country });
    }
  });

  it('keeps proxy exits inside a few /24s of one ASN', () => {
    const subnets = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const exit = proxyExit(rng);
      expect(exit.asn).toBe(PROXY_POOL.asn);
      subnets.add(exit.ip.split('.').slice(0, 3).join('.'));
    }
    expect(subnets.size).toBeLessThanOrEqual(PROXY_POOL.prefixes.length * PROXY_SUBNETS.length);
  });

  it('prefers local ISPs and gives SDK-consistent fingerprints and formats', () => {
    expect(residential(rng, 'DE').country).toBe('DE');
    expect(fingerprint(rng, 'openai-python').user_agent).toMatch(/^OpenAI\/Python /);
    expect(apiOf('anthropic-python', rng)).toBe('anthropic.messages');
    expect(apiOf('openai-node', rng)).toBe('openai.chat');
  });
});
