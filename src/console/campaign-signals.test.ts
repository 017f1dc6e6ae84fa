import { describe, expect, it } from 'vitest';
import type { ExchangeEvent } from '../contract/types.js';
import { skeleton } from '../detect/features/skeleton.js';
import { fingerprintEvent } from '../store/fingerprint.js';
import { accountSignals, networkOf, timingKey } from './campaign-signals.js';

const ev = (ts: string, content: string, ip = '10.0.0.1'): ExchangeEvent => ({
  id: ts,
  ts,
  account_id: 'a',
  client: { ip },
  api: 'openai.chat',
  model: 'm',
  request: { messages: [{ role: 'user', content }] },
});

describe('networkOf', () => {
  it('gives the /24 of IPv4 and the /48 of IPv6', () => {
    expect(networkOf('10.1.2.3')).toBe('10.1.2.0/24');
    expect(networkOf('2001:db8:1:2::5')).toBe('2001:db8:1::/48');
    expect(networkOf('2001:db8::1')).toBe('2001:db8:0::/48');
    expect(networkOf(null)).toBeNull();
    expect(networkOf('not an ip')).toBeNull();
  });
});

describe('timingKey', () => {
  it('buckets the median gap and names the busiest 6-hour block', () => {
    const t = (s: string) => Date.parse(`2026-01-01T${s}Z`);
    expect(timingKey([t('13:00:00'), t('13:02:00'), t('13:05:00')])).toBe('gaps 1–3 min · 12–18 UTC');
    expect(timingKey([t('00:00:00'), t('00:00:00.400'), t('00:00:00.900')])).toBe('gaps < 1 s · 00–06 UTC');
    // Spread evenly over the day: no block holds half the requests.
    expect(timingKey([t('01:00:00'), t('07:00:00'), t('13:00:00'), t('19:00:00')])).toBe(
      'gaps 3–12 h · spread over the day',
    );
    expect(timingKey([t('01:00:00'), t('01:00:05')])).toBeNull();
  });
});

describe('accountSignals', () => {
  it('keys the template used most often, if used at least twice', () => {
    const mixed = [
      ev('2026-01-01T00:00:00.000Z', 'Translate to French: "Good morning, Anna"'),
      ev('2026-01-01T00:01:00.000Z', 'why is the sky blue'),
      ev('2026-01-01T00:02:00.000Z', 'write a haiku about rain'),
    ];
    expect(accountSignals('a', mixed).template).toBeNull();
    const templated = [
      ...mixed,
      ev('2026-01-01T00:03:00.000Z', 'Translate to French: "See you tomorrow, Marc"'),
    ];
    const key = accountSignals('a', templated).template;
    expect(key).toMatch(/^translate to #: # \[[0-9a-f]{8}\]$/);
    // The bracketed hash is the detector's skeleton hash of those prompts.
    const hash = skeleton('Translate to French: "See you tomorrow, Marc"').toString(16).padStart(8, '0');
    expect(key).toContain(`[${hash}]`);
  });

  it('breaks a tie between templates the same way whatever the order, so rotating fleets match', () => {
    const t = (m: number, content: string) => ev(`2026-01-01T00:0${m}:00.000Z`, content);
    const a = [
      t(0, 'Translate to French: "Good morning"'),
      t(1, 'Score this answer from 1 to 10: "42"'),
      t(2, 'Translate to French: "Good night"'),
      t(3, 'Score this answer from 1 to 10: "7"'),
    ];
    const b = [a[1], a[0], a[3], a[2]].filter((e): e is ExchangeEvent => e !== undefined);
    const key = accountSignals('a', a).template;
    expect(key).toMatch(/^score this answer from # to #: #/);
    expect(accountSignals('b', b).template).toBe(key);
  });

  it('has no template when the log kept only fingerprints of the text', () => {
    const e = fingerprintEvent(ev('2026-01-01T00:00:00.000Z', 'Translate to French: "Good morning"'));
    expect(accountSignals('a', [e, e]).template).toBeNull();
  });

  it('keys the request network most requests come from, and nothing for an empty log', () => {
    const events = [
      ev('2026-01-01T00:00:00.000Z', 'x', '192.0.2.1'),
      ev('2026-01-01T00:01:00.000Z', 'y', '192.0.2.200'),
      ev('2026-01-01T00:02:00.000Z', 'z', '198.51.100.1'),
    ];
    expect(accountSignals('a', events).request_network).toBe('192.0.2.0/24');
    expect(accountSignals('a', events).client_fingerprint).toBeNull();
    expect(accountSignals('a', [])).toEqual({
      account_id: 'a',
      exchanges: 0,
      template: null,
      timing: null,
      request_network: null,
      client_fingerprint: null,
    });
  });

  it('keys the user agent and TLS fingerprint most requests carry', () => {
    const withClient = (ts: string, ua?: string, tls?: string): ExchangeEvent => ({
      ...ev(ts, 'x'),
      client: { ip: '10.0.0.1', user_agent: ua, tls_fingerprint: tls },
    });
    const events = [
      withClient('2026-01-01T00:00:00.000Z', 'python-httpx/0.27', 't13d1516h2_8daaf6152771'),
      withClient('2026-01-01T00:01:00.000Z', 'python-httpx/0.27', 't13d1516h2_8daaf6152771'),
      withClient('2026-01-01T00:02:00.000Z', 'Mozilla/5.0', 't13d1517h2_aaaaaaaaaaaa'),
    ];
    expect(accountSignals('a', events).client_fingerprint).toBe(
      'python-httpx/0.27 · t13d1516h2_8daaf6152771',
    );
    expect(accountSignals('a', [withClient('2026-01-01T00:00:00.000Z', 'curl/8')]).client_fingerprint).toBe(
      'curl/8 · (no TLS fingerprint)',
    );
  });
});
