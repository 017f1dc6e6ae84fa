/**
 * How much output a request asks for, in [0,1]: long completions, big thinking budgets, high
 * reasoning effort, token log-probabilities and several samples per prompt are what a
 * distiller wants and what an ordinary chat request rarely sets.
 */
import type { WireRequest } from '../../contract/types.js';
import { numberField, reasoningEffort, thinkingBudget } from './request-fields.js';

/** Output-token request considered typical; each doubling beyond it adds hunger. */
const TYPICAL_MAX_TOKENS = 1024;

function clamp01(x: number): number {
  return Math.min(Math.max(x, 0), 1);
}

/** 0 at or below `typical`, 1 at 32 × typical, log-scaled between. */
function doublings(value: number, typical: number): number {
  return value <= typical ? 0 : clamp01(Math.log2(value / typical) / 5);
}

/**
 * Output hunger of a request: a noisy-OR of its separate asks, so one strong ask (n = 8,
 * top_logprobs = 20, a 32k budget) scores high alone and several moderate ones add up.
 *
 * @example
 * outputHunger({ messages: [] }); // 0
 * outputHunger({ messages: [], max_tokens: 32768, logprobs: true, top_logprobs: 20 }) > 0.9; // true
 */
export function outputHunger(request: WireRequest): number {
  // The noisy-OR is kept as a running product (every request pays for this; a list of asks was garbage).
  let keep = 1;
  const maxTokens = numberField(request, 'max_completion_tokens') ?? numberField(request, 'max_tokens');
  if (maxTokens !== undefined) keep *= 1 - clamp01(0.8 * doublings(maxTokens, TYPICAL_MAX_TOKENS));
  const budget = thinkingBudget(request);
  if (budget > 0) keep *= 1 - clamp01(0.3 + 0.6 * doublings(budget, TYPICAL_MAX_TOKENS));
  const effort = reasoningEffort(request);
  if (effort === 'high' || effort === 'xhigh' || effort === 'max') keep *= 0.5;
  else if (effort === 'medium') keep *= 0.8;
  if (request.logprobs === true) {
    const top = numberField(request, 'top_logprobs') ?? 0;
    keep *= 1 - clamp01(0.5 + 0.5 * clamp01(top / 20));
  } else if (typeof request.logprobs === 'number' && request.logprobs > 0) {
    keep *= 1 - clamp01(0.5 + 0.5 * clamp01(request.logprobs / 5)); // legacy completions: logprobs = k
  }
  const n = numberField(request, 'n') ?? 1;
  if (n > 1) keep *= 1 - clamp01(0.4 + 0.6 * clamp01(Math.log2(n) / 4));
  return 1 - keep;
}
