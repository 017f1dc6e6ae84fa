import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../config.js';
import { clientInfo } from './client-info.js';

function req(headers: Record<string, string>, remoteAddress = '::ffff:10.0.0.9'): IncomingMessage {
  return { headers, socket: { remoteAddress } } as unknown as IncomingMessage;
}

const trust = parseGatewayConfig(
  {
    upstreams: { u: { kind: 'anthropic', baseUrl: 'http://x' } },
    models: { m: { targets: [{ upstream: 'u' }] } },
    trustProxy: true,
  },
  {},
).trustProxy;

const edgeHeaders = {
  'user-agent': 'sdk/1',
  'x-forwarded-for': '6.6.6.6, 203.0.113.7',
  'x-edge-asn': 'AS64500',
  'x-edge-asn-org': 'Example Hosting',
  'x-edge-country': 'de',
  'x-edge-tls-fingerprint': 't13d1516h2_8daaf6152771_b0da82dd1658',
};

describe('clientInfo', () => {
  it('ignores edge headers unless trustProxy is configured', () => {
    expect(clientInfo(req(edgeHeaders), null)).toEqual({ ip: '10.0.0.9', user_agent: 'sdk/1' });
  });

  it('believes the trusted edge: last forwarded hop, ASN, country, TLS fingerprint', () => {
    expect(clientInfo(req(edgeHeaders), trust)).toEqual({
      ip: '203.0.113.7',
      user_agent: 'sdk/1',
      asn: 64500,
      asn_org: 'Example Hosting',
      country: 'DE',
      tls_fingerprint: 't13d1516h2_8daaf6152771_b0da82dd1658',
    });
  });

  it('drops malformed edge values', () => {
    expect(clientInfo(req({ 'x-edge-asn': 'lots', 'x-edge-country': 'Germany' }), trust)).toEqual({
      ip: '10.0.0.9',
    });
  });
});
