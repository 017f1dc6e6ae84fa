/**
 * Phrase lexicons matched over word hashes: each cue is a list of phrases ("step by step",
 * "show your work"), compiled once into an open-addressing table keyed by the first word's hash.
 * Matching is one pass over the words with an array probe per word, so a dozen cue lists cost
 * about as much as one, with no regex and therefore no backtracking.
 */
import { profileText } from './tokens.js';

/** Cue name → phrases (any case, any punctuation: they are tokenised like prompts). */
export type CueGroups = Readonly<Record<string, readonly string[]>>;

/** A compiled lexicon. */
export interface Lexicon {
  /** Cue names in index order. */
  readonly cues: readonly string[];
  /** Index of a cue name; throws on an unknown name (a programming error, not user input). */
  index(cue: string): number;
  /** @internal open-addressing table: first-word hash → slot. */
  readonly keys: Int32Array;
  /** @internal slot → offset into `phrases` (-1 = empty); phrases with one first word are chained. */
  readonly heads: Int32Array;
  /** @internal phrase records: [next, cue, length, hash1, hash2, …]. */
  readonly phrases: Int32Array;
  readonly mask: number;
  /** @internal one bit per value of a hash's top 16 bits: set when some phrase starts with such a word. */
  readonly firsts: Int32Array;
}

/** Bit of `firsts` for a word hash: its top 16 bits (the table's slot uses the low ones). */
function firstBit(firsts: Int32Array, h: number): number {
  return (firsts[h >>> 21]! >>> ((h >>> 16) & 31)) & 1;
}

function wordHashes(phrase: string): number[] {
  const p = profileText(phrase, new Int32Array(64));
  return Array.from(p.hashes);
}

/**
 * Compiles cue groups into a lexicon.
 *
 * @example
 * const lex = buildLexicon({ cot: ['step by step', 'show your work'] });
 * countCues(profileText('Solve it step-by-step.'), lex)[lex.index('cot')]; // 1
 */
export function buildLexicon(groups: CueGroups): Lexicon {
  const cues = Object.keys(groups);
  const entries: { cue: number; words: number[] }[] = [];
  cues.forEach((cue, ci) => {
    for (const phrase of groups[cue] ?? []) {
      const words = wordHashes(phrase);
      if (words.length === 0) throw new Error(`lexicon cue ${cue}: phrase "${phrase}" has no words`);
      entries.push({ cue: ci, words });
    }
  });
  let size = 16;
  while (size < entries.length * 4) size *= 2;
  const mask = size - 1;
  const keys = new Int32Array(size);
  const heads = new Int32Array(size).fill(-1);
  const phraseData: number[] = [];
  for (const e of entries) {
    const first = e.words[0]!;
    let slot = first & mask;
    while (heads[slot] !== -1 && keys[slot] !== first) slot = (slot + 1) & mask;
    const offset = phraseData.length;
    phraseData.push(heads[slot]!, e.cue, e.words.length - 1, ...e.words.slice(1));
    keys[slot] = first;
    heads[slot] = offset;
  }
  const firsts = new Int32Array(2048);
  for (const e of entries) {
    const h = e.words[0]!;
    firsts[h >>> 21] = firsts[h >>> 21]! | (1 << ((h >>> 16) & 31));
  }
  const byName = new Map(cues.map((c, i) => [c, i]));
  return {
    cues,
    index(cue: string): number {
      const i = byName.get(cue);
      if (i === undefined) throw new Error(`lexicon has no cue "${cue}"`);
      return i;
    },
    keys,
    heads,
    phrases: Int32Array.from(phraseData),
    mask,
    firsts,
  };
}

/**
 * Counts, per cue, how many phrase occurrences appear in the profiled words (overlapping
 * matches of different phrases all count). `hashes`/`words` come from `profileText`.
 *
 * @example
 * const lex = buildLexicon({ grade: ['rate the following', 'rubric'] });
 * countCues(profileText('Use this rubric to rate the following answer'), lex); // Int32Array [2]
 */
export function countCues(
  profile: { hashes: Int32Array; words: number },
  lex: Lexicon,
  into: Int32Array = new Int32Array(lex.cues.length),
): Int32Array {
  const { hashes, words } = profile;
  const { keys, heads, phrases, mask, firsts } = lex;
  for (let i = 0; i < words; i++) {
    const h = hashes[i]!;
    // Most words start no phrase: one bit test rules them out before the table probe (the shared
    // lexicon's ~540 phrases set at most ~1% of the 65,536 bits). The probe's branches on empty
    // slots and chains mispredicted often; this one is taken for nearly every ordinary word.
    if (firstBit(firsts, h) === 0) continue;
    let slot = h & mask;
    let head = heads[slot]!;
    while (head !== -1 && keys[slot] !== h) {
      slot = (slot + 1) & mask;
      head = heads[slot]!;
    }
    while (head !== -1) {
      const len = phrases[head + 2]!;
      if (i + len < words) {
        let ok = true;
        for (let k = 0; k < len; k++) {
          if (phrases[head + 3 + k]! !== hashes[i + 1 + k]) {
            ok = false;
            break;
          }
        }
        if (ok) {
          const cue = phrases[head + 1]!;
          into[cue] = into[cue]! + 1;
        }
      }
      head = phrases[head]!;
    }
  }
  return into;
}

/**
 * Cue groups registered by the scoring modules share one lexicon, so the words of a prompt are
 * probed once for all of them instead of once per module. Indices are registration positions
 * (stable as more modules register); the lexicon is rebuilt lazily after a registration.
 */
const registered: [name: string, phrases: readonly string[]][] = [];
const positions = new Map<string, number>();
let shared: Lexicon | undefined;
let lastProfile: object | undefined;
let lastCounts = new Int32Array(0);

function sharedLexicon(): Lexicon {
  if (shared === undefined) {
    shared = buildLexicon(Object.fromEntries(registered));
    lastCounts = new Int32Array(registered.length);
    lastProfile = undefined;
  }
  return shared;
}

/** A module's view of the shared lexicon. */
export interface CueSet {
  /** Position of one of this set's cue names in the counts `count` returns. */
  index(cue: string): number;
  /**
   * Counts for every registered cue in this profile, computed once per profile object and
   * shared by all sets: read it before counting another profile (the array is reused).
   */
  count(profile: { hashes: Int32Array; words: number }): Int32Array;
}

/**
 * Registers cue groups under `prefix` in the shared lexicon.
 *
 * @example
 * const cues = registerCues('demo', { cot: ['step by step'] });
 * const p = profileText('Go step by step');
 * cues.count(p)[cues.index('cot')]; // 1
 */
export function registerCues(prefix: string, groups: CueGroups): CueSet {
  for (const [name, phrases] of Object.entries(groups)) {
    const key = `${prefix}.${name}`;
    if (positions.has(key)) throw new Error(`cue group ${key} registered twice`);
    positions.set(key, registered.length);
    registered.push([key, phrases]);
  }
  shared = undefined;
  return {
    index(cue: string): number {
      const at = positions.get(`${prefix}.${cue}`);
      if (at === undefined) throw new Error(`lexicon has no cue "${prefix}.${cue}"`);
      return at;
    },
    count(profile: { hashes: Int32Array; words: number }): Int32Array {
      const lex = sharedLexicon();
      if (profile !== lastProfile) {
        lastCounts.fill(0);
        countCues(profile, lex, lastCounts);
        lastProfile = profile;
      }
      return lastCounts;
    },
  };
}
