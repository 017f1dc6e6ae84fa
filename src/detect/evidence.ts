/**
 * The explainable scoring model shared by accounts and campaigns: a sum of named log-odds
 * evidence items, each with a human sentence, squashed to [0, 1]. Keeping the items explicit
 * is what lets every decision carry its reasons, strongest first, with numbers.
 */

/** One piece of evidence: a signed log-odds weight and the sentence an analyst reads. */
export interface Evidence {
  weight: number;
  /** A sentence, or a function making it: scoring runs per event, reasons only when a decision is made. */
  reason: string | (() => string);
  /**
   * `harvest`: the item says what is being harvested (reasoning traces, grading, tool decisions,
   * a new model, a taxonomy); `coordination`: accounts share a cheap key (tooling, network, hours).
   */
  tag?: 'harvest' | 'coordination';
}

/** A score in [0, 1] with the evidence that produced it. */
export interface Scored {
  score: number;
  logit: number;
  evidence: Evidence[];
}

/**
 * Sums a prior and evidence weights into a logistic score.
 *
 * @example
 * combine(-4, [{ weight: 3, reason: 'x' }]).score; // ≈ 0.27
 */
export function combine(prior: number, evidence: Evidence[]): Scored {
  let logit = prior;
  for (const e of evidence) logit += e.weight;
  return { score: 1 / (1 + Math.exp(-logit)), logit, evidence };
}

/**
 * Reasons strongest first: evidence for the score, then the largest mitigations, with weights.
 *
 * @example
 * reasonsOf([{ weight: -1, reason: 'verified' }, { weight: 2, reason: 'cot' }]); // ['cot (+2.0)', 'verified (-1.0)']
 */
export function reasonsOf(evidence: Evidence[], max = 6): string[] {
  return evidence
    .filter((e) => Math.abs(e.weight) >= 0.05)
    .sort(
      (a, b) => (b.weight > 0 ? 1 : 0) - (a.weight > 0 ? 1 : 0) || Math.abs(b.weight) - Math.abs(a.weight),
    )
    .slice(0, max)
    .map(
      (e) =>
        `${typeof e.reason === 'string' ? e.reason : e.reason()} (${e.weight >= 0 ? '+' : ''}${e.weight.toFixed(1)})`,
    );
}

/**
 * A share with a small-sample shrink toward 0: `hits / (n + k)`, so three events never look
 * like a 100% pattern.
 *
 * @example
 * shrunkShare(3, 3); // 0.5
 */
export function shrunkShare(hits: number, n: number, k = 3): number {
  return n + k > 0 ? hits / (n + k) : 0;
}

/**
 * Formats a ratio as a whole percentage.
 *
 * @example
 * pct(0.912); // '91%'
 */
export function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}
