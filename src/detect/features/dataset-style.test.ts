import { describe, expect, it } from 'vitest';
import { datasetStyle } from './dataset-style.js';
import { profileText } from './tokens.js';

const style = (text: string, userTurns = 1) => datasetStyle(profileText(text), { userTurns });

describe('datasetStyle', () => {
  it('scores query-set instructions high (Alpaca, Code Alpaca, GSM8K, HumanEval shapes)', () => {
    for (const text of [
      'Categorize the following fruit as either a citrus or a non-citrus fruit.\n\nBanana',
      'Rewrite the following sentence to make it stronger: The students are excited about the trip.',
      'Write a JavaScript code to loop over all elements in the given array.\n\nnumbersArray = [45, 6, 23]',
      'Weng earns $12 an hour for babysitting. Yesterday, she did 50 minutes of babysitting. How much did she earn?',
      'Complete the following Python function:\n\ndef add(a: int, b: int) -> int:\n    """Return a + b."""\n',
      'Given a sentence, output the future perfect tense of the verb.\n\nInput: He will read the book.',
    ]) {
      expect(style(text), text).toBeGreaterThan(0.6);
    }
  });

  it('scores conversational turns low (first/second person, chit-chat, casual typing)', () => {
    for (const text of [
      'hey, can you help me with my essay? i think the intro is weak lol',
      'what do you think about the future of iran?',
      "I'm trying to solve a CTF challenge and I'm stuck, any ideas?",
      'Thanks! That worked. Can you also show me how to do it in Rust?',
      'ciao, sai parlare italiano?',
    ]) {
      expect(style(text), text).toBeLessThan(0.4);
    }
  });

  it('treats follow-ups in a multi-turn conversation as conversational', () => {
    const text = 'Summarize the text in three sentences.';
    expect(style(text, 1) - style(text, 3)).toBeGreaterThan(0.25);
    expect(style('And which is this area?', 3)).toBeLessThan(0.3);
  });

  it('is 0 for an empty turn', () => {
    expect(style('')).toBe(0);
  });
});
