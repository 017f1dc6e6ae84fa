import { describe, expect, it } from 'vitest';
import { createSignInGuard } from './sign-in-guard.js';

describe('createSignInGuard', () => {
  it('locks sign-in after too many failures until the window ends', () => {
    let t = 0;
    const guard = createSignInGuard({ maxFailures: 3, windowMs: 1000, now: () => t });
    for (let i = 0; i < 3; i++) {
      expect(guard.retryAfterMs()).toBe(0);
      guard.failed();
    }
    t = 400;
    expect(guard.retryAfterMs()).toBe(600);
    t = 1000;
    expect(guard.retryAfterMs()).toBe(0);
  });
});
