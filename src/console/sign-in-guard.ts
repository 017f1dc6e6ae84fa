/**
 * Slows down token guessing at console sign-in: after `maxFailures` wrong tokens within a window,
 * every sign-in is refused until the window ends. Global rather than per address, because behind
 * a proxy every caller can share one address and an attacker can use many.
 */

export interface SignInGuard {
  /** Milliseconds until sign-in is allowed again, or 0 when it is allowed now. */
  retryAfterMs(): number;
  failed(): void;
}

/**
 * @example
 * const guard = createSignInGuard();
 * if (guard.retryAfterMs() > 0) refuse429(); else if (!ok) guard.failed();
 */
export function createSignInGuard(
  opts: { maxFailures?: number; windowMs?: number; now?: () => number } = {},
): SignInGuard {
  const max = opts.maxFailures ?? 20;
  const windowMs = opts.windowMs ?? 60_000;
  const now = opts.now ?? Date.now;
  let windowStart = 0;
  let failures = 0;
  const roll = (): void => {
    if (now() - windowStart >= windowMs) {
      windowStart = now();
      failures = 0;
    }
  };
  return {
    retryAfterMs() {
      roll();
      return failures >= max ? windowStart + windowMs - now() : 0;
    },
    failed() {
      roll();
      failures++;
    },
  };
}
