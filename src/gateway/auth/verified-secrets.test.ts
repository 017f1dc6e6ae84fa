import { describe, expect, it } from 'vitest';
import { createVerifiedSecrets } from './verified-secrets.js';

const SECRET = `dg_aaaaaaaaaaaa_${'A'.repeat(43)}`;
const OTHER = `dg_aaaaaaaaaaaa_${'B'.repeat(43)}`;

describe('createVerifiedSecrets', () => {
  it('recognises a proven secret only for the same id, secret and stored hash', () => {
    const v = createVerifiedSecrets(4);
    expect(v.has('aaaaaaaaaaaa', SECRET, 'h1')).toBe(false);
    v.add('aaaaaaaaaaaa', SECRET, 'h1');
    expect(v.has('aaaaaaaaaaaa', SECRET, 'h1')).toBe(true);
    expect(v.has('aaaaaaaaaaaa', OTHER, 'h1')).toBe(false);
    expect(v.has('aaaaaaaaaaaa', SECRET, 'h2')).toBe(false);
    expect(v.has('bbbbbbbbbbbb', SECRET, 'h1')).toBe(false);
    expect(v.has('aaaaaaaaaaaa', 'short', 'h1')).toBe(false);
  });

  it('evicts the oldest proof when full and forgets on request', () => {
    const v = createVerifiedSecrets(2);
    v.add('a', 's1', 'h');
    v.add('b', 's2', 'h');
    v.add('c', 's3', 'h');
    expect(v.size).toBe(2);
    expect(v.has('a', 's1', 'h')).toBe(false);
    expect(v.has('c', 's3', 'h')).toBe(true);
    v.forget('c');
    expect(v.has('c', 's3', 'h')).toBe(false);
    v.clear();
    expect(v.size).toBe(0);
  });

  it('remembers nothing at size 0 and rejects a bad size', () => {
    const v = createVerifiedSecrets(0);
    v.add('a', 's', 'h');
    expect(v.has('a', 's', 'h')).toBe(false);
    expect(() => createVerifiedSecrets(-1)).toThrow(/whole number/);
  });
});
