/**
 * Template skeleton of a prompt: the wording that stays fixed when one template is filled with
 * many inputs. Variable parts are masked to "#": numbers, quoted strings, inline code and code
 * blocks, e-mails and URLs, runs of capitalised names, the value after a short "Label:" at the
 * start of a line, and the input block of a multi-paragraph prompt (the part after a short
 * instruction paragraph, or before a short closing instruction). The result is hashed with
 * FNV-1a, so accounts can be compared by one integer.
 */
import { fnv1a } from './hash.js';

/** Characters of the prompt the skeleton looks at (templates put their frame up front). */
export const SKELETON_SCAN_CHARS = 4096;
/** Longest instruction paragraph kept verbatim; longer ones are cut here. */
const KEEP_CHARS = 400;
const MARK = '\ue000';

const SPACES = /\s+/g;
const MARK_RUN = /\ue000(?: ?\ue000)*/g;
const PARAGRAPH_BREAK = /\n[ \t]*\n/;
/** "Label: value" at a line start, label ≤ 40 chars with no colon or newline: keep the label. */
const LABEL_VALUE = /^([^\n:]{1,40}):(?!\/\/)[ \t]*[^\n]*\S[^\n]*/gm;
/**
 * Everything else that varies between fills of one template. Each alternative is anchored by a
 * literal or has one greedy class, so matching stays linear (no nested quantifiers).
 */
const VARIABLE = new RegExp(
  [
    'https?:\\/\\/\\S+',
    'www\\.\\S+',
    '(?<!\\S)[^\\s@]+@[^\\s@]+\\.\\w+',
    '"[^"\\n]{1,300}"',
    '\u201c[^\u201d\\n]{1,300}\u201d',
    "(?<!\\w)'[^'\\n]{1,300}'(?!\\w)",
    '`[^`\\n]{1,300}`',
    '[$\u20ac\u00a3]?\\d[\\d.,]*%?',
    // A run of two or more capitalised words (names, titles) anywhere.
    "[A-Z][\\w'\u2019-]*(?:[ \\t]+[A-Z][\\w'\u2019-]*)+",
    // One capitalised word in mid-sentence (after a lower-case word, digit or comma).
    "(?<=[a-z0-9,;)][ \\t])[A-Z][\\w'\u2019-]*",
  ].join('|'),
  'g',
);

function maskCodeBlocks(text: string): string {
  let at = text.indexOf('```');
  if (at < 0) return text;
  let out = '';
  let from = 0;
  while (at >= 0) {
    const end = text.indexOf('```', at + 3);
    out += `${text.slice(from, at)}\n${MARK}\n`;
    if (end < 0) return out;
    from = end + 3;
    at = text.indexOf('```', from);
  }
  return out + text.slice(from);
}

/** Picks the instruction frame of a multi-paragraph prompt and masks its input block. */
function frame(text: string): string {
  const paragraphs = text.split(PARAGRAPH_BREAK).filter((p) => p.trim() !== '');
  if (paragraphs.length <= 1) return (paragraphs[0] ?? '').slice(0, KEEP_CHARS);
  const first = paragraphs[0]!;
  const last = paragraphs[paragraphs.length - 1]!;
  if (first.length <= KEEP_CHARS) {
    // Instruction first, then input; a short one-line closing cue (e.g. "Answer:") is kept too.
    const tail = paragraphs.length >= 3 && last.length <= 60 && !last.includes('\n') ? `\n${last}` : '';
    return `${first}\n${MARK}${tail}`;
  }
  if (last.length <= KEEP_CHARS) return `${MARK}\n${last}`;
  return first.slice(0, KEEP_CHARS);
}

/**
 * The skeleton as text: lower-cased, masked parts as "#", whitespace folded.
 *
 * @example
 * skeletonText('Translate to French: "Good morning, Anna"'); // 'translate to french: #'
 * skeletonText('Natalia sold 48 clips in April.'); // 'natalia sold # clips in #.'
 */
export function skeletonText(text: string): string {
  const head = text.length > SKELETON_SCAN_CHARS ? text.slice(0, SKELETON_SCAN_CHARS) : text;
  const framed = frame(maskCodeBlocks(head));
  const masked = framed.replace(LABEL_VALUE, `$1: ${MARK}`).replace(VARIABLE, MARK).toLowerCase();
  return masked.replace(SPACES, ' ').replace(MARK_RUN, '#').trim();
}

/**
 * 32-bit FNV-1a hash of the skeleton: equal for two fills of one template, different for
 * unrelated prompts.
 *
 * @example
 * skeleton('Rate the response on a scale of 1 to 10: "Paris is in France."') ===
 *   skeleton('Rate the response on a scale of 1 to 5: "Water boils at 90 C."'); // true
 */
export function skeleton(text: string): number {
  return fnv1a(skeletonText(text));
}
