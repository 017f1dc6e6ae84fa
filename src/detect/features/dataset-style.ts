/**
 * Dataset-style instruction vs conversational turn, as a score in [0,1]. Query sets built for
 * training (Alpaca-like tasks, benchmark problems, "Input:" sections) are imperative or
 * third-person, self-contained and tidy; people chatting write in first and second person,
 * greet, thank, ask follow-ups and type casually. The cues are generic function words and
 * shapes (English here, eight more languages in dataset-style-languages.ts), never one corpus's
 * wording.
 */
import * as otherLanguages from './dataset-style-languages.js';
import { buildLexicon, registerCues, startsWithPhrase } from './lexicon.js';
import { sigmoid } from './score.js';
import type { TextProfile } from './tokens.js';

const LEX = registerCues('style', {
  firstPerson: [
    'i',
    'im',
    'ive',
    'my',
    'me',
    'mine',
    'myself',
    'we',
    'our',
    'us',
    ...otherLanguages.FIRST_PERSON,
  ],
  secondPerson: ['you', 'your', 'youre', 'yours', 'u', ...otherLanguages.SECOND_PERSON],
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
    ...otherLanguages.CHATTY,
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
    ...otherLanguages.TASK_FRAME,
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
    ...otherLanguages.TASK_VERBS,
  ],
});

/** Last characters of a finished task: . : ? " and the full-width 。 ： ？ ． 」 』. */
const TIDY_ENDS = new Set([46, 58, 63, 34, 0x3002, 0xff1a, 0xff1f, 0xff0e, 0x300d, 0x300f]);

/** What dataset-style needs to know besides the words. */
export interface StyleContext {
  /** User turns in the request; follow-ups are conversational by nature. */
  userTurns: number;
}

/** Names of the style features, in `styleFeatures` order (for the training script and docs). */
export const STYLE_FEATURES = [
  'first word is a task verb',
  'task framing phrases (≤ 3)',
  'first-person rate × 12 (≤ 2.4)',
  'second-person rate × 8 (≤ 1.4)',
  'chit-chat phrases (≤ 3)',
  'starts upper-case (±1; 0 for a script without case)',
  'ends with . : ? or " (±1)',
  'exclamation marks (≤ 2)',
  'numbers (≤ 4)',
  'has blank-line blocks',
  'has "Label:" lines',
  'is a follow-up in a multi-turn request',
] as const;

/**
 * Hand-set weights (bias first), in STYLE_FEATURES order: + for query-set shape, − for
 * conversation. scripts/train-style.ts compares them with weights fitted leave-one-source-out.
 */
export const STYLE_WEIGHTS: readonly number[] = [
  -0.5, 1.6, 0.45, -1, -1, -0.6, 0.6, 0.3, -0.4, 0.15, 0.3, 0.3, -2,
];

const FEATURES = new Float64Array(STYLE_FEATURES.length);

/**
 * The style feature vector of a profiled turn (a shared buffer: read it before the next call).
 *
 * @example
 * styleFeatures(profileText('Classify the animal.'), { userTurns: 1 })[0]; // 1 (task verb)
 */
export function styleFeatures(profile: TextProfile, ctx: StyleContext): Float64Array {
  const words = profile.words;
  const c = LEX.count(profile);
  const firstVerb = startsWithPhrase(profile, TASK_VERBS);
  const perWord = 1 / Math.max(words, 8);
  const last = profile.lastChar;
  FEATURES[0] = firstVerb ? 1 : 0;
  FEATURES[1] = Math.min(c[TASK]!, 3);
  FEATURES[2] = Math.min(c[FIRST]! * perWord * 12, 2.4);
  FEATURES[3] = Math.min(c[SECOND]! * perWord * 8, 1.4);
  FEATURES[4] = Math.min(c[CHATTY]!, 3);
  // Tidy text (capitalised, finished with punctuation) vs casual typing. A script without case
  // says nothing either way; Chinese and Japanese end sentences with full-width marks.
  FEATURES[5] = profile.startsUpper ? 1 : profile.startsCaseless ? 0 : -1;
  FEATURES[6] = TIDY_ENDS.has(last) ? 1 : -1;
  FEATURES[7] = Math.min(profile.exclamations, 2);
  // Self-contained problems carry their own data: numbers, "Label:" lines, input blocks.
  FEATURES[8] = Math.min(profile.numbers, 4);
  FEATURES[9] = profile.blankLines > 0 ? 1 : 0;
  FEATURES[10] = profile.colons > 0 && profile.newlines > 0 ? 1 : 0;
  FEATURES[11] = ctx.userTurns > 1 ? 1 : 0;
  return FEATURES;
}

/**
 * Dataset-style score of the last user turn: > 0.5 reads like a task from a query set, < 0.5
 * like a conversational turn.
 *
 * @example
 * datasetStyle(profileText('Classify the following animal as a mammal or a reptile.\n\nInput: Iguana'), { userTurns: 1 }) > 0.7; // true
 * datasetStyle(profileText('hey, can you help me with my essay? i think the intro is weak lol'), { userTurns: 1 }) < 0.3; // true
 */
export function datasetStyle(
  profile: TextProfile,
  ctx: StyleContext,
  weights: readonly number[] = STYLE_WEIGHTS,
): number {
  if (profile.words === 0) return 0;
  const f = styleFeatures(profile, ctx);
  let x = weights[0]!;
  for (let k = 0; k < f.length; k++) x += weights[k + 1]! * f[k]!;
  return sigmoid(x);
}
