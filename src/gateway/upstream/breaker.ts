/**
 * A per-upstream circuit breaker: closed → (N consecutive failures) → open → (after openMs) →
 * half-open, where one probe request decides between closed and open again.
 *
 * Hand-written rather than a library (e.g. opossum) because the gateway needs only this state
 * machine, queried synchronously before each attempt and fed outcomes that the retry loop
 * classifies itself; opossum wraps the call (timeouts, fallbacks, events), which would duplicate
 * the retry/failover logic and put promise wrapping on the hot path. ~40 lines, clock injectable.
 */

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface CircuitBreaker {
  /** May a request be sent now? In half-open, admits one probe at a time. */
  allow(): boolean;
  success(): void;
  failure(): void;
  state(): BreakerState;
}

/**
 * Creates a breaker.
 *
 * @example
 * const breaker = createBreaker({ failureThreshold: 3, openMs: 10_000 });
 * if (breaker.allow()) { try { await send(); breaker.success(); } catch { breaker.failure(); } }
 */
export function createBreaker(options: {
  failureThreshold: number;
  openMs: number;
  now?: () => number;
  onStateChange?: (state: BreakerState) => void;
}): CircuitBreaker {
  const now = options.now ?? Date.now;
  let state: BreakerState = 'closed';
  let failures = 0;
  let openedAt = 0;
  let probing = false;
  const move = (next: BreakerState) => {
    if (next !== state) {
      state = next;
      options.onStateChange?.(next);
    }
  };
  return {
    allow() {
      if (state === 'closed') return true;
      if (state === 'open') {
        if (now() - openedAt < options.openMs) return false;
        move('half-open');
        probing = false;
      }
      if (probing) return false;
      probing = true;
      return true;
    },
    success() {
      failures = 0;
      probing = false;
      move('closed');
    },
    failure() {
      probing = false;
      failures++;
      if (state === 'half-open' || failures >= options.failureThreshold) {
        openedAt = now();
        move('open');
      }
    },
    state: () => state,
  };
}
