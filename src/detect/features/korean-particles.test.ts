import { describe, expect, it } from 'vitest';
import { withParticles } from './korean-particles.js';

describe('withParticles', () => {
  it('lists the bare noun and every particle-bearing form, for phrases too', () => {
    const forms = withParticles('추론 과정');
    expect(forms[0]).toBe('추론 과정');
    expect(forms).toContain('추론 과정을');
    expect(forms).toContain('추론 과정이');
    expect(new Set(forms).size).toBe(forms.length);
  });
});
