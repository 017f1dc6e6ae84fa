import { describe, expect, it } from 'vitest';
import { evaluateBars, formatReport, type TargetName, type TargetSummary } from './report.js';

function target(name: TargetName, overrides: Partial<TargetSummary> = {}): TargetSummary {
  return {
    name,
    p50Ms: 0.1,
    p99Ms: 0.5,
    requestsPerSec: { 16: 10_000, 64: 9_000 },
    ttfbFirstByteMs: 0.2,
    ttfbFirstEventMs: 0.2,
    peakRssMb: 50,
    errors: 0,
    ...overrides,
  };
}

const peers = [
  target('direct', { p50Ms: 0.1, p99Ms: 0.4, peakRssMb: undefined, ttfbFirstEventMs: 0.2 }),
  target('nginx', { p50Ms: 0.16, requestsPerSec: { 16: 12_000, 64: 10_000 } }),
  target('portkey', { p50Ms: 1.2, requestsPerSec: { 16: 800, 64: 700 }, ttfbFirstEventMs: 26 }),
];

const verdict = (verdicts: ReturnType<typeof evaluateBars>, prefix: string) =>
  verdicts.find((v) => v.bar.startsWith(prefix));

describe('evaluateBars', () => {
  it('is empty without distillguard', () => {
    expect(evaluateBars(peers)).toEqual([]);
  });

  it('passes a gateway inside every bar', () => {
    const dg = target('distillguard', {
      p50Ms: 0.35,
      p99Ms: 1.3,
      requestsPerSec: { 16: 5_000, 64: 4_100 },
      ttfbFirstEventMs: 0.6,
      peakRssMb: 120,
    });
    const verdicts = evaluateBars([...peers, dg]);
    expect(verdicts.length).toBe(9);
    expect(verdicts.every((v) => v.pass === true)).toBe(true);
    expect(verdict(verdicts, 'added p50')?.measured).toBe('+0.250 ms');
    expect(verdict(verdicts, '16 connections ≥ 5×')?.measured).toBe('6.3×');
    expect(verdict(verdicts, '64 connections ≥ 40%')?.measured).toBe('41.0%');
  });

  it('fails each bar just past its limit', () => {
    const dg = target('distillguard', {
      p50Ms: 0.41,
      p99Ms: 1.41,
      requestsPerSec: { 16: 4_100, 64: 3_400 },
      ttfbFirstEventMs: 0.71,
      peakRssMb: 151,
      errors: 3,
    });
    const verdicts = evaluateBars([...peers, dg]);
    expect(verdicts.filter((v) => v.pass === false).map((v) => v.bar)).toEqual([
      'no errors under load',
      'added p50 at 1 connection ≤ 0.3 ms',
      'added p99 at 1 connection ≤ 1 ms',
      'streaming TTFB within 0.5 ms of direct',
      '16 connections ≥ 40% of nginx',
      '64 connections ≥ 5× Portkey',
      '64 connections ≥ 40% of nginx',
      'RSS ≤ 150 MB',
    ]);
  });

  it('shows a share just under the nginx bar with the decimal that fails it', () => {
    const dg = target('distillguard', { requestsPerSec: { 16: 4_764, 64: 3_970 } });
    const share = verdict(evaluateBars([...peers, dg]), '64 connections ≥ 40%');
    expect(share).toMatchObject({ measured: '39.7%', pass: false });
  });

  it('does not judge the added p99 when the mock alone had a tail above 10 ms', () => {
    const noisy = [target('direct', { p99Ms: 59 }), target('distillguard', { p99Ms: 25 })];
    const p99 = verdict(evaluateBars(noisy), 'added p99');
    expect(p99?.pass).toBeUndefined();
    expect(p99?.measured).toMatch(/not judged: direct p99 59\.000 ms/);
  });

  it('leaves bars unjudged when their peer is missing', () => {
    const verdicts = evaluateBars([target('direct'), target('distillguard')]);
    expect(verdict(verdicts, '16 connections ≥ 5×')?.pass).toBeUndefined();
    expect(verdict(verdicts, '16 connections ≥ 40%')?.measured).toBe('nginx not measured');
  });
});

describe('formatReport', () => {
  it('prints ratios against Portkey and nginx and added latency against direct', () => {
    const text = formatReport([
      ...peers,
      target('distillguard', { p50Ms: 0.2, requestsPerSec: { 16: 6000, 64: 5000 } }),
    ]);
    expect(text).toMatch(/\| nginx +\| +0\.160 ms \| +\+0\.060 ms \|/);
    expect(text).toMatch(/\| distillguard +\| +6000 \| +7\.50× \| +0\.50× \| +5000 \| +7\.14× \| +0\.50× \|/);
    expect(text).toMatch(/\| added p50 at 1 connection ≤ 0\.3 ms +\| +\+0\.100 ms \| +PASS \|/);
  });

  it('omits the bar table and ratio columns it cannot compute', () => {
    const text = formatReport([target('direct')]);
    expect(text).not.toContain('verdict');
    expect(text).toMatch(/\| direct +\| +10000 \| +– \| +– \|/);
  });
});
