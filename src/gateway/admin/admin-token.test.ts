import { describe, expect, it } from 'vitest';
import { adminTokenMatches } from './admin-token.js';

describe('adminTokenMatches', () => {
  it('accepts only Bearer <exact token>', () => {
    const t = 'abcdefghijklmnop';
    expect(adminTokenMatches(`Bearer ${t}`, t)).toBe(true);
    expect(adminTokenMatches(`bearer ${t}`, t)).toBe(true);
    expect(adminTokenMatches(`Bearer ${t}x`, t)).toBe(false);
    expect(adminTokenMatches(t, t)).toBe(false);
    expect(adminTokenMatches(undefined, t)).toBe(false);
    expect(adminTokenMatches('Bearer ', '')).toBe(false);
    expect(adminTokenMatches('Bearer x', '')).toBe(false);
  });
});
