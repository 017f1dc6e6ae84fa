/**
 * Small numeric helpers shared by the cue-based scores.
 */

/**
 * Maps accumulated evidence (≥ 0) to [0,1) with diminishing returns: 1 − e^(−x).
 *
 * @example
 * saturate(0); // 0
 * saturate(1.6) > 0.79; // true
 */
export function saturate(evidence: number): number {
  return evidence <= 0 ? 0 : 1 - Math.exp(-evidence);
}

/**
 * Logistic function.
 *
 * @example
 * sigmoid(0); // 0.5
 */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
