/**
 * Delay before retry number `attempt` (0-based): exponential with "equal jitter" — half the
 * capped exponential delay plus a random share of the other half — so synchronized clients
 * spread out after an upstream hiccup while each still waits at least half the nominal delay.
 * A `Retry-After` (seconds) within the cap wins, since the upstream knows best.
 *
 * @example
 * backoffDelay(2, { baseDelayMs: 100, maxDelayMs: 2000 }); // between 200 and 400
 */
export function backoffDelay(
  attempt: number,
  options: { baseDelayMs: number; maxDelayMs: number },
  retryAfterHeader?: string | undefined,
  random: () => number = Math.random,
): number {
  const retryAfter = typeof retryAfterHeader === 'string' ? Number(retryAfterHeader) : Number.NaN;
  if (Number.isFinite(retryAfter) && retryAfter >= 0 && retryAfter * 1000 <= options.maxDelayMs)
    return retryAfter * 1000;
  const nominal = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
  return nominal / 2 + random() * (nominal / 2);
}
