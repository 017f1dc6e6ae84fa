/**
 * GCRA (generic cell rate algorithm): a token bucket stored as one number, the theoretical
 * arrival time. O(1) per request and no timers. Capacity equals the per-window limit, so a
 * client may burst a full minute's allowance and then proceeds at the steady rate.
 */

/** Bucket state: the time (ms) at which the bucket would be completely full again. */
export interface GcraState {
  tat: number;
}

export interface GcraCheck {
  allowed: boolean;
  /** Units left in the bucket after this request (if allowed) or now (if not). */
  remaining: number;
  /** Milliseconds until the bucket is full again. */
  resetMs: number;
  /** Milliseconds until this request would be allowed; 0 if allowed. */
  retryMs: number;
  /** The new tat to store if the caller commits. */
  nextTat: number;
}

/**
 * Checks whether `cost` units fit in a bucket of `limit` units per `windowMs`, without changing it.
 * A cost larger than the whole bucket is admitted only when the bucket is full (charging the full
 * cost), so an oversized request is slowed, never locked out forever.
 *
 * @example
 * const c = gcraCheck({ tat: 0 }, 1, 60, 60_000, Date.now());
 * if (c.allowed) state.tat = c.nextTat;
 */
export function gcraCheck(
  state: GcraState,
  cost: number,
  limit: number,
  windowMs: number,
  now: number,
): GcraCheck {
  if (limit <= 0)
    return { allowed: false, remaining: 0, resetMs: windowMs, retryMs: windowMs, nextTat: state.tat };
  const interval = windowMs / limit;
  const base = Math.max(state.tat, now);
  const nextTat = base + cost * interval;
  const full = state.tat <= now;
  const allowed = nextTat - now <= windowMs || full;
  const tatAfter = allowed ? nextTat : base;
  const remaining = Math.max(0, Math.floor((windowMs - (tatAfter - now)) / interval));
  const retryMs = allowed ? 0 : Math.ceil(nextTat - now - windowMs);
  return { allowed, remaining, resetMs: Math.max(0, Math.ceil(tatAfter - now)), retryMs, nextTat };
}

/**
 * Adjusts a bucket by `delta` units after the fact (positive: charge more; negative: refund).
 *
 * @example
 * gcraAdjust(state, actualTokens - estimatedTokens, limit, 60_000);
 */
export function gcraAdjust(state: GcraState, delta: number, limit: number, windowMs: number): void {
  if (limit <= 0) return;
  state.tat += delta * (windowMs / limit);
}
