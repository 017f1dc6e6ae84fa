import { describe, expect, it } from 'vitest';
import { elicitation } from './elicitation.js';
import { profileText } from './tokens.js';

const score = (text: string, request: Record<string, unknown> = {}) =>
  elicitation(profileText(text), { messages: [], ...request });

describe('cotElicitation', () => {
  it('is high for requests for the full reasoning trace', () => {
    for (const text of [
      'Think step by step. If Windows 10 shipped on floppies, how many would it take?',
      'Solve the equation and show your work.',
      'Articulate the internal reasoning behind your answer in full, then give the final answer.',
      'Explain your thought process in detail before answering.',
      "Let's think about this carefully: what is 17 * 23?",
    ]) {
      expect(score(text).cotElicitation, text).toBeGreaterThan(0.75);
    }
  });

  it('stays low for ordinary prompts and weak words alone', () => {
    expect(score('what do you think about the future of iran?').cotElicitation).toBe(0);
    expect(score('Write a haiku about autumn rain.').cotElicitation).toBe(0);
    expect(score('Explain why the sky is blue.').cotElicitation).toBeLessThan(0.4);
  });

  it('adds a little for an extended-thinking budget or high reasoning effort', () => {
    const plain = score('Prove that there are infinitely many primes.').cotElicitation;
    const thinking = score('Prove that there are infinitely many primes.', {
      thinking: { type: 'enabled', budget_tokens: 32000 },
      reasoning_effort: 'high',
    }).cotElicitation;
    expect(thinking).toBeGreaterThan(plain);
    expect(thinking).toBeLessThan(0.5);
  });
});

describe('rubricGrading', () => {
  it('is high when the model is used as a grader or reward model', () => {
    for (const text of [
      'Please act as an impartial judge and evaluate the quality of the response provided by an AI assistant.',
      'Using the rubric below, score the answer from 1 to 10.',
      'Here are two answers to the question. Which response is better, Response A or Response B?',
      'Rate the following essay on a scale of 1-10 for coherence.',
    ]) {
      expect(score(text).rubricGrading, text).toBeGreaterThan(0.75);
    }
  });

  it('stays low for prompts that only mention rates or scores in passing', () => {
    expect(score('What is the current interest rate in the UK?').rubricGrading).toBeLessThan(0.3);
    expect(score('My team lost 3-1, what was the score in the last derby?').rubricGrading).toBeLessThan(0.3);
  });
});
