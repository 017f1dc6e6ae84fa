import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration-option.js';

describe('parseDuration', () => {
  it('reads seconds to days, and 0', () => {
    expect(parseDuration('--w', '90s')).toBe(90_000);
    expect(parseDuration('--w', '15m')).toBe(900_000);
    expect(parseDuration('--w', '2h')).toBe(7_200_000);
    expect(parseDuration('--w', '30d')).toBe(2_592_000_000);
    expect(parseDuration('--w', '0')).toBe(0);
  });

  it('names the flag on anything else', () => {
    for (const bad of ['1 week', '-5m', '10', 'm'])
      expect(() => parseDuration('--reorder-window', bad)).toThrow(/--reorder-window must be a duration/);
  });
});
