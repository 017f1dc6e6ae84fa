/**
 * Two prompt intents that distillation campaigns rely on and ordinary use rarely shows:
 * chain-of-thought elicitation (asking for the full reasoning trace, every step, the internal
 * thinking) and rubric grading (using the model as a grader or reward model). Each is a cue
 * lexicon of generic phrasings with strong and weak weights (English here, other languages in
 * elicitation-languages.ts), plus request fields for CoT.
 */
import type { WireRequest } from '../../contract/types.js';
import * as otherLanguages from './elicitation-languages.js';
import { registerCues } from './lexicon.js';
import { reasoningEffort, thinkingBudget } from './request-fields.js';
import { saturate } from './score.js';
import type { TextProfile } from './tokens.js';

const LEX = registerCues('elicitation', {
  cotStrong: [
    'step by step',
    'show your work',
    'show all your work',
    'show your working',
    'show your reasoning',
    'show your steps',
    'show all steps',
    'show all the steps',
    'show every step',
    'show each step',
    'explain your reasoning',
    'explain your thinking',
    'explain your thought process',
    'thought process',
    'reasoning process',
    'reasoning trace',
    'reasoning steps',
    'chain of thought',
    'internal reasoning',
    'full reasoning',
    'complete reasoning',
    'detailed reasoning',
    'entire reasoning',
    'reasoning behind',
    'articulate the reasoning',
    'articulate your reasoning',
    'articulate the internal',
    'walk me through',
    'walk through your',
    'think through',
    'think aloud',
    'think out loud',
    'lets think',
    'think carefully',
    'reason through',
    'reason carefully',
    'explain each step',
    'explain every step',
    'justify each step',
    'each step of',
    'every step of',
    'every intermediate',
    'intermediate steps',
    'before giving the final answer',
    'before answering',
    'before you answer',
    'scratchpad',
    'working out',
    'your thinking',
    'how you arrived',
    'how you got',
    'how did you arrive',
    'derive the answer',
    'show the derivation',
    ...otherLanguages.COT_STRONG,
  ],
  cotWeak: [
    'explain why',
    'explain how',
    'reasoning',
    'justify',
    'in detail',
    'detailed explanation',
    'thoroughly',
    'rationale',
    ...otherLanguages.COT_WEAK,
  ],
  rubricStrong: [
    'rubric',
    'rate the following',
    'rate this response',
    'rate the response',
    'rate the answer',
    'rate the quality',
    'rate each',
    'grade the following',
    'grade this',
    'grade the response',
    'grade the answer',
    'grade each',
    'score the following',
    'score the response',
    'score the answer',
    'score each',
    'on a scale of 1 to',
    'on a scale from 1 to',
    'scale of 1 10',
    'scale of 1 5',
    'score from 1 to',
    'score of 1 to',
    'score between',
    'a score of',
    'output a score',
    'give a score',
    'assign a score',
    'provide a score',
    'which response is better',
    'which answer is better',
    'which of the two responses',
    'which of the two answers',
    'compare the two responses',
    'compare the two answers',
    'compare the following responses',
    'response a',
    'response b',
    'assistant a',
    'assistant b',
    'reward model',
    'as a judge',
    'impartial judge',
    'as a grader',
    'as an evaluator',
    'evaluate the response',
    'evaluate the answer',
    'evaluate the following response',
    'evaluate the quality',
    'preferred response',
    'better response',
    'your verdict',
    'final verdict',
    'pairwise',
    ...otherLanguages.RUBRIC_STRONG,
  ],
  rubricWeak: [
    'rate',
    'score',
    'grade',
    'evaluate',
    'criteria',
    'criterion',
    'helpfulness',
    'harmlessness',
    'relevance',
    'coherence',
    'factuality',
    'judge',
    'verdict',
    'preference',
    ...otherLanguages.RUBRIC_WEAK,
  ],
});
const COT_STRONG = LEX.index('cotStrong');
const COT_WEAK = LEX.index('cotWeak');
const RUBRIC_STRONG = LEX.index('rubricStrong');
const RUBRIC_WEAK = LEX.index('rubricWeak');

/** Elicitation scores of one request. */
export interface Elicitation {
  cotElicitation: number;
  rubricGrading: number;
}

/**
 * Scores CoT elicitation and rubric grading from the profiled last user turn and the request.
 * One strong phrase gives ≈ 0.8; weak words alone stay low; an extended-thinking budget or high
 * reasoning effort adds a little (power users set those too).
 *
 * @example
 * const p = profileText('Solve this and show your work step by step: 12 * 7');
 * elicitation(p, { messages: [] }).cotElicitation > 0.9; // true
 */
export function elicitation(
  profile: Pick<TextProfile, 'hashes' | 'words'>,
  request: WireRequest,
): Elicitation {
  const c = LEX.count(profile);
  const effort = reasoningEffort(request);
  const fromRequest = (thinkingBudget(request) > 0 ? 0.3 : 0) + (effort === 'high' ? 0.2 : 0);
  const cot = 1.6 * c[COT_STRONG]! + 0.3 * Math.min(c[COT_WEAK]!, 3) + fromRequest;
  const rubric = 1.6 * c[RUBRIC_STRONG]! + 0.2 * Math.min(c[RUBRIC_WEAK]!, 4);
  return { cotElicitation: saturate(cot), rubricGrading: saturate(rubric) };
}
