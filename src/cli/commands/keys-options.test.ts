import { describe, expect, it } from 'vitest';
import { amountOption, parseExpires, parseScopes } from './keys-options.js';

const NOW = Date.parse('2026-01-01T00:00:00.000Z');

describe('keys options', () => {
  it('parses expiry', () => {
    expect(parseExpires('30d', NOW)).toBe('2026-01-31T00:00:00.000Z');
    expect(parseExpires('2026-06-01T00:00:00Z', NOW)).toBe('2026-06-01T00:00:00.000Z');
    expect(() => parseExpires('2025-01-01T00:00:00Z', NOW)).toThrow(/must be in the future/);
    expect(() => parseExpires('soon', NOW)).toThrow(/--expires must be/);
  });

  it('parses amounts and scopes', () => {
    expect(amountOption('--daily-budget')('2.5')).toBe(2.5);
    expect(() => amountOption('--daily-budget')('-1')).toThrow(/non-negative/);
    expect(() => amountOption('--daily-budget')('')).toThrow(/non-negative/);
    expect(parseScopes(' a, b ,')).toEqual(['a', 'b']);
    expect(() => parseScopes(',')).toThrow(/at least one model/);
  });
});
