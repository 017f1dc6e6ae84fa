/**
 * Short synthetic answer texts for the response log (content logging on). They are kept to a
 * sentence or two so files stay small; token counts are drawn separately and realistically.
 */
import type { Rng } from './rng.js';

export type AnswerKind = 'chat' | 'code' | 'math' | 'reasoning' | 'grade' | 'tool' | 'summary' | 'writing';

const OPENERS: Record<AnswerKind, readonly string[]> = {
  chat: ['Good question!', 'Sure, here is an overview.', 'Happy to help.', 'Here are a few thoughts.'],
  code: ['Here is an implementation:', 'You can do it like this:', 'This version handles the edge cases:'],
  math: ["Let's solve it step by step.", 'We can set this up as follows.', 'First, find the total.'],
  reasoning: [
    'Step 1: restate the problem.',
    'Let me reason through this carefully.',
    'Reasoning: first consider what is given.',
  ],
  grade: ['Score: 7/10.', 'Score: 4/10.', 'Score: 9/10.', 'Rubric assessment:'],
  tool: ['I will call the tool to get that.', 'Let me look that up.'],
  summary: ['Summary:', 'Key points:', 'TL;DR:'],
  writing: ['Here is a draft:', 'Here is one version:', 'Sure — try this:'],
};

const BODIES: Record<AnswerKind, (rng: Rng) => string> = {
  chat: (rng) =>
    `The short answer is that it depends on ${rng.pick(['context', 'your goals', 'the details', 'timing'])}; the main factors are listed below.`,
  code: (rng) =>
    rng.pick([
      '\n```python\ndef solve(items):\n    return [x for x in items if x is not None]\n```',
      '\n```typescript\nexport function solve(items: unknown[]): unknown[] {\n  return items.filter((x) => x != null);\n}\n```',
      '\n```go\nfunc solve(items []int) []int {\n\tout := items[:0]\n\treturn out\n}\n```',
    ]),
  math: (rng) => `Combining the quantities gives ${rng.int(2, 999)}. The answer is ${rng.int(2, 999)}.`,
  reasoning: (rng) =>
    `Then check each constraint in turn, eliminate the inconsistent cases, and verify the result. Final answer: ${rng.int(1, 500)}.`,
  grade: () => 'The response is mostly correct but skips a justification step; clarity is good.',
  tool: () => '',
  summary: (rng) =>
    `the customer reports ${rng.pick(['a billing error', 'a login problem', 'a late delivery', 'a broken feature'])} and asks for a fix.`,
  writing: () => 'A concise paragraph that keeps the requested tone and length.',
};

/**
 * A short answer of the given kind.
 *
 * @example
 * answerText(rng, 'math'); // "Let's solve it step by step. Combining the quantities gives 42. …"
 */
export function answerText(rng: Rng, kind: AnswerKind): string {
  return `${rng.pick(OPENERS[kind])} ${BODIES[kind](rng)}`.trim();
}

/**
 * Typical output length in tokens per kind (log-normal, heavy tail).
 *
 * @example
 * answerTokens(rng, 'reasoning'); // ~900 tokens, sometimes several thousand
 */
export function answerTokens(rng: Rng, kind: AnswerKind): number {
  const median: Record<AnswerKind, number> = {
    chat: 280,
    code: 420,
    math: 220,
    reasoning: 900,
    grade: 180,
    tool: 40,
    summary: 90,
    writing: 350,
  };
  return Math.max(5, Math.round(rng.lognormal(median[kind], 0.55)));
}

/**
 * A real corpus answer cut to a log-friendly length.
 *
 * @example
 * clip('a'.repeat(700)).length; // 601 (600 characters and an ellipsis)
 */
export function clip(text: string, max = 600): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
