/**
 * Up-front estimate of a request's tokens and cost, for admission by the limiter before the
 * upstream has answered: prompt text at ~4 characters per token plus the output the client asked
 * for (max_tokens / max_completion_tokens / max_output_tokens, else a default). The real usage
 * reconciles it when the lease is released, so the estimate only needs to be of the right size.
 */
import type { WireRequest } from '../../contract/types.js';
import type { PriceTable } from './pricing.js';

export interface RequestEstimate {
  inputTokens: number;
  outputTokens: number;
  estimatedTokens: number;
  estimatedCostUsd: number;
}

export interface EstimateOptions {
  /** Output tokens assumed when the request names no maximum. */
  defaultOutputTokens?: number;
  /** Stop counting text after this many characters: bounded cost on megabyte prompts. */
  maxCharsCounted?: number;
}

const CHARS_PER_TOKEN = 4;

/** Sums string lengths in a JSON-like value, stopping once `budget` is exceeded. */
function textLength(value: unknown, budget: number): number {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && total <= budget) {
    const v = stack.pop();
    if (typeof v === 'string') total += v.length;
    else if (Array.isArray(v)) for (const item of v) stack.push(item);
    else if (typeof v === 'object' && v !== null) for (const item of Object.values(v)) stack.push(item);
  }
  return total;
}

function requestedOutput(request: WireRequest): number | undefined {
  for (const k of ['max_completion_tokens', 'max_tokens', 'max_output_tokens']) {
    const v = request[k];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return Math.floor(v);
  }
  return undefined;
}

/**
 * Estimates tokens and cost of a request before it is forwarded.
 *
 * @example
 * const e = estimateRequest(body, 'gpt-x', prices);
 * limiter.acquire(principal, { estimatedTokens: e.estimatedTokens, estimatedCostUsd: e.estimatedCostUsd, factor });
 */
export function estimateRequest(
  request: WireRequest,
  model: string,
  prices: PriceTable,
  opts: EstimateOptions = {},
): RequestEstimate {
  const cap = opts.maxCharsCounted ?? 4_000_000;
  const chars = Math.min(cap, textLength([request.messages, request.system, request.tools], cap));
  const inputTokens = Math.ceil(chars / CHARS_PER_TOKEN);
  const n = typeof request.n === 'number' && Number.isInteger(request.n) && request.n > 1 ? request.n : 1;
  const outputTokens = (requestedOutput(request) ?? opts.defaultOutputTokens ?? 1024) * n;
  return {
    inputTokens,
    outputTokens,
    estimatedTokens: inputTokens + outputTokens,
    estimatedCostUsd: prices.cost(model, { inputTokens, outputTokens }),
  };
}
