/**
 * Multi-turn continuity of one request: how many user turns it carries and whether the last
 * one builds on an earlier answer. Real conversations refer back ("make that shorter", "why
 * does the code above fail?"); extraction scripts that paste fake history or send one-shot
 * prompts do not. The cues are English here, eight more languages in continuity-languages.ts.
 */
import type { WireMessage } from '../../contract/types.js';
import * as otherLanguages from './continuity-languages.js';
import { contentText } from './last-user-turn.js';
import { buildLexicon, countCues } from './lexicon.js';
import { profileText } from './tokens.js';

/** Characters of the previous answer compared with the follow-up. */
const ANSWER_CHARS = 4096;

/** Continuity features of a request. */
export interface Continuity {
  userTurns: number;
  buildsOnAnswer: boolean;
}

const REFERS_BACK = buildLexicon({
  strong: [
    'above',
    'previous',
    'earlier',
    'you said',
    'you mentioned',
    'you wrote',
    'you suggested',
    'your answer',
    'your response',
    'your code',
    'your example',
    'your last',
    'you told',
    'you gave',
    'you just',
    'your',
    'yours',
    'the code',
    'the example',
    'the script',
    'the function',
    'the list',
    'the story',
    'the poem',
    'that code',
    'that one',
    'that answer',
    'this code',
    'the second',
    'the first',
    'the last one',
    'instead',
    'again',
    'continue',
    'go on',
    'keep going',
    'shorter',
    'longer',
    'simpler',
    'rewrite it',
    'make it',
    'change it',
    'fix it',
    'expand on',
    'elaborate',
    'more detail',
    'tell me more',
    'what about',
    'how about',
    'thanks',
    'thank you',
    'that works',
    'doesnt work',
    'didnt work',
    'still',
    'not what i',
    'you forgot',
    'youre wrong',
    'are you sure',
    'why',
    ...otherLanguages.REFERS_BACK,
  ],
  pronoun: ['it', 'that', 'this', 'those', 'these', 'them', 'they', 'there', 'also', 'but', 'and', 'so'],
});
const STRONG = REFERS_BACK.index('strong');
const PRONOUN = REFERS_BACK.index('pronoun');

/** Scratch for the previous answer's words (≤ 4 KB of text). */
const ANSWER_WORDS = new Int32Array(1024);

/** Words too common to show that a follow-up reuses an answer's content. */
const STOP = new Set(
  Array.from(
    profileText(
      `the a an and or but of to in on for with is are was were be been it its this that these those i you he she we they me my your our their what which who how why when where can could would should will do does did not no yes so as at by from if then than there here about into more most some any all just also very ${otherLanguages.STOP_CHARACTERS}`,
      new Int32Array(512),
    ).hashes,
  ),
);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** True when at least 2 content words, and a quarter of the turn's content words, recur in the answer. */
function overlapsAnswer(turn: Int32Array, answerText: string): boolean {
  const answer = profileText(answerText, ANSWER_WORDS);
  const seen = new Set<number>();
  for (let i = 0; i < answer.words; i++) {
    const h = answer.hashes[i]!;
    if (!STOP.has(h)) seen.add(h);
  }
  let content = 0;
  let shared = 0;
  for (const h of turn) {
    if (STOP.has(h)) continue;
    content++;
    if (seen.has(h)) shared++;
  }
  return shared >= 2 && shared * 4 >= content;
}

/**
 * Counts user turns (messages written by the user, not tool results) and decides whether the
 * last user turn (given as `profile` of its text, at `turnIndex`) builds on an earlier answer:
 * an assistant turn precedes it and it refers back (follow-up cues on a short turn) or
 * reuses the answer's content words.
 *
 * @example
 * const messages = [
 *   { role: 'user', content: 'Write a haiku about rain' },
 *   { role: 'assistant', content: 'Soft rain on the roof…' },
 *   { role: 'user', content: 'Make it sadder' },
 * ];
 * continuity(messages, 2, profileText('Make it sadder')); // { userTurns: 2, buildsOnAnswer: true }
 */
export function continuity(
  messages: readonly WireMessage[],
  turnIndex: number,
  profile: { hashes: Int32Array; words: number },
): Continuity {
  let userTurns = 0;
  let previousAnswer = -1;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (!isRecord(m)) continue;
    if (m.role === 'user' && !onlyToolResults(m.content)) userTurns++;
    else if (m.role === 'assistant' && i < turnIndex) previousAnswer = i;
  }
  if (previousAnswer < 0 || turnIndex < 0) return { userTurns, buildsOnAnswer: false };
  const turn = profile.hashes.slice(0, profile.words); // copy: profiling the answer reuses buffers
  const cues = countCues({ hashes: turn, words: turn.length }, REFERS_BACK);
  // A reaction ("great", "ty"), a short follow-up with a back-reference, or a short one with a
  // pronoun or connective ("and in python?").
  if (turn.length > 0 && turn.length <= 3) return { userTurns, buildsOnAnswer: true };
  if (cues[STRONG]! > 0 && turn.length <= 40) return { userTurns, buildsOnAnswer: true };
  if (cues[PRONOUN]! > 0 && turn.length <= 12) return { userTurns, buildsOnAnswer: true };
  const answer = contentText(messages[previousAnswer]!.content, ANSWER_CHARS).text;
  return { userTurns, buildsOnAnswer: answer !== '' && overlapsAnswer(turn, answer) };
}

function onlyToolResults(content: unknown): boolean {
  if (!Array.isArray(content) || content.length === 0) return false;
  for (const block of content) if (!isRecord(block) || block.type !== 'tool_result') return false;
  return true;
}
