import { describe, expect, it } from 'vitest';
import { ArgsError, parseBenchArgs } from './args.js';
import { FULL_PLAN, QUICK_PLAN } from './measure.js';

describe('parseBenchArgs', () => {
  it('defaults to the full plan and every target', () => {
    const args = parseBenchArgs([]);
    expect(args.plan).toEqual(FULL_PLAN);
    expect(args.targets).toEqual(['direct', 'nginx', 'portkey', 'distillguard']);
    expect(args.portkeyDir).toBe('/tmp/dg-bench-portkey');
    expect(args.out).toBeUndefined();
    expect(args.profileDir).toBeUndefined();
  });

  it('takes a calm load threshold', () => {
    expect(parseBenchArgs(['--calm', '1.5']).calmLoad).toBe(1.5);
    expect(parseBenchArgs([]).calmLoad).toBeUndefined();
    expect(() => parseBenchArgs(['--calm', 'low'])).toThrow(
      /--calm must be a load average above 0, got "low"/,
    );
  });

  it('takes a profile folder', () => {
    expect(parseBenchArgs(['--profile', '/tmp/prof']).profileDir).toBe('/tmp/prof');
  });

  it('takes the quick plan and lets single numbers override it', () => {
    const args = parseBenchArgs(['--quick', '--rounds', '4']);
    expect(args.plan).toEqual({ ...QUICK_PLAN, rounds: 4 });
  });

  it('always keeps direct and keeps the canonical order', () => {
    expect(parseBenchArgs(['--targets', 'distillguard, nginx']).targets).toEqual([
      'direct',
      'nginx',
      'distillguard',
    ]);
  });

  it('names the bad flag or value', () => {
    expect(() => parseBenchArgs(['--rounds', '0'])).toThrow(
      /--rounds must be a whole number from 1 to 100, got "0"/,
    );
    expect(() => parseBenchArgs(['--duration', '2.5'])).toThrow(ArgsError);
    expect(() => parseBenchArgs(['--targets', 'envoy'])).toThrow(/unknown target "envoy"/);
    expect(() => parseBenchArgs(['--fast'])).toThrow(/--fast/);
    expect(() => parseBenchArgs(['stray'])).toThrow(ArgsError);
  });
});
