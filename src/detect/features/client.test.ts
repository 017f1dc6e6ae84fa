import { describe, expect, it } from 'vitest';
import { asnKind, subnetOf, uaFamily } from './client.js';

describe('uaFamily', () => {
  it('names SDKs, HTTP libraries, tools and browsers', () => {
    expect(uaFamily('OpenAI/Python 1.54.3')).toBe('openai-python');
    expect(uaFamily('python-requests/2.32.3')).toBe('python-requests');
    expect(uaFamily('curl/8.5.0')).toBe('curl');
    expect(uaFamily('Go-http-client/2.0')).toBe('go');
    expect(uaFamily('Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/124.0 Safari/537.36')).toBe(
      'chrome',
    );
    expect(
      uaFamily('Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/124.0 Safari/537.36 Edg/124.0'),
    ).toBe('edge');
    expect(uaFamily('Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Version/17.4 Safari/605.1.15')).toBe(
      'safari',
    );
  });

  it('separates absent from unrecognised', () => {
    expect(uaFamily(undefined)).toBe('unknown');
    expect(uaFamily('  ')).toBe('unknown');
    expect(uaFamily('my-homegrown-client')).toBe('other');
  });
});

describe('asnKind', () => {
  it('classifies by generic cues in the organisation name', () => {
    expect(asnKind(16509, 'AMAZON-02')).toBe('hosting');
    expect(asnKind(64512, 'Example Hosting GmbH')).toBe('hosting');
    expect(asnKind(7922, 'Comcast Cable Communications, LLC')).toBe('residential');
    expect(asnKind(undefined, 'Bright Data Ltd.')).toBe('proxy');
    expect(asnKind(undefined, 'Acme Residential Proxy Network')).toBe('proxy');
    expect(asnKind(undefined, 'Massachusetts Institute of Technology')).toBe('education');
    expect(asnKind(undefined, 'Universidad de Chile')).toBe('education');
    expect(asnKind(undefined, 'Jisc Services Limited')).toBe('education');
    expect(asnKind(undefined, 'Verein zur Foerderung eines Deutschen Forschungsnetzes e.V.')).toBe(
      'education',
    );
    expect(asnKind(undefined, 'KDDI Corporation')).toBe('residential');
    expect(asnKind(undefined, 'T-Mobile USA, Inc.')).toBe('mobile');
  });

  it('matches cues at word starts only', () => {
    expect(asnKind(undefined, 'Schedule Systems')).toBe('unknown'); // not "edu"
    expect(asnKind(undefined, 'Crisp Networks')).toBe('unknown'); // not "isp"
  });

  it('falls back to well-known cloud ASNs, then unknown', () => {
    expect(asnKind(14061, undefined)).toBe('hosting');
    expect(asnKind(64512, undefined)).toBe('unknown');
    expect(asnKind(undefined, '')).toBe('unknown');
  });
});

describe('subnetOf', () => {
  it('gives /24 for IPv4 and /48 for IPv6', () => {
    expect(subnetOf('203.0.113.57')).toBe('203.0.113.0/24');
    expect(subnetOf('2001:db8:abcd:12::1')).toBe('2001:db8:abcd::/48');
    expect(subnetOf('2001:DB8::1')).toBe('2001:db8:0::/48');
    expect(subnetOf('::1')).toBe('0:0:0::/48');
  });

  it('treats IPv4-mapped IPv6 as IPv4 and rejects non-addresses', () => {
    expect(subnetOf('::ffff:198.51.100.7')).toBe('198.51.100.0/24');
    expect(subnetOf('not-an-ip')).toBe('invalid');
    expect(subnetOf('')).toBe('invalid');
    expect(subnetOf('1'.repeat(100_000))).toBe('invalid');
  });
});

describe('uaFamily cache', () => {
  it('stays correct past the cache bound (the cache empties, answers do not change)', () => {
    for (let i = 0; i < 10_000; i++) {
      expect(uaFamily(`python-requests/2.${i}`)).toBe('python-requests');
    }
    expect(uaFamily('OpenAI/Python 1.54.3')).toBe('openai-python');
    expect(uaFamily('   ')).toBe('unknown');
  });

  it('classifies headers too long to cache the same way', () => {
    const long = `python-requests/2.31 ${'x'.repeat(600)}`;
    expect(uaFamily(long)).toBe('python-requests');
    expect(uaFamily(long)).toBe('python-requests');
    expect(asnKind(undefined, `Bright Data Ltd. ${'y'.repeat(600)}`)).toBe('proxy');
  });
});
