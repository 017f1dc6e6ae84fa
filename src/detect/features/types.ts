/**
 * What the detector knows about one exchange after feature extraction. Everything here is
 * derived from the event alone (no account state), so it is safe to compute in parallel and
 * cheap to keep: strings are short, hashes are 32-bit integers.
 */

/** Capability classes from DESIGN.md "Signals". */
export const CAPABILITIES = ['coding', 'math', 'agentic', 'security', 'writing', 'chat', 'other'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** Network kind of the client's autonomous system. */
export type AsnKind = 'residential' | 'hosting' | 'proxy' | 'mobile' | 'education' | 'business' | 'unknown';

export interface ExchangeFeatures {
  /** Length in characters of the full last user turn before truncation. */
  promptChars: number;
  /** 32-bit FNV-1a hash of the template skeleton (numbers, names, quoted inputs, input blocks masked). */
  skeleton: number;
  /**
   * 64-bit SimHash of the prompt as two unsigned 32-bit halves, for near-duplicate search: one
   * replaced word moves a median 4 bits (p90 8) on corpus prompts; unrelated prompts sit ≥ 20 apart (p1).
   */
  simhashHi: number;
  simhashLo: number;
  capability: Capability;
  /** Probability-like score in [0,1] that the prompt asks for the model's full reasoning trace. */
  cotElicitation: number;
  /** Score in [0,1] that the prompt uses the model as a grader / reward model (rubrics, scores). */
  rubricGrading: number;
  /** Score in [0,1] that the prompt is a dataset-style instruction rather than a conversational turn. */
  datasetStyle: number;
  /** Number of user turns in the request (1 = single-turn). */
  userTurns: number;
  /** True when earlier assistant turns are present and the last user turn refers back to them. */
  buildsOnAnswer: boolean;
  /** Score in [0,1]: how much output the request asks for (max_tokens, thinking budget, logprobs, n). */
  outputHunger: number;
  /** Tools declared in the request. */
  toolCount: number;
  asnKind: AsnKind;
  /** e.g. "python-requests", "openai-python", "chrome", "curl", "unknown". */
  uaFamily: string;
  /** IPv4 /24 or IPv6 /48 of the client, e.g. "203.0.113.0/24". */
  subnet: string;
}
