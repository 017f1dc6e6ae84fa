/**
 * Dataset-style instruction vs conversational turn, as a score in [0,1]. Query sets built for
 * training (Alpaca-like tasks, benchmark problems, "Input:" sections) are imperative or
 * third-person, self-contained and tidy; people chatting write in first and second person,
 * greet, thank, ask follow-ups and type casually. The cues are generic English function words
 * and shapes, never one corpus's wording.
 */
import { buildLexicon, countCues, registerCues } from './lexicon.js';
import { sigmoid } from './score.js';
import type { TextProfile } from './tokens.js';

const LEX = registerCues('style', {
  firstPerson: ['i', 'im', 'ive', 'my', 'me', 'mine', 'myself', 'we', 'our', 'us'],
  secondPerson: ['you', 'your', 'youre', 'yours', 'u'],
  chatty: [
    'hi',
    'hello',
    'hey',
    'thanks',
    'thank you',
    'thx',
    'please',
    'pls',
    'lol',
    'haha',
    'btw',
    'ok',
    'okay',
    'cool',
    'wow',
    'hmm',
    'yeah',
    'yes',
    'no',
    'sorry',
    'actually',
    'honestly',
    'really',
    'just',
    'maybe',
    'i think',
    'i want',
    'i need',
    'i have',
    'im trying',
    'can you',
    'could you',
    'would you',
    'do you',
    'are you',
    'what do you think',
    'help me',
    'tell me',
    'any ideas',
    'what about',
  ],
  taskFrame: [
    'the following',
    'following',
    'given',
    'below',
    'above',
    'input',
    'output',
    'instruction',
    'sentence',
    'paragraph',
    'passage',
    'text',
    'statement',
    'respond with',
    'answer with',
    'return',
    'options',
    'each of',
    'for each',
    'into one of',
    'categories',
    'in one word',
    'in one sentence',
    'in no more than',
    'in less than',
    'in under',
    'words or less',
    'list of',
    'a list',
    'example',
    'examples',
    'complete the',
    'fill in the',
    'how many',
    'how much',
    'what is the total',
    'in total',
    'altogether',
    'per',
  ],
});
const FIRST = LEX.index('firstPerson');
const SECOND = LEX.index('secondPerson');
const CHATTY = LEX.index('chatty');
const TASK = LEX.index('taskFrame');

/** First words that make a prompt an imperative task ("Write…", "Classify…", "Given…"). */
const TASK_VERBS = buildLexicon({
  verb: [
    'write',
    'generate',
    'create',
    'compose',
    'draft',
    'produce',
    'make',
    'build',
    'design',
    'develop',
    'construct',
    'implement',
    'code',
    'program',
    'classify',
    'categorize',
    'categorise',
    'identify',
    'detect',
    'determine',
    'decide',
    'find',
    'calculate',
    'compute',
    'solve',
    'evaluate',
    'estimate',
    'convert',
    'translate',
    'summarize',
    'summarise',
    'paraphrase',
    'rephrase',
    'rewrite',
    'edit',
    'correct',
    'fix',
    'proofread',
    'explain',
    'describe',
    'define',
    'list',
    'name',
    'give',
    'provide',
    'suggest',
    'recommend',
    'compare',
    'contrast',
    'analyze',
    'analyse',
    'assess',
    'rank',
    'sort',
    'arrange',
    'order',
    'reorder',
    'extract',
    'select',
    'choose',
    'pick',
    'match',
    'label',
    'tag',
    'predict',
    'complete',
    'fill',
    'insert',
    'replace',
    'combine',
    'divide',
    'split',
    'reverse',
    'formulate',
    'outline',
    'brainstorm',
    'come',
    'imagine',
    'pretend',
    'act',
    'output',
    'return',
    'print',
    'given',
    'use',
    'answer',
    'respond',
    'state',
    'tell',
    'show',
    'prove',
    'simplify',
    'expand',
    'factor',
    'differentiate',
    'integrate',
    'convert',
  ],
});

const VERB_COUNT = new Int32Array(1);

/** What dataset-style needs to know besides the words. */
export interface StyleContext {
  /** User turns in the request; follow-ups are conversational by nature. */
  userTurns: number;
}

/**
 * Dataset-style score of the last user turn: > 0.5 reads like a task from a query set, < 0.5
 * like a conversational turn.
 *
 * @example
 * datasetStyle(profileText('Classify the following animal as a mammal or a reptile.\n\nInput: Iguana'), { userTurns: 1 }) > 0.7; // true
 * datasetStyle(profileText('hey, can you help me with my essay? i think the intro is weak lol'), { userTurns: 1 }) < 0.3; // true
 */
export function datasetStyle(profile: TextProfile, ctx: StyleContext): number {
  const words = profile.words;
  if (words === 0) return 0;
  const c = LEX.count(profile);
  VERB_COUNT[0] = 0;
  const firstVerb = countCues({ hashes: profile.hashes, words: 1 }, TASK_VERBS, VERB_COUNT)[0]! > 0;
  const perWord = 1 / Math.max(words, 8);
  const firstPerson = c[FIRST]! * perWord;
  const secondPerson = c[SECOND]! * perWord;
  let x = -0.4;
  x += firstVerb ? 1.6 : 0;
  x += Math.min(c[TASK]!, 3) * 0.45;
  x -= Math.min(firstPerson * 12, 2.4);
  x -= Math.min(secondPerson * 8, 1.4);
  x -= Math.min(c[CHATTY]!, 3) * 0.6;
  // Tidy text (capitalised, finished with punctuation) vs casual typing.
  x += profile.startsUpper ? 0.5 : -0.7;
  const last = profile.lastChar;
  x += last === 46 || last === 58 || last === 63 || last === 34 ? 0.3 : -0.3; // . : ? "
  x -= Math.min(profile.exclamations, 2) * 0.4;
  // Self-contained problems carry their own data: numbers, "Label:" lines, input blocks.
  x += Math.min(profile.numbers, 4) * 0.15;
  x += profile.blankLines > 0 ? 0.3 : 0;
  x += profile.colons > 0 && profile.newlines > 0 ? 0.3 : 0;
  if (ctx.userTurns > 1) x -= 2;
  return sigmoid(x);
}
